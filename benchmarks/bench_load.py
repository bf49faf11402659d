"""Load benchmark: the synthetic district and city, from the template into the on-disk store,
beside plain rdflib parsing the same triples into an in-memory Graph — in one run.

    .venv/bin/python benchmarks/bench_load.py [--scales district city] [--seed 7]

Each variant runs in its own process so that its peak RSS is its own. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import dataset  # noqa: E402  (benchmarks/ is the script's folder)

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PY = sys.executable


def child_yishu(folder: str, nt_out: str) -> dict:
    from graph.store import CatalogStore
    from loaders import load_path

    with tempfile.TemporaryDirectory() as tmp:
        store = CatalogStore(Path(tmp) / "store")
        t0 = time.perf_counter()
        report = load_path(store, Path(folder), "bench")
        seconds = time.perf_counter() - t0
        Path(nt_out).write_bytes(store.export("ntriples"))
        store.close()
    return {"triples": report.triples, "seconds": seconds}


def child_rdflib(nt_file: str) -> dict:
    import rdflib

    t0 = time.perf_counter()
    g = rdflib.Graph()
    g.parse(nt_file, format="nt")
    return {"triples": len(g), "seconds": time.perf_counter() - t0}


def run_child(kind: str, *args: str) -> dict:
    out = subprocess.run([PY, __file__, "--child", kind, *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *args = a.child
        result = child_yishu(*args) if kind == "yishu" else child_rdflib(*args)
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    rows = []
    for scale in a.scales:
        folder = dataset(scale, a.seed)
        tmp = Path(tempfile.mkdtemp())
        try:
            nt = tmp / "export.nt"
            y = run_child("yishu", str(folder), str(nt))
            r = run_child("rdflib", str(nt))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        rows.append((scale, "yishu: template → on-disk Oxigraph", y))
        rows.append((scale, "rdflib: N-Triples → in-memory Graph", r))

    head = f"{'scale':<9}{'variant':<40}{'triples':>11}{'seconds':>9}{'triples/s':>11}{'peak RSS MiB':>14}"
    print(head)
    print("-" * len(head))
    for scale, name, m in rows:
        print(f"{scale:<9}{name:<40}{m['triples']:>11,}{m['seconds']:>9.2f}"
              f"{m['triples'] / m['seconds']:>11,.0f}{m['peak_rss_mib']:>14,.0f}")


if __name__ == "__main__":
    main()
