"""DCAT-AP benchmark: the DCAT-AP export beside the plain Turtle export of the same store, and the
validation of the DCAT-AP export against the official shapes (the fast engine beside pyshacl,
the plain way) — in one run.

    .venv/bin/python benchmarks/bench_dcat.py [--scales district city] [--seed 7] [--no-validate]
                                              [--pyshacl-max 600000]

Each step is timed on the wall clock and in CPU seconds of this process (on a machine shared with
other work the CPU time is the steadier figure). pyshacl, and the export the way it was before
(through an N-Triples export parsed back), run only on exports of at most ``--pyshacl-max``
triples (a city export would take pyshacl many minutes); the fast engine's findings are compared
with pyshacl's where both ran.

Target (issue 11): export ≤ 2× the plain export's time; validation of the city export < 60 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import OUT, dataset  # noqa: E402  (benchmarks/ is the script's folder)


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def run(scale: str, seed: int, validate: bool, pyshacl_max: int) -> dict:
    from graph.dcat import dcat_ap_view, serialize_dcat
    from graph.store import CatalogStore, parse_ntriples
    from loaders import load_path
    from shapes.dcat_ap import validate_dcat_ap

    folder = dataset(scale, seed)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        store = CatalogStore(Path(tmp) / "store")
        load_path(store, folder, "bench")
        print(f"{scale}: loaded {len(store):,} triples", flush=True)
        row: dict = {"scale": scale, "triples": len(store)}
        plain, row["plain_s"], row["plain_cpu"] = timed(lambda: store.export("turtle"))
        del plain

        def export():
            view = dcat_ap_view(store.triples(), store.base)
            return view, serialize_dcat(view, "turtle")

        (view, data), row["dcat_s"], row["dcat_cpu"] = timed(export)
        row["view"] = len(view)
        del data
        print(f"  plain {row['plain_s']:.1f}s, dcat-ap {row['dcat_s']:.1f}s", flush=True)
        if len(view) <= pyshacl_max:  # the way before: from an N-Triples export parsed back
            old, row["old_s"], row["old_cpu"] = timed(lambda: serialize_dcat(dcat_ap_view(
                parse_ntriples(store.export("ntriples")), store.base), "turtle"))
            del old
        store.close()
    if validate:
        fast, row["fast_s"], row["fast_cpu"] = timed(lambda: validate_dcat_ap(view))
        row["violations"], row["warnings"] = fast.counts["Violation"], fast.counts["Warning"]
        print(f"  fast validation {row['fast_s']:.1f}s: {fast.counts}", flush=True)
        if len(view) <= pyshacl_max:
            nt = serialize_dcat(view, "ntriples")
            ref, row["pyshacl_s"], row["pyshacl_cpu"] = timed(
                lambda: validate_dcat_ap(nt, "ntriples", engine="pyshacl"))

            def key(r):
                return Counter((p.severity, p.focus, p.path) for p in r.problems)
            row["same"] = key(fast) == key(ref)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", nargs="+", default=["district"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--pyshacl-max", type=int, default=600_000)
    args = ap.parse_args()
    rows = [run(scale, args.seed, not args.no_validate, args.pyshacl_max)
            for scale in args.scales]

    def f(r, k):
        return f"{r[k]:.1f} ({r[k.replace('_s', '_cpu')]:.1f})" if k in r else "-"

    print("\nseconds on the wall clock (CPU seconds of the process)\n")
    print("| scale | triples | plain Turtle | DCAT-AP Turtle | ratio (CPU ratio) | before: via "
          "N-Triples | DCAT-AP triples | validate, fast | validate, pyshacl | same findings "
          "| Violations | Warnings |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scale']} | {r['triples']:,} | {f(r, 'plain_s')} | {f(r, 'dcat_s')} | "
              f"{r['dcat_s'] / r['plain_s']:.2f} ({r['dcat_cpu'] / r['plain_cpu']:.2f}) | "
              f"{f(r, 'old_s')} | {r['view']:,} | {f(r, 'fast_s')} | {f(r, 'pyshacl_s')} | "
              f"{r.get('same', '-')} | {r.get('violations', '-')} | {r.get('warnings', '-')} |")


if __name__ == "__main__":
    main()
