"""The bulletin of two stores loaded from two hand-made file sets has exactly the movers written
by hand in ``catalogs.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from shapes.bulletin import build, compare, ranks
from shapes.quarter import Quarter, QuarterError

from .catalogs import quarter_before, quarter_now

Q3 = Quarter(2026, 3)


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bulletin")
    return build(quarter_before().build(tmp / "before"), quarter_now().build(tmp / "now"), Q3)


def keys(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.focus_ref) for f in findings}


def test_quarters():
    q = Quarter.parse("2026Q3")
    assert (q, q.previous(), q.next()) == (Q3, Quarter(2026, 2), Quarter(2026, 4))
    assert Quarter.parse("2026-q1").previous() == Quarter(2025, 4)
    assert (q.start, q.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert q.end_instant.isoformat() == "2026-09-30T23:59:59.999999+08:00"
    assert q.end_instant.astimezone(dt.UTC).isoformat() == "2026-09-30T15:59:59.999999+00:00"
    assert (q.zh, q.en, str(q)) == ("2026年第三季度", "Q3 2026", "2026Q3")
    assert Quarter.of(dt.date(2026, 12, 31)) == Quarter(2026, 4)
    for bad in ("2026Q5", "Q3", "2026", "", "2026Q3x"):
        with pytest.raises(QuarterError, match="2026Q3"):
            Quarter.parse(bad)


def test_ranks_are_competition_ranks():
    assert ranks({"a": 90.0, "b": 95.5, "c": 90.0, "d": 80.0, "e": None}) == \
        {"b": 1, "a": 2, "c": 2, "d": 4}


def test_movers_written_by_hand(bulletin):
    assert bulletin.quarter == Q3 and bulletin.previous == Quarter(2026, 2)
    assert (bulletin.as_of_before, bulletin.as_of_now) == (dt.date(2026, 6, 30),
                                                            dt.date(2026, 9, 30))
    assert bulletin.district == "示范区"
    assert bulletin.movers() == {"up": ["D-MZ"], "down": ["D-GA", "D-JY"], "level": ["D-GOV"],
                                 "new": [], "gone": []}
    mz, ga, jy, gov = (bulletin.department(c) for c in ("D-MZ", "D-GA", "D-JY", "D-GOV"))
    # 民政局 improves: SHR-001 fixed, back to 100 and to the top
    assert keys(mz.fixed) == {("SHR-001", "resource:RES-DB")} and mz.new == []
    assert mz.score_before < 90 and mz.score_now == 100.0
    assert (mz.rank_before, mz.rank_now, mz.rank_change) == (4, 1, 3)
    # 公安分局 gets worse: SHR-003 and an overdue request (REQ-002), nothing fixed
    assert keys(ga.new) == {("SHR-003", "resource:RES-HJ"), ("REQ-002", "request:REQ-3")}
    assert ga.fixed == [] and ga.recollections == []
    assert ga.score_before == 100.0 and ga.score_now < jy.score_now < 90
    assert (ga.rank_before, ga.rank_now, ga.rank_change) == (1, 4, -3)
    # 教育局 adds a re-collection
    assert keys(jy.new) == keys(jy.recollections) == keys(jy.recollections_new) == \
        {("ODS-004", "item:RES-JY/学生身份证号")}
    assert (jy.rank_before, jy.rank_now) == (1, 3)
    # 人民政府: level
    assert (gov.score_before, gov.score_now, gov.rank_change, gov.new, gov.fixed) == \
        (100.0, 100.0, 0, [], [])
    assert [d.code for d in bulletin.departments] == ["D-GOV", "D-MZ", "D-JY", "D-GA"]


def test_kpis_and_rules(bulletin):
    ga = bulletin.department("D-GA")
    share = next(k for k in ga.kpis if k.key == "on_demand_sharing")
    assert (share.before.numerator, share.before.denominator) == (1, 1)
    assert (share.now.numerator, share.now.denominator) == (1, 3)
    assert share.change == pytest.approx(-2 / 3) and share.meets_before and not share.meets_now
    assert [k.key for k in ga.kpis_missed()] == ["on_demand_sharing", "answered_within_minute"]
    # every rule the audit reports is counted, whatever it is (REQ-002: overdue requests)
    assert [(r.rule, r.before, r.now, r.new, r.fixed) for r in ga.rules] == \
        [("SHR-003", 0, 1, 1, 0), ("REQ-002", 0, 1, 1, 0)]
    mz = bulletin.department("D-MZ")
    assert [(r.rule, r.before, r.now, r.new, r.fixed) for r in mz.rules] == \
        [("SHR-001", 1, 0, 0, 1)]


def test_summary(bulletin):
    s = bulletin.summary
    assert (s.departments, s.up, s.down, s.level, s.entered, s.left) == (4, 1, 2, 1, 0, 0)
    assert s.counts_before == {"Violation": 1, "Warning": 0, "Info": 0}
    assert s.counts_now == {"Violation": 2, "Warning": 1, "Info": 0}
    assert s.new == {"Violation": 2, "Warning": 1, "Info": 0}
    assert s.fixed == {"Violation": 1, "Warning": 0, "Info": 0}
    assert (s.recollections_before, s.recollections_now) == (0, 1)
    assert s.score_now < s.score_before
    share = next(k for k in s.kpis if k.key == "on_demand_sharing")
    assert (share.value_before, share.value_now) == (1.0, pytest.approx(1 / 3))
    d = bulletin.as_dict()
    assert d["quarter"] == "2026Q3" and d["summary"]["up"] == 1
    assert [x["code"] for x in d["departments"]] == ["D-GOV", "D-MZ", "D-JY", "D-GA"]


def test_same_catalog_twice_moves_nothing(tmp_path):
    store = quarter_now().build(tmp_path / "now")
    from shapes.audit import audit

    a = audit(store, as_of=Q3.end)
    b = compare(a, a, Q3)
    assert b.movers()["level"] == ["D-GA", "D-GOV", "D-JY", "D-MZ"]
    assert all(d.new == [] and d.fixed == [] and d.rank_change == 0 for d in b.departments)


def test_parallel_audits_give_the_same_bulletin(tmp_path, bulletin):
    sequential = build(quarter_before().build(tmp_path / "b"), quarter_now().build(tmp_path / "n"),
                       Q3, parallel=False)
    assert sequential.as_dict() == bulletin.as_dict()
