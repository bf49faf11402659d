"""Bulletin benchmark (issue 14 step 4): the quarterly 通报 of a synthetic catalog with a history,
beside one plain audit of today's catalog, in one run.

The store (benchmarks/out/bulletin-<scale>-<seed>/store, rebuilt each run) holds three versions
of the synthetic catalog: at 2026-05-15 (2026Q2) the generated files; at 2026-08-15 (2026Q3) the
same with 5% of the resources' 更新周期 cleared (CAT-002 findings appear) and the 共享条件 of
another 2% cleared where they are 有条件共享 (SHR-001); today the generated files again. Then:

- plain: ``audit(store)`` of today's catalog (what the dashboard runs);
- bulletin: the catalog as of the end of 2026Q2 and of 2026Q3 (``store.as_of``, build time
  apart), the two audits one after the other, the comparison, the HTML and the PDF (WeasyPrint);
  and the two audits and the comparison again on two threads (``build(parallel=True)``, what
  ``yishu bulletin`` does), checked to give the same bulletin.

    .venv/bin/python benchmarks/bench_bulletin.py [--scale district|city] [--seed 7]

Target: a bulletin for a city ≤ 2 minutes. Every step runs once; the run stops before a step
when ``--max-seconds`` have passed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import OUT, dataset  # noqa: E402

BJ = dt.timezone(dt.timedelta(hours=8))
CLEAR_PERIOD = 0.05
CLEAR_CONDITIONS = 0.02


def _edit(base: Path, into: Path, seed: int) -> tuple[int, int]:
    """The 2026Q3 files: 5% of the resources without 更新周期, 2% of the conditional ones
    without 共享条件."""
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(base, into)
    with open(into / "catalog.csv", encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        header, rows = list(r.fieldnames or []), list(r)
    rnd = random.Random(seed)
    period = rnd.sample(rows, max(1, int(len(rows) * CLEAR_PERIOD)))
    for row in period:
        row["更新周期"] = ""
    conditional = [row for row in rows if row["共享类型"] == "有条件共享" and row["共享条件"]
                   and row not in period]
    cond = rnd.sample(conditional, min(len(conditional), max(1, int(len(rows) *
                                                                    CLEAR_CONDITIONS))))
    for row in cond:
        row["共享条件"] = ""
    with open(into / "catalog.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        w.writerows(rows)
    return len(period), len(cond)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-seconds", type=float, default=1800)
    args = ap.parse_args()

    from graph.history import stamped
    from graph.store import CatalogStore
    from loaders import load_path
    from shapes.audit import audit
    from shapes.bulletin import build, compare, district_name
    from shapes.bulletin_render import to_html, to_pdf
    from shapes.quarter import Quarter

    t_start = time.perf_counter()
    base = dataset(args.scale, args.seed)
    home = OUT / f"bulletin-{args.scale}-{args.seed}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    q3_files = home / "q3"
    cleared = _edit(base, q3_files, args.seed)
    store = CatalogStore(home / "store")
    loads = []
    for when, folder in ((dt.datetime(2026, 5, 15, 10, tzinfo=BJ), base),
                         (dt.datetime(2026, 8, 15, 10, tzinfo=BJ), q3_files), (None, base)):
        t0 = time.perf_counter()
        with stamped(when, "bench"):
            report = load_path(store, folder, "catalog")
        loads.append((when, time.perf_counter() - t0, report.triples))

    rows: list[tuple[str, float, str]] = []

    def step(name: str, fn, note=lambda r: ""):
        if time.perf_counter() - t_start > args.max_seconds:
            rows.append((name, float("nan"), "skipped: --max-seconds reached"))
            return None
        t0 = time.perf_counter()
        out = fn()
        rows.append((name, time.perf_counter() - t0, note(out)))
        return out

    q = Quarter(2026, 3)
    plain = step("plain: one audit of today's catalog", lambda: audit(store),
                 lambda r: f"{len(r.findings)} findings")
    before_store = step("as-of store, end of 2026Q2", lambda: store.as_of(q.previous().end_instant),
                        lambda s: f"{len(s):,} triples")
    now_store = step("as-of store, end of 2026Q3", lambda: store.as_of(q.end_instant),
                     lambda s: f"{len(s):,} triples")
    before = step("audit, end of 2026Q2", lambda: audit(before_store, as_of=q.previous().end),
                  lambda r: f"{len(r.findings)} findings")
    now = step("audit, end of 2026Q3", lambda: audit(now_store, as_of=q.end),
               lambda r: f"{len(r.findings)} findings")
    b = step("compare (movers, KPIs, findings new/fixed)",
             lambda: compare(before, now, q, district=district_name(now_store)),
             lambda b: f"up {b.summary.up}, down {b.summary.down}, new "
                       f"{sum(b.summary.new.values())}, fixed {sum(b.summary.fixed.values())}")
    par = step("  the same two audits on two threads + compare",
               lambda: build(before_store, now_store, q, parallel=True),
               lambda x: "same bulletin" if x.as_dict() == b.as_dict() else "DIFFERENT")
    html = step("render HTML", lambda: to_html(b), lambda h: f"{len(h):,} bytes")
    pdf = step("render PDF (WeasyPrint)", lambda: to_pdf(b, html=html),
               lambda p: f"{len(p):,} bytes")
    del pdf

    secs = {name: s for name, s, _ in rows}
    total = sum(s for name, s, _ in rows
                if not name.startswith(("plain", "  the same")) and s == s)
    parallel = total - sum(secs.get(k, 0.0) for k in (
        "audit, end of 2026Q2", "audit, end of 2026Q3",
        "compare (movers, KPIs, findings new/fixed)")) + secs.get(
        "  the same two audits on two threads + compare", float("nan"))
    del par
    print(f"\nbulletin benchmark — synthetic {args.scale} (seed {args.seed}), "
          f"{loads[-1][2]:,} triples; 2026Q3 files: {cleared[0]} resources without 更新周期, "
          f"{cleared[1]} without 共享条件")
    for when, secs, n in loads:
        print(f"  load {'today' if when is None else when.date()}: {secs:.1f} s ({n:,} triples)")
    print(f"\n{'step':<48}{'seconds':>9}  note")
    for name, secs, note in rows:
        print(f"{name:<48}{secs:>9.2f}  {note}")
    print(f"{'bulletin, all steps (as-of, audits, compare, HTML, PDF)':<48}{total:>9.2f}")
    print(f"{'  … with the two audits on two threads':<48}{parallel:>9.2f}")
    if plain is not None:
        print(f"{'  … beside one plain audit':<48}{rows[0][1]:>9.2f}  "
              f"(bulletin / audit = {total / rows[0][1]:.1f}×)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    store.close()


if __name__ == "__main__":
    main()
