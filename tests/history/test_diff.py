"""diff(from, to) equals the difference computed from the two sets of files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.diff import catalog_diff
from graph.model import SourceStatus
from graph.oxigraph_engine import OxigraphGraph
from tests.history.files import fresh, read

# file -> (kind, key columns)
KEYS = {"departments.csv": ("department", ("部门编码",)),
        "data_elements.csv": ("element", ("数据元编码",)),
        "responsibilities.csv": ("responsibility", ("事项编码",)),
        "systems.csv": ("system", ("系统编码",)),
        "catalog.csv": ("resource", ("资源代码",)),
        "items.csv": ("item", ("资源代码", "信息项名称")),
        "sharing.csv": ("request", ("需求编号",)),
        "flows.csv": ("flow", ("流编号",))}


def _rows(folders: list[Path]) -> dict[tuple[str, str], dict[str, str]]:
    out = {}
    for folder in folders:
        for name, (kind, key) in KEYS.items():
            for r in read(folder, name)[1]:
                out[(kind, "/".join(r[k] for k in key))] = r
    return out


def _folders(versions, when: dt.datetime) -> list[Path]:
    latest: dict[str, Path] = {}
    for at, source, folder in versions:
        if at <= when:
            latest[source] = folder
    return list(latest.values())


def _expected(versions, a: dt.datetime, b: dt.datetime) -> set[tuple[str, str, str]]:
    old, new = _rows(_folders(versions, a)), _rows(_folders(versions, b))
    out = {(k, c, "added") for k, c in new.keys() - old.keys()}
    out |= {(k, c, "removed") for k, c in old.keys() - new.keys()}
    out |= {(k, c, "changed") for k, c in old.keys() & new.keys() if old[(k, c)] != new[(k, c)]}
    return out


def _flows(versions, when) -> dict[str, dict[str, str]]:
    return {r["流编号"]: r for f in _folders(versions, when) for r in read(f, "flows.csv")[1]}


PAIRS = [(1, 2), (2, 4), (1, 4), (0, 4), (3, 3)]


def test_diff_equals_the_difference_of_the_files(history, history_files):
    times = [at for at, _, _ in history_files]
    for i, j in PAIRS:
        a, b = times[i], times[j]
        d = catalog_diff(history.as_of(a), history.as_of(b))
        got = {(c.kind, c.code, c.change) for c in d.entities}
        assert got == _expected(history_files, a, b), (i, j)
        # flows added or removed carry exactly their FLOW* lineage edges
        fa, fb = _flows(history_files, a), _flows(history_files, b)
        gone = {f"{history.base}flow/{code}" for code in fa.keys() - fb.keys()}
        came = {f"{history.base}flow/{code}" for code in fb.keys() - fa.keys()}
        assert {e.via for e in d.edges if e.change == "removed" and e.via} == gone
        assert {e.via for e in d.edges if e.change == "added" and e.via} == came
        # one-source statuses: as fresh stores of the two file sets resolve them
        old = OxigraphGraph(fresh(history_files, a)).one_source_report().resolutions
        new = OxigraphGraph(fresh(history_files, b)).one_source_report().resolutions
        so = {r.element.code: r.status for r in old}
        sn = {r.element.code: r.status for r in new}
        want = {(c, so.get(c), sn.get(c)) for c in so.keys() | sn.keys() if so.get(c) != sn.get(c)}
        assert {(s.element, s.old and SourceStatus(s.old), s.new and SourceStatus(s.new))
                for s in d.statuses} == want


def test_diff_fields_old_and_new_and_grouping(history, history_files):
    times = [at for at, _, _ in history_files]
    d = catalog_diff(history.as_of(times[3]), history.as_of(times[4]))
    assert ("DE-0101", "RESOLVED", "MISSING") in {(s.element, s.old, s.new) for s in d.statuses}
    item = next(c for c in d.entities if c.kind == "item" and c.change == "changed")
    assert [(f.field, f.old, f.new) for f in item.fields] == [("authoritative", True, False)]
    assert item.department == "JD-GAT"  # its resource's provider
    groups = d.groups()
    assert "system" in groups["YX-SJ"] and groups["YX-SJ"]["system"][0].fields[0].field == "label"
    only = catalog_diff(history.as_of(times[3]), history.as_of(times[4]), "YX-SJ")
    assert {c.department for c in only.entities} == {"YX-SJ"}
    assert catalog_diff(history.as_of(times[4]), history.as_of(times[4])).entities == []
