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


def test_append_counts_only_new_triples_across_reopening(tmp_path):
    """append's in-memory index of a version's triples agrees with the store: the same triples
    again add nothing, in this process or after reopening (when the index is rebuilt from the
    store, which keeps typed literals and language tags in canonical form)."""
    from pyoxigraph import Literal

    x = "https://example.org/x/"
    dt = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    triples = [(NamedNode(x + "a"), NamedNode(x + "at"), Literal("2026-11-20T09:00:00+00:00",
                                                                 datatype=dt)),
               (NamedNode(x + "a"), NamedNode(x + "label"), Literal("甲", language="zh-CN")),
               (NamedNode(x + "a"), NamedNode(x + "name"), Literal("a"))]
    s = CatalogStore(tmp_path / "s")
    assert s.append("log", triples) == 3
    assert s.append("log", triples[:1] + [Quad(*triples[1], NamedNode(x + "g"))]) == 0
    assert s.append("log", [(NamedNode(x + "b"), NamedNode(x + "name"), Literal("b"))]) == 1
    s.close()
    s = CatalogStore(tmp_path / "s")
    assert s.append("log", triples) == 0
    assert s.append("log", [(NamedNode(x + "c"), NamedNode(x + "name"), Literal("c"))]) == 1
    assert [i.triples for i in s.sources() if i.name == "log"] == [5]
    assert len(list(s.match())) == 5
