"""Audit benchmark: the completeness audit of the synthetic district and city, fast engine
(SPARQL on Oxigraph, :mod:`shapes.fast`) beside pyshacl run the plain way (the whole graph in
an in-memory rdflib Graph).

    .venv/bin/python benchmarks/bench_audit.py [--scales district city] [--seed 7]
        [--timeout 120] [--engines fast pyshacl]

For each scale: generate the synthetic catalog into benchmarks/out/synth-<scale> (if absent) and
load it into an on-disk store there (kept between runs). Each variant runs in its own
subprocess (so its peak RSS — ``resource.getrusage`` ru_maxrss — is its own), reads the store,
audits it, and reports seconds (audit only, store already loaded), peak memory and — against the
catalog's defects.json — precision and recall at Violation + Warning. A variant that does not
finish within ``--timeout`` seconds is reported as such. Results also go to
benchmarks/out/bench_audit.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PY = sys.executable
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from graph.store import CatalogStore
from shapes.audit import audit
store = CatalogStore({store!r}, read_only=True)
truth = json.load(open({truth!r}, encoding="utf-8"))
t0 = time.perf_counter()
r = audit(store, as_of=truth["as_of"], engine={engine!r})
seconds = time.perf_counter() - t0
expected = {{(d["rule"], d["focus"]) for d in truth["defects"]}}
got = r.keys("Violation", "Warning")
tp = len(got & expected)
print(json.dumps({{"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "findings": len(r.findings), "precision": tp / len(got) if got else 1.0,
    "recall": tp / len(expected) if expected else 1.0, "timings": r.timings}}))
"""


def prepare(scale: str, seed: int) -> tuple[Path, Path]:
    from graph.store import CatalogStore
    from loaders import load_path
    from yishu.synth import generate

    folder = OUT / f"synth-{scale}-{seed}"
    store_dir = OUT / f"store-audit-{scale}-{seed}"
    if not (folder / "defects.json").exists():
        print(f"generating {scale} …", flush=True)
        generate(folder, scale, seed, progress=False)
    if not store_dir.exists():
        print(f"loading {scale} into {store_dir} …", flush=True)
        t0 = time.perf_counter()
        s = CatalogStore(store_dir)
        load_path(s, folder, f"synth-{scale}")
        s.close()
        print(f"  loaded in {time.perf_counter() - t0:.1f}s", flush=True)
    return folder, store_dir


def run(engine: str, store_dir: Path, truth: Path, timeout: float) -> dict:
    code = CHILD.format(root=str(ROOT), store=str(store_dir), truth=str(truth), engine=engine)
    t0 = time.perf_counter()
    try:
        p = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout, "wall": time.perf_counter() - t0}
    if p.returncode != 0:
        return {"error": p.stderr.strip().splitlines()[-1] if p.stderr else "failed"}
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - t0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds allowed to the plain pyshacl run (the fast run gets 10×)")
    ap.add_argument("--engines", nargs="+", choices=["fast", "pyshacl"],
                    default=["fast", "pyshacl"],
                    help="which engines to run (both by default: the plain way beside the fast "
                         "one; `--engines fast` while working on the fast path)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = []
    for scale in args.scales:
        folder, store_dir = prepare(scale, args.seed)
        for engine in args.engines:
            limit = args.timeout * (10 if engine == "fast" else 1)
            print(f"{scale} {engine} …", flush=True)
            res = run(engine, store_dir, folder / "defects.json", limit)
            res.update(scale=scale, engine=engine)
            rows.append(res)
    print()
    print(f"{'scale':<10}{'engine':<10}{'seconds':>10}{'peak MB':>10}{'findings':>10}"
          f"{'precision':>11}{'recall':>8}")
    for r in rows:
        if "timeout" in r:
            print(f"{r['scale']:<10}{r['engine']:<10}{'> ' + str(int(r['timeout'])):>10}"
                  f"{'—':>10}{'—':>10}{'—':>11}{'—':>8}   (timed out)")
        elif "error" in r:
            print(f"{r['scale']:<10}{r['engine']:<10}  error: {r['error']}")
        else:
            print(f"{r['scale']:<10}{r['engine']:<10}{r['seconds']:>10.1f}{r['peak_mb']:>10.0f}"
                  f"{r['findings']:>10}{r['precision']:>11.3f}{r['recall']:>8.3f}")
    (OUT / "bench_audit.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
