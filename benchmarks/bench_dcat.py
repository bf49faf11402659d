"""DCAT-AP benchmark: the DCAT-AP export beside the plain Turtle export of the same store, and the
validation of the DCAT-AP export against the official shapes — in one run.

    .venv/bin/python benchmarks/bench_dcat.py [--scales district city] [--seed 7] [--no-validate]

Target (issue 11): export ≤ 2× the plain export's time; validation of the city export < 60 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import dataset  # noqa: E402  (benchmarks/ is the script's folder)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", nargs="+", default=["district"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-validate", action="store_true")
    args = ap.parse_args()

    from tqdm import tqdm

    from graph.dcat import dcat_ap_view, serialize_dcat
    from graph.store import CatalogStore, parse_ntriples
    from loaders import load_path
    from shapes.dcat_ap import validate_dcat_ap

    rows = []
    for scale in args.scales:
        folder = dataset(scale, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            store = CatalogStore(Path(tmp) / "store")
            load_path(store, folder, "bench")
            steps = tqdm(total=3 if args.no_validate else 4, desc=scale, leave=False)
            t0 = time.perf_counter()
            plain = store.export("turtle")
            t_plain = time.perf_counter() - t0
            steps.update()
            t0 = time.perf_counter()
            view = dcat_ap_view(parse_ntriples(store.export("ntriples")), store.base)
            dcat = serialize_dcat(view, "turtle")
            t_dcat = time.perf_counter() - t0
            steps.update()
            t0 = time.perf_counter()
            serialize_dcat(view, "ntriples")
            t_nt = time.perf_counter() - t0
            steps.update()
            t_val, violations, warnings = None, None, None
            if not args.no_validate:
                t0 = time.perf_counter()
                report = validate_dcat_ap(serialize_dcat(view, "ntriples"), "ntriples")
                t_val = time.perf_counter() - t0
                violations, warnings = report.counts["Violation"], report.counts["Warning"]
                steps.update()
            steps.close()
            rows.append((scale, len(store), len(plain), t_plain, len(view), len(dcat), t_dcat,
                         t_nt, t_val, violations, warnings))
    print(f"{'scale':<9}{'triples':>10}{'plain ttl s':>12}{'dcat triples':>13}{'dcat ttl s':>11}"
          f"{'ratio':>7}{'dcat nt s':>10}{'validate s':>11}{'viol.':>7}{'warn.':>8}")
    for (scale, n, _pb, tp, nv, _db, td, tn, tv, vi, wa) in rows:
        print(f"{scale:<9}{n:>10,}{tp:>12.2f}{nv:>13,}{td:>11.2f}{td / tp:>7.2f}{tn:>10.2f}"
              f"{'-' if tv is None else f'{tv:.1f}':>11}{'-' if vi is None else vi:>7}"
              f"{'-' if wa is None else wa:>8}")


if __name__ == "__main__":
    main()
