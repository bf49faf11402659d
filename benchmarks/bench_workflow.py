"""Sharing-procedure benchmark (issue 13), one run, two tables:

1. complete request cycles per second (file → 符合性审查 PASS → APPROVE) through HTTP, on a real
   ``yishu serve`` process (uvicorn, loopback) over the store, with department keys, every
   write logged: the REST face (``POST /api/v1/requests``, ``…/{id}/actions``) and the GraphQL
   mutations, each from 1 client and from ``--clients`` clients at once; beside the stack's
   ceiling for a trivial question (GraphQL ``{ me }``, REST ``/healthz``, 3 per "cycle") and
   the same cycles through the store layer directly (no HTTP, no policy, no log). Several
   clients at once share commits (group commit, :mod:`graph.workflow_commit`). The server's
   CPU seconds are read from /proc for every line, the clients' from this process.
2. the KPIs as of a date over ``--steps`` recorded steps (a synthetic history bulk-appended to
   the workflow source) — built cold, warm, right after one write through the store layer,
   right after a plain append elsewhere (read from its version record), and by one SPARQL
   query — beside the sharing.csv-based figures (:func:`shapes.figures.compute_figures`).

    .venv/bin/python benchmarks/bench_workflow.py [--cycles 200] [--clients 4]
        [--scale demo|small|district|city] [--store PATH] [--steps 100000] [-n 5]
        [--clients 4,8]

``demo``/``small``: the demo district / small fixture; ``district``/``city``: the synthetic
catalog (seed 7, made into benchmarks/out/ the first time). Loaded into an on-disk store in a
temporary directory (``--store``: a store loaded before, copied there); neither is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import yaml  # noqa: E402
from pyoxigraph import NamedNode  # noqa: E402

from benchmarks.common import check  # noqa: E402
from graph.iris import code_of  # noqa: E402
from graph.store import CatalogStore  # noqa: E402
from graph.workflow import Action  # noqa: E402
from graph.workflow_kpis import sharing_kpis  # noqa: E402
from graph.workflow_store import (  # noqa: E402
    WORKFLOW_SOURCE,
    Request,
    Step,
    act,
    file_request,
    request_quads,
    step_quads,
)
from loaders import load_path  # noqa: E402
from shapes.figures import compute_figures  # noqa: E402
from yishu.config import DEMO_DIR  # noqa: E402

PICK = """PREFIX ys: <https://w3id.org/yishu/def#>
SELECT ?r ?p WHERE {
  ?r a ys:DataResource ; ys:provider ?p ; ys:sharingType ?t .
  FILTER(?t != <https://w3id.org/yishu/code/SharingType/not-shared>)
} LIMIT 1"""
OTHER = """PREFIX ys: <https://w3id.org/yishu/def#>
SELECT ?d ?p WHERE { ?d a ys:Department . FILTER(?d != ?p) } LIMIT 1"""
FILE = """mutation($r: String!) { fileSharingApplication(resource: $r, purpose: "bench",
  scenario: "bench") { id } }"""
ACT = """mutation($a: String!, $x: WorkflowAction!) {
  actOnSharingApplication(application: $a, action: $x, comment: "ok") { state } }"""
ME = "{ me { role } }"
RESOURCES = """PREFIX ys: <https://w3id.org/yishu/def#>
SELECT ?r ?p WHERE { ?r a ys:DataResource ; ys:provider ?p } ORDER BY ?r"""
DEPARTMENTS = """PREFIX ys: <https://w3id.org/yishu/def#>
SELECT ?d WHERE { ?d a ys:Department } ORDER BY ?d"""
# request paths (actions after FILE) and their weights: most approved, some refused, some still
# waiting at each state, some withdrawn
PATHS = [((Action.PASS, Action.APPROVE), 60), ((Action.PASS, Action.APPROVE_WITH_CONDITIONS), 10),
         ((Action.PASS, Action.REFUSE), 8), ((), 5), ((Action.PASS,), 7),
         ((Action.RETURN,), 3), ((Action.WITHDRAW,), 4), ((Action.PASS, Action.ASK_MORE), 3)]


def synthetic_history(store: CatalogStore, steps: int, seed: int = 7) -> tuple[int, int]:
    """Bulk-append a history of about ``steps`` recorded steps (sharing applications filed
    over 2025, answered after seconds to days); returns (cases, steps)."""
    from graph.workflow import next_state

    rng = random.Random(seed)
    resources = [(str(r["r"]), str(r["p"])) for r in store.select(RESOURCES)]
    depts = [str(r["d"]) for r in store.select(DEPARTMENTS)]
    paths, weights = zip(*PATHS, strict=True)
    start = dt.datetime(2025, 1, 6, 9)
    quads, n_steps, n_cases = [], 0, 0
    while n_steps < steps:
        res, prov = rng.choice(resources)
        filed = start + dt.timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
        req = Request(iri=f"{store.base}workflow/request/{uuid.UUID(int=rng.getrandbits(128)).hex}",
                      resource=res, requester=rng.choice(depts), provider=prov,
                      conditional=True, filed_at=filed, purpose="bench", scenario="bench")
        quads += request_quads(req)
        state, at = next_state(None, Action.FILE), filed
        chain = [Step(1, Action.FILE, "clerk", req.requester, at, "", state)]
        for action in rng.choices(paths, weights)[0]:
            at = at + dt.timedelta(seconds=rng.choice([20, 40, 300, 3600, 86400, 3 * 86400]))
            state = next_state(state, action, "ok")
            chain.append(Step(len(chain) + 1, action, "x", prov, at, "ok", state))
        for st in chain:
            quads += step_quads(store, NamedNode(req.iri), st)
        n_steps += len(chain)
        n_cases += 1
        if len(quads) > 50_000:
            store.append(WORKFLOW_SOURCE, quads)
            quads = []
    if quads:
        store.append(WORKFLOW_SOURCE, quads)
    return n_cases, n_steps


def pick(store: CatalogStore) -> tuple[str, str, str]:
    """(resource, its provider, another department) IRIs."""
    row = store.select(PICK)[0]
    other = store.select(OTHER, p=NamedNode(str(row["p"])))[0]
    return str(row["r"]), str(row["p"]), str(other["d"])


def median_seconds(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """``yishu serve`` over the store at ``path`` in its own process, on a free loopback port."""

    def __init__(self, path: Path, access: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "yishu", "serve", "--store", str(path), "--port",
             str(self.port), "--access-config", str(access), "--log-level", "warning"],
            cwd=ROOT)
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(self.url + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("yishu serve did not start")
            time.sleep(0.5)

    def cpu(self) -> float:
        return _cpu(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)


def run_clients(n_clients: int, cycles: int, one_cycle) -> tuple[int, float, float]:
    """(cycles done, wall seconds, client CPU seconds) of ``cycles`` split over ``n_clients``
    threads, each with its own connection."""
    per = max(1, cycles // n_clients)
    clients = [httpx.Client(timeout=60) for _ in range(n_clients)]

    def work(c):
        for _ in range(per):
            one_cycle(c)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    t, cpu = time.perf_counter(), time.process_time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out = (per * n_clients, time.perf_counter() - t, time.process_time() - cpu)
    for c in clients:
        c.close()
    return out


def http_table(path: Path, res: str, prov: str, req: str, base: str, cycles: int,
               n_clients: list[int]) -> list[tuple[str, int, float, float, float]]:
    """(path, cycles, wall s, server CPU s, client CPU s) per HTTP line."""
    access = path.parent / "access.yaml"
    access.write_text(yaml.safe_dump({"keys": [
        {"name": "req", "role": "analyst", "key": "k-req", "department": code_of(req, base)},
        {"name": "prov", "role": "analyst", "key": "k-prov", "department": code_of(prov, base)},
        {"name": "gov", "role": "governance", "key": "k-gov",
         "department": code_of(req, base)}]}), encoding="utf-8")
    srv = Server(path, access)
    rcode = code_of(res, base)
    out = []
    try:
        def gql(c, key, q, **v):
            body = c.post(srv.url + "/graphql", json={"query": q, "variables": v},
                          headers={"X-API-Key": key}).json()
            check("errors" not in body, body)
            return body["data"]

        def rest(c, key, path, body):
            r = c.post(srv.url + path, json=body, headers={"X-API-Key": key})
            check(r.status_code < 300, r.text)
            return r.json()

        def gql_cycle(c):
            a = gql(c, "k-req", FILE, r=rcode)["fileSharingApplication"]["id"]
            gql(c, "k-gov", ACT, a=a, x="PASS")
            gql(c, "k-prov", ACT, a=a, x="APPROVE")

        def rest_cycle(c):
            a = rest(c, "k-req", "/api/v1/requests",
                     {"resource": rcode, "purpose": "bench", "scenario": "bench"})["id"]
            rest(c, "k-gov", f"/api/v1/requests/{a}/actions", {"action": "PASS"})
            rest(c, "k-prov", f"/api/v1/requests/{a}/actions", {"action": "APPROVE",
                                                                "comment": "ok"})

        def me3(c):
            for _ in range(3):
                gql(c, "k-req", ME)

        def health3(c):
            for _ in range(3):
                c.get(srv.url + "/healthz", headers={"X-API-Key": "k-req"}).raise_for_status()

        run_clients(1, 5, rest_cycle)  # warm: the first write reads the version's triples
        run_clients(1, 5, gql_cycle)
        lines = [("REST, trivial GET /healthz ×3 (ceiling)", 1, health3),
                 ("GraphQL, trivial query { me } ×3 (ceiling)", 1, me3),
                 ("REST, 1 client", 1, rest_cycle),
                 *((f"REST, {k} clients at once", k, rest_cycle) for k in n_clients),
                 ("GraphQL, 1 client", 1, gql_cycle),
                 *((f"GraphQL, {k} clients at once", k, gql_cycle) for k in n_clients)]
        for name, k, fn in lines:
            before = srv.cpu()
            done, wall, client_cpu = run_clients(k, cycles, fn)
            out.append((name, done, wall, srv.cpu() - before, client_cpu))
    finally:
        srv.stop()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--clients", default="4,8",
                    help="clients at once, one line per number (comma-separated)")
    ap.add_argument("--scale", choices=["demo", "small", "district", "city"], default="demo")
    ap.add_argument("--store", type=Path, default=None,
                    help="a store loaded before at that scale, copied (not changed)")
    ap.add_argument("--steps", type=int, default=100_000)
    ap.add_argument("-n", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        if args.store is not None:
            shutil.copytree(args.store, path)
            store = CatalogStore(path)
        else:
            if args.scale in ("district", "city"):
                from benchmarks.common import dataset

                src = dataset(args.scale, 7)
            else:
                src = DEMO_DIR if args.scale == "demo" else ROOT / "tests" / "fixtures" / "small"
            store = CatalogStore(path)
            load_path(store, src, args.scale)
        res, prov, req = pick(store)
        base = store.base
        triples0 = len(store)
        store.close()
        http = http_table(path, res, prov, req, base, args.cycles,
                          [int(k) for k in args.clients.split(",")])

        store = CatalogStore(path)
        now = dt.datetime(2025, 9, 30, 10)

        def store_cycle():
            r = file_request(store, resource=res, requester=req, actor="req", at=now)
            act(store, r, Action.PASS, actor="gov", department=req, at=now)
            act(store, r, Action.APPROVE, actor="prov", department=prov, at=now)

        store_cycle()  # warm
        t, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.cycles):
            store_cycle()
        layer = (args.cycles, time.perf_counter() - t, time.process_time() - cpu)

        cases, steps = synthetic_history(store, args.steps)
        day = dt.date(2025, 11, 20)
        kpi: list[tuple[str, float, float]] = []

        def timed(name, fn, n=1):
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(n):
                got = fn()
            kpi.append((name, (time.perf_counter() - t) / n, (time.process_time() - cpu) / n))
            return got

        k = timed("from recorded steps, index, cold (built in full)",
                  lambda: sharing_kpis(store, day)[None])
        timed(f"from recorded steps, index, warm (mean of {args.n})",
              lambda: sharing_kpis(store, day), args.n)
        store_cycle()
        timed("from recorded steps, index, right after a cycle through the store layer",
              lambda: sharing_kpis(store, day))
        synthetic_history(store, 30, seed=8)  # a plain append, as another process writes
        timed("from recorded steps, index, right after an append elsewhere (delta)",
              lambda: sharing_kpis(store, day))
        sparql = timed("from recorded steps, one SPARQL query (engine=sparql)",
                       lambda: sharing_kpis(store, day, engine="sparql")[None])
        check(sparql == sharing_kpis(store, day)[None], "the index and the SPARQL engine agree")
        f = timed("from sharing.csv (compute_figures, the seed figures)",
                  lambda: compute_figures(store)[None])
        triples = len(store)
        store.close()
    load = os.getloadavg()
    print(f"scale: {args.scale}; {triples0:,} triples before the bench, {triples:,} after; "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("\nrequest cycles (file → PASS → APPROVE; a trivial line: 3 requests per cycle)")
    print("(cycles per server CPU s: what one core of the server does, whatever else loads the "
          "machine)")
    print(f"{'path':<48} {'cycles':>6} {'wall s':>7} {'cycles/s':>9} {'server CPU s':>12} "
          f"{'client CPU s':>12} {'cycles/CPU s':>12}")
    for name, done, wall, scpu, ccpu in http:
        print(f"{'HTTP ' + name:<48} {done:>6} {wall:>7.2f} {done / wall:>9.1f} {scpu:>12.2f} "
              f"{ccpu:>12.2f} {done / max(scpu, 1e-9):>12.1f}")
    done, wall, cpu = layer
    print(f"{'store layer directly (no HTTP, policy, log)':<48} {done:>6} {wall:>7.2f} "
          f"{done / wall:>9.1f} {cpu:>12.2f} {'':>12} {done / max(cpu, 1e-9):>12.1f}")
    print(f"\nKPIs as of {day}: {steps:,} recorded steps in {cases:,} cases on top")
    print(f"{'figures':<72} {'wall s':>7} {'CPU s':>7}")
    for name, wall, cpu in kpi:
        print(f"{name:<72} {wall:>7.3f} {cpu:>7.3f}")
    print(f"\n按需共享率 / 分钟级 / 一日内 from recorded steps: "
          f"{_pct(k['on_demand_sharing'].value)} / {_pct(k['satisfied_within_minute'].value)} / "
          f"{_pct(k['answered_within_day'].value)}; from sharing.csv: "
          f"{_pct(f['on_demand_sharing'].value)} / {_pct(f['answered_within_minute'].value)} / "
          f"{_pct(f['answered_within_day'].value)}")
    return 0


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


if __name__ == "__main__":
    raise SystemExit(main())
