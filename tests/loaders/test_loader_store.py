"""Loads against a real on-disk Oxigraph store: all or nothing, idempotent, replacing, isolated
per source; export → import round trips; RDF files load straight in."""

from __future__ import annotations

import gc

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph.store import CatalogStore
from loaders import TemplateError, load_path
from tests.loaders.csvs import BASE, SMALL, dump_nquads

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own JSON-LD


def _graph(data: bytes, fmt: str) -> Graph:
    """The triples of an export, all graphs merged (the JSON-LD export names source graphs)."""
    ds = Dataset()
    ds.parse(data=data, format={"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld"}[fmt])
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


class FailingSwitch:
    """The real pyoxigraph store, except that the registry switch fails (a crash or a full
    disk between writing the new version and making it current)."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def update(self, *args, **kwargs):
        raise OSError("no space left on device")


@pytest.fixture
def disk_store(tmp_path):
    store = CatalogStore(tmp_path / "store", base=BASE)
    load_path(store, SMALL, "small")
    yield store


def test_failing_load_leaves_the_disk_store_exactly_as_before(disk_store, small_copy, tmp_path):
    before = dump_nquads(disk_store)
    assert before
    # a bad reload of the same source, and a bad new source
    small_copy.set("catalog.csv", 3, "敏感级别", "五级")
    small_copy.drop_row("departments.csv", 4)  # removes D-MZ: every reference to it fails
    with pytest.raises(TemplateError) as exc:
        load_path(disk_store, small_copy.path, "small")
    assert exc.value.total > 1
    with pytest.raises(TemplateError):
        load_path(disk_store, small_copy.path, "another")
    assert dump_nquads(disk_store) == before
    assert gc.isenabled()  # the collector, paused during a load, runs again after a refusal
    del exc  # its traceback holds the loader's frames, which hold the store open
    disk_store.close()
    gc.collect()
    reopened = CatalogStore(tmp_path / "store", base=BASE)
    assert dump_nquads(reopened) == before


def test_failure_while_writing_rolls_back(disk_store, small_copy):
    """A failure after the new version is written but before it is made current leaves the
    old catalog, with no trace of the new version."""
    before = dump_nquads(disk_store)
    small_copy.drop_row("items.csv", 6)
    real = disk_store.store
    disk_store.store = FailingSwitch(real)
    try:
        with pytest.raises(OSError):
            load_path(disk_store, small_copy.path, "small")
    finally:
        disk_store.store = real
    assert dump_nquads(disk_store) == before


def test_reload_is_idempotent(disk_store):
    assert gc.isenabled()  # and after a successful load
    n = len(disk_store)
    exported = disk_store.export("nquads")
    raw = len(dump_nquads(disk_store))
    load_path(disk_store, SMALL, "small")
    assert len(disk_store) == n
    assert disk_store.export("nquads") == exported
    # the old version is gone, not kept beside: only the new version's record is added (an
    # unchanged reload has no delta triples, docs/versions.md)
    assert raw < len(dump_nquads(disk_store)) <= raw + 12
    triples = disk_store.export("ntriples").decode().splitlines()
    assert len(triples) == len(set(triples)) == n


def test_reload_replaces_removed_rows(disk_store, small_copy):
    item = f"{BASE}item/RES-DB/%E6%95%91%E5%8A%A9%E9%87%91%E9%A2%9D"  # RES-DB/救助金额
    ask = "ASK { ?item a ?c }"
    assert disk_store.query(ask, item=item)
    small_copy.drop_row("items.csv", 6)
    report = load_path(disk_store, small_copy.path, "small")
    assert report.rows["items.csv"] == 4
    assert not disk_store.query(ask, item=item)
    assert not disk_store.select("SELECT ?item ?p ?o WHERE { ?item ?p ?o }", item=item)
    assert not disk_store.select("SELECT ?item ?s ?p WHERE { ?s ?p ?item }", item=item)


def test_replacing_one_source_leaves_others_untouched(disk_store, small_copy, tmp_path):
    other = tmp_path / "jt"
    other.mkdir()
    (other / "departments.csv").write_text(
        "部门编码,部门名称,上级部门编码,行政层级\nD-JT,示范区交通运输局,D-GOV,区县级\n",
        encoding="utf-8")
    load_path(disk_store, other, "jt")
    def jt_quads() -> list[str]:  # the quads in jt's version graph (not the registry's)
        return [q for q in dump_nquads(disk_store) if q.split(" ")[-2].startswith(
            f"<{disk_store.graph_of('jt')}/v/")]

    jt_before = jt_quads()
    assert len(jt_before) == 5
    small_copy.set("departments.csv", 2, "部门名称", "示范区政府")
    small_copy.drop_row("flows.csv", 2)
    load_path(disk_store, small_copy.path, "small")
    assert jt_quads() == jt_before
    assert disk_store.export("ntriples", source="jt").decode().count("\n") == 5
    assert {s.name: s.triples for s in disk_store.sources()}["jt"] == 5


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_export_import_round_trip_is_isomorphic(disk_store, fmt):
    data = disk_store.export(fmt)
    copy = CatalogStore(base=BASE)
    n = copy.load_rdf(data, fmt, "copy")
    assert n == len(disk_store)
    original = _graph(disk_store.export("ntriples"), "ntriples")
    assert isomorphic(_graph(copy.export("ntriples"), "ntriples"), original)
    assert isomorphic(_graph(data, fmt), original)


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "ntriples"),
                                        (".jsonld", "jsonld")])
def test_rdf_files_load_straight_into_the_store(disk_store, tmp_path, suffix, fmt):
    path = tmp_path / f"catalog{suffix}"
    path.write_bytes(disk_store.export(fmt))
    store = CatalogStore(tmp_path / "rdf-store", base=BASE)
    report = load_path(store, path)
    assert report.kind == "rdf" and report.source == "catalog"
    assert report.triples == len(disk_store)
    assert store.stats() == disk_store.stats()
    again = load_path(store, path)  # an RDF source is replaced too, not duplicated
    assert again.triples == len(store) == len(disk_store)


def test_rdf_syntax_error_is_a_load_error(tmp_path, mem_store):
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        load_path(mem_store, path)
    [e] = exc.value.errors
    assert e.file == "broken.ttl" and "RDF syntax error" in e.en and "RDF 语法错误" in e.zh
    assert len(mem_store) == 0
