"""Issue 15: a cursor from an older version of the catalog is refused on the Neo4j engine with the
same error as on Oxigraph (the projection's generation token, graph/cypher/generation.cypher),
whether the projection was synced by this process (``refresh``) or by another one (``yishu
sync``: seen within GENERATION_TTL)."""

from __future__ import annotations

import time

import neo4j
import pytest

from graph.neo4j import engine as neo4j_engine
from graph.neo4j.engine import Neo4jGraph
from graph.neo4j.projection import Neo4jProjection
from graph.oxigraph_engine import OxigraphGraph
from graph.query import QueryError
from tests.security.catalogs import LINEAGE, store_of, triples_of

TRIPLES = triples_of(LINEAGE)


def _stale_error(graph, change) -> tuple[str, str, str]:
    page = graph.list("resource", first=2)
    assert page.has_next and page.end_cursor
    assert graph.list("resource", first=2, after=page.end_cursor).items  # valid while unchanged
    change()
    with pytest.raises(QueryError) as e:
        graph.list("resource", first=2, after=page.end_cursor)
    return e.value.code, e.value.zh, e.value.en


@pytest.fixture
def neo(bolt_servers):
    srv = bolt_servers()
    driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
    yield driver
    driver.close()


def _changed(store) -> None:
    store.replace_source("case", TRIPLES[:-40])  # a new version: some statements fewer


def test_stale_cursor_refused_on_neo4j_as_on_oxigraph(neo):
    ox_store = store_of(TRIPLES)
    oxigraph = _stale_error(OxigraphGraph(ox_store), lambda: _changed(ox_store))
    assert oxigraph[0] == "BAD_CURSOR" and "已过期" in oxigraph[1] and "stale" in oxigraph[2]

    store = store_of(TRIPLES)
    Neo4jProjection(neo).rebuild(store)
    graph = Neo4jGraph(neo, store=store)

    def sync_here() -> None:
        _changed(store)
        graph.refresh()  # what the API does after an upload

    assert _stale_error(graph, sync_here) == oxigraph


def test_stale_cursor_after_another_process_synced(neo):
    store = store_of(TRIPLES)
    Neo4jProjection(neo).rebuild(store)
    graph = Neo4jGraph(neo, base=store.base)  # reads only: another process syncs

    def sync_elsewhere() -> None:
        _changed(store)
        Neo4jProjection(neo).sync(store)
        time.sleep(neo4j_engine.GENERATION_TTL + 0.05)

    code, zh, en = _stale_error(graph, sync_elsewhere)
    assert code == "BAD_CURSOR" and "已过期" in zh and "stale" in en


def test_unchanged_projection_keeps_cursors(neo):
    """A sync that changes nothing in the store still writes a token, but a cursor of the same
    generation is accepted for as long as nothing is written."""
    store = store_of(TRIPLES)
    Neo4jProjection(neo).rebuild(store)
    graph = Neo4jGraph(neo, base=store.base)
    page = graph.list("item", first=3)
    time.sleep(neo4j_engine.GENERATION_TTL + 0.05)  # read the token again: the same
    nxt = graph.list("item", first=3, after=page.end_cursor)
    assert nxt.items and {e.iri for e in nxt.items}.isdisjoint(e.iri for e in page.items)
