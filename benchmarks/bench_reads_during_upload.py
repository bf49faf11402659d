"""Reader latency while an upload replaces the catalog, beside the same readers on an idle server
(issue 15 item 2: within 3x of idle).

    .venv/bin/python benchmarks/bench_reads_during_upload.py [--scale district] [--seed 7]
        [--readers 4] [--idle 15] [--uploads 3] [--plain]

Generates the synthetic catalog (benchmarks/out/, if absent), loads it into a fresh on-disk store
as source ``catalog``, runs ``yishu serve`` on it in its own process, then: ``--readers`` threads
ask anonymous GraphQL questions (a resource with its provider and items; a text search) for
``--idle`` seconds on the idle server, then again while an admin uploads the same catalog as a
ZIP (``POST /admin/upload``, replacing the source) ``--uploads`` times back to back. The upload
is read and mapped in a child process (loaders/offload.py); ``--plain`` runs the same phases
again on a server doing it in its own process (``YISHU_UPLOAD_IN_PROCESS=1``, the way before).
Prints p50 / p95 / max per phase, the ratio, the server's CPU seconds (its own; the load
child's) and the load average; writes benchmarks/out/bench_reads_during_upload-<scale>.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
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
from common import OUT, ROOT, CheckFailed, check, dataset  # noqa: E402  (benchmarks/ is the script's folder)

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


def _serve(store: Path, cfg: Path, port: int, in_process: bool) -> subprocess.Popen:
    env = {**os.environ, "YISHU_UPLOAD_IN_PROCESS": "1" if in_process else "0"}
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", "--store", str(store),
                             "--access-config", str(cfg), "--port", str(port),
                             "--log-level", "warning"], cwd=ROOT, env=env,
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


def _cpu(pid: int) -> tuple[float, float]:
    """(CPU s of the process itself, CPU s of its reaped children) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def _phase(url, codes, texts, readers: int, during, pid: int | None = None) -> dict:
    cpu0 = _cpu(pid) if pid else (0.0, 0.0)
    load0 = os.getloadavg()[0]
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
    cpu1 = _cpu(pid) if pid else (0.0, 0.0)
    stats = _stats([dt for t0, dt in out if t_start <= t0 <= t_end])
    stats.update(seconds=t_end - t_start, server_cpu_s=cpu1[0] - cpu0[0],
                 child_cpu_s=cpu1[1] - cpu0[1], load=(load0, os.getloadavg()[0]))
    return stats


def _stats(xs: list[float]) -> dict:
    if not xs:
        raise CheckFailed("no reader answered in this phase")
    xs = sorted(xs)
    return {"n": len(xs), "p50_ms": 1000 * statistics.median(xs),
            "p95_ms": 1000 * xs[int(0.95 * (len(xs) - 1))], "max_ms": 1000 * xs[-1]}


def _run(work: Path, cfg: Path, data: bytes, codes, texts, args, in_process: bool) -> dict:
    from tests.servers import free_port

    port = free_port()
    proc = _serve(work / "store", cfg, port, in_process)
    url = f"http://127.0.0.1:{port}"
    uploads: list[float] = []
    try:
        _phase(url, codes, texts, args.readers, lambda: time.sleep(3))  # warm up
        idle = _phase(url, codes, texts, args.readers, lambda: time.sleep(args.idle), proc.pid)

        def upload_all() -> None:
            for _ in range(args.uploads):
                t0 = time.perf_counter()
                r = httpx.post(url + "/admin/upload", headers={"X-API-Key": ADMIN_KEY},
                               files={"file": ("catalog.zip", data, "application/zip")},
                               data={"source": "catalog"}, timeout=1800)
                check(r.status_code == 200, f"upload answered {r.status_code}: {r.text[:300]}")
                uploads.append(time.perf_counter() - t0)

        busy = _phase(url, codes, texts, args.readers, upload_all, proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    return {"idle": idle, "during": busy, "uploads_s": uploads}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--idle", type=float, default=15.0)
    ap.add_argument("--uploads", type=int, default=3)
    ap.add_argument("--plain", action="store_true",
                    help="also measure a server that maps the upload in its own process")
    args = ap.parse_args()

    from api.server import ThreadedServer  # noqa: F401  (the project is importable)
    from graph.store import CatalogStore
    from loaders import load_path

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
    runs = {"upload mapped in a child": _run(work, cfg, data, codes, texts, args, False)}
    if args.plain:
        runs["in the server (before)"] = _run(work, cfg, data, codes, texts, args, True)
    print(f"\nreaders during an upload — {args.scale} (seed {args.seed}): "
          f"{report.triples:,} triples, ZIP {len(data) / 2**20:.1f} MB, {args.readers} readers, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores")
    print(f"{'run':<26}{'phase':<15}{'answers':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>10}"
          f"{'wall s':>8}{'srv CPU s':>10}{'child CPU s':>12}{'load':>11}")
    for name, run in runs.items():
        for phase in ("idle", "during"):
            st = run[phase]
            print(f"{name if phase == 'idle' else '':<26}{phase:<15}{st['n']:>8}"
                  f"{st['p50_ms']:>9.1f}{st['p95_ms']:>9.1f}{st['max_ms']:>10.1f}"
                  f"{st['seconds']:>8.1f}{st['server_cpu_s']:>10.1f}{st['child_cpu_s']:>12.1f}"
                  f"{st['load'][0]:>5.1f}–{st['load'][1]:<5.1f}")
        i, d = run["idle"], run["during"]
        print(f"{'':<26}{'ratio':<15}{'':>8}{d['p50_ms'] / i['p50_ms']:>8.1f}x"
              f"{d['p95_ms'] / i['p95_ms']:>8.1f}x   uploads "
              + ", ".join(f"{u:.1f}s" for u in run["uploads_s"]))
    (OUT / f"bench_reads_during_upload-{args.scale}.json").write_text(json.dumps(
        {"scale": args.scale, "seed": args.seed, "triples": report.triples,
         "readers": args.readers, "runs": runs}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
