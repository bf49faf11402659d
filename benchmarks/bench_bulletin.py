"""Bulletin benchmark (issue 14 step 4): the quarterly 通报 of a synthetic catalog with a history,
beside one plain audit of today's catalog, in one run.

The store (benchmarks/out/bulletin-<scale>-<seed>/store, rebuilt each run) holds three versions
of the synthetic catalog: at 2026-05-15 (2026Q2) the generated files; at 2026-08-15 (2026Q3) the
same with 5% of the resources' 更新周期 cleared (CAT-002 findings appear) and the 共享条件 of
another 2% cleared where they are 有条件共享 (SHR-001); today the generated files again. Then:

- plain: ``audit(store)`` of today's catalog (what the dashboard runs);
- cold, what ``yishu bulletin`` does in a fresh process: the catalog as of the end of 2026Q2 and
  of 2026Q3 (``store.as_of``), the two audits on two threads and the comparison
  (``build(parallel=True)``), the HTML and the PDF (WeasyPrint);
- uncached, one after the other: the same without any cache and without threads (the plain
  computation), checked to give the same bulletin;
- warm: the bulletin of 2026Q2 was made before, so the audit of the end of 2026Q2 is kept
  (:mod:`shapes.audit_cache`); the catalogs as of both dates are built again, the end of
  2026Q3 audited, compared and rendered — checked to give the same bulletin;
- again: the same bulletin asked again (a page reloaded): both audits kept.

    .venv/bin/python benchmarks/bench_bulletin.py [--scale district|city] [--seed 7]

Target: a bulletin for a city ≤ 2 minutes. Every step runs once; the run stops before a step
when ``--max-seconds`` have passed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
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
    ap.add_argument("--no-uncached", action="store_true",
                    help="skip the uncached one-after-the-other run (two more audits; the tests "
                         "hold the cached bulletin equal to it)")
    args = ap.parse_args()

    from graph.history import stamped
    from graph.store import CatalogStore
    from loaders import load_path
    from shapes.audit import audit
    from shapes.audit_cache import audit_as_of
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

    rows: list[tuple[str, float, float, str]] = []

    def step(name: str, fn, note=lambda r: ""):
        if time.perf_counter() - t_start > args.max_seconds:
            rows.append((name, float("nan"), float("nan"), "skipped: --max-seconds reached"))
            return None
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        rows.append((name, time.perf_counter() - t0, time.process_time() - c0, note(out)))
        return out

    def forget() -> None:  # a fresh process: no catalog as of a date, no audit kept
        store.as_of_cache.clear()
        for cache in getattr(store, "history_caches", ()):
            cache.clear()

    q = Quarter(2026, 3)
    load_avg = [os.getloadavg()]
    plain = step("plain: one audit of today's catalog", lambda: audit(store),
                 lambda r: f"{len(r.findings)} findings")
    # 1. cold: what `yishu bulletin` does in a fresh process
    forget()
    cold_from = len(rows)
    pair = step("as-of stores, end of 2026Q2 and 2026Q3 (as_of_many)",
                lambda: store.as_of_many([q.previous().end_instant, q.end_instant]),
                lambda p: f"{len(p[0]):,} and {len(p[1]):,} triples")
    before_store, now_store = pair if pair is not None else (None, None)
    b = step("two audits on two threads + compare",
             lambda: build(before_store, now_store, q, parallel=True),
             lambda x: f"up {x.summary.up}, down {x.summary.down}, new "
                       f"{sum(x.summary.new.values())}, fixed {sum(x.summary.fixed.values())}")
    html = step("render HTML", lambda: to_html(b), lambda h: f"{len(h):,} bytes")
    step("render PDF (WeasyPrint)", lambda: to_pdf(b, html=html), lambda p: f"{len(p):,} bytes")
    cold = rows[cold_from:]
    # where each cold audit's time went (wall s of its steps, from the kept results)
    cold_audits = [(r.as_of, dict(r.timings), r.seconds)
                   for r in getattr(store, "audit_results", {}).values()]
    # the uncached computation, one audit after the other: the same bulletin
    before_store = now_store = None
    forget()
    seq_from = len(rows)
    bs = None if args.no_uncached else step(
        "  as-of stores again (uncached, one by one)",
        lambda: (store.as_of(q.previous().end_instant), store.as_of(q.end_instant)))
    if bs is not None:
        step("  the two audits one after the other + compare",
             lambda p=bs: compare(audit(p[0], as_of=q.previous().end),
                                  audit(p[1], as_of=q.end), q, district=district_name(p[1])),
             lambda x: "same bulletin" if b is not None and x.as_dict() == b.as_dict()
             else "DIFFERENT")
    sequential = rows[seq_from:]
    bs = None
    # 2. warm: the bulletin of 2026Q2 was made before (its end-of-quarter audit is kept), a
    # fresh catalog as of each date is built, the audit of the end of 2026Q3 is computed
    forget()
    audit_as_of(store.as_of(q.previous().end_instant), as_of=q.previous().end)  # untimed
    store.as_of_cache.clear()
    warm_from = len(rows)
    w = step("warm: as-of stores, 2026Q3's audit, compare",
             lambda: build(*store.as_of_many([q.previous().end_instant, q.end_instant]), q),
             lambda x: "same bulletin" if b is not None and x.as_dict() == b.as_dict()
             else "DIFFERENT")
    step("  render HTML + PDF", lambda: to_pdf(w, html=to_html(w)), lambda p: f"{len(p):,} bytes")
    warm = rows[warm_from:]
    # 3. asked again (the page reloaded): both audits and both catalogs kept
    again_from = len(rows)
    a = step("again: both audits kept, compare",
             lambda: build(*store.as_of_many([q.previous().end_instant, q.end_instant]), q),
             lambda x: "same bulletin" if b is not None and x.as_dict() == b.as_dict()
             else "DIFFERENT")
    step("  render HTML + PDF", lambda: to_pdf(a, html=to_html(a)), lambda p: f"{len(p):,} bytes")
    again = rows[again_from:]
    load_avg.append(os.getloadavg())

    print(f"\nbulletin benchmark — synthetic {args.scale} (seed {args.seed}), "
          f"{loads[-1][2]:,} triples; 2026Q3 files: {cleared[0]} resources without 更新周期, "
          f"{cleared[1]} without 共享条件; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load "
          f"average {load_avg[0][0]:.1f} at the start, {load_avg[1][0]:.1f} at the end, "
          f"{os.cpu_count()} cores")
    for when, secs, n in loads:
        print(f"  load {'today' if when is None else when.date()}: {secs:.1f} s ({n:,} triples)")
    print("\n| step | wall s | CPU s | note |\n|---|---|---|---|")
    for name, secs, cpu, note in rows:
        print(f"| {name} | {secs:.2f} | {cpu:.2f} | {note} |")

    def total(part) -> tuple[float, float]:
        return sum(r[1] for r in part), sum(r[2] for r in part)

    print("\n| bulletin of 2026Q3 | wall s | CPU s |\n|---|---|---|")
    for label, part in (("cold (fresh process: as-of stores, two audits, compare, HTML, PDF)",
                         cold),
                        *([("uncached, audits one after the other (as-of, audits, compare)",
                            sequential)] if sequential else []),
                        ("warm (2026Q2's bulletin made before: one audit)", warm),
                        ("again (both audits kept)", again)):
        wall, cpu = total(part)
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    if plain is not None:
        print(f"| plain: one audit of today's catalog | {rows[0][1]:.2f} | {rows[0][2]:.2f} |")
    for day, parts, secs in cold_audits:
        print(f"cold audit as of {day}: {secs:.1f} s — " + ", ".join(
            f"{k} {v:.1f}" for k, v in parts.items()))
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB "
          "(CPU s: this process, all its threads)")
    store.close()


if __name__ == "__main__":
    main()
