"""The store's source versions: one visible version per source, no orphans, read-only reading."""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from graph.store import CatalogStore
from loaders import load_path
from tests.common import SMALL


def _graphs(store: CatalogStore) -> set[str]:
    return {g.value for g in store.store.named_graphs() if isinstance(g, NamedNode)}


def test_reload_keeps_one_version_and_the_registry(tmp_path):
    s = CatalogStore(tmp_path / "s")
    load_path(s, SMALL, "small")
    first = s.current_versions()
    load_path(s, SMALL, "small")
    second = s.current_versions()
    assert first.keys() == second.keys() and first != second
    assert _graphs(s) == {s.registry.value, *second.values()}
    assert [(i.name, i.triples) for i in s.sources()] == [("small", 195)]
    assert len(s) == 195


def test_orphan_version_of_an_interrupted_load_is_dropped_on_open(tmp_path):
    s = CatalogStore(tmp_path / "s")
    load_path(s, SMALL, "small")
    # an interrupted load: quads written to a version that was never activated
    orphan = s.new_version("small")
    quads = list(s.store.quads_for_pattern(None, None, None, s.current_graphs()[0]))
    s.writer(orphan).put([Quad(q.subject, q.predicate, q.object, orphan) for q in quads[:10]])
    assert orphan.value in _graphs(s)
    assert len(s) == 195  # invisible
    s.close()
    reopened = CatalogStore(tmp_path / "s")
    assert orphan.value not in _graphs(reopened)
    assert len(reopened) == 195


def test_read_only_store_reads_and_closes(tmp_path):
    s = CatalogStore(tmp_path / "s")
    load_path(s, SMALL, "small")
    s.close()
    r = CatalogStore(tmp_path / "s", read_only=True)
    assert len(r) == 195
    assert r.stats()["ys:DataResource"] == 2
    r.close()
