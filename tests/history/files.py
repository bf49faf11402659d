"""A generated history for the tests: copies of the demo district's CSVs edited version by version
(several departments change each time), and the small fixture as a second source."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from graph.history import SHANGHAI, stamped
from graph.store import CatalogStore
from loaders import load_path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-district"
Versions = list[tuple[dt.datetime, str, Path]]  # (when, source, folder), oldest first
CLASSIFIED = "R-QWB-JW"  # a 涉密 resource of the demo district: only in version 1


def read(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(folder / name, encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def write(folder: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        w.writerows(rows)


def edit(folder: Path, name: str, fn) -> None:
    header, rows = read(folder, name)
    write(folder, name, header, [r for r in (fn(dict(r)) for r in rows) if r is not None])


def _strip(value: str, code: str) -> str:
    return ";".join(v for v in value.split(";") if v and v != code)


def remove_resource(folder: Path, code: str) -> None:
    """Take a resource out with everything that names it (no dangling reference left)."""
    edit(folder, "catalog.csv", lambda r: None if r["资源代码"] == code else
         {**r, "上游资源代码": _strip(r["上游资源代码"], code)})
    edit(folder, "items.csv", lambda r: None if r["资源代码"] == code else
         ({**r, "来源资源代码": ""} if r["来源资源代码"] == code else r))
    edit(folder, "flows.csv", lambda r: None if code in (r["源资源代码"], r["目标资源代码"]) else r)
    edit(folder, "sharing.csv", lambda r: None if r["资源代码"] == code else r)
    edit(folder, "responsibilities.csv",
         lambda r: {**r, "产生资源代码": _strip(r["产生资源代码"], code)})


def set_field(folder: Path, name: str, key: str, code: str, column: str, value: str) -> None:
    edit(folder, name, lambda r: {**r, column: value} if r[key] == code else r)


def add_resource(folder: Path, code: str, provider: str, system: str, name: str) -> None:
    header, rows = read(folder, "catalog.csv")
    template = next(r for r in rows if r["提供方部门编码"] == provider and r["是否涉密"] != "是")
    rows.append({**template, "资源代码": code, "资源名称": name, "资源摘要": f"{name}，新增资源",
                 "来源系统编码": system, "上游资源代码": ""})
    write(folder, "catalog.csv", header, rows)
    h, items = read(folder, "items.csv")
    items += [{"资源代码": code, "信息项名称": "备注", "数据元编码": "", "数据类型": "字符型",
               "数据长度": "200", "是否权威来源": "否", "来源资源代码": "", "敏感级别": ""}]
    write(folder, "items.csv", h, items)


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=SHANGHAI)


def build(root: Path) -> list[tuple[dt.datetime, str, Path]]:
    """(time, source, folder) of every version, oldest first: three versions of the district,
    two of the small fixture."""
    small = Path(__file__).resolve().parents[1] / "fixtures" / "small"
    v1 = root / "v1"
    shutil.copytree(DEMO, v1)
    v2 = root / "v2"
    shutil.copytree(v1, v2)
    remove_resource(v2, CLASSIFIED)  # 区委办 drops its 涉密 resource
    catalog = read(v2, "catalog.csv")[1]
    mz = next(r for r in catalog if r["提供方部门编码"] == "YX-MZ")
    add_resource(v2, "R-MZ-NEW", "YX-MZ", mz["来源系统编码"], "社会救助新增登记")  # 民政 adds one
    other = next(r for r in catalog if r["提供方部门编码"] not in ("YX-MZ", "YX-QWB")
                 and r["是否涉密"] != "是")
    set_field(v2, "catalog.csv", "资源代码", other["资源代码"], "更新周期",
              "每年" if other["更新周期"] != "每年" else "每月")
    v3 = root / "v3"
    shutil.copytree(v2, v3)
    _, flows = read(v3, "flows.csv")
    edit(v3, "flows.csv", lambda r: None if r["流编号"] == flows[-1]["流编号"] else r)
    _, items = read(v3, "items.csv")
    auth = next(r for r in items if r["是否权威来源"] == "是" and r["数据元编码"])
    edit(v3, "items.csv", lambda r: {**r, "是否权威来源": "否"} if r is not None and
         (r["资源代码"], r["信息项名称"]) == (auth["资源代码"], auth["信息项名称"]) else r)
    _, systems = read(v3, "systems.csv")
    set_field(v3, "systems.csv", "系统编码", systems[5]["系统编码"], "系统名称",
              systems[5]["系统名称"] + "（升级）")
    s2 = root / "small2"
    shutil.copytree(small, s2)
    set_field(s2, "catalog.csv", "资源代码", "RES-DB", "资源名称", "低保对象信息（更名）")
    return [(at("2026-01-10"), "small", small), (at("2026-01-31"), "district", v1),
            (at("2026-04-30"), "district", v2), (at("2026-06-15"), "small", s2),
            (at("2026-07-31"), "district", v3)]


def load_history(store: CatalogStore, versions: Versions, actor: str = "测试员") -> None:
    for when, source, folder in versions:
        with stamped(when, actor):
            load_path(store, folder, source)


def fresh(versions: Versions, when: dt.datetime) -> CatalogStore:
    """A new store loaded (once per source) with the files current at ``when``."""
    latest: dict[str, Path] = {}
    for at, source, folder in versions:
        if at <= when:
            latest[source] = folder
    s = CatalogStore()
    for source, folder in latest.items():
        load_path(s, folder, source)
    return s
