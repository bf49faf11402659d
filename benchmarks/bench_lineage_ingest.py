"""Observed lineage and SPARQL benchmark: OpenLineage events per second through HTTP (each with
20 columns of columnLineage and a 20-field schema), and a SPARQL question (all resources of a
department) through /sparql, beside the same work done in-process.

    .venv/bin/python benchmarks/bench_lineage_ingest.py [--scale district] [--seed 7]
                                                        [--events 1000] [-n 100]

The synthetic catalog is generated into benchmarks/out/ (if absent) and loaded into an on-disk
store there (kept between runs; the observed source is removed before each run). ``yishu serve``
runs in its own process; the clients post with keep-alive, one event per request (as the
OpenLineage client does) and in batches of 50, from 1 and from 4 clients at once (the server
coalesces concurrent requests into one append: group commit). Each run of the exchange job is a START and a
COMPLETE event. Every row has jobs and tables of its own (each brings as many new triples), and
two rows run the first row's jobs again with new runs (what a steady stream sends); after each
row the server is left to settle and the row is charged with what it did meanwhile (RocksDB's
compactions). SPARQL is timed as the admin (the store itself) and as an anonymous caller (its
filtered view, built once per store version: that time is printed apart).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

from common import check, dataset  # noqa: E402  (benchmarks/ is the script's folder)

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench_http import LINEAGE, pct, serve  # noqa: E402

LINEAGE_KEY = "bench-lineage-key"
ADMIN_KEY = "bench-admin-key"
PRODUCER = "https://example.gov/exchange/bench"
CL = ("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"
      "#/$defs/ColumnLineageDatasetFacet")
DEPT_RESOURCES = """PREFIX ys: <https://w3id.org/yishu/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?r ?code ?name WHERE {
  ?r a ys:DataResource ; ys:provider ?d ; dcterms:identifier ?code ; rdfs:label ?name .
  ?d dcterms:identifier "%s" }"""


def event(kind: str, run: str, i: int, columns: int = 20, tag: str = "", day: int = 20) -> dict:
    src = ("postgres://exchange:5432", f"ods{tag}.table_{i % 200}")
    dst = ("postgres://exchange:5432", f"dw{tag}.table_{i % 300}")
    cols = [f"c{k}" for k in range(columns)]
    return {
        "eventType": kind, "eventTime": f"2026-11-{day:02d}T08:{i // 60 % 60:02d}:{i % 60:02d}Z",
        "producer": PRODUCER, "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json",
        "run": {"runId": run}, "job": {"namespace": "exchange", "name": f"job{tag}_{i % 100}"},
        "inputs": [{"namespace": src[0], "name": src[1]}],
        "outputs": [{"namespace": dst[0], "name": dst[1], "facets": {
            "schema": {"_producer": PRODUCER, "_schemaURL": CL,
                       "fields": [{"name": c, "type": "VARCHAR"} for c in cols]},
            "columnLineage": {"_producer": PRODUCER, "_schemaURL": CL, "fields": {
                c: {"inputFields": [{"namespace": src[0], "name": src[1], "field": c,
                                     "transformations": [{"type": "DIRECT",
                                                          "subtype": "IDENTITY",
                                                          "masking": False}]}]}
                for c in cols}}}}]}


def events(n: int, offset: int, tag: str = "", runs: int | None = None, day: int = 20
           ) -> list[dict]:
    """``n`` events: a START and a COMPLETE of runs ``offset``… (run ids from ``runs``, default
    ``offset``) of 100 jobs between 200 source and 300 target tables (names with ``tag``).
    With a new ``tag`` every job, table, field and field derivation is seen for the first time
    (≈170 new triples per event); the same ``tag`` and ``offset`` with other ``runs`` repeat
    known jobs (only the runs and events are new), on another ``day`` as a new run would be."""
    out = []
    first = offset if runs is None else runs
    for k, i in enumerate(range(offset, offset + n // 2)):
        run = str(uuid.UUID(int=first + k + 1))
        out += [event("START", run, i, tag=tag, day=day),
                event("COMPLETE", run, i, tag=tag, day=day)]
    return out


def open_store(scale: str, seed: int):
    from graph.store import CatalogStore
    from loaders import load_path
    from loaders.openlineage import SOURCE

    path = OUT / f"store-lineage-{scale}-{seed}"
    store = CatalogStore(path)
    if not any(s.name == "bench" for s in store.sources()):
        t0 = time.perf_counter()
        report = load_path(store, dataset(scale, seed), "bench")
        print(f"  loaded {report.triples:,} triples in {time.perf_counter() - t0:.1f}s",
              flush=True)
    store.remove_source(SOURCE)
    return store


def _plain_ingest(store, evs: list[dict]) -> int:
    """The plain way (as before the fast path): full jsonschema validation, then the mapped
    triples checked one by one against the store and written as one SPARQL INSERT DATA."""
    from pyoxigraph import NamedNode, Quad

    from loaders import openlineage as ol
    from loaders.openlineage_flows import run_flows
    from loaders.openlineage_mapping import EventMapper

    for ev in evs:
        check(not ol.validate(ev, fast=False), f"event {ev.get('eventType')} valid")
    mapper = EventMapper(store.base)
    for ev in evs:
        mapper.event(ev)
    src = store.graph_of(ol.SOURCE)
    ver = store.current_versions().get(src)
    if ver is None:
        v = store.new_version(ol.SOURCE)
        store.activate(ol.SOURCE, v, 0)
        ver = v.value
    g = NamedNode(ver)
    triples = set(mapper.triples)
    for flows in run_flows(store, g, [mapper]).values():
        triples |= flows
    new = [q for q in {Quad(s, p, o, g) for s, p, o in triples} if q not in store.store]
    if new:
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in new)
        store.store.update(f"INSERT DATA {{ GRAPH {g} {{ {body} }} }}")
    return len(new)


def _disk_ingest(sample: list[dict]) -> dict:
    """Events per second in-process into fresh on-disk stores: one event per call and batches
    of 50, Yishu's ingest beside the plain way (full validation, lookups, SPARQL INSERT)."""
    import tempfile

    from graph.store import CatalogStore
    from loaders.openlineage import ingest

    out = {}
    for name, run in (("yishu", lambda st, evs: ingest(st, evs, batch=len(evs) > 1)),
                      ("plain", _plain_ingest)):
        for size in (1, 50):
            with tempfile.TemporaryDirectory(dir=OUT) as tmp:
                st = CatalogStore(Path(tmp) / "store")
                t0, c0 = time.perf_counter(), time.process_time()
                for k in range(0, len(sample), size):
                    run(st, sample[k:k + size])
                out[f"disk_{name}_{size}_per_s"] = len(sample) / (time.perf_counter() - t0)
                out[f"disk_{name}_{size}_cpu_ms"] = ((time.process_time() - c0) / len(sample)
                                                     * 1000)
                st.close()
    return out


def _clients(url: str, evs: list[dict], clients: int, size: int,
             budget: float = 600.0) -> tuple[int, float, int]:
    """``clients`` threads, each with its own keep-alive connection, posting their share of
    ``evs`` (a run's START and COMPLETE stay with one client, in order) one per request
    (``size`` 1) or in batches of ``size``; at most ``budget`` seconds. (events posted,
    seconds, new triples stored)."""
    import threading

    import httpx

    runs = [evs[k:k + 2] for k in range(0, len(evs), 2)]
    shares = [[ev for run in runs[c::clients] for ev in run] for c in range(clients)]
    posted = [0] * clients
    stored = [0] * clients
    deadline = time.monotonic() + budget
    errors: list[str] = []

    def client(c: int) -> None:
        with httpx.Client(base_url=url, timeout=120,
                          headers={"X-API-Key": LINEAGE_KEY}) as http:
            mine = shares[c]
            for k in range(0, len(mine), size):
                if time.monotonic() > deadline:
                    return
                if size == 1:
                    r = http.post("/api/v1/lineage", json=mine[k])
                    ok = r.status_code == 201
                else:
                    r = http.post("/api/v1/lineage/batch", json=mine[k:k + size])
                    ok = r.status_code == 200
                if not ok:
                    errors.append(r.text)
                    return
                posted[c] += len(mine[k:k + size])
                stored[c] += r.json()["triples"]

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(posted), time.perf_counter() - t0, sum(stored)


def settle(cpu, budget: float = 60.0) -> float:
    """Wait (at most ``budget`` seconds) until the server uses under 5 % of a core for 2 s:
    its background work (RocksDB flushing and compacting) done. Seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < budget:
        c0 = cpu()
        time.sleep(2)
        if cpu() - c0 < 0.1:
            break
    return time.monotonic() - t0


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes)."""
    import os

    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _lineage(url: str, codes: list[str], n: int) -> list[float]:
    """GraphQL lineage 5 levels up through HTTP (as bench_http), ms per question."""
    import httpx

    times = []
    with httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": ADMIN_KEY}) as c:
        for code in codes[:5]:  # warm-up
            c.post("/graphql", json={"query": LINEAGE, "variables": {"n": f"resource:{code}"}})
        for i in range(n):
            code = codes[i % len(codes)]
            t = time.perf_counter()
            r = c.post("/graphql", json={"query": LINEAGE,
                                         "variables": {"n": f"resource:{code}"}})
            check(r.status_code == 200 and "errors" not in r.json(), r.text)
            times.append((time.perf_counter() - t) * 1000)
    return times


def _sustained(res: dict, url: str, server_cpu, n_events: int, parts: int) -> None:
    """A stream of known jobs' runs from 4 clients, one event per request: ``parts`` parts of
    ``n_events`` each, back to back, every part a day later (new runs of row 0's jobs, which
    wrote the same tables); events/s of the whole and of the slowest part, server CPU per event
    with what RocksDB did after (settled)."""
    rates, posted_all, new_all = [], 0, 0
    c0, w0 = server_cpu(), time.perf_counter()
    for k in range(parts):
        evs = events(n_events, 0, tag="r0", runs=(6 + k) * n_events, day=1 + k % 28)
        for ev in evs:  # December: after every row's November runs
            ev["eventTime"] = ev["eventTime"].replace("2026-11-", "2026-12-")
        posted, wall, new = _clients(url, evs, 4, 1)
        rates.append(posted / wall)
        posted_all += posted
        new_all += new
    wall = time.perf_counter() - w0
    settle(server_cpu)
    res["sustained_events"] = posted_all
    res["sustained_per_s"] = posted_all / wall
    res["sustained_slowest_part_per_s"] = min(rates)
    res["sustained_cpu_ms"] = (server_cpu() - c0) / posted_all * 1000
    res["sustained_new_triples"] = new_all / posted_all
    print(f"  sustained, 4 clients, known jobs: {posted_all} events in {wall:.1f} s, parts "
          + ", ".join(f"{r:.0f}/s" for r in rates), flush=True)


def bench(scale: str, seed: int, n_events: int, n: int, sparql: bool = True,
          sustained: int = 0) -> dict:
    import httpx
    import psutil

    from graph.store import CatalogStore
    from loaders.openlineage import SOURCE, ingest, validate

    OUT.mkdir(exist_ok=True)
    load_start = _load()
    # the in-process figures first, before the catalog's store is open: its RocksDB compactions
    # (after the previous run's observed triples are dropped) would count as this process's CPU
    sample = events(200, 10**6)
    t0 = time.perf_counter()
    for ev in sample:
        check(not validate(ev, fast=False), "event valid")  # full jsonschema validation (plain)
    validate_rate = len(sample) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for ev in sample:
        check(not validate(ev), "event valid")  # the compiled fast check (jsonschema-rs) first
    validate_cached = len(sample) / (time.perf_counter() - t0)
    mem = CatalogStore()  # in-process ingest into an in-memory store: no HTTP, no disk
    t0 = time.perf_counter()
    for ev in sample:
        ingest(mem, [ev])
    inproc_rate = len(sample) / (time.perf_counter() - t0)
    disk = _disk_ingest(sample)
    store = open_store(scale, seed)
    depts = [r["code"] for r in store.select(
        "SELECT ?code WHERE { ?d a <https://w3id.org/yishu/def#Department> ; "
        "<http://purl.org/dc/terms/identifier> ?code } ORDER BY ?code")]
    derived = [r["code"] for r in store.select(
        "SELECT DISTINCT ?code WHERE { ?r <https://w3id.org/yishu/def#derivedFrom> ?u ; "
        "<http://purl.org/dc/terms/identifier> ?code } ORDER BY ?code LIMIT 50")]
    triples = len(store)
    # in-process SPARQL on the same store, the plain alternative
    plain = []
    for code in depts[:n]:
        t = time.perf_counter()
        store.select(DEPT_RESOURCES % code)
        plain.append((time.perf_counter() - t) * 1000)
    store.close()

    cfg = OUT / "bench-lineage-access.yaml"
    cfg.write_text(f"keys:\n  - name: l\n    role: lineage\n    key: {LINEAGE_KEY}\n"
                   f"  - name: a\n    role: admin\n    key: {ADMIN_KEY}\n", encoding="utf-8")
    proc, url = serve(OUT / f"store-lineage-{scale}-{seed}", cfg)
    server = psutil.Process(proc.pid)

    def server_cpu() -> float:
        """CPU seconds the server process has used (all its threads, RocksDB's included)."""
        t = server.cpu_times()
        return t.user + t.system
    res: dict = {"scale": scale, "triples": triples, "events": n_events,
                 "validate_per_s": validate_rate,
                 "validate_cached_per_s": validate_cached, "inprocess_per_s": inproc_rate,
                 **disk}
    try:
        c0 = server_cpu()
        res["lineage_declared_only"] = _lineage(url, derived, n)
        res["lineage_declared_only_cpu_ms"] = (server_cpu() - c0) / (n + 5) * 1000
        c0 = server_cpu()
        time.sleep(5)  # the server idle: what its background work (RocksDB compaction) costs
        res["server_idle_cpu_pct"] = (server_cpu() - c0) / 5 * 100
        with httpx.Client(base_url=url, timeout=120,
                          headers={"X-API-Key": LINEAGE_KEY}) as c:
            single = events(n_events, 0, tag="r0")
            # each row's jobs and tables are new (tag): every row brings as many new triples;
            # the "known" rows run row 0's jobs again (new runs): what a steady stream brings
            rows = [(1, 1, "r0", 0, ""), (1, 50, "r1", n_events, ""), (4, 1, "r2", 2 * n_events, ""),
                    (4, 50, "r3", 3 * n_events, ""), (1, 1, "r0", 4 * n_events, "_known"),
                    (4, 1, "r0", 5 * n_events, "_known")]
            for clients, size, tag, runs, kind in rows:
                # a known job's new runs happen on a later day (new times, as in a real stream)
                evs = single if runs == 0 else events(n_events, 0, tag=tag, runs=runs,
                                                      day=20 + runs // n_events if kind else 20)
                c0, w0 = server_cpu(), time.perf_counter()
                posted, wall, new = _clients(url, evs, clients, size)
                key = f"http_{clients}c_{size}{kind}"
                res[key + "_per_s"] = posted / wall
                during = server_cpu() - c0
                # the RocksDB compaction a row's writes cause runs partly after it: each row
                # waits for the server to settle and is charged with what it did meanwhile
                settle(server_cpu)
                res[key + "_cpu_ms"] = (server_cpu() - c0) / posted * 1000
                res[key + "_cpu_after_ms"] = (server_cpu() - c0 - during) / posted * 1000
                res[key + "_load"] = _load()
                res[key + "_new_triples"] = new / posted
                print(f"  {clients} client(s), {size} per request{kind}: {posted} events in "
                      f"{time.perf_counter() - w0:.1f} s ({new / posted:.0f} new triples each), "
                      f"load {res[key + '_load']}", flush=True)
            if sustained:
                _sustained(res, url, server_cpu, n_events, sustained)
            t0, c0 = time.perf_counter(), server_cpu()
            for ev in single[:200]:
                check(c.post("/api/v1/lineage", json=ev).json()["triples"] == 0,
                      "the same event again adds nothing")
            res["http_repeat_per_s"] = 200 / (time.perf_counter() - t0)
            res["http_repeat_cpu_ms"] = (server_cpu() - c0) / 200 * 1000
        # what the ingest left for RocksDB's background compaction, and the questions asked
        # once it is done (at most 300 s): the questions' cost, not the compaction's
        c0, t0 = server_cpu(), time.monotonic()
        time.sleep(5)
        res["server_after_ingest_cpu_pct"] = (server_cpu() - c0) / 5 * 100
        settle(server_cpu, 300)
        res["server_settled_s"] = time.monotonic() - t0
        c0 = server_cpu()
        res["lineage_with_observed"] = _lineage(url, derived, n)
        res["lineage_with_observed_cpu_ms"] = (server_cpu() - c0) / (n + 5) * 1000
        q = DEPT_RESOURCES
        for who, headers in (("admin", {"X-API-Key": ADMIN_KEY}), ("anonymous", {})) \
                if sparql else ():
            with httpx.Client(base_url=url, timeout=600, headers=headers) as c:
                t0 = time.perf_counter()
                first = c.get("/sparql", params={"query": q % depts[0]})
                check(first.status_code == 200, first.text)
                res[f"sparql_{who}_first_ms"] = (time.perf_counter() - t0) * 1000
                # the server runs two worker processes, each opening the store (and making the
                # caller's view) on its first question: the second one's warm-up, not timed
                second = c.get("/sparql", params={"query": q % depts[1]})
                check(second.status_code == 200, second.text)
                times = []
                for code in depts[:n]:
                    t = time.perf_counter()
                    r = c.get("/sparql", params={"query": q % code})
                    check(r.status_code == 200, r.text)
                    times.append((time.perf_counter() - t) * 1000)
                res[f"sparql_{who}"] = times
    finally:
        proc.terminate()
        proc.wait(30)
    res["sparql_plain"] = plain
    res["load_start"], res["load_end"] = load_start, _load()
    stored = CatalogStore(OUT / f"store-lineage-{scale}-{seed}", read_only=True)
    res["observed_triples"] = next(s.triples for s in stored.sources() if s.name == SOURCE)
    stored.close()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="district")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("-n", type=int, default=100, help="SPARQL questions (one per department)")
    ap.add_argument("--no-sparql", action="store_true", help="skip the SPARQL questions")
    ap.add_argument("--sustained", type=int, default=0, metavar="PARTS",
                    help="after the rows, a stream of PARTS × --events events of known jobs "
                         "from 4 clients, back to back (the target's 'sustained')")
    args = ap.parse_args()
    r = bench(args.scale, args.seed, args.events, args.n, not args.no_sparql, args.sustained)
    print(f"\nload average at the start {r['load_start']}, at the end {r['load_end']}; the "
          f"server idle for 5 s before the ingest used {r['server_idle_cpu_pct']:.0f} % of a core, "
          f"{r['server_after_ingest_cpu_pct']:.0f} % in the 5 s after it (RocksDB compacting); "
          f"the questions with observed lineage were asked {r['server_settled_s']:.0f} s after "
          "the ingest, once the server was idle")
    print(f"\n{args.scale}: {r['triples']:,} catalog triples, {r['observed_triples']:,} observed "
          f"triples after {2 * r['events']:,} events (20 columns of columnLineage each)\n")
    print("events/s on the wall clock; CPU ms per event of the process doing the work (for HTTP "
          "the server, all its threads), and the events/s that CPU time allows on one core\n")
    print("| ingest | events/s | CPU ms/event | events/s per CPU second | new triples/event "
          "| of the CPU ms, once the row was over (compaction) |\n|---|---|---|---|---|---|")
    for label, key in (("validation only, full jsonschema (in-process, the plain way)",
                        "validate_per_s"),
                       ("validation only, compiled check first (jsonschema-rs; in-process)",
                        "validate_cached_per_s"),
                       ("validate + map + store, in-process, in-memory store", "inprocess_per_s"),
                       ("in-process, on-disk store, one event per call", "disk_yishu_1_per_s"),
                       ("  plain way (full validation, lookups, SPARQL INSERT)",
                        "disk_plain_1_per_s"),
                       ("in-process, on-disk store, batches of 50", "disk_yishu_50_per_s"),
                       ("  plain way (full validation, lookups, SPARQL INSERT)",
                        "disk_plain_50_per_s"),
                       ("HTTP, one event per request (the client's way)", "http_1c_1_per_s"),
                       ("HTTP, batches of 50", "http_1c_50_per_s"),
                       ("HTTP, 4 clients, one event per request (group commit)",
                        "http_4c_1_per_s"),
                       ("HTTP, 4 clients, batches of 50", "http_4c_50_per_s"),
                       ("HTTP, known jobs again (new runs), one event per request",
                        "http_1c_1_known_per_s"),
                       ("HTTP, known jobs again, 4 clients, one event per request",
                        "http_4c_1_known_per_s"),
                       ("HTTP, the same events again (nothing new)", "http_repeat_per_s"),
                       ("HTTP, known jobs, 4 clients, a sustained stream (--sustained): the "
                        "whole", "sustained_per_s"),
                       ("  the slowest part of that stream", "sustained_slowest_part_per_s")):
        if key not in r:
            continue
        cpu = r.get(key.replace("_per_s", "_cpu_ms"))
        new = r.get(key.replace("_per_s", "_new_triples"))
        after = r.get(key.replace("_per_s", "_cpu_after_ms"))
        print(f"| {label} | {r[key]:,.0f} | " + ("- | - |" if cpu is None else
                                                 f"{cpu:.2f} | {1000 / cpu:,.0f} |")
              + (" - |" if new is None else f" {new:.0f} |")
              + (" - |" if after is None else f" {after:.2f} |"))
    print("\n| question | p50 ms | p95 ms | server CPU ms per question (mean) |\n|---|---|---|---|")
    for label, key in (("GraphQL lineage depth 5 (HTTP), declared only", "lineage_declared_only"),
                       ("GraphQL lineage depth 5 (HTTP), observed lineage stored",
                        "lineage_with_observed"),
                       ("SPARQL all resources of a department: in-process store.query (plain)",
                        "sparql_plain"),
                       ("/sparql as admin (worker process)", "sparql_admin"),
                       ("/sparql anonymous (filtered view)", "sparql_anonymous")):
        v = r.get(key)
        cpu = r.get(key + "_cpu_ms")
        if v:
            print(f"| {label} | {statistics.median(v):.1f} | {pct(v, 95):.1f} | "
                  + ("- |" if cpu is None else f"{cpu:.1f} |"))
    if "sparql_admin_first_ms" in r:
        print(f"\nfirst anonymous query (builds the view): {r['sparql_anonymous_first_ms']:,.0f} "
              f"ms; first admin query (starts a worker): {r['sparql_admin_first_ms']:,.0f} ms "
              "(the second worker's first question is not timed either)")
    (OUT / f"bench_lineage-{args.scale}.json").write_text(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
