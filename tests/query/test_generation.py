"""Appends (observed lineage, workflow steps) never add nor change a catalog entity, so the
listings' cursors, their cache and the search index outlive them; a load does not.

Before, every append changed the token those keyed on: a clerk filing a request or a job
reporting a run made every open listing cursor stale ("start again from the first page") and
threw the search index away (15 s to rebuild at city scale)."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from graph.base import CLASS_OF, FIELDS
from graph.model import Direction
from graph.oxigraph_engine import OxigraphGraph
from graph.query import QueryError
from graph.store import CatalogStore
from loaders import load_path
from loaders.openlineage import ingest
from ontology.namespaces import DCTERMS, RDF, RDFS, SKOS
from tests.lineage.events import declared_catalog, observed_catalog, run_event
from tests.workflow.history import history

_TYPE = NamedNode(RDF + "type")
_CATALOG_CLASSES = set(CLASS_OF.values())
# what defines a catalog entity in a listing or the search index: its kind, code, name, fields
_ENTITY_PREDICATES = ({RDF + "type", DCTERMS + "identifier", RDFS + "label", SKOS + "altLabel"}
                      | {f.pred for fs in FIELDS.values() for f in fs})


@pytest.fixture
def store(tmp_path) -> CatalogStore:
    s = CatalogStore(tmp_path / "store")
    observed_catalog(s, tmp_path)  # the small catalog and one observed run
    history(s)  # requests, replies and objections: appends to the workflow source
    return s


def test_appended_sources_hold_no_catalog_entity(store):
    """The invariant the token rests on, over every source that grew by appends."""
    catalog = {s.graph for s in store.sources() if s.name == "small"}
    appended = [s for s in store.sources() if s.graph not in catalog]
    assert {s.name for s in appended} >= {"openlineage"} and len(appended) >= 2, appended
    entities = {q.subject.value for q in store.match(None, _TYPE, None, store.current_graphs())
                if q.object.value in _CATALOG_CLASSES}
    assert entities
    for s in appended:
        for q in store.match(None, None, None, [NamedNode(s.version)]):
            assert not (q.predicate == _TYPE and q.object.value in _CATALOG_CLASSES), (s.name, q)
            assert not (q.subject.value in entities
                        and q.predicate.value in _ENTITY_PREDICATES), (s.name, q)


def test_a_listing_cursor_and_the_search_index_outlive_an_append(store, tmp_path):
    graph = OxigraphGraph(store)
    first = graph.list("item", first=2)
    assert first.has_next
    index = graph._text_index()
    before = graph.list("item", first=2, after=first.end_cursor)
    lineage = graph.lineage("resource:RES-HJ", direction=Direction.DOWNSTREAM, depth=3, first=1)

    ingest(store, [run_event("COMPLETE", "0190f5c4-2222-7aaa-8bbb-000000000009", columns=3)])

    after = graph.list("item", first=2, after=first.end_cursor)  # not stale
    assert [e.iri for e in after.items] == [e.iri for e in before.items]
    assert graph._text_index() is index  # not rebuilt
    assert lineage.end_cursor  # lineage answers do change with observed edges: it expires
    with pytest.raises(QueryError, match="stale cursor"):
        graph.lineage("resource:RES-HJ", direction=Direction.DOWNSTREAM, depth=3, first=1,
                      after=lineage.end_cursor)

    load_path(store, declared_catalog(tmp_path / "again"), "small")  # a load: both expire
    with pytest.raises(QueryError, match="stale cursor"):
        graph.list("item", first=2, after=first.end_cursor)
    assert graph._text_index() is not index
