"""The Neo4j projection against a real Bolt server (FalkorDB): counts equal the RDF, per-source
sync replaces one source only, cross-source relationships survive, rebuild is idempotent."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

from graph.neo4j.dialect import Dialect, pack, packed_size, schema_statements
from graph.neo4j.mapping import KIND_LABELS, REL_TYPES, project_source
from graph.neo4j.projection import Neo4jProjection, SyncDiff
from graph.store import CatalogStore
from loaders import load_path
from ontology.namespaces import RDF

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
B = "https://data.yishu.example/"


@pytest.fixture
def bolt(bolt_servers):
    srv = bolt_servers()
    driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
    yield driver
    driver.close()
    srv.stop()


def _q(driver, query: str, **params):
    with driver.session() as s:
        return s.run(query, params).data()


def _rdf_counts(store: CatalogStore) -> tuple[dict[str, int], dict[str, int]]:
    """Entities per label and reference triples per relationship type, straight from the RDF."""
    nodes = {lb: 0 for lb in KIND_LABELS.values()}
    from loaders.spec import FILES

    label_of = {f.cls: KIND_LABELS[f.kind] for f in FILES}
    for row in store.select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF}type> ?c }} "
                            "GROUP BY ?c"):
        if row["c"] in label_of:
            nodes[label_of[row["c"]]] = int(row["n"])  # type: ignore[arg-type]
    rels = {t: 0 for t in set(REL_TYPES.values())}
    for pred, t in REL_TYPES.items():
        n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{pred}> ?o . "
                         "FILTER(isIRI(?o)) } }")[0]["n"]
        rels[t] += int(n)  # type: ignore[arg-type]
    return nodes, rels


def _counts(proj: Neo4jProjection) -> tuple[dict[str, int], dict[str, int]]:
    c = proj.counts()
    return ({k: v for k, v in c.items() if k in KIND_LABELS.values()},
            {k: v for k, v in c.items() if k not in KIND_LABELS.values()})


def _two_sources() -> CatalogStore:
    """The small fixture plus a second source whose resource derives from one of small's and
    whose flow points back at small's resource: cross-source relationships both ways."""
    s = CatalogStore()
    load_path(s, SMALL, "small")
    _load_other(s, "二号资源")
    return s


def _load_other(s: CatalogStore, name: str) -> None:
    from loaders.readers import read_template

    tmp = Path(__import__("tempfile").mkdtemp())
    (tmp / "departments.csv").write_text(
        "部门编码,部门名称,行政层级\nD-OTHER,另一部门,区县级\n", encoding="utf-8")
    (tmp / "catalog.csv").write_text(
        "资源代码,资源名称,提供方部门编码,共享类型,上游资源代码\n"
        f"RES-OTHER,{name},D-OTHER,无条件共享,RES-HJ\n", encoding="utf-8")
    (tmp / "items.csv").write_text(
        "资源代码,信息项名称,来源资源代码\nRES-OTHER,姓名,RES-HJ\n", encoding="utf-8")
    assert read_template(tmp)
    load_path(s, tmp, "other")


def test_counts_equal_the_rdf_and_rebuild_is_idempotent(bolt, demo_store):
    proj = Neo4jProjection(bolt, batch_size=500)
    assert proj.dialect == Dialect.FALKORDB
    first = proj.rebuild(demo_store)
    nodes, rels = _rdf_counts(demo_store)
    assert _counts(proj) == (nodes, rels)
    assert first.nodes == sum(nodes.values()) and first.relationships == sum(rels.values())
    assert sum(nodes.values()) > 500 and sum(rels.values()) > 1000
    props = _q(bolt, "MATCH (n:Entity) RETURN n.iri AS iri, properties(n) AS p ORDER BY n.iri")
    proj.rebuild(demo_store)
    assert _counts(proj) == (nodes, rels)
    assert _q(bolt, "MATCH (n:Entity) RETURN n.iri AS iri, properties(n) AS p "
                    "ORDER BY n.iri") == props
    proj.sync(demo_store)  # a plain sync over an up-to-date projection changes nothing
    assert _counts(proj) == (nodes, rels)
    # no stubs, every node and relationship names its source
    assert _q(bolt, "MATCH (n:Entity) WHERE n.source IS NULL RETURN count(n) AS n")[0]["n"] == 0
    assert _q(bolt, "MATCH ()-[r]->() WHERE r.source <> 'demo-district' OR r.source IS NULL "
                    "RETURN count(r) AS n")[0]["n"] == 0


def test_node_properties(bolt, small_store):
    proj = Neo4jProjection(bolt)
    proj.rebuild(small_store)
    (row,) = _q(bolt, "MATCH (n:DataResource {iri: $iri}) RETURN properties(n) AS p, labels(n) AS l",
                iri=B + "resource/RES-DB")
    p = row["p"]
    assert sorted(row["l"]) == ["DataResource", "Entity"]
    assert p["code"] == "RES-DB" and p["label"] == "低保对象信息" and p["source"] == "small"
    assert p["sharingType"] == "有条件共享"
    assert p["sharingType_iri"] == "https://w3id.org/yishu/code/SharingType/conditional"
    assert p["classified"] is False and p["issued"] == "2023-06-30"
    assert p["derivedFrom"] == [B + "resource/RES-HJ"]
    assert _q(bolt, "MATCH (:DataResource {code: 'RES-DB'})-[r:DERIVED_FROM]->(u:DataResource) "
                    "RETURN u.code AS u, r.source AS s") == [{"u": "RES-HJ", "s": "small"}]


def test_incremental_sync_replaces_one_source_only(bolt):
    store = _two_sources()
    proj = Neo4jProjection(bolt, batch_size=3)
    proj.rebuild(store)
    small_before = proj.counts("small")
    small_props = _q(bolt, "MATCH (n:Entity {source: 'small'}) RETURN n.iri AS i, properties(n) "
                           "AS p ORDER BY n.iri")
    cross = ("MATCH (:DataResource {code: 'RES-OTHER'})-[r:DERIVED_FROM]->(:DataResource "
             "{code: 'RES-HJ'}) RETURN r.source AS s")
    assert _q(bolt, cross) == [{"s": "other"}]
    assert _q(bolt, "MATCH (:InformationItem {code: 'RES-OTHER/姓名'})-[:TAKEN_FROM]->(r) "
                    "RETURN r.code AS c") == [{"c": "RES-HJ"}]

    # an unchanged source writes nothing
    same = proj.sync(store)
    assert same.written == SyncDiff() and same.nodes == 18 + 3

    # reload "other" with a new name; sync only it: one node rewritten, nothing else
    _load_other(store, "二号资源（新）")
    report = proj.sync(store, ["other"])
    assert report.sources == ["other"]
    assert report.written == SyncDiff(nodes_written=1)
    assert _q(bolt, "MATCH (n:DataResource {code: 'RES-OTHER'}) RETURN n.label AS l") == [
        {"l": "二号资源（新）"}]
    assert proj.counts("small") == small_before
    assert _q(bolt, "MATCH (n:Entity {source: 'small'}) RETURN n.iri AS i, properties(n) AS p "
                    "ORDER BY n.iri") == small_props
    assert _q(bolt, cross) == [{"s": "other"}]

    # re-sync the other side of the cross-source edge: it survives
    proj.sync(store, ["small"])
    assert _q(bolt, cross) == [{"s": "other"}]
    assert proj.counts("small") == small_before
    assert _counts(proj) == _rdf_counts(store)

    # small disappears from the store: its nodes that "other" points at stay as bare stubs
    store.remove_source("small")
    proj.sync(store)
    stub = _q(bolt, "MATCH (n:Entity {iri: $iri}) RETURN properties(n) AS p, labels(n) AS l",
              iri=B + "resource/RES-HJ")
    assert stub == [{"p": {"iri": B + "resource/RES-HJ"}, "l": ["Entity"]}]
    assert _q(bolt, cross.replace(":DataResource {code: 'RES-HJ'}", ":Entity")) == [{"s": "other"}]
    assert proj.sources() == ["other"]
    assert _counts(proj) == _rdf_counts(store)

    # and small coming back turns the stub into the full node again, edge intact
    load_path(store, SMALL, "small")
    proj.sync(store, ["small"])
    assert _q(bolt, cross) == [{"s": "other"}]
    assert proj.counts("small") == small_before
    assert _counts(proj) == _rdf_counts(store)

    # removing other leaves no orphan stubs
    store.remove_source("other")
    proj.sync(store)
    assert _q(bolt, "MATCH (n:Entity) WHERE n.source IS NULL RETURN count(n) AS n")[0]["n"] == 0
    assert _counts(proj) == _rdf_counts(store)


def test_schema_runs_and_is_idempotent(bolt):
    proj = Neo4jProjection(bolt)
    created = proj.ensure_schema()
    assert len(created) == len(schema_statements(Dialect.FALKORDB))
    assert proj.ensure_schema() == []  # FalkorDB: existing indexes are skipped
    idx = _q(bolt, "CALL db.indexes() YIELD label, properties RETURN label, properties")
    have = {(r["label"], p) for r in idx for p in r["properties"]}
    assert ("Entity", "iri") in have and ("Entity", "source") in have
    assert ("DataResource", "code") in have and ("PROVIDER", "source") in have


def test_neo4j_schema_statements():
    stmts = schema_statements(Dialect.NEO4J)
    assert stmts[0] == ("CREATE CONSTRAINT yishu_entity_iri IF NOT EXISTS FOR (n:Entity) "
                        "REQUIRE n.iri IS UNIQUE")
    assert all("IF NOT EXISTS" in s for s in stmts)
    assert "CREATE INDEX yishu_rel_DERIVED_FROM_source IF NOT EXISTS FOR ()-[r:DERIVED_FROM]-() " \
           "ON (r.source)" in stmts
    assert len(stmts) == 3 + 2 * len(KIND_LABELS) + len(set(REL_TYPES.values()))


def test_batches_respect_the_message_budget():
    rows = [{"iri": f"{B}resource/R-{i}", "label": "名" * (i % 50)} for i in range(500)]
    batches = list(pack(rows, 100, 3000))
    assert [r for b in batches for r in b] == rows
    assert all(packed_size(b) <= 3000 for b in batches)
    assert all(len(b) <= 100 for b in pack(rows, 100, None))


def test_project_source_unknown_is_empty(small_store):
    p = project_source(small_store, "nope")
    assert p.node_count == 0 and p.rel_count == 0
    p = project_source(small_store, "small")
    assert p.node_count == 18 and "DataResource" in p.nodes


def test_engine_refresh_follows_the_store(bolt):
    from graph.neo4j.engine import Neo4jGraph
    from graph.query import NotFound

    store = CatalogStore()
    load_path(store, SMALL, "small")
    Neo4jProjection(bolt).rebuild(store)
    graph = Neo4jGraph(bolt, store=store)
    with pytest.raises(NotFound):
        graph.get("resource:RES-OTHER")
    _load_other(store, "二号资源")  # what an API upload does to the store
    graph.refresh()
    assert graph.get("resource:RES-OTHER").label == "二号资源"
    assert graph.get("resource:RES-OTHER").fields["derivedFrom"] == [B + "resource/RES-HJ"]


def test_node_larger_than_one_falkordb_statement(bolt, tmp_path):
    """A resource whose properties together pass FalkorDB's statement limit is written a few
    properties at a time; one property alone past the limit is refused with a clear error."""
    (tmp_path / "departments.csv").write_text("部门编码,部门名称,行政层级\nD-L,长部门,区县级\n",
                                              encoding="utf-8")
    long_abstract = "摘要" * 500  # 3,000 bytes
    long_scenario = "场景" * 300  # 1,800 bytes
    (tmp_path / "catalog.csv").write_text(
        "资源代码,资源名称,提供方部门编码,共享类型,资源摘要,应用场景\n"
        f"R-LONG,长资源,D-L,无条件共享,{long_abstract},{long_scenario}\n", encoding="utf-8")
    store = CatalogStore()
    load_path(store, tmp_path, "long")
    proj = Neo4jProjection(bolt)
    proj.rebuild(store)
    (row,) = _q(bolt, "MATCH (n:DataResource {code: 'R-LONG'}) RETURN properties(n) AS p")
    assert row["p"]["description"] == long_abstract and row["p"]["scenario"] == long_scenario
    assert _counts(proj) == _rdf_counts(store)

    (tmp_path / "catalog.csv").write_text(
        "资源代码,资源名称,提供方部门编码,共享类型,资源摘要\n"
        f"R-LONG,长资源,D-L,无条件共享,{'摘要' * 700}\n", encoding="utf-8")
    load_path(store, tmp_path, "long")
    with pytest.raises(ValueError, match="Bolt message limit"):
        proj.sync(store, ["long"])
