"""Lineage, traceSource and impact by evidence (DECLARED, OBSERVED, ANY) on both engines.

The small catalog (``tests.lineage.events.observed_catalog``, also a conformance dataset)
declares RES-DB 低保对象信息 derived from RES-HJ 户籍人口信息 (上游资源代码) and
its items 身份证号 and 姓名 taken from RES-HJ (来源资源代码); 救助金额 names no source. One
completed run of the exchange job is seen copying HJ's table into DB's, with column lineage
身份证号 ← 公民身份号码 and 救助金额 ← 公民身份号码 (nothing for 姓名). By hand:

| edge / hop | DECLARED | OBSERVED | ANY |
|---|---|---|---|
| RES-HJ → RES-DB | DECLARED | OBSERVED | BOTH |
| 公民身份号码 → 身份证号 | DECLARED | OBSERVED | BOTH |
| 公民身份号码 → 救助金额 | — | OBSERVED | OBSERVED |
| 姓名 → 姓名 | DECLARED | — | DECLARED |
"""

from __future__ import annotations

import neo4j
import pytest

from graph.model import Direction, Evidence, Granularity
from graph.neo4j.engine import Neo4jGraph
from graph.neo4j.projection import Neo4jProjection
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from tests.lineage.events import observed_catalog

HJ_ID, DB_ID, DB_NAME, DB_AMOUNT, HJ_NAME = (
    "item:RES-HJ/公民身份号码", "item:RES-DB/身份证号", "item:RES-DB/姓名", "item:RES-DB/救助金额",
    "item:RES-HJ/姓名")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> CatalogStore:
    tmp = tmp_path_factory.mktemp("evidence")
    s = CatalogStore(tmp / "store")
    return observed_catalog(s, tmp)


@pytest.fixture(scope="module")
def engines(store, bolt_servers):
    srv = bolt_servers()
    driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
    Neo4jProjection(driver).rebuild(store)
    yield {"oxigraph": OxigraphGraph(store), "neo4j": Neo4jGraph(driver, base=store.base)}
    driver.close()


@pytest.fixture(params=["oxigraph", "neo4j"])
def g(request, engines):
    return engines[request.param]


def _edges(g, node: str, evidence: Evidence, gran=Granularity.RESOURCE, **kw) -> dict:
    lin = g.lineage(node, Direction.UPSTREAM, 3, gran, evidence=evidence, **kw)
    ref = {n.entity.iri: f"{n.entity.kind}:{n.entity.code}" for n in lin.nodes}
    return {(ref[e.source], ref[e.target], e.type): e.evidence for e in lin.edges
            if e.type in ("DERIVED_FROM", "ITEM_DERIVED_FROM")}


@pytest.mark.parametrize("evidence, expected", [
    (Evidence.DECLARED, "DECLARED"), (Evidence.OBSERVED, "OBSERVED"), (Evidence.ANY, "BOTH")])
def test_resource_lineage_carries_its_evidence(g, evidence, expected):
    assert _edges(g, "resource:RES-DB", evidence) == {
        ("resource:RES-HJ", "resource:RES-DB", "DERIVED_FROM"): expected}


def test_item_lineage_by_evidence(g):
    item = Granularity.ITEM
    assert _edges(g, DB_AMOUNT, Evidence.DECLARED, item) == {}
    assert _edges(g, DB_AMOUNT, Evidence.ANY, item) == {
        (HJ_ID, DB_AMOUNT, "ITEM_DERIVED_FROM"): "OBSERVED"}
    assert _edges(g, DB_ID, Evidence.ANY, item) == {(HJ_ID, DB_ID, "ITEM_DERIVED_FROM"): "BOTH"}
    assert _edges(g, DB_NAME, Evidence.ANY, item) == {
        (HJ_NAME, DB_NAME, "ITEM_DERIVED_FROM"): "DECLARED"}
    assert _edges(g, DB_NAME, Evidence.OBSERVED, item) == {}


def test_trace_source_follows_what_the_evidence_allows(g):
    declared = g.trace_source(DB_AMOUNT, Evidence.DECLARED)
    assert not declared.reached_authoritative and declared.break_code == "NO_SOURCE"
    observed = g.trace_source(DB_AMOUNT, Evidence.ANY)
    assert observed.reached_authoritative
    assert [(h.item.code, h.evidence) for h in observed.hops] == [
        ("RES-DB/救助金额", "OBSERVED"), ("RES-HJ/公民身份号码", None)]
    both = g.trace_source(DB_ID)  # ANY by default
    assert [h.evidence for h in both.hops] == ["BOTH", None]
    name = g.trace_source(DB_NAME, Evidence.OBSERVED)
    assert name.break_code == "NOT_OBSERVED" and "OpenLineage" in name.break_reason
    assert g.trace_source(DB_NAME, Evidence.DECLARED).hops[0].evidence == "DECLARED"


def test_impact_by_evidence(g):
    for evidence in Evidence:
        imp = g.impact("resource:RES-HJ", 3, evidence)
        assert [r.code for r in imp.resources] == ["RES-DB"], evidence
    observed_items = {i.code for i in g.impact(HJ_ID, 3, Evidence.OBSERVED).items}
    declared_items = {i.code for i in g.impact(HJ_ID, 3, Evidence.DECLARED).items}
    assert observed_items == {"RES-DB/身份证号", "RES-DB/救助金额"}
    assert declared_items == {"RES-DB/身份证号"}
    assert {i.code for i in g.impact(HJ_ID, 3).items} == observed_items | declared_items


@pytest.mark.parametrize("question", ["lineage", "lineage_item", "trace", "impact", "count"])
@pytest.mark.parametrize("evidence", list(Evidence))
def test_both_engines_answer_alike(engines, question, evidence):
    def ask(g):
        if question == "lineage":
            return g.lineage("resource:RES-DB", Direction.BOTH, 3, evidence=evidence)
        if question == "lineage_item":
            return g.lineage(DB_AMOUNT, Direction.BOTH, 3, Granularity.ITEM, evidence=evidence)
        if question == "trace":
            return g.trace_source("resource:RES-DB", evidence)
        if question == "count":
            return g.lineage_count("resource:RES-HJ", Direction.DOWNSTREAM, 3,
                                   Granularity.ITEM, evidence)
        return g.impact("resource:RES-HJ", 3, evidence)

    assert ask(engines["neo4j"]) == ask(engines["oxigraph"])


def test_a_bad_evidence_is_refused(g):
    from graph.query import QueryError

    with pytest.raises(QueryError) as e:
        g.lineage("resource:RES-DB", evidence="SEEN")
    assert e.value.code == "BAD_ARGUMENT" and "evidence" in str(e.value)


@pytest.fixture(scope="module")
def http(store):
    from fastapi.testclient import TestClient

    from api.access import AccessConfig
    from api.app import create_app
    from tests.api.catalog import ACCESS

    with TestClient(create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS)),
                    raise_server_exceptions=False) as c:
        yield c


def test_graphql_evidence_argument_and_fields(http):
    q = """{ ev: lineage(node: "resource:RES-DB", evidence: %s) { edges { type evidence
                 source { code } observation { jobs lastSeen } } }
             t: traceSource(node: "%s") { reachedAuthoritative hops { item { code } evidence } }
             i: impact(node: "%s", evidence: DECLARED) { items { code } } }"""
    body = http.post("/graphql", json={"query": q % ("ANY", DB_AMOUNT, HJ_ID)}).json()
    assert "errors" not in body, body
    derived = [e for e in body["data"]["ev"]["edges"] if e["type"] == "DERIVED_FROM"]
    assert derived == [{"type": "DERIVED_FROM", "evidence": "BOTH", "source": {"code": "RES-HJ"},
                        "observation": {"jobs": ["exchange/hj-to-mz"],
                                        "lastSeen": "2026-11-20T08:05:00Z"}}]
    provides = [e for e in body["data"]["ev"]["edges"] if e["type"] == "PROVIDES"]
    assert provides and all(e["evidence"] == "DECLARED" and e["observation"] is None
                            for e in provides)
    assert body["data"]["t"] == {"reachedAuthoritative": True, "hops": [
        {"item": {"code": "RES-DB/救助金额"}, "evidence": "OBSERVED"},
        {"item": {"code": "RES-HJ/公民身份号码"}, "evidence": None}]}
    assert body["data"]["i"]["items"] == [{"code": "RES-DB/身份证号"}]
    declared = http.post("/graphql", json={"query": q % ("DECLARED", DB_AMOUNT, HJ_ID)}).json()
    assert [e["evidence"] for e in declared["data"]["ev"]["edges"]
            if e["type"] == "DERIVED_FROM"] == ["DECLARED"]
    bad = http.post("/graphql", json={"query": q % ("SEEN", DB_AMOUNT, HJ_ID)}).json()
    assert bad["errors"] and "SEEN" in bad["errors"][0]["message"]


def test_the_lineage_picture_data_carries_evidence(http):
    r = http.get("/resource/RES-DB/lineage.json", params={"evidence": "OBSERVED"})
    assert r.status_code == 200 and r.json()["evidence"] == "OBSERVED"
    assert {e["evidence"] for e in r.json()["edges"] if e["type"] == "DERIVED_FROM"} == {
        "OBSERVED"}
    assert http.get("/resource/RES-DB/lineage.json",
                    params={"evidence": "SEEN"}).status_code == 422
