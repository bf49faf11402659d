"""Storage grows by the changed triples, not by copies; a refused load leaves no history entry;
compaction changes no as-of answer at or after its date."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from graph.history import HistoryError, stamped
from graph.store import CatalogStore
from loaders import TemplateError, load_path
from tests.history.files import at, load_history, set_field

RECORD = 12  # at most this many registry quads per version record


def _quads(store: CatalogStore) -> int:
    return sum(1 for _ in store.store.quads_for_pattern(None, None, None, None))


def test_storage_grows_by_the_changed_triples(tmp_path, history_files):
    s = CatalogStore(tmp_path / "s")
    (t1, _, v1), (t2, _, v2) = history_files[1], history_files[2]
    with stamped(t1):
        load_path(s, v1, "district")
    one = _quads(s)
    with stamped(t2):
        load_path(s, v2, "district")
    v = s.versions()[-1]
    assert 0 < v.added + v.removed < 100
    # the current graph changes by (added - removed); the deltas keep (added + removed)
    grown = one + (v.added - v.removed) + (v.added + v.removed)
    assert grown < _quads(s) <= grown + RECORD
    before = _quads(s)
    with stamped(at("2026-05-01")):
        load_path(s, v2, "district")  # the same files again: a version, nothing stored twice
    assert s.versions()[-1].added == s.versions()[-1].removed == 0
    assert _quads(s) <= before + RECORD
    total = _quads(s)
    s.close()
    reopened = CatalogStore(tmp_path / "s")  # the deltas survive reopening (not orphans)
    assert _quads(reopened) == total and len(reopened.versions()) == 3
    assert reopened.as_of(t1).export("ntriples") != reopened.export("ntriples")


def test_refused_loads_leave_no_history(tmp_path, history_files):
    s = CatalogStore(tmp_path / "s")
    t1, _, v1 = history_files[1]
    with stamped(t1):
        load_path(s, v1, "district")
    quads, versions = _quads(s), s.versions()
    broken = tmp_path / "broken"
    shutil.copytree(v1, broken)
    set_field(broken, "catalog.csv", "资源代码", "R-MZ-DB", "提供方部门编码", "NO-SUCH-DEPT")
    with stamped(at("2026-03-01")), pytest.raises(TemplateError):
        load_path(s, broken, "district")
    with stamped(at("2026-01-01")), pytest.raises(HistoryError) as e:  # earlier than the latest
        load_path(s, v1, "district")
    assert "早于" in str(e.value) and "earlier" in str(e.value)
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with stamped(tomorrow), pytest.raises(HistoryError) as e:  # has not happened yet
        load_path(s, v1, "district")
    assert e.value.code == "AT_IN_FUTURE" and "晚于当前时间" in str(e.value)
    assert s.versions() == versions and _quads(s) == quads


def test_removal_and_appends_are_versions(tmp_path, history_files):
    from pyoxigraph import Literal, NamedNode, Quad

    s = CatalogStore(tmp_path / "s")
    t1, _, v1 = history_files[1]
    with stamped(t1):
        load_path(s, v1, "district")
    with stamped(at("2026-02-01"), "观测"):
        s.append("observed", [Quad(NamedNode("urn:x:a"), NamedNode("urn:x:p"), Literal("1"))])
    with stamped(at("2026-03-01")):
        assert s.remove_source("district")
    ops = [(v.source, v.operation, v.added, v.removed) for v in s.versions()]
    assert ops[1:] == [("observed", "load", 0, 0), ("observed", "append", 1, 0),
                       ("district", "remove", 0, ops[0][2])]
    assert len(s.as_of(dt.date(2026, 2, 15))) == ops[0][2] + 1
    assert [x.name for x in s.as_of(dt.date(2026, 3, 2)).sources()] == ["observed"]


def _answers(store: CatalogStore, days) -> dict:
    from graph.oxigraph_engine import OxigraphGraph
    from shapes.audit import audit

    out = {}
    for day in days:
        past = store.as_of(day)
        g = OxigraphGraph(past)
        a = audit(past, as_of=day).as_dict()
        out[day] = (sorted(past.export("nquads").splitlines()), g.one_source_report(),
                    g.list("resource", first=200), a["scores"], a["figures"])
    return out


def test_compaction_changes_no_answer_at_or_after_its_date(tmp_path, history_files):
    s = CatalogStore(tmp_path / "s")
    load_history(s, history_files)
    cut = dt.date(2026, 5, 1)
    days = [cut, dt.date(2026, 5, 10), dt.date(2026, 6, 20), dt.date(2026, 8, 15)]
    before, quads, rows = _answers(s, days), _quads(s), s.versions()
    report = s.compact(cut)
    assert report.folded == 1 and report.graphs_dropped == 2 and report.quads_dropped > 0
    assert _quads(s) < quads
    s.close()
    s = CatalogStore(tmp_path / "s")
    assert _answers(s, days) == before
    after = s.versions()  # the audit trail stays: every row, the folded ones marked
    assert [(v.id, v.at, v.actor, v.added, v.removed) for v in after] == \
        [(v.id, v.at, v.actor, v.added, v.removed) for v in rows]
    assert [v.compacted for v in after] == [False, True, False, False, False]
    with pytest.raises(HistoryError) as e:
        s.as_of(dt.date(2026, 2, 15))  # the district's first version was folded away
    assert e.value.code == "COMPACTED"
    assert s.compact(cut).folded == 0  # compacting again changes nothing
