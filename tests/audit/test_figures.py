"""Seed figures and scores against values computed by hand from tiny catalogs."""

from __future__ import annotations

import pytest

from shapes.audit import audit

from .catalogs import AS_OF, Catalog


@pytest.fixture
def figures_catalog(tmp_path):
    c = Catalog.base()
    c.rows["sharing.csv"] = []
    for rid, status, filed, answered, reason in [
        ("Q1", "已交付", "2025-03-01T09:00:00", "2025-03-01T09:00:40", ""),  # 40 s
        ("Q2", "已拒绝", "2025-03-02T09:00:00", "2025-03-02T11:00:00", "超出用途"),  # 2 h
        ("Q3", "待审核", "2025-11-15T09:00:00", "", ""),  # not answered (not overdue)
        ("Q4", "已批准", "2025-03-04T09:00:00", "2025-03-06T09:00:00", ""),  # 2 days
        ("Q5", "已撤回", "2025-03-05T09:00:00", "", ""),  # left out
    ]:
        c.add("sharing.csv", 需求编号=rid, 需求部门编码="D-MZ", 资源代码="RES-HJ", 应用场景="核验",
              申请时间=filed, 状态=status, 响应时间=answered, 拒绝理由=reason)
    c.add("systems.csv", 系统编码="S-SEC", 系统名称="涉密业务系统", 建设部门编码="D-GA", 使用频度="每日",
          部署方式="自建机房", 网络类型="电子政务内网", 是否涉密="是", 运行状态="在用", 接入共享平台="否",
          最近运维时间="2025-10-01")
    c.add("systems.csv", 系统编码="S-OLD", 系统名称="旧系统", 建设部门编码="D-MZ", 运行状态="停用",
          接入共享平台="否", 部署方式="自建机房")
    c.set("systems.csv", "S-DB", 接入共享平台="否", 部署方式="自建机房")
    c.add("data_elements.csv", 数据元编码="DE-NEW", 数据元名称="残疾人证号", 权威部门编码="D-MZ")
    c.set("responsibilities.csv", "R-DB", 所需数据元编码="DE-SFZ;DE-NEW")
    return audit(c.build(tmp_path / "figures"), as_of=AS_OF)


def test_seed_figures_by_hand(figures_catalog):
    f = figures_catalog.figures[None]
    # requests not withdrawn: Q1..Q4; approved/delivered: Q1, Q4
    assert (f["on_demand_sharing"].numerator, f["on_demand_sharing"].denominator) == (2, 4)
    assert f["on_demand_sharing"].value == 0.5 and f["on_demand_sharing"].meets_target is False
    # answered within a minute: Q1; within a day: Q1, Q2
    assert (f["answered_within_minute"].numerator, f["answered_within_minute"].denominator) == (1, 4)
    assert (f["answered_within_day"].numerator, f["answered_within_day"].denominator) == (2, 4)
    # non-classified in use: S-HJ (connected), S-DB (not); S-SEC 涉密 (exempt), S-OLD retired
    assert (f["platform_connection"].numerator, f["platform_connection"].denominator) == (1, 2)
    # non-classified in use: S-HJ (上级部署), S-DB (自建机房)
    assert (f["cloud_adoption"].numerator, f["cloud_adoption"].denominator) == (1, 2)
    # needed: DE-SFZ, DE-XM (resolve), DE-NEW (missing)
    assert (f["responsibility_coverage"].numerator,
            f["responsibility_coverage"].denominator) == (2, 3)
    # per department: requests count for the provider of RES-HJ (D-GA); R-DB belongs to D-MZ
    ga, mz = figures_catalog.figures["D-GA"], figures_catalog.figures["D-MZ"]
    assert ga["on_demand_sharing"].denominator == 4 and mz["on_demand_sharing"].denominator == 0
    assert mz["on_demand_sharing"].value is None
    assert (mz["responsibility_coverage"].numerator, mz["responsibility_coverage"].denominator) == (1, 2)
    assert (mz["platform_connection"].numerator, mz["platform_connection"].denominator) == (0, 1)


def test_scores_by_hand(small_store):
    """small fixture: ORG-002 fails for D-MZ (1 of 3 departments), ORG-003 (Info) for D-GA and
    D-MZ (2 of 3). All 30 rules have focus nodes: 18 Violation (3 points), 9 Warning (2),
    3 Info (1) = 75 points."""
    r = audit(small_store, as_of=AS_OF)
    assert sorted((f.rule, f.focus_ref) for f in r.findings) == [
        ("ORG-002", "department:D-MZ"), ("ORG-003", "department:D-GA"),
        ("ORG-003", "department:D-MZ")]
    assert r.scores[None].available == 75
    # coverage minus the findings' cost (Violation 10, Info 1) shared by the 3 departments
    assert r.scores[None].coverage == round(100 * (75 - 3 * 1 / 3 - 1 * 2 / 3) / 75, 1)
    assert r.scores[None].score == round(100 * (75 - 3 * 1 / 3 - 1 * 2 / 3) / 75 - 12 / 3, 1)
    # D-GOV owns only itself: ORG-001..003 and LIN-002 apply, all pass
    assert r.scores["D-GOV"].score == 100.0 and r.scores["D-GOV"].available == 3 + 3 + 1 + 3
    # D-MZ: every rule but the element, flow and request rules (ODS-001..003, SEC-002,
    # REQ-001, REQ-002: 3+3+2+3+3+2 = 16 points); loses ORG-002 (3) and ORG-003 (1)
    assert r.scores["D-MZ"].available == 75 - 16
    assert r.scores["D-MZ"].coverage == round(100 * (59 - 3 - 1) / 59, 1)
    assert r.scores["D-MZ"].score == round(100 * (59 - 3 - 1) / 59 - 10 - 1, 1)
    assert r.scores["D-MZ"].dimension_scores()["organisation"] == round(
        100 * (r.scores["D-MZ"].by_dimension["organisation"][0]
               / r.scores["D-MZ"].by_dimension["organisation"][1]) - 11, 1)
    # D-GA: ORG-003 (Info) only
    ga = r.scores["D-GA"]
    assert ga.score == round(100 * ga.earned / ga.available - 1, 1)


def test_scores_discriminate_on_the_demo(demo_store):
    """Every demo department with a Violation scores below 90 (not 优秀); the others keep 优秀;
    YX-CL, whose data element is in CONFLICT (一数多源), is among them."""
    from shapes.scores import rating

    r = audit(demo_store, as_of=AS_OF)
    depts = {k: v for k, v in r.scores.items() if k is not None and v.score is not None}
    with_violation = {k for k, v in depts.items() if v.findings.get("Violation")}
    assert "YX-CL" in with_violation
    for k, v in depts.items():
        assert (v.score < 90) is (k in with_violation), (k, v.score, v.findings)
    assert {rating(depts[k].score)[0] for k in with_violation} <= {"良好", "合格", "差"}
