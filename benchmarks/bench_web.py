"""Web catalog benchmark: server time of the department, resource, element and dashboard pages and
of the lineage picture's data (depth 5), beside the same answers over GraphQL, in one run.

    .venv/bin/python benchmarks/bench_web.py [--scales district city] [--seed 7] [-n 100]

Same store and server as bench_http.py (``yishu serve`` in its own process on the on-disk store in
benchmarks/out/, an httpx client with keep-alive on loopback, as an anonymous caller so the
policy filters every answer). The pages wait for the server's first audit (the dashboard, the
department's score and findings and the element's re-collections read it) before timing. Prints
p50/p95 in ms and writes benchmarks/out/bench_web-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from bench_http import OUT, open_store, pct, samples, serve, timed  # noqa: E402

DEPARTMENT = ("query($c: String!) { department(code: $c) { code name parent { code name } "
              "adminLevel regionCode departmentType chiefDataOfficer sharingLeader sharingClerk "
              "contactPhone responsibilities { code name needsElements { code name } produces { "
              "code name } } resources { code name } systems { code name } requests { code "
              "status resource { code name } } inboundFlows { code source { code name } } } }")
RESOURCE = ("query($c: String!, $n: String!) { resource(code: $c) { code name description "
            "resourceCategory provider { code name } sourceSystem { code name } scenario "
            "publishedOn sharingType sharingConditions sharingMethod openType updateFrequency "
            "sensitivity classified issued format upstream { code name } items { code name "
            "element { code name } dataType length authoritative takenFrom { code name } "
            "sensitivity } flows { code targetDepartment { code name } } inboundFlows { code } "
            "requests { code status } } impact(node: $n, depth: 5) { truncated resources { code "
            "name } systems { code name } departments { code name } responsibilities { code "
            "name } } }")
ELEMENT = ("query($c: String!) { resolveSource(element: $c) { status matchedBy "
           "designatedDepartment { code name } candidates { item { code } resource { code name } "
           "department { code name } system { code name } } } dataElement(code: $c) { code name "
           "synonyms standardBasis items { code resource { code name } authoritative takenFrom "
           "{ code } } } }")
LINEAGE = ("query($n: String!) { lineage(node: $n, direction: UPSTREAM, depth: 5) { totalNodes "
           "truncated cycles nodes { depth node { id code name kind } sensitivity "
           "upstreamSensitivity belowUpstream } edges { sourceId targetId type } } }")
AUDIT = ("{ audit { scores { department { code } score } figures { key value target } "
         "findings(first: 300) { rule severity } } }")


def wait_for_audit(client, limit: float = 900) -> float:
    t0 = time.monotonic()
    client.get("/dashboard")  # starts it, if nothing did
    while time.monotonic() - t0 < limit:
        s = client.get("/dashboard/status.json").json()
        if s.get("state") in ("done", "idle") and s.get("finished_at"):
            return time.monotonic() - t0
        time.sleep(1)
    raise RuntimeError("the audit did not finish")


def bench(scale: str, seed: int, n: int) -> dict:
    import httpx

    from graph.iris import code_of
    from graph.oxigraph_engine import OxigraphGraph

    print(f"[{scale}] preparing", flush=True)
    store = open_store(scale, seed)
    store_path = store.path
    graph = OxigraphGraph(store)
    picks = samples(graph, 30, seed)
    rng = random.Random(seed)
    depts = [e.code for e in graph.list("department", first=500).items]
    args = {
        "department": rng.sample(depts, min(30, len(depts))),
        "resource": [code_of(i, store.base) for i in picks["lineage"]],
        "element": picks["resolveSource"],
        "lineage": [code_of(i, store.base) for i in picks["lineage"]],
        "dashboard": [None],
    }
    store.close()
    cfg = OUT / "bench-web-access.yaml"
    cfg.write_text("classified_network: false\n", encoding="utf-8")
    proc, url = serve(store_path, cfg)
    results: dict = {"scale": scale, "seed": seed, "n": n, "pages": {}}
    try:
        with httpx.Client(base_url=url, timeout=300) as client:
            results["audit_seconds"] = round(wait_for_audit(client), 1)
            print(f"  first audit ready after {results['audit_seconds']} s", flush=True)

            def page(path):
                def get(x):
                    r = client.get(path(x))
                    if r.status_code != 200:
                        raise RuntimeError(f"{path(x)}: {r.status_code}")
                return get

            def gql(text, variables):
                def post(x):
                    r = client.post("/graphql", json={"query": text, "variables": variables(x)})
                    body = r.json()
                    if r.status_code != 200 or body.get("errors"):
                        raise RuntimeError(f"{r.status_code} {body.get('errors')}")
                return post

            paths = {
                "department": (page(lambda c: f"/department/{c}"),
                               gql(DEPARTMENT, lambda c: {"c": c})),
                "resource": (page(lambda c: f"/resource/{c}"),
                             gql(RESOURCE, lambda c: {"c": c, "n": f"resource:{c}"})),
                "element": (page(lambda c: f"/element/{c}"), gql(ELEMENT, lambda c: {"c": c})),
                "lineage": (page(lambda c: f"/resource/{c}/lineage.json?depth=5"),
                            gql(LINEAGE, lambda c: {"n": f"resource:{c}"})),
                "dashboard": (page(lambda _c: "/dashboard?sort=score&order=asc"),
                              gql(AUDIT, lambda _c: {})),
            }
            for name, (web, api) in paths.items():
                row = {"page": timed(web, args[name], n)}
                try:
                    row["graphql"] = timed(api, args[name], n)
                except RuntimeError as e:  # e.g. no audit(...) in this build's schema
                    print(f"  {name}: GraphQL not comparable ({str(e)[:80]})", flush=True)
                results["pages"][name] = {k: {"p50": round(pct(v, 50), 1),
                                              "p95": round(pct(v, 95), 1)}
                                          for k, v in row.items()}
                print(f"  {name:<11}" + "  ".join(
                    f"{k} p50 {pct(v, 50):7.1f} p95 {pct(v, 95):7.1f}" for k, v in row.items()),
                    flush=True)
    finally:
        proc.terminate()
        proc.wait(30)
    (OUT / f"bench_web-{scale}.json").write_text(json.dumps(results, indent=2))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-n", type=int, default=100, help="timed requests per page and path")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [bench(s, args.seed, args.n) for s in args.scales]
    print("\n| scale | page | page p50 / p95 ms | GraphQL p50 / p95 ms |")
    print("|---|---|---|---|")
    for r in rows:
        for name, v in r["pages"].items():
            g = v.get("graphql")
            print(f"| {r['scale']} | {name} | {v['page']['p50']:.1f} / {v['page']['p95']:.1f} | "
                  + (f"{g['p50']:.1f} / {g['p95']:.1f} |" if g else "— |"))


if __name__ == "__main__":
    main()
