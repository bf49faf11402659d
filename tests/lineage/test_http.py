"""OpenLineage through HTTP: the official Python client's HTTP transport posting to a live
``yishu serve`` on loopback, malformed events answered 400 with JSON paths, role checks."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.lineage.events import DB, HJ, STRAY, declared_catalog, run_event
from tests.servers import yishu_serve

KEYS = {"lineage": "k-lineage", "analyst": "k-analyst", "admin": "k-admin"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ol")
    store = tmp / "store"
    subprocess.run([sys.executable, "-m", "yishu", "load", str(declared_catalog(tmp / "small")),
                    "--source", "small", "--store", str(store)], check=True,
                   capture_output=True, timeout=120)
    cfg = tmp / "access.yaml"
    cfg.write_text("keys:\n" + "".join(f"  - name: t-{r}\n    role: {r}\n    key: {k}\n"
                                       for r, k in KEYS.items()), encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with yishu_serve("--store", str(store), "--access-config", str(cfg), "--log-level",
                     "warning", env=env) as url:
        yield url


def _client(url: str, key: str):
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

    return OpenLineageClient(transport=HttpTransport(HttpConfig(
        url=url, auth=ApiKeyTokenProvider({"apiKey": key}), timeout=10,
        retry={"total": 0})))


def _event(event_type: str, run_id: str, time: str, outputs):
    """The exchange job's event built with the client's own classes and facets."""
    from openlineage.client.event_v2 import (
        InputDataset,
        Job,
        OutputDataset,
        Run,
        RunEvent,
        RunState,
    )
    from openlineage.client.facet_v2 import column_lineage_dataset as cl
    from openlineage.client.facet_v2 import schema_dataset as sd

    cols = [f"col{i}" for i in range(20)]
    facets = {
        "schema": sd.SchemaDatasetFacet(fields=[sd.SchemaDatasetFacetFields(name=c, type="VARCHAR")
                                                for c in cols]),
        "columnLineage": cl.ColumnLineageDatasetFacet(fields={
            c: cl.Fields(inputFields=[cl.InputField(
                namespace=HJ[0], name=HJ[1], field=c,
                transformations=[cl.Transformation(type="DIRECT", subtype="IDENTITY",
                                                   masking=c == "col0")])])
            for c in cols}),
    }
    return RunEvent(eventType=getattr(RunState, event_type), eventTime=time,
                    run=Run(runId=run_id), job=Job(namespace="exchange", name="hj-to-mz"),
                    producer="https://example.gov/exchange/v1",
                    inputs=[InputDataset(namespace=HJ[0], name=HJ[1])],
                    outputs=[OutputDataset(namespace=ns, name=n, facets=facets)
                             for ns, n in outputs])


def test_the_openlineage_client_posts_start_and_complete(served):
    from openlineage.client.uuid import generate_new_uuid

    client = _client(served, KEYS["lineage"])
    run_id = str(generate_new_uuid())
    client.emit(_event("START", run_id, "2026-11-20T08:00:00.000Z", [DB, STRAY]))
    client.emit(_event("COMPLETE", run_id, "2026-11-20T08:04:00.000Z", [DB, STRAY]))
    client.emit(_event("COMPLETE", run_id, "2026-11-20T08:04:00.000Z", [DB, STRAY]))  # again
    body = httpx.get(served + "/api/v1/lineage/datasets").json()
    got = {(d["namespace"], d["name"]): d for d in body["datasets"]}
    assert got[HJ]["resources"] == ["RES-HJ"] and got[DB]["resources"] == ["RES-DB"]
    assert got[STRAY]["registered"] is False and got[STRAY]["runs"] == 1
    assert got[DB]["lastSeen"] == "2026-11-20T08:04:00Z"
    unreg = httpx.get(served + "/api/v1/lineage/datasets", params={"registered": "false"}).json()
    assert [(d["namespace"], d["name"]) for d in unreg["datasets"]] == [STRAY]
    edges = httpx.get(served + "/api/v1/lineage/edges").json()["edges"]
    assert edges == [{"down": "RES-DB", "up": "RES-HJ", "evidence": "BOTH",
                      "jobs": ["exchange/hj-to-mz"], "lastSeen": "2026-11-20T08:04:00Z",
                      "runs": 1}]
    assert httpx.get(served + "/api/v1/lineage/edges",
                     params={"evidence": "observed"}).json()["edges"] == []
    r = httpx.get(served + "/api/v1/lineage/edges", params={"granularity": "COLUMN"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_ARGUMENT"


def test_malformed_events_are_400_with_json_paths(served):
    h = {"X-API-Key": KEYS["lineage"]}
    good = run_event("START", "6b6f5a4e-1b53-4b8f-9d1e-2f3c4d5e6f70")
    bad = dict(good, eventTime="not a time", run={})
    r = httpx.post(served + "/api/v1/lineage", json=bad, headers=h)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "EVENT_INVALID" and "未写入" in err["zh"]
    assert [p["path"] for p in err["problems"]] == ["$.eventTime", "$.run.runId"]
    r = httpx.post(served + "/api/v1/lineage/batch", json=[good, bad], headers=h)
    assert r.status_code == 400
    assert [p["path"] for p in r.json()["error"]["problems"]] == ["$[1].eventTime",
                                                                  "$[1].run.runId"]
    r = httpx.post(served + "/api/v1/lineage", content=b"{not json", headers=h)
    assert r.status_code == 400 and r.json()["error"]["problems"][0]["path"] == "$"
    # nothing of the refused batch was stored: its good event is new when sent alone
    r = httpx.post(served + "/api/v1/lineage/batch", json=[good], headers=h)
    assert r.status_code == 200 and r.json()["status"] == "success" and r.json()["triples"] > 0


def test_only_the_lineage_role_and_admin_may_write(served):
    ev = run_event("START", "0d9b2f7c-6c3e-4c36-8d7f-3a1b2c3d4e5f")
    assert httpx.post(served + "/api/v1/lineage", json=ev).status_code == 403  # anonymous
    r = httpx.post(served + "/api/v1/lineage", json=ev, headers={"X-API-Key": KEYS["analyst"]})
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    r = httpx.post(served + "/api/v1/lineage", json=ev, headers={"X-API-Key": KEYS["admin"]})
    assert r.status_code == 201
    # the lineage role reads what an anonymous caller reads: no persons' names
    q = ('{ me { role } departments(first: 5) { edges { node { code sharingLeader '
         'contactPhone } } } }')
    a = httpx.post(served + "/graphql", json={"query": q}).json()
    w = httpx.post(served + "/graphql", json={"query": q},
                   headers={"X-API-Key": KEYS["lineage"]}).json()
    assert w["data"]["me"]["role"] == "lineage" and a["data"]["me"]["role"] == "anonymous"
    assert a["data"]["departments"] == w["data"]["departments"]
    assert all(e["node"]["sharingLeader"] is None for e in w["data"]["departments"]["edges"])


def test_concurrent_posts_each_answered_once_stored(served):
    """Eight clients at once, one event per request (the server stores them in groups): every
    request answered 201 only once its event is in the store, a bad one among them 400 alone,
    and each event sent again adds nothing."""
    import threading

    h = {"X-API-Key": KEYS["lineage"]}
    runs = [f"7c1e0d2a-0000-4000-8000-{i:012d}" for i in range(8)]
    answers: dict[int, list] = {}
    start = threading.Barrier(9)

    def client(i: int) -> None:
        with httpx.Client(base_url=served, headers=h, timeout=60) as c:
            start.wait()
            mine = []
            for kind, t in (("START", "08:00"), ("COMPLETE", "08:05")):
                mine.append(c.post("/api/v1/lineage", json=_concurrent(kind, runs[i], i, t)))
                listed = c.get("/api/v1/lineage/datasets").json()["datasets"]
                mine.append({d["name"] for d in listed})  # stored before answered
            answers[i] = mine

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    start.wait()
    bad = httpx.post(served + "/api/v1/lineage", headers=h,
                     json=dict(run_event("START", runs[0]), eventTime="nope"))
    for t in threads:
        t.join()
    assert bad.status_code == 400
    for i in range(8):
        start_r, seen, complete_r, _ = answers[i]
        assert start_r.status_code == complete_r.status_code == 201, start_r.text
        assert start_r.json()["triples"] > 0 and complete_r.json()["triples"] > 0
        assert f"out_{i}" in seen  # the event's output dataset was stored when it was answered
    for i in range(8):
        for kind in ("START", "COMPLETE"):
            t = "08:00" if kind == "START" else "08:05"
            again = httpx.post(served + "/api/v1/lineage", headers=h,
                               json=_concurrent(kind, runs[i], i, t))
            assert again.status_code == 201 and again.json()["triples"] == 0


def _concurrent(kind: str, run: str, i: int, t: str) -> dict:
    return run_event(kind, run, time=f"2026-11-21T{t}:0{i}Z", columns=3,
                     outputs=(("postgres://exchange:5432", f"out_{i}"),))
