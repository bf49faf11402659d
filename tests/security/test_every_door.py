"""Issue 15 item 4: every door that reads the store itself — REST observed lineage
(``/api/v1/lineage/edges``, ``/api/v1/lineage/datasets``), ``/export``, ``/dcat``, ``/sparql``,
GraphQL's observations of lineage edges — answers an anonymous caller exactly what it answers on
the catalog with the 涉密 entries deleted, together with what goes with them
(graph.observed.hidden_with_observed: the physical datasets a hidden resource declares, their
fields, the flows touching them). The catalog: the demo district with physical datasets declared
and jobs observed reading a 涉密 resource's table (R-QWB-JW) beside visible ones. The same doors
as admin show the hidden data is there (the probes are not vacuous)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from api.access import AccessConfig
from api.app import create_app
from graph.observed import deleted_with, observed_edges
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from loaders.openlineage import ingest
from tests.common import DEMO_DIR
from tests.lineage.events import CL_URL, PRODUCER, SCHEMA_URL
from tests.security.catalogs import roles, wait_for_audit, without

ADMIN = "k-door-admin"
ACCESS = {"classified_network": True,
          "keys": [{"name": "door-admin", "role": "admin", "key": ADMIN}]}
JW = ("mysql://jiyao.internal:3306", "jiyao.wendian_dengji")  # R-QWB-JW 机要文电收发登记 (涉密)
HK = ("postgres://ga.gov:5432", "ga.public.hukou_yewu")  # R-GA-HK
DB = ("postgres://mz.gov:5432", "mz.public.dibao")  # R-MZ-DB
FX = ("postgres://yj.gov:5432", "yj.public.fangxun")  # R-YJ-FX
DECLARED = {"R-QWB-JW": JW, "R-GA-HK": HK, "R-MZ-DB": DB, "R-YJ-FX": FX}
SECRET_WORDS = ("jiyao", "wendian", "R-QWB-JW", "机要")


def _declared_demo(dest: Path) -> Path:
    shutil.copytree(DEMO_DIR, dest)
    path = dest / "catalog.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("物理数据集")
    for r in rows[1:]:
        ds = DECLARED.get(r[0])
        r.append(f"{ds[0]}|{ds[1]}" if ds else "")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return dest


def _event(kind: str, run: str, time: str, job: str, inputs, output,
           columns: dict[str, tuple[tuple[str, str], str]]) -> dict:
    """A RunEvent of ``job`` reading ``inputs`` and writing ``output`` whose fields (named like
    the resources' items) come from ``columns``: output field -> (input dataset, its field)."""
    facet = {"_producer": PRODUCER, "_schemaURL": CL_URL, "fields": {
        f: {"inputFields": [{"namespace": ds[0], "name": ds[1], "field": src,
                             "transformations": [{"type": "DIRECT", "subtype": "IDENTITY",
                                                  "masking": False}]}]}
        for f, (ds, src) in columns.items()}}
    schema = {"_producer": PRODUCER, "_schemaURL": SCHEMA_URL,
              "fields": [{"name": f, "type": "VARCHAR"} for f in columns]}
    return {"eventType": kind, "eventTime": time, "producer": PRODUCER, "schemaURL": SCHEMA_URL,
            "run": {"runId": run}, "job": {"namespace": "exchange", "name": job},
            "inputs": [{"namespace": ns, "name": n} for ns, n in inputs],
            "outputs": [{"namespace": output[0], "name": output[1],
                         "facets": {"schema": schema, "columnLineage": facet}}]}


def _events() -> list[dict]:
    runs = [("1a000000-0000-4000-8000-000000000001", (JW, HK), DB, "jw-hk-to-db",
             {"公民身份号码": (HK, "公民身份号码"), "低保证号": (JW, "文电编号")}),
            ("1a000000-0000-4000-8000-000000000002", (HK,), FX, "hk-to-fx",
             {"仓库名称": (HK, "业务类型")}),
            ("1a000000-0000-4000-8000-000000000003", (JW,), FX, "jw-to-fx",
             {"仓库位置": (JW, "办理状态")}),
            ("1a000000-0000-4000-8000-000000000004", (DB,), JW, "db-to-jw",
             {"文电编号": (DB, "低保证号")})]
    out = []
    for n, (run, inputs, output, job, columns) in enumerate(runs):
        for kind, minute in (("START", 0), ("COMPLETE", 5)):
            out.append(_event(kind, run, f"2026-11-2{n}T08:0{minute}:00Z", job, inputs, output,
                              columns))
    return out


def _triples(store: CatalogStore) -> list:
    return list(parse(store.export("ntriples"), RdfFormat.N_TRIPLES))


def _on_disk(path: Path, triples: list) -> CatalogStore:
    s = CatalogStore(path)
    s.replace_source("case", triples)
    return s


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> CatalogStore:
    """The demo district with physical datasets declared (source demo) and the runs observed
    (source observed)."""
    s = CatalogStore()
    load_path(s, _declared_demo(tmp_path_factory.mktemp("demo") / "demo"), "demo")
    ingest(s, _events())
    return s


@pytest.fixture(scope="module")
def doors(tmp_path_factory, built):
    """(full catalog, the same with the hidden entries and what goes with them deleted): a
    TestClient each, over on-disk stores (/sparql needs one)."""
    tmp = tmp_path_factory.mktemp("doors")
    full = _triples(built)
    full_store = _on_disk(tmp / "full", full)
    hidden = roles(OxigraphGraph(full_store))[2].hidden()
    gone = deleted_with(full_store, hidden)
    assert len(gone) > len(hidden)  # the hidden resource's dataset, fields and flows too
    deleted_store = _on_disk(tmp / "deleted", without(full, gone, fields=()))
    apps = [create_app(OxigraphGraph(s), s, AccessConfig.from_dict(ACCESS))
            for s in (full_store, deleted_store)]
    with TestClient(apps[0]) as a, TestClient(apps[1]) as b:
        for c in (a, b):  # the audits done, so that every page shows one
            wait_for_audit(c)
            wait_for_audit(c, key=ADMIN)
        yield a, b


def _get(client, path: str, admin: bool = False, **kw):
    r = client.get(path, headers={"X-API-Key": ADMIN} if admin else {}, **kw)
    assert r.status_code == 200, (path, r.text[:300])
    return r


def _probe(doors, path: str, parse_body=lambda r: r.json()) -> None:
    full, deleted = doors
    anon = parse_body(_get(full, path))
    assert anon == parse_body(_get(deleted, path)), path
    admin = parse_body(_get(full, path, admin=True))
    assert admin != anon and any(w in str(admin) for w in SECRET_WORDS), path
    assert not any(w in str(anon) for w in SECRET_WORDS), path


@pytest.mark.parametrize("path", [
    "/api/v1/lineage/edges", "/api/v1/lineage/edges?granularity=ITEM",
    "/api/v1/lineage/edges?evidence=OBSERVED", "/api/v1/lineage/datasets",
    "/api/v1/lineage/datasets?registered=true"])
def test_observed_lineage_rest(doors, path):
    _probe(doors, path)


def test_observed_edges_keep_the_visible_flows(doors):
    """The run reading a hidden and a visible table keeps its visible edge (R-MZ-DB from
    R-GA-HK): the deletion takes out what touches the hidden, nothing more."""
    edges = _get(doors[0], "/api/v1/lineage/edges").json()["edges"]
    assert {("R-MZ-DB", "R-GA-HK"), ("R-YJ-FX", "R-GA-HK")} <= {(e["down"], e["up"])
                                                                 for e in edges}
    items = _get(doors[0], "/api/v1/lineage/edges?granularity=ITEM").json()["edges"]
    assert ("R-MZ-DB/公民身份号码", "R-GA-HK/公民身份号码") in {(e["down"], e["up"])
                                                         for e in items}


@pytest.mark.parametrize("items", [False, True])
def test_merging_per_flow_gives_the_grouped_answer(built, items):
    """observed_edges without anything deleted (one grouped query) and with an unrelated IRI
    deleted (one row per flow, merged in Python) agree."""
    plain = observed_edges(built, items=items)
    assert plain and observed_edges(built, items=items, without={"urn:x:nothing"}) == plain


def _ntriples(r) -> set[str]:
    return {line for line in r.text.splitlines() if line.strip()}


def test_export(doors):
    _probe(doors, "/export?format=ntriples", _ntriples)


def test_dcat(doors):
    def body(r) -> set[str]:
        return _ntriples(r)

    _probe(doors, "/dcat?format=ntriples", body)


@pytest.mark.parametrize("query", [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && CONTAINS(STR(?s), 'lineage/')) } "
    "ORDER BY ?s ?p ?o",
    "SELECT ?k WHERE { ?d <https://w3id.org/yishu/def#datasetKey> ?k } ORDER BY ?k",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
])
def test_sparql(doors, query):
    def rows(r) -> list:
        return [{k: v["value"] for k, v in b.items()}
                for b in json.loads(r.text)["results"]["bindings"]]

    full, deleted = doors
    path = "/sparql?format=json&query=" + query
    anon = rows(_get(full, "/sparql", params={"query": query, "format": "json"}))
    assert anon == rows(_get(deleted, "/sparql", params={"query": query, "format": "json"}))
    admin = rows(_get(full, "/sparql", admin=True, params={"query": query, "format": "json"}))
    assert admin != anon, path
    assert not any(w in str(anon) for w in SECRET_WORDS)


def test_graphql_observations(doors):
    q = ('{ lineage(node: "resource:R-MZ-DB", direction: BOTH, depth: 2, evidence: ANY) '
         '{ edges { source { code } target { code } evidence observation { jobs lastSeen } } } }')

    def ask(client, admin=False):
        r = client.post("/graphql", json={"query": q},
                        headers={"X-API-Key": ADMIN} if admin else {})
        assert r.status_code == 200 and "errors" not in r.json(), r.text[:400]
        edges = r.json()["data"]["lineage"]["edges"]
        return sorted(edges, key=lambda e: json.dumps(e, sort_keys=True))

    full, deleted = doors
    anon = ask(full)
    assert anon == ask(deleted)
    assert any(e["observation"] for e in anon)  # observed edges are there, with their jobs
    admin = ask(full, admin=True)
    assert "R-QWB-JW" in str(admin) and "R-QWB-JW" not in str(anon)


_TIMES = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


@pytest.mark.parametrize("path", [
    "/resource/R-MZ-DB", "/resource/R-MZ-DB/lineage.json?direction=BOTH&depth=3",
    "/resource/R-GA-HK/impact.json", "/department/YX-QWB", "/system/YX-S-YJ-FX",
    "/element/DE-0101", "/search?q=%E6%9C%BA%E8%A6%81", "/search.json?q=%E6%96%87%E7%94%B5",
    "/lineage.json?node=department:YX-ZFB&direction=UPSTREAM&depth=3", "/query"])
def test_pages(doors, path):
    """The web pages (what the policy view answers, rendered) are those of the deleted catalog;
    a hidden entity's page is the page of an unknown code."""
    full, deleted = doors

    def text(client, admin=False) -> tuple[int, str]:
        r = client.get(path, headers={"X-API-Key": ADMIN} if admin else {})
        body = re.sub(r'name="csrf[^"]*" value="[^"]*"', "", r.text)
        return r.status_code, _TIMES.sub("<t>", body)

    anon = text(full)
    assert anon == text(deleted), path
    assert not any(w in anon[1] for w in SECRET_WORDS if w != "机要"), path
