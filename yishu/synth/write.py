"""Writing a run: the generator in full, its rows in the template's columns, ``generate``."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from loaders.spec import FILES
from yishu.synth.defects import Defects
from yishu.synth.model import AS_OF, SynthReport, parse_scale
from yishu.synth.pools import LV_NAME

__all__ = ["UNFILLED", "HEADERS", "Generator", "generate"]

# The template's headers (loaders.spec), without the optional columns the generator leaves empty.
UNFILLED: dict[str, tuple[str, ...]] = {"resource": ("physicalDataset",)}  # kind -> fields
HEADERS: dict[str, list[str]] = {
    f.file: f.headers_without(*UNFILLED.get(f.kind, ())) for f in FILES}


class Generator(Defects):
    """The generator, every step: organisation, catalog, exchange, defects, rows."""

    def rows(self) -> dict[str, list[list[str]]]:
        out: dict[str, list[list[str]]] = {}
        out["departments.csv"] = self.deps
        out["data_elements.csv"] = list(self.elements.values())
        out["responsibilities.csv"] = self.resp
        out["systems.csv"] = list(self.systems.values())
        cat = []
        for res in self.res.values():
            names = "、".join(self.items[i].name for i in res.items[:3])
            abstract = (f"{res.name}，包括{names}等{len(res.items)}个信息项，服务于{res.scenario}。"
                        if res.items else f"{res.name}（信息项待补录）。")
            open_type = "无条件开放" if res.stype == "无条件共享" and res.level == 1 else "不予开放"
            cat.append([res.code, res.name, abstract, res.category, res.base, res.provider, res.system,
                        res.scenario, res.platform, res.stype, res.cond, res.basis, res.method, open_type,
                        res.freq, LV_NAME.get(res.level, ""), "是" if res.secret else "否", res.issued,
                        "XLSX" if res.method == "文件下载" else "数据库表", ";".join(res.up)])
        out["catalog.csv"] = cat
        out["items.csv"] = [[it.res, it.name, it.de, it.typ, str(it.length), "是" if it.auth else "否",
                             it.src, LV_NAME.get(it.lvl, "")] for it in self.items]
        out["sharing.csv"] = self.reqs
        out["flows.csv"] = self.flows
        return out


def generate(out: str | Path, scale: float | str = 1.0, seed: int = 0, *,
             progress: bool = False) -> SynthReport:
    """Write a synthetic catalog (8 CSV files + defects.json) into ``out``."""
    t0 = time.perf_counter()
    s = parse_scale(scale)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=max(60, round(3150 * s)) + 100, desc="synth", unit="资源", leave=False,
                   disable=None)
    g = Generator(s, seed, bar.update if bar is not None else None)
    g.k = max(1, round(3 * s))
    g.departments()
    g.make_systems()
    g.resources()
    g.finish_levels()
    g.responsibilities()
    g.requests()
    g.make_flows()
    g.plant_all()
    report = SynthReport(out, s, seed)
    for name, rows in g.rows().items():
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADERS[name])
            for row in rows:
                if len(row) != len(HEADERS[name]):
                    raise ValueError(f"{name}: a row of {len(row)} cells under "
                                     f"{len(HEADERS[name])} headers: {row[:2]}")
            w.writerows(rows)
        report.rows[name] = len(rows)
    defects = sorted(g.defects, key=lambda d: (d["rule"], d["focus"]))
    (out / "defects.json").write_text(json.dumps(
        {"dataset": f"synth-scale{s:g}-seed{seed}", "as_of": AS_OF.isoformat(), "scale": s,
         "seed": seed, "defects": defects}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for d in defects:
        report.defects[d["rule"]] = report.defects.get(d["rule"], 0) + 1
    if bar is not None:
        bar.close()
    report.seconds = time.perf_counter() - t0
    return report
