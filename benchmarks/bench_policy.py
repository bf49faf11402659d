"""Access-policy benchmark: what answering over the anonymous view (graph.view.HiddenView: the
涉密 entries taken out inside the engine primitives) costs beside the plain answer an admin gets
on the same store. Target (issue 15): anonymous ≤ 1.5× admin.

    .venv/bin/python benchmarks/bench_policy.py [--scale district] [--seed 0] [--repeat 3]
        [--only impact]

Generates the synthetic catalog into benchmarks/out/ the first time (``yishu synth``), loads it
into an in-memory Oxigraph store, warms both views (the hidden set is computed once per store
version, like the server does at start-up), then times each question as admin and as anonymous,
alternately (admin, anonymous, admin, …: a machine whose load drifts weighs on both alike),
median of ``--repeat`` runs each, milliseconds, with the CPU seconds of the process beside.
``--only`` keeps the questions whose name contains one of the words given (at city scale the
impact question alone takes minutes). Results also go to benchmarks/out/bench_policy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import OUT, dataset  # noqa: E402


def _time_pair(fa, fb, repeat: int) -> tuple[float, float, float, float]:
    """(median ms of fa, of fb, CPU s of fa, of fb), run alternately after one warm run each."""
    fa()
    fb()
    wall: tuple[list[float], list[float]] = ([], [])
    cpu = [0.0, 0.0]
    for _ in range(repeat):
        for i, fn in enumerate((fa, fb)):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[i].append(time.perf_counter() - t0)
            cpu[i] += time.process_time() - c0
    return (statistics.median(wall[0]) * 1000, statistics.median(wall[1]) * 1000,
            cpu[0] / repeat, cpu[1] / repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None,
                    help="keep the questions whose name contains one of these words")
    args = ap.parse_args()

    from api.policy import PolicyGraph, Restrictions
    from graph.model import Direction
    from graph.oxigraph_engine import OxigraphGraph
    from graph.store import CatalogStore
    from loaders import load_path

    folder = dataset(args.scale, args.seed)
    store = CatalogStore()
    t0 = time.perf_counter()
    load_path(store, folder, "synth")
    print(f"loaded {folder.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    graph = OxigraphGraph(store)
    r = Restrictions(graph)
    t0 = time.perf_counter()
    hidden = r.hidden()
    print(f"hidden set: {len(hidden)} entries, computed in {time.perf_counter() - t0:.2f} s")
    admin = PolicyGraph(graph, persons=True, phones=True, classified=True, restrictions=r)
    anon = PolicyGraph(graph, persons=False, phones=False, classified=False, restrictions=r)

    resources = [e for e in admin.list("resource", first=500).items
                 if e.iri not in hidden]
    busiest = sorted(resources, key=lambda e: (-len(e.fields.get("derivedFrom", [])), e.iri))[:3]
    systems = [e for e in admin.list("system", first=50).items if e.iri not in hidden][:3]
    words = sorted({(e.label or "")[:2] for e in resources if e.label})[:3]

    def pages(g, kind, **kw):
        def run():
            after = None
            for _ in range(3):
                p = g.list(kind, first=100, after=after, **kw)
                after = p.end_cursor
                if not p.has_next:
                    break
        return run

    questions = {
        "lineage BOTH depth 3 (3 resources)": lambda g: lambda: [
            g.lineage(e.iri, Direction.BOTH, 3) for e in busiest],
        "listing resources, 3 pages of 100": lambda g: pages(g, "resource"),
        "listing items, 3 pages of 100": lambda g: pages(g, "item"),
        "listing resources, text filter": lambda g: lambda: [
            g.list("resource", text=w, first=50) for w in words],
        "search (3 words)": lambda g: lambda: [g.search(w, first=20) for w in words],
        "impact depth 5 (3 resources, 3 systems)": lambda g: lambda: [
            g.impact(e.iri, 5) for e in busiest + systems],
    }
    if args.only:
        questions = {k: v for k, v in questions.items() if any(w in k for w in args.only)}
    rows = []
    load0 = os.getloadavg()[0]
    for name, make in questions.items():
        a, b, ca, cb = _time_pair(make(admin), make(anon), args.repeat)
        rows.append({"question": name, "admin_ms": round(a, 1), "anonymous_ms": round(b, 1),
                     "ratio": round(b / a, 2) if a else None, "admin_cpu_s": round(ca, 2),
                     "anonymous_cpu_s": round(cb, 2)})
        print(f"  {name}: admin {a:.1f} ms, anonymous {b:.1f} ms", flush=True)
    w = max(len(r["question"]) for r in rows)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
          f"{load0:.1f}–{os.getloadavg()[0]:.1f}, median of {args.repeat}")
    print(f"{'question':<{w}}  {'admin (plain) ms':>16}  {'anonymous ms':>12}  ratio"
          f"  {'CPU s admin / anon':>19}")
    for row in rows:
        print(f"{row['question']:<{w}}  {row['admin_ms']:>16}  {row['anonymous_ms']:>12}  "
              f"{row['ratio']}×  {row['admin_cpu_s']:>9} / {row['anonymous_cpu_s']}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_policy.json").write_text(json.dumps(
        {"scale": args.scale, "seed": args.seed, "hidden": len(hidden), "rows": rows},
        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
