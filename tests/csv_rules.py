"""An independent, plain-Python reading of docs/audit-rules.md on the template's CSV rows
(``csv_findings``), and the ground truth a dataset declares (``ground_truth``): the demo
district's tests (tests/test_demo.py) and the synthetic generator's (tests/test_synth.py) check
the planted defects with it — not with the audit engine or any other code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

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
