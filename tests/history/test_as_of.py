"""Every question asked of the catalog as of a date answers exactly as a fresh store loaded with
that date's files does (both through the public CatalogGraph and audit APIs)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.history import SHANGHAI, HistoryError
from graph.model import Direction, Granularity
from graph.oxigraph_engine import OxigraphGraph
from graph.query import ENTITY_KINDS, QueryError
from shapes.audit import audit
from tests.history.files import CLASSIFIED, fresh

DATES = [dt.date(2026, 1, 20), dt.date(2026, 2, 15), dt.date(2026, 5, 10), dt.date(2026, 6, 20),
         dt.date(2026, 8, 15)]


def _end(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.max, tzinfo=SHANGHAI)


def _answer(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except QueryError as e:  # not found (then), or not a question for that kind
        return (type(e).__name__, str(e))


def _questions(g: OxigraphGraph) -> dict[str, object]:
    out: dict[str, object] = {}
    for kind in ENTITY_KINDS:
        out[f"list {kind}"] = g.list(kind, first=200)
    out["list filtered"] = g.list("resource", filters={"sharingType": "有条件共享"}, first=200)
    for text in ("身份", "低保", "机要", "低保对象"):
        out[f"search {text}"] = g.search(text, first=50)
    for node in ("resource:R-MZ-DB", "resource:R-JC-RK", f"resource:{CLASSIFIED}",
                 "resource:R-MZ-NEW", "resource:RES-DB", "system:YX-S-SJ-ZF",
                 "item:R-JDGA-RK/公民身份号码"):
        out[f"get {node}"] = _answer(g.get, node)
        for direction in (Direction.UPSTREAM, Direction.DOWNSTREAM):
            out[f"lineage {node} {direction}"] = _answer(g.lineage, node, direction, 5)
            out[f"count {node} {direction}"] = _answer(g.lineage_count, node, direction, 5)
        out[f"lineage items {node}"] = _answer(g.lineage, node, Direction.UPSTREAM, 5,
                                               Granularity.ITEM)
        out[f"impact {node}"] = _answer(g.impact, node, 5)
        out[f"trace {node}"] = _answer(g.trace_source, node)
    out["trace item"] = _answer(g.trace_source, "item:R-MZ-DB/公民身份号码")
    for element in ("公民身份号码", "DE-0101", "身份证号", "姓名"):
        out[f"resolve {element}"] = _answer(g.resolve_source, element)
    out["one source"] = g.one_source_report()
    for dept in ("YX-MZ", "D-MZ", "YX-QWB"):
        out[f"one source {dept}"] = _answer(g.one_source_report, dept)
    return out


def _audit(store, day: dt.date) -> dict:
    d = audit(store, as_of=day).as_dict()
    for k in ("seconds", "timings"):
        d.pop(k, None)
    return d


@pytest.mark.parametrize("day", DATES, ids=str)
def test_every_question_as_of_equals_a_fresh_load(history, history_files, day):
    past = history.as_of(day)
    reference = fresh(history_files, _end(day))
    assert sorted(s.name for s in past.sources()) == sorted(s.name for s in reference.sources())
    assert len(past) == len(reference)
    assert past.stats() == reference.stats()
    assert past.export("ntriples") == reference.export("ntriples")
    got, want = _questions(OxigraphGraph(past)), _questions(OxigraphGraph(reference))
    assert got.keys() == want.keys()
    for key in want:
        assert got[key] == want[key], key
    assert _audit(past, day) == _audit(reference, day)  # scores, seed KPIs (figures), findings


def test_the_history_really_differs_between_dates(history, history_files):
    # guard: the dates above see different catalogs (else the test above proves little)
    exports = {day: history.as_of(day).export("ntriples") for day in DATES}
    assert len(set(exports.values())) == len(DATES)
    assert history.as_of(dt.date(2026, 1, 1)).sources() == []


def test_today_is_the_store_itself_and_as_of_is_cached(history):
    latest = history.as_of(dt.date(2030, 1, 1))
    assert sorted(latest.export("nquads").splitlines()) == sorted(
        history.export("nquads").splitlines())
    assert history.as_of(dt.date(2026, 8, 1)) is history.as_of(dt.date(2026, 8, 20))  # same set


def test_as_of_store_is_read_only(history):
    past = history.as_of(dt.date(2026, 2, 15))
    with pytest.raises(HistoryError) as e:
        past.replace_source("x", [])
    assert "只读" in str(e.value) and "read-only" in str(e.value)
    with pytest.raises(HistoryError):
        past.remove_source("district")


def test_versions_list_every_load_newest_last(history, history_files):
    vs = history.versions()
    assert [(v.at, v.source) for v in vs] == [(at, s) for at, s, _ in history_files]
    assert all(v.actor == "测试员" and v.operation == "load" for v in vs)
    assert [v.source for v in history.versions("small")] == ["small", "small"]
    assert vs[1].added == len(fresh(history_files, vs[1].at)) - 195  # the whole first district
    assert vs[2].added > 0 and vs[2].removed > 0
