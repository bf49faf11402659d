"""The demo district: it loads, its counts are in range, and its ground truth is exact.

The ground truth (examples/demo-district/defects.json) is checked against the CSV rows with an
independent, plain-Python reading of docs/audit-rules.md (``csv_findings`` below) — not with the
audit engine or any other code under test. ``tests/test_synth.py`` reuses the same reading for
synthetic datasets.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo-district"

LEVEL = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}
VIOLATION_RULES = {"CAT-001", "CAT-004", "SHR-001", "SHR-002", "SHR-003", "SEC-001", "SEC-002",
                   "SEC-003", "ORG-001", "ORG-002", "SYS-004", "ODS-001", "ODS-002", "ODS-004",
                   "ODS-005", "LIN-001", "LIN-002", "REQ-001"}
WARNING_RULES = {"CAT-002", "CAT-003", "CAT-005", "SYS-001", "SYS-002", "SYS-003", "ODS-003",
                 "REQ-002", "RSP-001"}
FILES = ("departments.csv", "data_elements.csv", "responsibilities.csv", "systems.csv",
         "catalog.csv", "items.csv", "sharing.csv", "flows.csv")


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；、]", text or "") if p.strip()]


def read_rows(folder: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in FILES:
        path = Path(folder) / name
        if not path.exists():
            out[name] = []
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            out[name] = [{k: (v or "").strip() for k, v in row.items()}
                         for row in csv.DictReader(f)]
    return out


def _date(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


def csv_findings(rows: dict[str, list[dict[str, str]]], as_of: dt.date, pending_days: int = 10,
                 guards: list[str] | None = None) -> set[tuple[str, str]]:
    """Every Violation- and Warning-level finding of docs/audit-rules.md, as (rule, focus).

    ``guards`` collects situations where two honest readings of a rule could disagree; the
    demo and the generator avoid them, and the tests assert the list stays empty.
    """
    g = guards if guards is not None else []
    found: set[tuple[str, str]] = set()
    deps = {d["部门编码"]: d for d in rows["departments.csv"]}
    elems = {e["数据元编码"]: e for e in rows["data_elements.csv"]}
    systems = {s["系统编码"]: s for s in rows["systems.csv"]}
    res = {r["资源代码"]: r for r in rows["catalog.csv"]}
    items = rows["items.csv"]
    by_res: dict[str, list[dict[str, str]]] = defaultdict(list)
    for it in items:
        by_res[it["资源代码"]].append(it)

    def ikey(it: dict[str, str]) -> str:
        return f"item:{it['资源代码']}/{it['信息项名称']}"

    # -- departments ------------------------------------------------------------------
    for code, d in deps.items():
        if not d["共享负责人"]:
            found.add(("ORG-001", f"department:{code}"))
        if not d["共享经办人"]:
            found.add(("ORG-002", f"department:{code}"))
    # -- systems ----------------------------------------------------------------------
    for code, s in systems.items():
        secret = s["是否涉密"] == "是"
        in_use = s["运行状态"] == "在用"
        if secret and s["网络类型"] in ("电子政务外网", "互联网"):
            found.add(("SEC-001", f"system:{code}"))
        if in_use and not secret and s["接入共享平台"] != "是":
            found.add(("SYS-001", f"system:{code}"))
        if in_use and not secret and s["部署方式"] not in ("政务云", "上级部署"):
            found.add(("SYS-002", f"system:{code}"))
        if in_use:
            last = s["最近运维时间"]
            age = (as_of - _date(last)).days if last else None
            if age is not None and 700 <= age <= 760:
                g.append(f"SYS-003 boundary: {code} maintained {age} days before as-of")
            if s["使用频度"] == "很少" or (age is not None and age > 730):
                found.add(("SYS-003", f"system:{code}"))
        if s["运行状态"] == "已整合" and not s["整合至系统编码"]:
            found.add(("SYS-004", f"system:{code}"))
    # -- resources --------------------------------------------------------------------
    for code, r in res.items():
        f = f"resource:{code}"
        if not (r["资源名称"] and r["提供方部门编码"] and r["共享类型"]):
            found.add(("CAT-001", f))
        if not r["更新周期"]:
            found.add(("CAT-002", f))
        if not r["敏感级别"]:
            found.add(("CAT-003", f))
        if not by_res.get(code):
            found.add(("CAT-004", f))
        if not r["来源系统编码"]:
            found.add(("CAT-005", f))
        if r["共享类型"] == "有条件共享" and not r["共享条件"]:
            found.add(("SHR-001", f))
        if r["共享类型"] == "不予共享" and not r["不予共享依据"]:
            found.add(("SHR-002", f))
        if r["共享类型"] == "无条件共享":
            if LEVEL.get(r["敏感级别"], 0) >= 3:
                found.add(("SHR-003", f))
            elif any(LEVEL.get(it["敏感级别"], 0) >= 3 for it in by_res.get(code, [])):
                g.append(f"SHR-003: 无条件共享 {code} holds an item at 三级/四级")
    # derivation cycles and resource-level classification (SEC-003)
    parents = {c: [p for p in split_list(r["上游资源代码"]) if p in res] for c, r in res.items()}
    import networkx as nx

    dg = nx.DiGraph()
    dg.add_nodes_from(res)
    dg.add_edges_from((c, p) for c, ps in parents.items() for p in ps)
    for comp in nx.strongly_connected_components(dg):
        if len(comp) > 1 or any(dg.has_edge(c, c) for c in comp):
            for c in comp:
                found.add(("ODS-005", f"resource:{c}"))
    for code in res:
        anc = nx.descendants(dg, code)  # edges point child -> parent
        up = max((LEVEL.get(res[a]["敏感级别"], 0) for a in anc), default=0)
        own = LEVEL.get(res[code]["敏感级别"], 0)
        if up >= 3 and own < up:
            found.add(("SEC-003", f"resource:{code}"))
            if own == 0:
                g.append(f"SEC-003 on resource {code} without a level")
    # -- items: lineage ---------------------------------------------------------------
    for code, its in by_res.items():
        seen: dict[str, int] = defaultdict(int)
        for it in its:
            if it["数据元编码"]:
                seen[it["数据元编码"]] += 1
        for e, n in seen.items():
            if n > 1:
                g.append(f"resource {code} has {n} items carrying {e}")

    def upstream(it: dict[str, str]) -> dict[str, str] | None:
        cands = by_res.get(it["来源资源代码"], [])
        if it["数据元编码"]:
            m = [c for c in cands if c["数据元编码"] == it["数据元编码"]]
            if m:
                return m[0]
        m = [c for c in cands if c["信息项名称"] == it["信息项名称"]]
        if m and it["数据元编码"] and m[0]["数据元编码"] != it["数据元编码"]:
            g.append(f"item:{it['资源代码']}/{it['信息项名称']} resolves by name to an item "
                     "carrying another element")
        return m[0] if m else None

    def level(it: dict[str, str]) -> int:
        own = LEVEL.get(it["敏感级别"], 0)
        return own or LEVEL.get(res.get(it["资源代码"], {}).get("敏感级别", ""), 0)

    broken: set[str] = set()
    for it in items:
        if it["来源资源代码"] and upstream(it) is None:
            broken.add(ikey(it))
            found.add(("LIN-001", ikey(it)))

    def chain(it: dict[str, str]) -> list[dict[str, str]]:
        out, cur, visited = [], it, {ikey(it)}
        while cur["来源资源代码"]:
            up = upstream(cur)
            if up is None or ikey(up) in visited:
                break
            visited.add(ikey(up))
            out.append(up)
            cur = up
        return out

    for it in items:
        ups = chain(it)
        top = max((level(u) for u in ups), default=0)
        if top >= 3 and level(it) < top:
            found.add(("SEC-003", ikey(it)))
            if level(it) == 0:
                g.append(f"SEC-003 on item {ikey(it)} without a level")
    # -- one data, one source -------------------------------------------------------
    auth: dict[str, list[dict[str, str]]] = defaultdict(list)
    carried: set[str] = set()
    for it in items:
        if it["数据元编码"]:
            carried.add(it["数据元编码"])
            if it["是否权威来源"] == "是":
                auth[it["数据元编码"]].append(it)
    needed = {e for r in rows["responsibilities.csv"] for e in split_list(r["所需数据元编码"])}
    status: dict[str, str] = {}
    for code, e in elems.items():
        a = auth.get(code, [])
        if len(a) > 1:
            status[code] = "CONFLICT"
            found.add(("ODS-001", f"element:{code}"))
        elif len(a) == 1:
            provider = res[a[0]["资源代码"]]["提供方部门编码"]
            if not e["权威部门编码"]:
                g.append(f"element {code} has no 权威部门")
            if e["权威部门编码"] and provider != e["权威部门编码"]:
                status[code] = "MISMATCH"
                found.add(("ODS-002", f"element:{code}"))
            else:
                status[code] = "RESOLVED"
        else:
            status[code] = "MISSING"
            if code in carried or code in needed:
                found.add(("ODS-003", f"element:{code}"))
    for it in items:
        e = it["数据元编码"]
        if not e or it["是否权威来源"] == "是" or status.get(e) not in ("RESOLVED", "MISMATCH"):
            continue
        if ikey(it) in broken:
            continue
        ups = chain(it)
        if any(u["是否权威来源"] == "是" and u["数据元编码"] == e for u in ups):
            continue
        if any(ikey(u) in broken for u in ups):
            g.append(f"ODS-004 {ikey(it)}: lineage broken further upstream")
        if status[e] == "MISMATCH":
            g.append(f"ODS-004 {ikey(it)} on a MISMATCH element")
        found.add(("ODS-004", ikey(it)))
    for r in rows["responsibilities.csv"]:
        if any(status.get(e) != "RESOLVED" for e in split_list(r["所需数据元编码"])):
            found.add(("RSP-001", f"responsibility:{r['事项编码']}"))
    # -- flows and requests -----------------------------------------------------------
    for fl in rows["flows.csv"]:
        src = res.get(fl["源资源代码"], {})
        if src.get("是否涉密") == "是" and fl["经由平台"]:
            found.add(("SEC-002", f"flow:{fl['流编号']}"))
    for q in rows["sharing.csv"]:
        f = f"request:{q['需求编号']}"
        if q["状态"] == "已拒绝" and not q["拒绝理由"]:
            found.add(("REQ-001", f))
        if q["状态"] == "待审核":
            age = (as_of - _date(q["申请时间"])).days
            if pending_days - 2 <= age <= pending_days + 2:
                g.append(f"REQ-002 boundary: {f} pending {age} days")
            if age > pending_days:
                found.add(("REQ-002", f))
    return found


def ground_truth(folder: Path) -> tuple[dt.date, set[tuple[str, str]], list[dict]]:
    data = json.loads((Path(folder) / "defects.json").read_text(encoding="utf-8"))
    defects = data["defects"]
    return (dt.date.fromisoformat(data["as_of"]), {(d["rule"], d["focus"]) for d in defects},
            defects)


# ---------------------------------------------------------------------------------------
# The tests

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
