"""An upload mapped in a child process (loaders/offload.py) stores exactly what the in-process
load stores, refuses exactly as it does, resolves references to other sources through the
server, runs at a lower priority, and leaves the store untouched when the child fails."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from graph.store import CatalogStore
from loaders import TemplateError, load_path, load_upload, offload
from tests.loaders.csvs import BASE, SMALL, CsvFolder, dump_nquads


def _zip(folder: Path, only: set[str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.glob("*.csv")):
            if only is None or p.name in only:
                z.write(p, p.name)
    return buf.getvalue()


def _triples(store: CatalogStore) -> set:
    return {q.triple for g in store.current_graphs() for q in store.quads_in(g)}


def test_child_stores_what_the_in_process_load_stores():
    data = _zip(SMALL)
    here, there = CatalogStore(base=BASE), CatalogStore(base=BASE)
    a = load_upload(here, data, "small.zip", "small", in_child=False)
    b = load_upload(there, data, "small.zip", "small")
    assert b.triples == a.triples > 0
    assert (b.rows, b.warnings, b.encodings) == (a.rows, a.warnings, a.encodings)
    assert _triples(there) == _triples(here)
    again = load_upload(there, data, "small.zip", "small")  # a replacement: same catalog
    assert again.triples == a.triples and _triples(there) == _triples(here)
    assert [v.operation for v in there.versions("small")] == ["load", "load"]


def test_child_runs_at_a_lower_priority():
    store = CatalogStore(base=BASE)
    seen: list[int] = []
    result = offload.map_in_child(_zip(SMALL), "small.zip", BASE, lambda iri: None,
                                  lambda data, n: seen.append(n))
    assert result.niceness >= min(19, offload.CHILD_NICE)
    assert sum(seen) == result.triples > 0
    assert len(store) == 0


def test_refusal_is_the_same_located_error_and_stores_nothing(tmp_path):
    folder = CsvFolder(tmp_path / "bad")
    shutil.copytree(SMALL, folder.path)
    folder.set("catalog.csv", 2, "资源名称", "")  # required
    folder.set("catalog.csv", 3, "提供方部门编码", "D-NOWHERE")  # an unknown department
    folder.set("catalog.csv", 3, "发布日期", "2023-13-45")  # not a date
    data = _zip(folder.path)
    errors = []
    for in_child in (False, True):
        store = CatalogStore(base=BASE)
        load_path(store, SMALL, "bad")
        before = dump_nquads(store)
        with pytest.raises(TemplateError) as e:
            load_upload(store, data, "bad.zip", "bad", in_child=in_child)
        assert dump_nquads(store) == before  # the version written meanwhile was discarded
        errors.append([x.as_dict() for x in e.value.errors])
    assert errors[1] == errors[0] and errors[0]


def test_references_to_another_source_resolve_through_the_server(tmp_path):
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    shutil.copy(SMALL / "departments.csv", orgs)
    rest = {p.name for p in SMALL.glob("*.csv")} - {"departments.csv"}
    results = []
    for in_child in (False, True):
        store = CatalogStore(base=BASE)
        load_path(store, orgs, "orgs")
        report = load_upload(store, _zip(SMALL, rest), "rest.zip", "rest", in_child=in_child)
        results.append((report.triples, _triples(store)))
        # a code another source defines is refused, by name of that source
        with pytest.raises(TemplateError) as e:
            load_upload(store, _zip(SMALL, {"departments.csv"}), "again.zip", "again",
                        in_child=in_child)
        assert "orgs" in e.value.errors[0].en
    assert results[1] == results[0] and results[0][0] > 0


def test_a_child_that_dies_stores_nothing(monkeypatch):
    store = CatalogStore(base=BASE)
    load_path(store, SMALL, "small")
    before = dump_nquads(store)
    monkeypatch.setattr(offload, "CHILD_COMMAND", [sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(offload.LoadCrashed, match="exit 3|unexpectedly"):
        load_upload(store, _zip(SMALL), "small.zip", "small")
    assert dump_nquads(store) == before


def test_a_failing_write_kills_the_child_and_stores_nothing():
    store = CatalogStore(base=BASE)
    load_path(store, SMALL, "small")
    before = dump_nquads(store)

    def sink(data: bytes, n: int) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        offload.map_in_child(_zip(SMALL), "small.zip", BASE, lambda iri: None, sink)
    assert dump_nquads(store) == before


def test_not_a_zip_or_workbook_is_refused_before_any_child():
    with pytest.raises(TemplateError, match="upload a ZIP"):
        load_upload(CatalogStore(base=BASE), b"x", "catalog.csv", "x")
