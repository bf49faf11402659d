"""The delta of two versions is computed on Oxigraph's own N-Triples lines: the same answer as
sets of triples, with literals holding line breaks and quotes, and blank nodes that keep their
identity (in the delta written to the store and in the catalog as of a date)."""

from __future__ import annotations

import datetime as dt

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple

from graph.history import SHANGHAI, compute_delta, graph_lines, stamped, triples_of
from graph.store import CatalogStore

P = NamedNode("https://example.org/p")
Q = NamedNode("https://example.org/q")


def _triples(n: int, shift: int = 0):
    b = BlankNode("shared")
    out = [(NamedNode(f"https://example.org/s{i}"), P,
            Literal(f"值 {i + shift}\n第二行 \"引号\" \\ \r", language="zh")) for i in range(n)]
    out += [(NamedNode("https://example.org/s0"), Q, b), (b, P, Literal(f"blank {shift}")),
            (b, Q, Literal("same"))]
    return out


def test_compute_delta_equals_the_set_difference():
    store = Store()
    g1, g2 = NamedNode("https://example.org/g1"), NamedNode("https://example.org/g2")
    old, new = _triples(50), _triples(50, shift=3)
    store.extend(Quad(s, p, o, g1) for s, p, o in old)
    store.extend(Quad(s, p, o, g2) for s, p, o in new)
    added, removed = compute_delta(store, g1, g2)
    as_set = {q.triple for q in store.quads_for_pattern(None, None, None, g2)}
    was = {q.triple for q in store.quads_for_pattern(None, None, None, g1)}
    assert set(added) == as_set - was and set(removed) == was - as_set
    assert len(added) == len(removed) == 51  # every value shifted, and the blank node's
    assert any(t.subject == BlankNode("shared") for t in added)  # identity kept, not renamed
    assert set(triples_of(graph_lines(store, g1))) == was


def test_as_of_keeps_blank_nodes_and_literals(tmp_path):
    store = CatalogStore(tmp_path / "s")
    for month, shift in ((1, 0), (2, 3), (3, 5)):
        with stamped(dt.datetime(2026, month, 10, tzinfo=SHANGHAI), "测试"):
            store.replace_source("src", [Triple(*t) for t in _triples(20, shift)])
    for month, shift in ((1, 0), (2, 3), (3, 5)):
        past = store.as_of(dt.date(2026, month, 20))
        got = {q.triple for q in past.store.quads_for_pattern(None, None, None, None)
               if q.graph_name != past.registry}
        fresh = Store()
        fresh.extend(Quad(s, p, o) for s, p, o in _triples(20, shift))
        want = {q.triple for q in fresh}
        assert got == want


def test_as_of_many_equals_one_by_one(tmp_path):
    """Several dates built together (each current graph read once) give the catalogs built one
    by one — also when an append to the current graph came between them."""
    store = CatalogStore(tmp_path / "s")
    for month, shift in ((1, 0), (2, 3), (3, 5)):
        with stamped(dt.datetime(2026, month, 10, tzinfo=SHANGHAI), "测试"):
            store.replace_source("src", [Triple(*t) for t in _triples(20, shift)])
    dates = [dt.date(2026, 1, 20), dt.date(2026, 2, 20), dt.date(2026, 3, 20)]

    def content(s):
        return {q.triple for q in s.store.quads_for_pattern(None, None, None, None)
                if q.graph_name != s.registry}

    together = [content(s) for s in store.as_of_many(dates)]
    store.as_of_cache.clear()
    assert together == [content(store.as_of(d)) for d in dates]
    assert len({frozenset(c) for c in together}) == 3
    with stamped(dt.datetime(2026, 4, 1, tzinfo=SHANGHAI), "测试"):
        store.append("src", [(NamedNode("https://example.org/new"), P, Literal("追加"))])
    store.as_of_cache.clear()
    latest = store.as_of_many([dt.date(2026, 3, 20), dt.date(2026, 4, 20)])
    assert content(latest[0]) == together[2]
    assert content(latest[1]) == together[2] | {Triple(NamedNode("https://example.org/new"), P,
                                                        Literal("追加"))}


def test_reading_a_version_by_predicate_gives_the_dump_lines(tmp_path):
    from graph.asof import read_lines

    store = CatalogStore(tmp_path / "s")
    store.replace_source("plain", [Triple(*t) for t in _triples(30)[:-3]])  # no blank node
    store.replace_source("blank", [Triple(*t) for t in _triples(10)])
    for g in store.current_graphs():
        dumped = graph_lines(store.store, g)
        read = read_lines(store, g)
        assert sorted(read) == sorted(dumped) and len(read) == len(dumped) > 0
