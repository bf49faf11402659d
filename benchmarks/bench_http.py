"""HTTP benchmark: lineage (depth 5), traceSource and resolveSource through GraphQL on a real
uvicorn server on loopback, beside the same questions asked of the query layer directly.

    .venv/bin/python benchmarks/bench_http.py [--scales district city] [--seed 7] [-n 200]

For each scale: generate the synthetic catalog into benchmarks/out/ (if absent), load it into an
on-disk store there (kept between runs), pick sample nodes deterministically through the query
layer, then time each question n times per path (after asking every sample once) and print p50/p95 in ms.
HTTP numbers are end to end from an httpx client with keep-alive to ``yishu serve`` running in
its own process on the same store (request, GraphQL parsing, validation with the cost/depth
limits, policy, resolvers, JSON) — as the admin role (no filtering) and as an anonymous caller
(the policy filters every answer). Results are also
written to benchmarks/out/bench_http-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import dataset  # noqa: E402  (benchmarks/ is the script's folder)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PY = sys.executable
sys.path.insert(0, str(ROOT))

LINEAGE = ("query($n: String!) { lineage(node: $n, depth: 5) { totalNodes truncated "
           "nodes { depth node { id code name kind } } edges { sourceId targetId type } } }")
TRACE = ("query($n: String!) { traceSource(node: $n) { reachedAuthoritative breakCode hops { "
         "item { code } resource { code } department { code name } system { code } platform "
         "method legalBasis } } }")
RESOLVE = ("query($e: String!) { resolveSource(element: $e) { status matchedBy "
           "designatedDepartment { code } candidates { item { code } resource { code } "
           "department { code } system { code } } } }")
ADMIN_KEY = "bench-admin-key"


def open_store(scale: str, seed: int):
    from graph.store import CatalogStore
    from loaders import load_path

    path = OUT / f"store-http-{scale}-{seed}"
    fresh = not path.exists()
    store = CatalogStore(path)
    if fresh or not store.sources():
        t0 = time.perf_counter()
        report = load_path(store, dataset(scale, seed), "bench")
        print(f"  loaded {report.triples:,} triples in {time.perf_counter() - t0:.1f}s",
              flush=True)
    return store


def _first_pages(graph, kind: str, pages: int):
    after = None
    for _ in range(pages):
        page = graph.list(kind, first=500, after=after)
        yield from page.items
        if not page.has_next:
            return
        after = page.end_cursor


def samples(graph, k: int, seed: int) -> dict[str, list[str]]:
    """Nodes worth asking about, from the first 2,000 resources (by code): resources derived
    from others, items taken from upstream, and the elements those items carry."""
    rng = random.Random(seed)
    resources = list(_first_pages(graph, "resource", 4))
    derived = [e.iri for e in resources if e.fields.get("derivedFrom")]
    item_iris = sorted({i for v in graph.related([e.iri for e in resources], "inResource",
                                                 inverse=True).values() for i in v})
    items = graph.get_many(item_iris).values()
    taken = sorted(f"item:{e.code}" for e in items if e.fields.get("takenFrom"))
    elements = sorted({e.fields["carries"] for e in items if e.fields.get("carries")})
    codes = {e.iri: e.code for e in graph.get_many(elements).values()}
    return {"lineage": rng.sample(derived, min(k, len(derived))),
            "traceSource": rng.sample(taken, min(k, len(taken))),
            "resolveSource": rng.sample(sorted(codes.values()), min(k, len(codes)))}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def timed(fn, args: list, n: int) -> list[float]:
    for a in args:
        fn(a)  # warm-up: every sample once (the server process opens a cold store)
    out = []
    for i in range(n):
        a = args[i % len(args)]
        t0 = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def serve(store_path: Path, cfg: Path):
    """``yishu serve`` in its own process (so client and server do not share one GIL)."""
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([PY, "-m", "yishu", "serve", "--store", str(store_path), "--port",
                             str(port), "--access-config", str(cfg), "--log-level", "warning"],
                            cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"yishu serve exited with {proc.returncode}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("yishu serve did not become ready in 300 s")
        time.sleep(0.3)


def bench(scale: str, seed: int, n: int) -> dict:
    import httpx

    from graph.model import Direction, Granularity
    from graph.oxigraph_engine import OxigraphGraph

    print(f"[{scale}] preparing", flush=True)
    store = open_store(scale, seed)
    store_path = store.path
    graph = OxigraphGraph(store)
    picks = samples(graph, 50, seed)
    stats = store.stats()
    triples = len(store)
    print(f"  {triples:,} triples; samples: "
          + ", ".join(f"{k} {len(v)}" for k, v in picks.items()), flush=True)
    layer = {
        "lineage": lambda x: graph.lineage(x, Direction.UPSTREAM, 5, Granularity.RESOURCE),
        "traceSource": graph.trace_source,
        "resolveSource": graph.resolve_source,
    }
    queries = {"lineage": (LINEAGE, "n"), "traceSource": (TRACE, "n"),
               "resolveSource": (RESOLVE, "e")}
    results: dict = {"scale": scale, "seed": seed, "n": n, "triples": triples,
                     "entities": stats, "questions": {}}
    timings: dict[str, dict[str, list[float]]] = {}
    for q, args in picks.items():
        timings[q] = {"layer": timed(layer[q], args, n)}
    results["questions"]["lineage_mean_nodes"] = round(statistics.mean(
        len(graph.lineage(x, Direction.UPSTREAM, 5, Granularity.RESOURCE).nodes)
        for x in picks["lineage"]), 1)
    store.close()  # releases the on-disk store: the server process opens it next

    cfg = OUT / "bench-access.yaml"
    cfg.write_text("classified_network: true\nkeys:\n  - name: bench\n    role: admin\n"
                   f"    key: {ADMIN_KEY}\n", encoding="utf-8")
    proc, url = serve(store_path, cfg)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            # the floor: a round trip that asks the layer nothing (HTTP, GraphQL, JSON)
            floor = timed(lambda _x: client.post("/graphql", json={"query": "{ me { role } }"}),
                          [None], n)
            results["http_floor"] = {"p50": round(pct(floor, 50), 2),
                                     "p95": round(pct(floor, 95), 2)}
            print(f"  floor ({{ me {{ role }} }}) p50 {pct(floor, 50):.2f} p95 "
                  f"{pct(floor, 95):.2f}", flush=True)
            for q, args in picks.items():
                text, var = queries[q]

                def over_http(x, headers, text=text, var=var, q=q):
                    r = client.post("/graphql", json={"query": text, "variables": {var: x}},
                                    headers=headers)
                    body = r.json()
                    if r.status_code != 200 or body.get("errors"):
                        raise RuntimeError(f"{q} {x}: {r.status_code} {body.get('errors')}")

                timings[q]["http_admin"] = timed(
                    lambda x, f=over_http: f(x, {"X-API-Key": ADMIN_KEY}), args, n)
                timings[q]["http_anonymous"] = timed(lambda x, f=over_http: f(x, {}), args, n)
    finally:
        proc.terminate()
        proc.wait(30)
    for q, row in timings.items():
        results["questions"][q] = {
            k: {"p50": round(pct(v, 50), 2), "p95": round(pct(v, 95), 2)} for k, v in row.items()}
        print(f"  {q:<14}" + "  ".join(
            f"{k} p50 {pct(v, 50):7.2f} p95 {pct(v, 95):7.2f}" for k, v in row.items()),
            flush=True)
    (OUT / f"bench_http-{scale}.json").write_text(json.dumps(results, indent=2,
                                                             ensure_ascii=False))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-n", type=int, default=200, help="timed requests per question and path")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    all_results = [bench(s, args.seed, args.n) for s in args.scales]
    print("\n| scale | question | layer p50 / p95 ms | HTTP admin p50 / p95 ms | "
          "HTTP anonymous p50 / p95 ms |")
    print("|---|---|---|---|---|")
    for r in all_results:
        for q, v in r["questions"].items():
            if not isinstance(v, dict):
                continue
            cells = " | ".join(f"{v[k]['p50']:.1f} / {v[k]['p95']:.1f}"
                               for k in ("layer", "http_admin", "http_anonymous"))
            print(f"| {r['scale']} | {q} | {cells} |")


if __name__ == "__main__":
    main()
