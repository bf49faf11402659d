"""Bulletin benchmark (issue 14 step 4): the quarterly 通报 of a synthetic catalog with a history,
beside one plain audit of today's catalog, in one run.

The store (benchmarks/out/bulletin-<scale>-<seed>/store, rebuilt each run) holds three versions
of the synthetic catalog: at 2026-05-15 (2026Q2) the generated files; at 2026-08-15 (2026Q3) the
same with 5% of the resources' 更新周期 cleared (CAT-002 findings appear) and the 共享条件 of
another 2% cleared where they are 有条件共享 (SHR-001); today the generated files again. Then:

- plain: ``audit(store)`` of today's catalog (what the dashboard runs);
- cold, what ``yishu bulletin`` does in a fresh process with nothing kept
  (:func:`shapes.bulletin_audits.bulletin_of`): the catalogs as of the end of 2026Q2 and of
  2026Q3 read from disk once, each taken over by its audit (no working copy), the earlier one
  audited in a forked process while this one audits the later, the comparison; then the HTML
  and the PDF (WeasyPrint, its two parts laid out on two cores: :mod:`shapes.bulletin_pdf`),
  beside the PDF laid out in one piece on one core as before;
- before (skipped with ``--no-uncached``): the path before — shared as-of stores
  (``store.as_of_many``), each audit copying its catalog, two threads (``build``) — and the
  plain computation, one audit after the other; both checked to give the same bulletin;
- warm, a fresh process after the bulletin of 2026Q2 was made: the audit of the end of 2026Q2
  is kept on disk beside the store (:mod:`shapes.audit_cache`); the end of 2026Q3 is read and
  audited, compared and rendered — checked to give the same bulletin;
- again, a fresh process asking for the same bulletin: both audits kept on disk.

CPU seconds count this process's threads and the forked audit (``os.times``).

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


def cpu() -> float:
    """CPU seconds of this process (all its threads) and of its children waited for (the
    bulletin's forked audit)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--no-uncached", action="store_true",
                    help="skip the uncached one-after-the-other run (two more audits; the tests "
                         "hold the cached bulletin equal to it)")
    args = ap.parse_args()

    from graph.asof_owned import clear_kept, owned_as_of_many
    from graph.history import stamped
    from graph.store import CatalogStore
    from loaders import load_path
    from shapes.audit import audit
    from shapes.audit_cache import forget as forget_audit
    from shapes.bulletin import build, compare, district_name
    from shapes.bulletin_audits import bulletin_of
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
        t0, c0 = time.perf_counter(), cpu()
        out = fn()
        rows.append((name, time.perf_counter() - t0, cpu() - c0, note(out)))
        return out

    def forget() -> None:  # a fresh process, nothing kept: no catalog as of a date, no audit
        store.as_of_cache.clear()  # in memory, nothing on disk
        for cache in getattr(store, "history_caches", ()):
            cache.clear()
        clear_kept(store)

    q = Quarter(2026, 3)
    load_avg = [os.getloadavg()]
    plain = step("plain: one audit of today's catalog", lambda: audit(store),
                 lambda r: f"{len(r.findings)} findings")

    def same(x) -> str:
        return "same bulletin" if b is not None and x.as_dict() == b.as_dict() else "DIFFERENT"

    # 1. cold: what `yishu bulletin` does in a fresh process with nothing kept — catalogs as of
    # both quarter ends that the audits take over, the earlier audited in a forked process
    forget()
    cold_from = len(rows)
    got = step("cold: owned as-of catalogs, two audits in two processes, compare",
               lambda: bulletin_of(store, q),
               lambda x: f"up {x[0].summary.up}, down {x[0].summary.down}, new "
                         f"{sum(x[0].summary.new.values())}, fixed "
                         f"{sum(x[0].summary.fixed.values())}")
    b, qa = got if got is not None else (None, None)
    html = step("render HTML", lambda: to_html(b), lambda h: f"{len(h):,} bytes")
    step("render PDF (WeasyPrint, two parts on two cores)", lambda: to_pdf(b, html=html),
         lambda p: f"{len(p):,} bytes")
    cold = rows[cold_from:]
    if html is not None:  # the plain alternative: the document in one piece, one core
        from weasyprint import HTML

        step("  PDF in one piece on one core (before)", lambda: HTML(string=html).write_pdf(),
             lambda p: f"{len(p):,} bytes")
    cold_audits = [] if qa is None else [(r.as_of, dict(r.timings), r.seconds)
                                         for r in (qa.before, qa.now)]
    # the path before (shared as-of stores, each audit copying its catalog, two threads), and
    # the plain computation one audit after the other: the same bulletin
    forget()
    seq_from = len(rows)
    if not args.no_uncached:
        pair = step("  before: shared as-of stores (as_of_many)",
                    lambda: store.as_of_many([q.previous().end_instant, q.end_instant]))
        step("  before: two audits copying them, two threads, compare",
             lambda: build(*pair, q, parallel=True), same)
        forget()
        bs = step("  uncached: as-of stores one by one",
                  lambda: (store.as_of(q.previous().end_instant), store.as_of(q.end_instant)))
        step("  uncached: the two audits one after the other + compare",
             lambda p=bs: compare(audit(p[0], as_of=q.previous().end),
                                  audit(p[1], as_of=q.end), q, district=district_name(p[1])),
             same)
        pair = bs = None
    sequential = rows[seq_from:]
    # 2. warm: a fresh process after the bulletin of 2026Q2 was made — its end-of-quarter audit
    # is kept on disk beside the store; the end of 2026Q3 is read and audited here
    forget()
    bulletin_of(store, q)  # untimed: both kept …
    now_past = owned_as_of_many(store, [q.end_instant])[0]
    forget_audit(now_past, as_of=q.end)  # … then the end of 2026Q3 forgotten
    for cache in getattr(store, "history_caches", ()):
        cache.clear()
    warm_from = len(rows)
    w = step("warm: 2026Q2's audit kept on disk; read, audit 2026Q3, compare",
             lambda: bulletin_of(store, q)[0], same)
    step("  render HTML + PDF", lambda: to_pdf(w, html=to_html(w)), lambda p: f"{len(p):,} bytes")
    warm = rows[warm_from:]
    # 3. asked again in a fresh process: both audits kept on disk
    for cache in getattr(store, "history_caches", ()):
        cache.clear()
    again_from = len(rows)
    a = step("again: both audits kept on disk, compare", lambda: bulletin_of(store, q)[0], same)
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
    for name, secs, cpu_s, note in rows:
        print(f"| {name} | {secs:.2f} | {cpu_s:.2f} | {note} |")

    def total(part) -> tuple[float, float]:
        return sum(r[1] for r in part), sum(r[2] for r in part)

    print("\n| bulletin of 2026Q3 | wall s | CPU s |\n|---|---|---|")
    before_rows = [r for r in sequential if r[0].startswith("  before")]
    uncached_rows = [r for r in sequential if r[0].startswith("  uncached")]
    for label, part in (("cold (fresh process, nothing kept: as-of, two audits in two "
                         "processes, compare, HTML, PDF)", cold),
                        *([("before: shared as-of stores, audits copying them on two threads, "
                            "compare (no HTML, PDF)", before_rows)] if before_rows else []),
                        *([("uncached, audits one after the other (as-of, audits, compare)",
                            uncached_rows)] if uncached_rows else []),
                        ("warm (fresh process, 2026Q2's audit kept on disk: one audit)", warm),
                        ("again (fresh process, both audits kept on disk)", again)):
        wall, cpu_s = total(part)
        print(f"| {label} | {wall:.2f} | {cpu_s:.2f} |")
    if plain is not None:
        print(f"| plain: one audit of today's catalog | {rows[0][1]:.2f} | {rows[0][2]:.2f} |")
    if b is not None:
        print("cold bulletin_of, wall s since it started: " + ", ".join(
            f"{k} {v:.1f}" for k, v in b.timings.items())
              + " (read: both quarter ends read, the earlier audit forked after the first)")
    for day, parts, secs in cold_audits:
        print(f"cold audit as of {day}: {secs:.1f} s — " + ", ".join(
            f"{k} {v:.1f}" for k, v in parts.items()))
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB, "
          f"of a forked audit "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB "
          "(CPU s: this process, all its threads, and its forked audits)")
    store.close()


if __name__ == "__main__":
    main()
