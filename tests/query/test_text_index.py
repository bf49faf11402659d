"""The search index (graph/text_index.py) answers exactly as the SPARQL scan it replaces: the same
hits for codes, names, synonyms, parts of them, any case, on the demo district and the dirty
lineage fixture; it follows loads and appends."""

from __future__ import annotations

import random

import pytest

from graph.oxigraph_engine import OxigraphGraph
from graph.query import ENTITY_KINDS
from graph.store import CatalogStore
from graph.text_index import TextIndex
from loaders import load_path
from tests.query.graphs import FIXTURES


def _scan(g: OxigraphGraph, monkeypatch, kinds, text):
    with monkeypatch.context() as m:
        m.setattr(TextIndex, "usable", staticmethod(lambda t: False))
        return g._match(kinds, {}, text)


def _texts(g: OxigraphGraph, n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    hits = g._match(list(ENTITY_KINDS), {}, None)
    words = [w for h in hits for w in (h.code, h.label or "", *h.synonyms) if w]
    out = ["局", "系统", "R-", "r-", "YX-MZ", "身份", "号码", "zzz-none", "DE-01", "信息", "a"]
    for w in rnd.sample(words, min(n, len(words))):
        i = rnd.randrange(len(w))
        out.append(w[i:i + rnd.randint(1, 4)].upper() if rnd.random() < 0.3 else w[i:i + 3])
    return out


@pytest.fixture(scope="module")
def dirty_graph() -> OxigraphGraph:
    s = CatalogStore()
    load_path(s, FIXTURES / "lineage", "lineage")
    load_path(s, FIXTURES / "dirty" / "dirty.ttl", "dirty")
    return OxigraphGraph(s)


@pytest.mark.parametrize("which", ["demo", "dirty"])
def test_the_index_finds_what_the_scan_finds(which, demo_store, dirty_graph, monkeypatch):
    g = OxigraphGraph(demo_store) if which == "demo" else dirty_graph
    for text in _texts(g, 120, 5):
        t = text.strip().lower()
        if not t:
            continue
        for kinds in (sorted(ENTITY_KINDS), ["element"], ["item", "resource"]):
            assert g._match(kinds, {}, t) == _scan(g, monkeypatch, kinds, t), (text, kinds)
    assert len(g._text_index()) > 0


def test_search_follows_loads(tmp_path):
    s = CatalogStore()
    load_path(s, FIXTURES / "small", "small")
    g = OxigraphGraph(s)
    assert [e.code for e in g.search("低保")] == ["RES-DB"]
    assert g.search("接口测试") == []
    s.remove_source("small")
    assert g.search("低保") == []
    load_path(s, FIXTURES / "small", "again")
    assert [e.code for e in g.search("低保")] == ["RES-DB"]


def test_separator_characters_fall_back_to_the_scan(demo_store, monkeypatch):
    g = OxigraphGraph(demo_store)
    for t in ("民\x1f政", "yx\x1e-mz"):
        assert not TextIndex.usable(t)
        assert g._match(list(ENTITY_KINDS), {}, t) == _scan(g, monkeypatch, list(ENTITY_KINDS), t)
        assert g.search(t) == []
