"""History benchmark (issue 14): twelve monthly versions of a synthetic catalog, 5% of the
resources changed each month (their summary and the data length of each of their items),
against a single version of the same final files, in one run:

- store size (quads, and bytes on disk once reopened) and load time per version, beside one
  load, and the part of a load that computes the delta;
- the catalog as of month 6 (build time of the as-of store printed apart), then lookups,
  lineage depth 5 and the audit on it beside the same on today's store, p50/p95.

    .venv/bin/python benchmarks/bench_history.py [--scale district|city] [--seed 7] [-n 100]

Targets: 12 versions ≤ 1.6× the single version's size; as-of lineage p95 ≤ 2× today's and
≤ 50 ms. Every loop is bounded (12 months, ``-n`` samples; past ``--max-seconds`` no month is added
and the run goes on with the months it has, saying so).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import pct  # noqa: E402
from common import OUT, dataset  # noqa: E402

MONTHS = 12
CHANGED = 0.05


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _quads(store) -> int:
    return sum(1 for _ in store.store.quads_for_pattern(None, None, None, None))


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        w.writerows(rows)


def months(base: Path, work: Path, seed: int):
    """Yield (month, folder) twelve times: month 1 is the synthetic catalog, every next one
    changes 5% of the resources of the one before (in place, in ``work``)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    rnd = random.Random(seed)
    ch, cat = _read(work / "catalog.csv")
    ih, items = _read(work / "items.csv")
    by_res: dict[str, list[dict[str, str]]] = {}
    for it in items:
        by_res.setdefault(it["资源代码"], []).append(it)
    for m in range(1, MONTHS + 1):
        if m > 1:
            for r in rnd.sample(cat, max(1, int(len(cat) * CHANGED))):
                r["资源摘要"] = f"{r['资源摘要'].split('（')[0]}（{m}月修订）"
                for it in by_res.get(r["资源代码"], []):
                    if it["数据长度"]:
                        it["数据长度"] = str(int(it["数据长度"]) + 1)
            _write(work / "catalog.csv", ch, cat)
            _write(work / "items.csv", ih, items)
        yield m, work


def timed(fn, args: list, n: int) -> list[float]:
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(args[i % len(args)])
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--max-seconds", type=float, default=3600.0)
    ap.add_argument("--no-audit", action="store_true",
                    help="skip the two audits (bench_bulletin.py audits catalogs as of a date "
                         "beside today's)")
    args = ap.parse_args()

    from graph.history import SHANGHAI, stamped
    from graph.model import Direction
    from graph.oxigraph_engine import OxigraphGraph
    from graph.store import CatalogStore
    from loaders import load_path
    from shapes.audit import audit

    deadline = time.monotonic() + args.max_seconds
    base = dataset(args.scale, args.seed)
    root = OUT / f"history-{args.scale}-{args.seed}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    hist_store = CatalogStore(root / "history")
    load_times, load_cpu, sizes = [], [], []
    stamps = []
    print(f"start {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    for m, folder in months(base, root / "files", args.seed):
        if time.monotonic() > deadline and m > 2:
            print(f"  stopped adding months: over --max-seconds {args.max_seconds:g} "
                  f"after month {m - 1}", flush=True)
            break
        when = dt.datetime(2025, m, 28, 12, tzinfo=SHANGHAI)  # a year ago: never in the future
        stamps.append(when)
        t0, c0 = time.perf_counter(), time.process_time()
        with stamped(when, "bench"):
            load_path(hist_store, folder, "bench")
        load_times.append(time.perf_counter() - t0)
        load_cpu.append(time.process_time() - c0)
        hist_store.store.flush()
        sizes.append(_quads(hist_store))
        v = hist_store.versions()[-1]
        print(f"  month {m:2}: load {load_times[-1]:.2f}s (cpu {load_cpu[-1]:.2f}s), "
              f"+{v.added:,} -{v.removed:,} triples, {sizes[-1]:,} quads, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
    done = len(stamps)
    single = CatalogStore(root / "single")
    t0, c0 = time.perf_counter(), time.process_time()
    load_path(single, root / "files", "bench")
    single_load, single_cpu = time.perf_counter() - t0, time.process_time() - c0
    single.store.flush()
    single_quads = _quads(single)
    from graph.history import compute_delta, graph_lines

    cur = hist_store.current_graphs()[0]
    t0 = time.perf_counter()
    graph_lines(hist_store.store, cur)  # reading a whole version back
    t1 = time.perf_counter()
    compute_delta(hist_store.store, cur, cur)  # what versions add to a load: the delta
    delta_s = time.perf_counter() - t1
    read_s = t1 - t0
    # RocksDB deletes the files a replaced version left only when the store is reopened
    hist_store.close()
    single.close()
    hist_store, single = CatalogStore(root / "history"), CatalogStore(root / "single")
    disk_h, disk_s = _disk(root / "history"), _disk(root / "single")

    t0 = time.perf_counter()
    mid = min(5, done // 2)  # month 6 (the middle of what was loaded when stopped early)
    past = hist_store.as_of(stamps[mid])
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    hist_store.as_of(stamps[mid])
    cached = time.perf_counter() - t0
    today, then = OxigraphGraph(hist_store), OxigraphGraph(past)
    rnd = random.Random(args.seed)
    codes = [c for c, _ in today._codes("resource")]
    sample = [f"resource:{c}" for c in rnd.sample(codes, min(len(codes), args.n))]
    rows = []
    for label, g in (("today", today), (f"as of month {mid + 1}", then)):
        g.get(sample[0])
        g.lineage(sample[0], Direction.UPSTREAM, 5)  # warm-up (caches, text index)
        look = timed(g.get, sample, args.n)
        lin = timed(lambda n, g=g: g.lineage(n, Direction.UPSTREAM, 5), sample, args.n)
        rows.append((label, pct(look, 50), pct(look, 95), pct(lin, 50), pct(lin, 95)))
    audit_today = audit_then = float("nan")
    if not args.no_audit:
        t0 = time.perf_counter()
        audit(hist_store, as_of=dt.date(2026, 12, 31))
        audit_today = time.perf_counter() - t0
        t0 = time.perf_counter()
        audit(past, as_of=stamps[mid].date())
        audit_then = time.perf_counter() - t0

    print(f"\n{args.scale}, seed {args.seed}, {done} monthly versions, "
          f"{CHANGED:.0%} of resources changed each month (cpu count {os.cpu_count()}); end "
          f"{dt.datetime.now(dt.UTC):%H:%M} UTC, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\n| store | quads | bytes on disk | load s wall (mean of months 2– / last) | "
          "load CPU s |\n|---|---|---|---|---|")
    print(f"| single version | {single_quads:,} | {disk_s:,} | {single_load:.2f} | "
          f"{single_cpu:.2f} |")
    later = max(1, done - 1)
    print(f"| {done} versions | {sizes[-1]:,} ({sizes[-1] / single_quads:.3f}×) | {disk_h:,} "
          f"({disk_h / disk_s:.2f}×) | {sum(load_times[1:]) / later:.2f} / "
          f"{load_times[-1]:.2f} | {sum(load_cpu[1:]) / later:.2f} |")
    print(f"\nof each load, computing the delta takes {delta_s:.2f}s (reading a whole version "
          f"back as N-Triples lines takes {read_s:.2f}s); the rest: the bulk load and dropping "
          "the replaced version, as before versions")
    print(f"as-of store (month {mid + 1}) built in {build:.2f}s (asked again: {cached * 1000:.1f} "
          f"ms, cached); audit today {audit_today:.2f}s, as of month {mid + 1} "
          f"{audit_then:.2f}s")
    print("\n| catalog | lookup p50 ms | p95 | lineage depth 5 p50 ms | p95 |\n|---|---|---|---|---|")
    for label, a, b, c, d in rows:
        print(f"| {label} | {a:.2f} | {b:.2f} | {c:.2f} | {d:.2f} |")
    lin_ratio = rows[1][4] / rows[0][4] if rows[0][4] else float("inf")
    print(f"\ntargets: size {sizes[-1] / single_quads:.3f}× ≤ 1.6×; as-of lineage p95 "
          f"{rows[1][4]:.1f} ms ≤ 50 ms and {lin_ratio:.2f}× today's ≤ 2×")


if __name__ == "__main__":
    main()
