"""The query layer on the demo district (examples/demo-district): answers by hand from its CSVs
and DEFECTS.md, and agreement with the planted defects of defects.json (the audit's ground truth,
docs/audit-rules.md)."""

from __future__ import annotations

import json

import pytest

from graph.model import Direction, Granularity, SourceStatus
from graph.oxigraph_engine import OxigraphGraph
from tests.query.graphs import ref, refs
from yishu.config import DEMO_DIR

pytestmark = pytest.mark.skipif(not (DEMO_DIR / "defects.json").exists(),
                                reason="demo district not built")


@pytest.fixture(scope="module")
def demo(demo_store) -> OxigraphGraph:
    return OxigraphGraph(demo_store)


@pytest.fixture(scope="module")
def defects() -> dict[str, set[str]]:
    data = json.loads((DEMO_DIR / "defects.json").read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for d in data["defects"]:
        out.setdefault(d["rule"], set()).add(d["focus"])
    return out


def test_one_source_report_by_hand(demo):
    rep = demo.one_source_report()
    # 29 elements, all used (no ODS-003 in DEFECTS.md); DE-0603 CONFLICT, DE-0501 MISMATCH
    assert rep.counts == {"RESOLVED": 27, "CONFLICT": 1, "MISMATCH": 1, "MISSING": 0,
                          "RECOLLECTION": 1}
    by = {r.element.code: r for r in rep.resolutions}
    conflict = by["DE-0603"]
    assert conflict.status is SourceStatus.CONFLICT
    assert [(c.item.code, c.department.code) for c in conflict.candidates] == [
        ("R-CL-RK/残疾人证号", "YX-CL"), ("R-MZ-CJ/残疾人证号", "YX-MZ")]
    mismatch = by["DE-0501"]
    assert mismatch.status is SourceStatus.MISMATCH
    assert mismatch.designated_department.code == "YX-ZR"
    assert [(c.item.code, c.department.code) for c in mismatch.candidates] == [
        ("R-ZJ-FC/不动产单元号", "YX-ZJ")]
    [rec] = rep.recollections
    assert (rec.item.code, rec.element.code, rec.authoritative_item.code) == (
        "R-JY-ZS/学生身份证号", "DE-0101", "R-JDGA-RK/公民身份号码")
    # 回流 into the population base, derived into the property register, flowed (LX-014) to
    # enrolment: the shortest catalogued path
    assert rec.expected_path == refs("resource:R-JDGA-RK", "resource:R-JC-RK",
                                     "resource:R-ZR-BDC", "resource:R-JY-ZS")


def test_one_source_agrees_with_defects(demo, defects):
    rep = demo.one_source_report()
    status = {f"element:{r.element.code}": r.status for r in rep.resolutions}
    assert {e for e, s in status.items() if s is SourceStatus.CONFLICT} == defects.get(
        "ODS-001", set())
    assert {e for e, s in status.items() if s is SourceStatus.MISMATCH} == defects.get(
        "ODS-002", set())
    assert {e for e, s in status.items() if s is SourceStatus.MISSING} == defects.get(
        "ODS-003", set())
    assert {f"item:{x.item.code}" for x in rep.recollections} == defects.get("ODS-004", set())


def test_resolve_by_synonym(demo):
    r = demo.resolve_source("证件号码")
    assert (r.element.code, r.matched_by, r.status) == ("DE-0101", "synonym",
                                                        SourceStatus.RESOLVED)
    assert [(c.item.code, c.department.code, c.system.code) for c in r.candidates] == [
        ("R-JDGA-RK/公民身份号码", "JD-GAT", "JD-S-RK")]


def test_trace_through_the_population_base(demo):
    t = demo.trace_source("item:R-SF-TJ/当事人身份证号")
    assert t.reached_authoritative
    assert [(h.item.code, h.department.code, h.system.code, h.platform, h.method)
            for h in t.hops] == [
        ("R-SF-TJ/当事人身份证号", "YX-SF", "YX-S-SF-TJ", None, "接口调用"),
        ("R-JC-RK/公民身份号码", "YX-SJJ", "YX-S-SJJ-JC", "区县级平台", "接口调用"),  # LX-028
        ("R-JDGA-RK/公民身份号码", "JD-GAT", "JD-S-RK", "省级平台", "库表交换"),  # LX-001 回流
    ]


def test_broken_lineage_agrees_with_lin001(demo, defects):
    for focus in defects.get("LIN-001", set()):
        t = demo.trace_source(focus)
        assert t.break_code == "NO_UPSTREAM_ITEM" and t.break_at == ref(focus)
    t = demo.trace_source("item:R-SF-TJ/当事人婚姻状况")
    assert "R-JC-FR" in t.break_reason  # the legal-person base has no marital status


def test_derivation_cycle_agrees_with_ods005(demo, defects):
    la = demo.lineage("resource:R-GXQ-QF", Direction.UPSTREAM, 5)
    assert la.cycles == [refs("resource:R-GXQ-QF", "resource:R-ZJ-ZZ")]
    assert {f"resource:{n.entity.code}" for n in la.nodes
            if any(ref(f"resource:{n.entity.code}") in c for c in la.cycles)} == defects[
        "ODS-005"]


def test_classification_propagation_agrees_with_sec003(demo, defects):
    la = demo.lineage("resource:R-YB-TJ", Direction.UPSTREAM, 5)
    res = {n.entity.code: (n.depth, n.sensitivity, n.upstream_sensitivity, n.below_upstream)
           for n in la.nodes if n.entity.kind == "resource"}
    assert res == {
        "R-YB-TJ": (0, "二级", "三级", True),
        "R-YB-CB": (1, "三级", "三级", False),
        "R-JC-RK": (2, "三级", "三级", False),
        "R-JDGA-RK": (3, "三级", "三级", False),
        "R-JDMZ-HY": (3, "三级", "三级", False),
        "R-WJ-CS": (3, "三级", "三级", False),
    }
    # across the catalog: below a 三级/四级 upstream ⇔ a SEC-003 defect
    flagged = set()
    for kind in ("resource", "item"):
        after = None
        while True:
            page = demo.list(kind, first=500, after=after)
            for e in page.items:
                gran = Granularity.ITEM if kind == "item" else Granularity.RESOURCE
                [root] = demo.lineage(e.iri, Direction.UPSTREAM, 0, gran).nodes
                if root.below_upstream and root.upstream_sensitivity in ("三级", "四级"):
                    flagged.add(f"{kind}:{e.code}")
            if not page.has_next:
                break
            after = page.end_cursor
    assert flagged == defects.get("SEC-003", set())
