"""Build the demo district's usage statistics (docs/usage.md): what the district's data exchange
platform would report for 2025-09-01 … 2025-11-20 (the demo's as-of date), one row per resource,
consuming department, consuming system, scenario and Monday.

The consumers are those the catalog names — the requests delivered in ``sharing.csv`` and the
flows of ``flows.csv`` — and, for the other shared resources, one district department with one
of its systems, chosen in a fixed order. A few resources are left uncalled on purpose (the
zombie data of audit rule USE-001): ``ZOMBIES`` are never called, ``STOPPED`` were last called
in July, more than 90 days before as-of.

    .venv/bin/python examples/build_usage_demo.py   # rewrites examples/demo-district/usage/

Deterministic: a seeded generator, no clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

DEMO = Path(__file__).resolve().parent / "demo-district"
OUT = DEMO / "usage" / "platform-2025.csv"
START, END = dt.date(2025, 9, 1), dt.date(2025, 11, 20)
ZOMBIES = ("R-TJ-YD", "R-ZT-TYJR", "R-SF-TJ", "R-JY-ZZ")  # shared, never called
STOPPED = ("R-HB-PW", "R-ZJ-GJJ")  # last called in July 2025
HEADER = ["资源代码", "调用部门编码", "调用系统编码", "调用日期", "调用次数", "失败次数", "应用场景"]


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def consumers() -> list[tuple[str, str, str, str, int]]:
    """(resource, department, system, scenario, typical calls a day) of every consumer."""
    catalog = {r["资源代码"]: r for r in _rows("catalog.csv")}
    shared = [c for c, r in catalog.items() if r["共享类型"] != "不予共享" and r["是否涉密"] != "是"]
    found: list[tuple[str, str, str, str, int]] = []
    for r in _rows("sharing.csv"):
        if r["状态"] == "已交付" and r["资源代码"] in shared:
            found.append((r["资源代码"], r["需求部门编码"], r["需求系统编码"], r["应用场景"], 0))
    for r in _rows("flows.csv"):
        if r["源资源代码"] in shared:
            monthly = int(r["月调用量"] or 30)
            found.append((r["源资源代码"], r["目标部门编码"], r["目标系统编码"], "数据交换",
                          max(1, monthly // 22)))
    called = {c[0] for c in found}
    depts = [d["部门编码"] for d in _rows("departments.csv") if d["行政层级"] == "区县级"]
    systems: dict[str, list[str]] = {}
    for s in _rows("systems.csv"):
        if s["是否涉密"] != "是" and s["运行状态"] == "在用":
            systems.setdefault(s["建设部门编码"], []).append(s["系统编码"])
    users = [d for d in depts if systems.get(d)]
    for i, code in enumerate(sorted(set(shared) - called - set(ZOMBIES))):
        provider = catalog[code]["提供方部门编码"]
        dept = next(u for k in range(len(users)) if (u := users[(i * 7 + k) % len(users)])
                    != provider)
        scenario = (catalog[code]["应用场景"] or "业务协同").split("；")[0].split(";")[0]
        found.append((code, dept, systems[dept][i % len(systems[dept])], scenario, 0))
    return [c for c in found if c[0] not in ZOMBIES]


def build() -> list[list[str]]:
    rnd = random.Random(13)
    mondays = [START + dt.timedelta(days=d) for d in range(0, (END - START).days + 1, 7)]
    july = [dt.date(2025, 7, 7), dt.date(2025, 7, 14), dt.date(2025, 7, 21)]
    out: dict[tuple, list[str]] = {}
    for res, dept, system, scenario, typical in consumers():
        days = july if res in STOPPED else mondays
        for day in days:
            calls = typical or rnd.randint(20, 400)
            calls = max(1, int(calls * rnd.uniform(0.7, 1.3)))
            failures = sum(1 for _ in range(calls) if rnd.random() < 0.015)
            key = (res, dept, system, day, scenario)
            if key in out:  # two catalog rows for one consumer: one platform line
                prev = out[key]
                prev[4] = str(int(prev[4]) + calls)
                prev[5] = str(int(prev[5]) + failures)
                continue
            out[key] = [res, dept, system, day.isoformat(), str(calls), str(failures), scenario]
    return sorted(out.values(), key=lambda r: (r[3], r[0], r[1], r[2], r[6]))


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(build())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
