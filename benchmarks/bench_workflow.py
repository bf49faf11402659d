"""Sharing-application benchmark (issue 13): complete request cycles per second (file → 符合性审查
PASS → APPROVE) through HTTP — GraphQL mutations on a real uvicorn server on loopback with
department keys — beside the same cycles through the store layer directly (no HTTP, no policy).

    .venv/bin/python benchmarks/bench_workflow.py [--cycles 200] [--scale demo|small]

The store is the demo district (``--scale demo``, the default; district scale) or the small test
fixture, loaded into an on-disk store in a temporary directory. One run; prints a table.
The KPI-as-of-a-date half of the issue's benchmark is not built (the KPIs are not built yet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from api.access import AccessConfig  # noqa: E402
from api.app import create_app  # noqa: E402
from api.server import ThreadedServer  # noqa: E402
from graph.iris import code_of  # noqa: E402
from graph.oxigraph_engine import OxigraphGraph  # noqa: E402
from graph.store import CatalogStore  # noqa: E402
from graph.workflow import Action  # noqa: E402
from graph.workflow_store import act, file_request  # noqa: E402
from loaders import load_path  # noqa: E402
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--scale", choices=["demo", "small"], default="demo")
    args = ap.parse_args()
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
            def gql(key, q, **v):
                r = c.post("/graphql", json={"query": q, "variables": v},
                           headers={"X-API-Key": key})
                body = r.json()
                assert "errors" not in body, body
                return body["data"]
            t = time.perf_counter()
            for _ in range(args.cycles):
                a = gql("k-req", FILE, r=code_of(res, base))["fileSharingApplication"]["id"]
                gql("k-gov", ACT, a=a, x="PASS")
                gql("k-prov", ACT, a=a, x="APPROVE")
            results.append(("HTTP GraphQL, department keys, write log", time.perf_counter() - t))
        t = time.perf_counter()
        now = dt.datetime(2025, 9, 30, 10)
        for _ in range(args.cycles):
            r = file_request(store, resource=res, requester=req, actor="req", at=now)
            act(store, r, Action.PASS, actor="gov", department=req, at=now)
            act(store, r, Action.APPROVE, actor="prov", department=prov, at=now)
        results.append(("store layer directly (no HTTP, no policy, no log)",
                        time.perf_counter() - t))
        triples = len(store)
        store.close()
    print(f"scale: {args.scale}; {args.cycles} cycles (file → PASS → APPROVE) each way; "
          f"{triples} triples at the end")
    print(f"{'path':<52} {'seconds':>8} {'cycles/s':>9}")
    for name, secs in results:
        print(f"{name:<52} {secs:>8.2f} {args.cycles / secs:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
