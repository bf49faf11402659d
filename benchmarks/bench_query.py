"""Query benchmark: lineage (depth 5), trace_source and resolve_source on the synthetic district and
city, in the query layer (Oxigraph engine, on-disk store), beside the same question answered by
rdflib in memory (SPARQL) and by networkx over the same edges — in one run, printed as a table.

    .venv/bin/python benchmarks/bench_query.py [--scales district city] [--seed 7] [-n 200]
                                               [--rdflib-n 40] [--no-rdflib]

Datasets are generated into benchmarks/out/synth-<scale>-<seed>/ when absent (``yishu synth``)
and loaded once into benchmarks/out/store-query-<scale>-<seed>/. Results also go to
benchmarks/out/bench_query-<scale>.json.

What is compared (the same roots for all three):
- lineage UP 5: upstream at resource granularity, depth 5. The query layer returns the whole
  answer (entities, shortest paths, typed edges, cycles, cut flag, sensitivity propagation);
  rdflib runs the same per-level SPARQL (graph/queries/edge_*.rq, VALUES per level) and returns
  the node set with depths; networkx runs a cut-off BFS on a prebuilt DiGraph of the same edges.
  The node counts of all three are checked to be equal.
- lineage DOWN 5: downstream, depth 5, first page of 100 nodes in the query layer (total count
  included); whole node set for rdflib and networkx.
- trace: from an item with 来源资源代码 back to the authoritative item. The query layer assembles
  full hops (resource, department, system, flow platform/method, responsibilities); rdflib
  follows the chain with one SPARQL query per hop; networkx follows a prebuilt item graph.
- resolve: one data element by standard name or synonym → status and candidates. rdflib: one
  SPARQL query; networkx: prebuilt indexes (name → element, element → authoritative items).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PY = sys.executable
sys.path.insert(0, str(ROOT))

from common import dataset  # noqa: E402  (benchmarks/ is the script's folder)

from graph.base import EDGE_ENDPOINTS  # noqa: E402
from graph.model import Direction  # noqa: E402
from graph.oxigraph_engine import QUERIES, OxigraphGraph  # noqa: E402
from graph.store import CatalogStore  # noqa: E402
from ontology.namespaces import sparql_prefixes  # noqa: E402

UP_TYPES = ["DERIVED_FROM", "FLOW", "SOURCE_SYSTEM", "PRODUCES", "PROVIDES"]
DOWN_TYPES = ["DERIVED_FROM", "FLOW", "FLOW_TO_SYSTEM", "FLOW_TO_DEPARTMENT"]
YS = "https://w3id.org/yishu/def#"


def open_store(scale: str, seed: int) -> tuple[CatalogStore, float | None]:
    from loaders import load_path

    path = OUT / f"store-query-{scale}-{seed}"
    store = CatalogStore(path)
    if store.sources():
        return store, None
    t0 = time.perf_counter()
    load_path(store, dataset(scale, seed), f"synth-{scale}")
    return store, time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))] * 1000


def timed(fn, args: list) -> tuple[list[float], list]:
    times, answers = [], []
    for a in args:
        t0 = time.perf_counter()
        answers.append(fn(a))
        times.append(time.perf_counter() - t0)
    return times, answers


# -- rdflib: the same questions in SPARQL over an in-memory Graph ---------------------------
def rdflib_graph(store: CatalogStore):
    import rdflib

    t0 = time.perf_counter()
    g = rdflib.Graph()
    g.parse(data=store.export("ntriples"), format="nt")
    return g, time.perf_counter() - t0


def _frag(t: str, values: str) -> str:
    text = (QUERIES / f"edge_{t}.rq").read_text(encoding="utf-8")
    return "{ " + text.replace("#ANCHOR#", values) + "}"


def rdflib_lineage(g, root: str, upstream: bool, depth: int) -> dict[str, int]:
    """Per-level SPARQL with VALUES, like the engine; resources are expanded, others are leaves."""
    types = UP_TYPES if upstream else DOWN_TYPES
    var, other = ("target", "source") if upstream else ("source", "target")
    seen = {root: 0}
    frontier = [root]
    for level in range(depth):
        if not frontier:
            break
        values = f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in frontier)} }}"
        q = sparql_prefixes() + f"SELECT DISTINCT ?{other} ?t WHERE {{ " + " UNION ".join(
            _frag(t, values)[:-1] + f' BIND("{t}" AS ?t) }}' for t in types) + " }"
        nxt = []
        for row in g.query(q):
            node, t = str(row[0]), str(row[1])
            if node not in seen:
                seen[node] = level + 1
                if EDGE_ENDPOINTS[t][0 if upstream else 1] == "resource":
                    nxt.append(node)
        frontier = nxt
    return seen


_RDF_HOP = sparql_prefixes() + """
SELECT ?auth ?r WHERE { OPTIONAL { ?i ys:authoritative ?auth } OPTIONAL { ?i ys:takenFrom ?r } }"""
_RDF_UP = sparql_prefixes() + """
SELECT DISTINCT ?u WHERE {
  { ?i ys:takenFrom ?r ; ys:carries ?e . ?u ys:inResource ?r ; ys:carries ?e . }
  UNION
  { ?i ys:takenFrom ?r ; rdfs:label ?n . ?u ys:inResource ?r ; rdfs:label ?n .
    FILTER NOT EXISTS { ?i ys:carries ?e2 . ?o ys:inResource ?r ; ys:carries ?e2 . } }
} ORDER BY ?u"""


def rdflib_trace(g, item: str) -> list[str]:
    import rdflib

    chain = [item]
    while len(chain) < 64:
        cur = rdflib.URIRef(chain[-1])
        rows = list(g.query(_RDF_HOP, initBindings={"i": cur}))
        auth = any(r[0] is not None and r[0].toPython() is True for r in rows)
        if auth or not any(r[1] is not None for r in rows):
            break
        ups = [str(r[0]) for r in g.query(_RDF_UP, initBindings={"i": cur})]
        if not ups or ups[0] in chain:
            break
        chain.append(ups[0])
    return chain


_RDF_RESOLVE = sparql_prefixes() + """
SELECT ?el ?item ?prov ?designated WHERE {
  ?el a ys:DataElement .
  { ?el rdfs:label ?l FILTER(STR(?l) = ?text) } UNION { ?el skos:altLabel ?a FILTER(STR(?a) = ?text) }
  OPTIONAL { ?el ys:authoritativeDepartment ?designated }
  OPTIONAL { ?item ys:carries ?el ; ys:authoritative true ; ys:inResource ?res .
             OPTIONAL { ?res ys:provider ?prov } }
}"""


def rdflib_resolve(g, text: str) -> str:
    import rdflib

    rows = list(g.query(_RDF_RESOLVE, initBindings={"text": rdflib.Literal(text)}))
    items = {(str(r[1]), str(r[2])) for r in rows if r[1] is not None}
    designated = next((str(r[3]) for r in rows if r[3] is not None), None)
    return _classify(items, designated)


def _classify(items: set[tuple[str, str]], designated: str | None) -> str:
    if not items:
        return "MISSING"
    if len(items) > 1:
        return "CONFLICT"
    prov = next(iter(items))[1]
    return "MISMATCH" if designated and prov not in (designated, "None") else "RESOLVED"


# -- networkx: the same questions over prebuilt graphs of the same edges -------------------------
class NX:
    def __init__(self, og: OxigraphGraph, resources: list[str], items: list[str]):
        import networkx as nx

        t0 = time.perf_counter()
        up_edges = og._edges(resources, UP_TYPES, True)
        down_edges = og._edges(resources, DOWN_TYPES, False)
        item_edges = og._edges(items, ["ITEM_DERIVED_FROM"], True)
        self.up = nx.DiGraph()  # reversed: resource → what it comes from
        self.up.add_edges_from((e.target, e.source) for e in up_edges)
        self.down = nx.DiGraph()
        self.down.add_edges_from((e.source, e.target) for e in down_edges
                                 if EDGE_ENDPOINTS[e.type][0] == "resource")
        self.items = nx.DiGraph()  # item → its upstream items
        self.items.add_edges_from((e.target, e.source) for e in item_edges)
        rows = og._item_rows(items)
        self.auth = {i for i, r in rows.items() if r.authoritative}
        self.carries = nx.DiGraph()
        for r in og._element_items():
            self.carries.add_edge(r.item, r.element, authoritative=r.authoritative,
                                  provider=r.provider)
        self.names: dict[str, list[str]] = defaultdict(list)
        self.designated: dict[str, str | None] = {}
        for h in og._match(["element"], {}, None):
            for name in {h.label, *h.synonyms} - {None}:
                self.names[name].append(h.iri)  # type: ignore[index]
        for iri, e in og._entities([h.iri for h in og._match(["element"], {}, None)]).items():
            self.designated[iri] = e.fields.get("authoritativeDepartment")
        self.seconds = time.perf_counter() - t0

    def lineage(self, root: str, upstream: bool, depth: int) -> dict[str, int]:
        import networkx as nx

        g = self.up if upstream else self.down
        if root not in g:
            return {root: 0}
        return nx.single_source_shortest_path_length(g, root, cutoff=depth)

    def trace(self, item: str) -> list[str]:
        chain = [item]
        while len(chain) < 64 and chain[-1] not in self.auth:
            ups = sorted(self.items.successors(chain[-1])) if chain[-1] in self.items else []
            if not ups or ups[0] in chain:
                break
            chain.append(ups[0])
        return chain

    def resolve(self, text: str) -> str:
        [el] = self.names[text][:1] or [None]
        if el is None:
            return "NOT_FOUND"
        items = {(i, str(d["provider"])) for i, _, d in self.carries.in_edges(el, data=True)
                 if d["authoritative"]}
        return _classify(items, self.designated.get(el))


# -- the run -------------------------------------------------------------------------------------
def bench(scale: str, seed: int, n: int, rdflib_n: int, use_rdflib: bool) -> dict:
    store, load_s = open_store(scale, seed)
    og = OxigraphGraph(store)
    rng = random.Random(seed)
    res_hits = og._match(["resource"], {}, None)
    resources = [h.iri for h in res_hits]
    item_rows = og._element_items()
    all_items = [h.iri for h in og._match(["item"], {}, None)]
    taken = sorted(r.item for r in item_rows if r.taken_from)
    elements = og._match(["element"], {}, None)
    roots = rng.sample(resources, min(n, len(resources)))
    trace_items = rng.sample(taken, min(n, len(taken)))
    texts = [rng.choice([h.label, *h.synonyms]) for h in rng.sample(elements, min(n, len(elements)))]
    # names/synonyms shared by several elements are ambiguous: ask by the first unique one
    counts: dict[str, int] = defaultdict(int)
    for h in elements:
        for name in {h.label, *h.synonyms}:
            counts[name] += 1
    texts = [t for t in texts if counts[t] == 1]

    rows: dict[str, dict] = {}
    ql = {
        "lineage UP 5": timed(lambda r: og.lineage(r, Direction.UPSTREAM, 5), roots),
        "lineage DOWN 5": timed(lambda r: og.lineage(r, Direction.DOWNSTREAM, 5, first=100),
                                roots),
        "trace_source": timed(og.trace_source, trace_items),
        "resolve_source": timed(og.resolve_source, texts),
    }
    nxg = NX(og, resources, all_items)
    nxr = {
        "lineage UP 5": timed(lambda r: nxg.lineage(r, True, 5), roots),
        "lineage DOWN 5": timed(lambda r: nxg.lineage(r, False, 5), roots),
        "trace_source": timed(nxg.trace, trace_items),
        "resolve_source": timed(nxg.resolve, texts),
    }
    # same answers: node counts, chains, statuses
    mism = {
        "lineage UP 5": sum(a.total_nodes != len(b) for a, b in
                            zip(ql["lineage UP 5"][1], nxr["lineage UP 5"][1], strict=True)),
        "lineage DOWN 5": sum(a.total_nodes != len(b) for a, b in
                              zip(ql["lineage DOWN 5"][1], nxr["lineage DOWN 5"][1], strict=True)),
        "trace_source": sum([h.item.iri for h in a.hops] != b for a, b in
                            zip(ql["trace_source"][1], nxr["trace_source"][1], strict=True)),
        "resolve_source": sum(a.status.value != b for a, b in
                              zip(ql["resolve_source"][1], nxr["resolve_source"][1], strict=True)),
    }
    rdr: dict[str, tuple[list[float], list]] = {}
    parse_s = None
    if use_rdflib:
        rg, parse_s = rdflib_graph(store)
        k = rdflib_n
        rdr = {
            "lineage UP 5": timed(lambda r: rdflib_lineage(rg, r, True, 5), roots[:k]),
            "lineage DOWN 5": timed(lambda r: rdflib_lineage(rg, r, False, 5), roots[:k]),
            "trace_source": timed(lambda i: rdflib_trace(rg, i), trace_items[:k]),
            "resolve_source": timed(lambda t: rdflib_resolve(rg, t), texts[:k]),
        }
        for q, (_, answers) in rdr.items():
            mine = ql[q][1][:k]
            if q.startswith("lineage"):
                mism[q] += sum(a.total_nodes != len(b) for a, b in zip(mine, answers, strict=True))
            elif q == "trace_source":
                mism[q] += sum([h.item.iri for h in a.hops] != b
                               for a, b in zip(mine, answers, strict=True))
            else:
                mism[q] += sum(a.status.value != b for a, b in zip(mine, answers, strict=True))
    for q in ql:
        rows[q] = {
            "n": len(ql[q][0]),
            "yishu_p50": pct(ql[q][0], 50), "yishu_p95": pct(ql[q][0], 95),
            "nx_p50": pct(nxr[q][0], 50), "nx_p95": pct(nxr[q][0], 95),
            "rdflib_n": len(rdr[q][0]) if rdr else 0,
            "rdflib_p50": pct(rdr[q][0], 50) if rdr else None,
            "rdflib_p95": pct(rdr[q][0], 95) if rdr else None,
            "mismatches": mism[q],
        }
    sizes = {"resources": len(resources), "items": len(all_items), "elements": len(elements),
             "triples": len(store)}
    result = {"scale": scale, "seed": seed, "sizes": sizes, "load_s": load_s,
              "rdflib_parse_s": parse_s, "networkx_build_s": nxg.seconds,
              "mean_lineage_up_nodes": statistics.mean(a.total_nodes for a in
                                                       ql["lineage UP 5"][1]),
              "mean_lineage_down_nodes": statistics.mean(a.total_nodes for a in
                                                         ql["lineage DOWN 5"][1]),
              "rows": rows}
    (OUT / f"bench_query-{scale}.json").write_text(json.dumps(result, ensure_ascii=False,
                                                              indent=1), encoding="utf-8")
    store.close()
    return result


def table(results: list[dict]) -> str:
    def f(v):
        return "—" if v is None else f"{v:.2f}"

    lines = ["| scale | question | n | query layer p50 / p95 ms | rdflib (SPARQL, in memory) "
             "p50 / p95 ms | networkx p50 / p95 ms | answers differ |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        for q, x in r["rows"].items():
            lines.append(f"| {r['scale']} | {q} | {x['n']} | {f(x['yishu_p50'])} / "
                         f"{f(x['yishu_p95'])} | {f(x['rdflib_p50'])} / {f(x['rdflib_p95'])}"
                         f" (n={x['rdflib_n']}) | {f(x['nx_p50'])} / {f(x['nx_p95'])} | "
                         f"{x['mismatches']} |")
    lines.append("")
    for r in results:
        s = r["sizes"]
        load = "(reused)" if r["load_s"] is None else f"{r['load_s']:.1f} s"
        lines.append(f"- {r['scale']}: {s['resources']:,} resources, {s['items']:,} items, "
                     f"{s['triples']:,} triples; store load {load}, "
                     f"rdflib parse {f(r['rdflib_parse_s'])} s, networkx build "
                     f"{r['networkx_build_s']:.1f} s; mean lineage nodes up "
                     f"{r['mean_lineage_up_nodes']:.1f}, down {r['mean_lineage_down_nodes']:.1f}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", nargs="+", default=["district", "city"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-n", type=int, default=200, help="questions per kind")
    ap.add_argument("--rdflib-n", type=int, default=40, help="questions per kind for rdflib")
    ap.add_argument("--no-rdflib", action="store_true")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = [bench(s, a.seed, a.n, a.rdflib_n, not a.no_rdflib) for s in a.scales]
    print(table(results))


if __name__ == "__main__":
    main()
