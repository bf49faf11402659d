"""Reader latency while an upload replaces the catalog, beside the same readers on an idle server
(issue 15 item 2: within 3x of idle).

    .venv/bin/python benchmarks/bench_reads_during_upload.py [--scale district] [--seed 7]
        [--readers 4] [--idle 15] [--uploads 3]

Generates the synthetic catalog (benchmarks/out/, if absent), loads it into a fresh on-disk store
as source ``catalog``, runs ``yishu serve`` on it in its own process, then: ``--readers`` threads
ask anonymous GraphQL questions (a resource with its provider and items; a text search) for
``--idle`` seconds on the idle server, then again while an admin uploads the same catalog as a
ZIP (``POST /admin/upload``, replacing the source) ``--uploads`` times back to back. Prints
p50 / p95 / max per phase and the ratio; writes benchmarks/out/bench_reads_during_upload-<scale>.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
from common import OUT, ROOT, dataset  # noqa: E402  (benchmarks/ is the script's folder)

sys.path.insert(0, str(ROOT))

ADMIN_KEY = "bench-reads-admin-key"
DETAIL = ("query($c: String!) { resource(code: $c) { code name provider { code name } "
          "items { name } } }")
SEARCH = "query($t: String!) { resources(first: 20, text: $t) { totalCount edges { node { code name } } } }"


def _zip(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.glob("*.csv")):
            z.write(p, p.name)
    return buf.getvalue()


def _samples(folder: Path, n: int = 200) -> tuple[list[str], list[str]]:
    with (folder / "catalog.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(7)
    picked = rng.sample(rows, min(n, len(rows)))
    return [r["资源代码"] for r in picked], [r["资源名称"][:2] for r in picked]


def _serve(store: Path, cfg: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", "--store", str(store),
                             "--access-config", str(cfg), "--port", str(port),
                             "--log-level", "warning"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("yishu serve did not start")


def _read(url: str, codes: list[str], texts: list[str], stop: threading.Event,
          out: list[tuple[float, float]]) -> None:
    rng = random.Random(threading.get_ident())
    with httpx.Client(base_url=url, timeout=120) as c:
        while not stop.is_set():
            if rng.random() < 0.7:
                body = {"query": DETAIL, "variables": {"c": rng.choice(codes)}}
            else:
                body = {"query": SEARCH, "variables": {"t": rng.choice(texts)}}
            t0 = time.perf_counter()
            r = c.post("/graphql", json=body)
            dt = time.perf_counter() - t0
            if r.status_code == 200:
                out.append((t0, dt))


def _phase(url, codes, texts, readers: int, during) -> list[float]:
    stop = threading.Event()
    out: list[tuple[float, float]] = []
    threads = [threading.Thread(target=_read, args=(url, codes, texts, stop, out))
               for _ in range(readers)]
    for t in threads:
        t.start()
    t_start = time.perf_counter()
    during()
    t_end = time.perf_counter()
    stop.set()
    for t in threads:
        t.join()
    return [dt for t0, dt in out if t_start <= t0 <= t_end]


def _stats(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"n": len(xs), "p50_ms": 1000 * statistics.median(xs),
            "p95_ms": 1000 * xs[int(0.95 * (len(xs) - 1))], "max_ms": 1000 * xs[-1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--idle", type=float, default=15.0)
    ap.add_argument("--uploads", type=int, default=3)
    args = ap.parse_args()

    from api.server import ThreadedServer  # noqa: F401  (the project is importable)
    from graph.store import CatalogStore
    from loaders import load_path
    from tests.servers import free_port

    folder = dataset(args.scale, args.seed)
    work = OUT / f"bench_reads-{args.scale}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    store = CatalogStore(work / "store")
    report = load_path(store, folder, "catalog")
    store.close()
    del store
    cfg = work / "access.yaml"
    cfg.write_text(f"keys:\n  - name: bench\n    role: admin\n    key: {ADMIN_KEY}\n",
                   encoding="utf-8")
    data = _zip(folder)
    codes, texts = _samples(folder)
    port = free_port()
    proc = _serve(work / "store", cfg, port)
    url = f"http://127.0.0.1:{port}"
    uploads: list[float] = []
    try:
        _phase(url, codes, texts, args.readers, lambda: time.sleep(3))  # warm up
        idle = _phase(url, codes, texts, args.readers, lambda: time.sleep(args.idle))

        def upload_all() -> None:
            for _ in range(args.uploads):
                t0 = time.perf_counter()
                r = httpx.post(url + "/admin/upload", headers={"X-API-Key": ADMIN_KEY},
                               files={"file": ("catalog.zip", data, "application/zip")},
                               data={"source": "catalog"}, timeout=1800)
                r.raise_for_status()
                uploads.append(time.perf_counter() - t0)

        busy = _phase(url, codes, texts, args.readers, upload_all)
    finally:
        proc.terminate()
        proc.wait(30)
    s_idle, s_busy = _stats(idle), _stats(busy)
    print(f"\nreaders during an upload — {args.scale} (seed {args.seed}): "
          f"{report.triples:,} triples, ZIP {len(data) / 2**20:.1f} MB, {args.readers} readers, "
          f"uploads {', '.join(f'{u:.1f}s' for u in uploads)}")
    print(f"{'phase':<16}{'answers':>9}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, s in (("idle", s_idle), ("during upload", s_busy)):
        print(f"{name:<16}{s['n']:>9}{s['p50_ms']:>10.1f}{s['p95_ms']:>10.1f}{s['max_ms']:>10.1f}")
    print(f"{'ratio':<16}{'':>9}{s_busy['p50_ms'] / s_idle['p50_ms']:>9.1f}x"
          f"{s_busy['p95_ms'] / s_idle['p95_ms']:>9.1f}x")
    (OUT / f"bench_reads_during_upload-{args.scale}.json").write_text(json.dumps(
        {"scale": args.scale, "seed": args.seed, "triples": report.triples,
         "readers": args.readers, "uploads_s": uploads, "idle": s_idle, "during": s_busy},
        indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
