"""The demo district: it loads, its counts are in range, and its ground truth is exact.

The ground truth (examples/demo-district/defects.json) is checked against the CSV rows with an
independent, plain-Python reading of docs/audit-rules.md (``csv_findings`` in tests/csv_rules.py)
— not with the audit engine or any other code under test. ``tests/test_synth.py`` reuses the
same reading for synthetic datasets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from tests.csv_rules import (
    DEMO,
    WARNING_RULES,
    csv_findings,
    ground_truth,
    read_rows,
    split_list,
)


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, str]]]:
    return read_rows(DEMO)


def test_demo_loads_without_errors(tmp_path):
    from graph.store import CatalogStore
    from loaders import load_path

    store = CatalogStore(tmp_path / "store")
    report = load_path(store, DEMO, "demo-district")
    assert report.triples > 5000
    stats = store.stats()
    assert stats["ys:Department"] == len(read_rows(DEMO)["departments.csv"])
    assert stats["ys:InformationItem"] == len(read_rows(DEMO)["items.csv"])


def test_demo_counts_in_range(rows):
    deps = rows["departments.csv"]
    district = [d for d in deps if d["行政层级"] in ("区县级", "乡镇街道")]
    assert 22 <= len(district) <= 32
    assert 35 <= len(rows["systems.csv"]) <= 50
    assert 70 <= len(rows["catalog.csv"]) <= 95
    assert 200 <= len(rows["items.csv"]) <= 600
    assert len(rows["data_elements.csv"]) >= 20
    assert len(rows["responsibilities.csv"]) >= 15
    assert len(rows["sharing.csv"]) >= 30
    assert len(rows["flows.csv"]) >= 20
    codes = {d["行政区划代码"] for d in district}
    assert len(codes) == 1 and re.fullmatch(r"\d{6}", codes.pop())


def test_demo_realistic_shapes(rows):
    res = {r["资源代码"]: r for r in rows["catalog.csv"]}
    bases = {r["基础库"] for r in res.values() if r["资源分类"] == "基础信息资源"}
    assert {"人口", "法人", "电子证照", "信用", "自然资源和空间地理"} <= bases
    systems = rows["systems.csv"]
    assert any(s["部署方式"] == "上级部署" and s["网络类型"] == "业务专网" for s in systems)
    assert any(s["运行状态"] == "已整合" and s["整合至系统编码"] for s in systems)
    assert any(s["是否涉密"] == "是" and s["网络类型"] == "电子政务内网" for s in systems)
    assert {"三级", "四级"} <= {r["敏感级别"] for r in res.values()}
    assert sum(f["是否回流"] == "是" for f in rows["flows.csv"]) >= 3
    statuses = [q["状态"] for q in rows["sharing.csv"]]
    assert statuses.count("已拒绝") >= 3
    # most requests are answered within a minute or a day
    fast = 0
    answered = [q for q in rows["sharing.csv"] if q["响应时间"]]
    for q in answered:
        d = dt.datetime.fromisoformat(q["响应时间"]) - dt.datetime.fromisoformat(q["申请时间"])
        assert d.total_seconds() >= 0
        fast += d <= dt.timedelta(days=1)
    assert fast >= 0.8 * len(answered)
    syn = {e["数据元名称"]: e for e in rows["data_elements.csv"]}
    assert "身份证号" in split_list(syn["公民身份号码"]["同义词"])
    assert all(e["标准依据"] and e["权威部门编码"] for e in rows["data_elements.csv"])


def test_demo_lineage_depth(rows):
    """Multi-hop item chains reach depth 4 (authoritative → base → departmental → thematic)."""
    by_res: dict[str, list[dict[str, str]]] = defaultdict(list)
    for it in rows["items.csv"]:
        by_res[it["资源代码"]].append(it)

    def depth(it: dict[str, str], seen: frozenset = frozenset()) -> int:
        src = it["来源资源代码"]
        if not src or src in seen:
            return 0
        cands = [c for c in by_res[src] if c["数据元编码"] and c["数据元编码"] == it["数据元编码"]]
        cands = cands or [c for c in by_res[src] if c["信息项名称"] == it["信息项名称"]]
        return 1 + depth(cands[0], seen | {it["资源代码"]}) if cands else 1

    depths = sorted(depth(it) for it in rows["items.csv"])
    assert depths[-1] >= 4
    assert sum(d >= 3 for d in depths) >= 10


def test_demo_ground_truth_is_exact(rows):
    as_of, truth, defects = ground_truth(DEMO)
    guards: list[str] = []
    found = csv_findings(rows, as_of, guards=guards)
    assert guards == []
    assert found - truth == set(), "findings not listed in defects.json"
    assert truth - found == set(), "listed defects not present in the data"
    assert len(defects) == len(truth)
    assert all(d["note"] for d in defects)


def test_demo_plants_every_required_kind():
    _, truth, _ = ground_truth(DEMO)
    rules = {r for r, _ in truth}
    required = {"ODS-001", "ODS-002", "SHR-001", "SHR-003", "SEC-001", "SEC-003", "ORG-002",
                "SYS-003", "ODS-005", "ODS-004", "REQ-001", "LIN-001", "REQ-002"}
    assert required <= rules
    assert len([f for r, f in truth if r == "ODS-005"]) in (2, 3)
    warnings = [r for r, _ in truth if r in WARNING_RULES]
    assert len(warnings) <= 8  # few and deliberate


def test_defects_md_lists_every_defect():
    _, truth, _ = ground_truth(DEMO)
    text = (DEMO / "DEFECTS.md").read_text(encoding="utf-8")
    for rule, focus in truth:
        assert rule in text and focus in text, (rule, focus)
