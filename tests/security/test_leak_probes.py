"""The leak probes of issue 15, as an anonymous caller over GraphQL on the demo district (涉密:
R-QWB-JW 机要文电收发登记, its system YX-S-QWB-JY 机要文电处理系统, flow LX-024), each with the
same probe as admin showing the hidden entry is really there (the probe is not vacuous)."""

from __future__ import annotations

import base64
import json
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph import cursors
from graph.oxigraph_engine import OxigraphGraph
from graph.query import QueryError
from tests.security.catalogs import LINEAGE, roles, store_of, triples_of, with_classified

ADMIN = "k-sec-admin"
ACCESS = {"classified_network": True,
          "keys": [{"name": "sec-admin", "role": "admin", "key": ADMIN}]}
HIDDEN = ("R-QWB-JW", "YX-S-QWB-JY", "LX-024", "机要文电", "QWB-JW", "QWB-JY")


class Spy(OxigraphGraph):
    """The real engine, counting engine primitive calls (a spy: answers are the engine's)."""

    def __init__(self, store):
        super().__init__(store)
        self.calls: Counter[str] = Counter()

    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if name.startswith("_") and not name.startswith("__") and callable(attr) and name in (
                "_entities", "_edges", "_related", "_match", "_codes", "_lookup_element",
                "_item_rows", "_element_items", "_used_elements", "_sensitivities"):
            calls = super().__getattribute__("calls")

            def counted(*a, **k):
                calls[name] += 1
                return attr(*a, **k)

            return counted
        return attr


@pytest.fixture(scope="module")
def spy(demo_store):
    return Spy(demo_store)


@pytest.fixture(scope="module")
def ask(spy, demo_store):
    app = create_app(spy, demo_store, AccessConfig.from_dict(ACCESS))
    with TestClient(app) as client:
        def run(query: str, admin: bool = False) -> dict:
            r = client.post("/graphql", json={"query": query},
                            headers={"X-API-Key": ADMIN} if admin else {})
            assert r.status_code == 200, r.text
            return r.json()

        yield run


def _clean(cursor: str | None) -> None:
    """The cursor is an offset, an 8-character version tag and a MAC: nothing else."""
    assert cursor
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    body, dot, mac = raw.partition(b".")
    offset, tag = json.loads(body)
    assert dot and isinstance(offset, int) and len(mac) == 16, raw
    assert isinstance(tag, str) and len(tag) in (0, 8), raw


def test_cursors_carry_no_code(ask):
    q = ('{ lineage(node: "department:YX-ZFB", direction: UPSTREAM, depth: 3, first: 2) '
         '{ endCursor nodes { node { code } } } }')
    anon = ask(q)["data"]["lineage"]
    _clean(anon["endCursor"])
    admin_all = ask(q.replace(", first: 2", ""), admin=True)["data"]["lineage"]
    assert "R-QWB-JW" in [n["node"]["code"] for n in admin_all["nodes"]]
    _clean(ask(q, admin=True)["data"]["lineage"]["endCursor"])
    for listing, n in (("items", 178), ("systems", 37)):
        for admin in (False, True):
            d = ask("{ x: " + listing + f"(first: {n})" + " { edges { cursor } pageInfo "
                    "{ endCursor } } }", admin)["data"]["x"]
            for c in [e["cursor"] for e in d["edges"]] + [d["pageInfo"]["endCursor"]]:
                _clean(c)


def _after(listing: str, cursor: str) -> str:
    return "{ " + listing + '(first: 5, after: "' + cursor + '") { totalCount } }'


def test_tampered_and_foreign_cursors_are_refused(ask):
    d = ask('{ resources(first: 5) { pageInfo { endCursor } } }')["data"]["resources"]
    cursor = d["pageInfo"]["endCursor"]
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    forged = base64.urlsafe_b64encode(raw.replace(b"[5,", b"[1,")).decode().rstrip("=")
    for bad in (forged, cursor[:-2], "WzEsIiJd"):
        err = ask(_after("resources", bad))["errors"][0]
        assert err["extensions"]["code"] == "BAD_CURSOR", err
        assert "无效的分页游标" in err["message"] and "invalid cursor" in err["message"]
    # a cursor of one question is refused by another, and admin's by anonymous
    other = ask(_after("systems", cursor))["errors"][0]
    assert other["extensions"]["code"] == "BAD_CURSOR"
    admins = ask('{ resources(first: 5) { pageInfo { endCursor } } }', admin=True)
    c2 = admins["data"]["resources"]["pageInfo"]["endCursor"]
    assert ask(_after("resources", c2))["errors"]


def test_stale_cursor_is_refused():
    digest = cursors.question_digest("list", "resource")
    c = cursors.encode(5, digest, ("v1",))
    assert cursors.decode(c, digest, ("v1",)) == 5
    with pytest.raises(QueryError) as e:
        cursors.decode(c, digest, ("v2",))
    assert e.value.code == "BAD_CURSOR" and "已过期" in e.value.zh and "stale" in e.value.en


@pytest.mark.parametrize("text", ["机要", "机要 ", "防汛防台", "机要文电处理"])
def test_total_count_counts_only_visible(ask, text):
    q = '{ x: %s(text: "%s", first: 50) { totalCount edges { node { code } } } }'
    for listing in ("resources", "systems", "items"):
        anon = ask(q % (listing, text))["data"]["x"]
        assert anon["totalCount"] == len(anon["edges"]), (listing, text)
        assert not any(h in e["node"]["code"] for e in anon["edges"] for h in HIDDEN)
    admin = [ask(q % (listing, text), admin=True)["data"]["x"]["totalCount"]
             for listing in ("resources", "systems")]
    if text.strip() == "机要":
        assert admin[0] >= 1  # 机要文电收发登记 is there for admin


def test_lineage_drops_what_is_reached_only_through_hidden(ask):
    q = ('{ lineage(node: "department:YX-ZFB", direction: UPSTREAM, depth: 3) { totalNodes '
         'nodes { node { code } depth paths } edges { source { code } target { code } } } }')
    admin = ask(q, admin=True)["data"]["lineage"]
    anon = ask(q)["data"]["lineage"]
    admin_codes = {n["node"]["code"] for n in admin["nodes"]}
    assert {"R-QWB-JW", "YX-QWB"} <= admin_codes
    codes = {n["node"]["code"] for n in anon["nodes"]}
    assert "R-QWB-JW" not in codes
    assert anon["totalNodes"] == len(anon["nodes"])
    for n in anon["nodes"]:
        assert n["depth"] == 0 or n["paths"], n  # every node is reached by a visible path
    assert all(e["source"]["code"] in codes and e["target"]["code"] in codes
               for e in anon["edges"])


def test_upstream_sensitivity_ignores_hidden_upstream():
    """R-A (三级) is upstream of R-B (二级); marked 涉密, it must not raise R-B's level."""
    a_iri = "https://data.yishu.example/resource/R-A"
    graph = OxigraphGraph(store_of(with_classified(triples_of(LINEAGE), [a_iri])))
    anon, admin, _ = roles(graph)
    up = {n.entity.code: n.upstream_sensitivity for n in admin.lineage("resource:R-B").nodes}
    assert up["R-B"] == "三级"
    up = {n.entity.code: n for n in anon.lineage("resource:R-B").nodes}
    assert up["R-B"].upstream_sensitivity == "二级" and not up["R-B"].below_upstream
    assert "R-A" not in up


@pytest.mark.parametrize("question", [
    'traceSource(node: "%s") { reachedAuthoritative }',
    'impact(node: "%s") { resources { code } }',
    'lineage(node: "%s") { totalNodes }',
])
def test_errors_for_hidden_and_unknown_are_the_same(ask, question):
    def error(node: str, admin: bool = False) -> tuple[str, str]:
        (err,) = ask("{ " + question % node + " }", admin)["errors"]
        return err["extensions"]["code"], err["message"].replace(node, "<node>")

    hidden = error("system:YX-S-QWB-JY")
    unknown = error("system:YX-S-NO-SUCH")
    assert hidden == unknown and hidden[0] == "NOT_FOUND"
    if question.startswith("traceSource"):
        assert error("system:YX-S-QWB-JY", admin=True)[0] == "BAD_KIND"  # it exists for admin


def test_impact_on_hidden_does_the_work_of_an_unknown_code(spy, ask):
    """Timing follows work: an anonymous question about a hidden node asks the engine exactly
    what one about an unknown code asks (the figures: benchmarks/bench_policy.py)."""
    ask('{ impact(node: "system:YX-S-QWB-JY") { resources { code } } }')  # warm the hidden set
    work = []
    for node in ("system:YX-S-QWB-JY", "system:YX-S-NO-SUCH"):
        spy.calls.clear()
        ask('{ impact(node: "' + node + '") { resources { code } } }')
        work.append(dict(spy.calls))
    assert work[0] == work[1]
    spy.calls.clear()
    assert ask('{ impact(node: "system:YX-S-QWB-JY") { resources { code } } }',
               admin=True)["data"]["impact"]["resources"]
    assert sum(spy.calls.values()) > sum(work[0].values())
