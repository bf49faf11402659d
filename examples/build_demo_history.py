"""Build the demo district's history (examples/demo-district/history/): earlier versions of a few
departments' rows, so that ``yishu bulletin`` has two quarters to compare.

Each version is a folder holding only the files that differ from today's
(examples/demo-district/*.csv); ``yishu demo`` loads, in date order, today's files with the
version's files laid over them, then today's files (:mod:`yishu.demo`). ``manifest.json`` lists
the versions: when (``at``), who (``by``), the load source and the folder.

The movers between the end of 2026Q2 and the end of 2026Q3 (docs/demo-district.md):

- 2026-05-15 (the catalog at the end of 2026Q2):
  - 人社局 ``YX-RS``: 就业失业登记信息 ``R-RS-JY`` has no 更新周期 (CAT-002) and no 共享条件
    although 有条件共享 (SHR-001);
  - 市场监管局 ``YX-SJ``: 市场监管综合执法办案系统 ``YX-S-SJ-ZF`` in its own machine room
    (SYS-002) and not connected to the sharing platform (SYS-001).
- 2026-08-20 (the catalog at the end of 2026Q3): 人社局 and 市场监管局 have fixed those (their
  rows are today's), and
  - 卫健委 ``YX-WJ`` gets worse: 居民电子健康档案 ``R-WJ-JK`` (三级) is set to 无条件共享
    (SHR-003);
  - 行政审批局 ``YX-ZW`` adds a re-collection: 政务服务办件信息's 申请人身份证号 no longer comes
    from the 人口综合库 (ODS-004, 重复采集).
- Today's files (loaded last, at the time of the load) have fixed those two again.

    .venv/bin/python examples/build_demo_history.py   # rewrites examples/demo-district/history/

Deterministic: no randomness, no clock.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parent / "demo-district"
OUT = DEMO / "history"
SOURCE = "demo-district"
ACTOR = "云溪区数据局（季度目录汇总）"

# (folder, at, edits): an edit is (file, key, {column: value}); the key is the row's first
# column, or "resource/item name" in items.csv
VERSIONS = [
    ("2026-05-15", "2026-05-15T10:00:00+08:00", [
        ("catalog.csv", "R-RS-JY", {"更新周期": "", "共享条件": ""}),
        ("systems.csv", "YX-S-SJ-ZF", {"部署方式": "自建机房", "接入共享平台": "否"}),
    ]),
    ("2026-08-20", "2026-08-20T10:00:00+08:00", [
        ("catalog.csv", "R-WJ-JK", {"共享类型": "无条件共享", "共享条件": ""}),
        ("items.csv", "R-ZW-BJ/申请人身份证号", {"来源资源代码": ""}),
    ]),
]


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with open(DEMO / name, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _key(name: str, header: list[str], row: list[str]) -> str:
    if name == "items.csv":
        return f"{row[header.index('资源代码')]}/{row[header.index('信息项名称')]}"
    return row[0]


def write(out: Path = OUT) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = []
    for folder, at, edits in VERSIONS:
        files: dict[str, tuple[list[str], list[list[str]]]] = {}
        for name, key, cells in edits:
            header, rows = files.setdefault(name, _read(name))
            row = next((r for r in rows if _key(name, header, r) == key), None)
            if row is None:
                raise KeyError(f"{name}: no row {key}")
            for column, value in cells.items():
                row[header.index(column)] = value
        (out / folder).mkdir()
        for name, (header, rows) in sorted(files.items()):
            with open(out / folder / name, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows)
        manifest.append({"at": at, "by": ACTOR, "source": SOURCE, "folder": folder})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    write()
