"""Sharing-procedure benchmark (issue 13), one run, two tables:

1. complete request cycles per second (file → 符合性审查 PASS → APPROVE) through HTTP — GraphQL
   mutations on a real uvicorn server on loopback with department keys, every write logged —
   from 1 client and from ``--clients`` clients at once, beside a trivial GraphQL query (the
   ceiling of the HTTP stack on this machine) and the same cycles through the store layer
   directly (no HTTP, no policy, no log);
2. the KPIs as of a date from ``--steps`` recorded steps (a synthetic history bulk-appended to
   the workflow source: sharing applications and objections with realistic paths) — median of
   ``-n`` runs — beside the sharing.csv-based figures (:func:`shapes.figures.compute_figures`)
   on the same store.

    .venv/bin/python benchmarks/bench_workflow.py [--cycles 200] [--clients 4]
        [--scale demo|small|district|city] [--steps 100000] [-n 5]

``demo``/``small``: the demo district / small fixture; ``district``/``city``: the synthetic
catalog (seed 7, made into benchmarks/out/ the first time). Loaded into an on-disk store in a
temporary directory; loading is not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pyoxigraph import NamedNode  # noqa: E402

from api.access import AccessConfig  # noqa: E402
from api.app import create_app  # noqa: E402
from api.server import ThreadedServer  # noqa: E402
from benchmarks.common import check  # noqa: E402
from graph.iris import code_of  # noqa: E402
from graph.oxigraph_engine import OxigraphGraph  # noqa: E402
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
SELECT ?r ?p ?d WHERE {
  ?r a ys:DataResource ; ys:provider ?p ; ys:sharingType ?t .
  ?d a ys:Department . FILTER(?d != ?p)
  FILTER(?t != <https://w3id.org/yishu/code/SharingType/not-shared>)
} ORDER BY ?r ?d LIMIT 1"""
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


def median_seconds(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--scale", choices=["demo", "small", "district", "city"], default="demo")
    ap.add_argument("--steps", type=int, default=100_000)
    ap.add_argument("-n", type=int, default=5)
    args = ap.parse_args()
    if args.scale in ("district", "city"):
        from benchmarks.common import dataset

        src = dataset(args.scale, 7)
    else:
        src = DEMO_DIR if args.scale == "demo" else ROOT / "tests" / "fixtures" / "small"
    with tempfile.TemporaryDirectory() as tmp:
        store = CatalogStore(Path(tmp) / "store")
        load_path(store, src, args.scale)
        row = store.select(PICK)[0]
        res, prov, req = str(row["r"]), str(row["p"]), str(row["d"])
        base = store.base
        access = AccessConfig.from_dict({"keys": [
            {"name": "req", "role": "analyst", "key": "k-req",
             "department": code_of(req, base)},
            {"name": "prov", "role": "analyst", "key": "k-prov",
             "department": code_of(prov, base)},
            {"name": "gov", "role": "governance", "key": "k-gov",
             "department": code_of(req, base)}]})
        app = create_app(OxigraphGraph(store), store, access)
        results = []
        with ThreadedServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:
            def gql(key, q, client=None, **v):
                r = (client or c).post("/graphql", json={"query": q, "variables": v},
                                       headers={"X-API-Key": key})
                body = r.json()
                check("errors" not in body, body)
                return body["data"]
            def cycles(client: httpx.Client, n: int) -> None:
                for _ in range(n):
                    a = gql("k-req", FILE, client, r=code_of(res, base))[
                        "fileSharingApplication"]["id"]
                    gql("k-gov", ACT, client, a=a, x="PASS")
                    gql("k-prov", ACT, client, a=a, x="APPROVE")

            t = time.perf_counter()
            for _ in range(args.cycles * 3):
                gql("k-req", ME, c)
            results.append(("HTTP GraphQL, trivial query { me } ×3 (ceiling)",
                            time.perf_counter() - t))
            t = time.perf_counter()
            cycles(c, args.cycles)
            results.append(("HTTP GraphQL, 1 client, department keys, write log",
                            time.perf_counter() - t))
            clients = [httpx.Client(base_url=srv.url, timeout=60) for _ in range(args.clients)]
            per = args.cycles // args.clients
            threads = [threading.Thread(target=cycles, args=(cl, per)) for cl in clients]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            results.append((f"HTTP GraphQL, {args.clients} clients at once",
                            (time.perf_counter() - t) * args.cycles / (per * args.clients)))
            for cl in clients:
                cl.close()
        t = time.perf_counter()
        now = dt.datetime(2025, 9, 30, 10)
        for _ in range(args.cycles):
            r = file_request(store, resource=res, requester=req, actor="req", at=now)
            act(store, r, Action.PASS, actor="gov", department=req, at=now)
            act(store, r, Action.APPROVE, actor="prov", department=prov, at=now)
        results.append(("store layer directly (no HTTP, no policy, no log)",
                        time.perf_counter() - t))
        cases, steps = synthetic_history(store, args.steps)
        day = dt.date(2025, 11, 20)
        t = time.perf_counter()
        k = sharing_kpis(store, day)[None]
        cold_s = time.perf_counter() - t
        kpi_s = median_seconds(lambda: sharing_kpis(store, day), args.n)
        sparql_s = median_seconds(lambda: sharing_kpis(store, day, engine="sparql"),
                                  max(1, args.n // 3))
        check(sharing_kpis(store, day, engine="sparql")[None] == sharing_kpis(store, day)[None],
              "the SPARQL KPIs equal the Python ones")
        csv_s = median_seconds(lambda: compute_figures(store), args.n)
        f = compute_figures(store)[None]
        triples = len(store)
        store.close()
    print(f"scale: {args.scale}; {args.cycles} cycles (file → PASS → APPROVE) each way; "
          f"{triples:,} triples at the end")
    print(f"{'path':<52} {'seconds':>8} {'cycles/s':>9}")
    for name, secs in results:
        print(f"{name:<52} {secs:>8.2f} {args.cycles / secs:>9.1f}")
    print()
    print(f"KPIs as of {day}: {steps:,} recorded steps in {cases:,} cases on top; median of "
          f"{args.n}")
    print(f"{'figures':<52} {'seconds':>8}  按需共享率 / 分钟级 / 一日内")
    shown = (f"{_pct(k['on_demand_sharing'].value)} / "
             f"{_pct(k['satisfied_within_minute'].value)} / "
             f"{_pct(k['answered_within_day'].value)}")
    print(f"{'from recorded steps, index (warm)':<52} {kpi_s:>8.3f}  {shown}")
    print(f"{'from recorded steps, index (cold: built on first ask)':<52} {cold_s:>8.3f}  {shown}")
    print(f"{'from recorded steps, one SPARQL (engine=sparql)':<52} {sparql_s:>8.3f}  {shown}")
    print(f"{'from sharing.csv (compute_figures, the seed figures)':<52} {csv_s:>8.3f}  "
          f"{_pct(f['on_demand_sharing'].value)} / {_pct(f['answered_within_minute'].value)}"
          f" / {_pct(f['answered_within_day'].value)}")
    return 0


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


if __name__ == "__main__":
    raise SystemExit(main())
