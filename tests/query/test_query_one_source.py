"""resolve_source / one_source_report (answers by hand; definitions of docs/audit-rules.md)."""

from __future__ import annotations

import pytest

from graph.model import SourceStatus
from graph.query import NotFound, QueryError
from tests.query.graphs import refs


def cands(r):
    return [(c.item.code, c.resource.code, c.department.code if c.department else None,
             c.system.code if c.system else None) for c in r.candidates]


def test_resolved_by_code_name_synonym(lin):
    for text, how in [("E-SFZ", "code"), ("公民身份号码", "name"), ("身份证号码", "synonym"),
                      ("element:E-SFZ", "code")]:
        r = lin.resolve_source(text)
        assert (r.element.code, r.status, r.matched_by) == ("E-SFZ", SourceStatus.RESOLVED, how)
        assert cands(r) == [("R-A/公民身份号码", "R-A", "D-GA", "S-GA")]
        assert r.designated_department.code == "D-GA"


def test_conflict(lin):
    r = lin.resolve_source("信用代码")
    assert r.status is SourceStatus.CONFLICT and r.matched_by == "synonym"
    assert cands(r) == [("R-E/统一社会信用代码", "R-E", "D-SC", "S-SC"),
                        ("R-F/统一社会信用代码", "R-F", "D-RS", "S-RS")]


def test_mismatch(lin):
    r = lin.resolve_source("出生年月")
    assert r.status is SourceStatus.MISMATCH and r.designated_department.code == "D-GA"
    assert cands(r) == [("R-D/出生日期", "R-D", "D-WJ", "S-WJ")]


def test_missing(lin):
    assert lin.resolve_source("社保卡号").status is SourceStatus.MISSING
    r = lin.resolve_source("就业状态")
    assert r.status is SourceStatus.MISSING and r.candidates == []


def test_ambiguous_and_unknown(lin):
    with pytest.raises(QueryError) as e:
        lin.resolve_source("状态")  # a synonym of E-HY and of E-JY
    assert e.value.code == "AMBIGUOUS" and "E-HY" in str(e.value) and "E-JY" in str(e.value)
    with pytest.raises(NotFound):
        lin.resolve_source("不存在的数据元")
    with pytest.raises(NotFound):
        lin.resolve_source("element:E-NOPE")
    with pytest.raises(QueryError) as e:
        lin.resolve_source("resource:R-A")
    assert e.value.code == "BAD_KIND"


def test_catalog_report(lin):
    rep = lin.one_source_report()
    assert rep.department is None
    # E-UNUSED is neither carried nor needed: not in the report (ODS-003's scope)
    assert [(r.element.code, r.status.value) for r in rep.resolutions] == [
        ("E-CSRQ", "MISMATCH"), ("E-HY", "RESOLVED"), ("E-JY", "MISSING"), ("E-SBH", "MISSING"),
        ("E-SFZ", "RESOLVED"), ("E-TYDM", "CONFLICT"), ("E-XM", "RESOLVED")]
    assert rep.counts == {"RESOLVED": 3, "CONFLICT": 1, "MISMATCH": 1, "MISSING": 2,
                          "RECOLLECTION": 2}
    # R-G/公民身份号码 (LIN-001) and R-H/身份证号 (broken upstream) are not re-collections;
    # R-H/社保卡号 carries a MISSING element; R-E/R-F items carry a CONFLICT one.
    assert [(x.item.code, x.element.code, x.authoritative_item.code, x.expected_path)
            for x in rep.recollections] == [
        ("R-D/婚姻状况", "E-HY", "R-B/婚姻状况",
         refs("resource:R-B", "resource:R-C", "resource:R-D")),  # through 上游资源代码
        ("R-G/姓名", "E-XM", "R-A/姓名", refs("resource:R-A", "resource:R-G")),  # flow F-2
    ]


def test_department_report(lin):
    rep = lin.one_source_report("department:D-WJ")
    assert rep.department.code == "D-WJ"
    # carried in R-D (E-SFZ, E-HY, E-CSRQ) or needed by P-YL (E-SFZ, E-CSRQ)
    assert [(r.element.code, r.status.value) for r in rep.resolutions] == [
        ("E-CSRQ", "MISMATCH"), ("E-HY", "RESOLVED"), ("E-SFZ", "RESOLVED")]
    assert [x.item.code for x in rep.recollections] == ["R-D/婚姻状况"]
    rs = lin.one_source_report("department:D-RS")
    # designated E-SBH, E-JY; carried E-TYDM (R-F), E-SBH, E-SFZ, E-XM; needed E-SBH, E-JY, E-SFZ
    assert [r.element.code for r in rs.resolutions] == ["E-JY", "E-SBH", "E-SFZ", "E-TYDM",
                                                        "E-XM"]
    assert [x.item.code for x in rs.recollections] == ["R-G/姓名"]
    assert rs.counts["RECOLLECTION"] == 1 and rs.counts["MISSING"] == 2
    with pytest.raises(QueryError):
        lin.one_source_report("resource:R-A")


def test_small_fixture(small):
    rep = small.one_source_report()
    assert [(r.element.code, r.status.value) for r in rep.resolutions] == [
        ("DE-SFZ", "RESOLVED"), ("DE-XM", "RESOLVED")]
    assert rep.recollections == []
    r = small.resolve_source("身份证号")
    assert r.matched_by == "synonym" and cands(r) == [
        ("RES-HJ/公民身份号码", "RES-HJ", "D-GA", "S-HJ")]
