"""Search benchmark: what the search box costs per keystroke, through the text index
(graph/text_index.py) beside the SPARQL scan it replaces (``CONTAINS`` over every code, name and
synonym), on the same store in one run.

    .venv/bin/python benchmarks/bench_search.py [--scales district city] [--seed 7] [-n 60]

Texts are taken from the catalog (one to four characters of names and codes: what a person types
while the suggestions update), plus the seed plans' words (低保, 身份证, 营业执照). The index is
built on the first search after a load: its build time is printed apart. Prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import random
import time

from bench_http import open_store, pct  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", nargs="+", default=["district"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-n", type=int, default=60)
    args = ap.parse_args()

    from graph.oxigraph_engine import OxigraphGraph
    from graph.query import ENTITY_KINDS
    from graph.text_index import TextIndex

    rows = []
    for scale in args.scales:
        store = open_store(scale, args.seed)
        g = OxigraphGraph(store)
        t0 = time.perf_counter()
        index = g._text_index()
        build = time.perf_counter() - t0
        rnd = random.Random(args.seed)
        names = [e.label or e.code for e in rnd.sample(index.entries, args.n)]
        texts = ["低保", "身份证", "营业执照", "局"]
        for w in names:
            i = rnd.randrange(len(w))
            texts.append(w[i:i + rnd.randint(1, 4)])
        texts = [t for t in texts if t.strip()][:args.n]
        found: dict[str, list[list[str]]] = {"scan": [], "index": []}
        for how in ("scan", "index"):
            usable = TextIndex.usable
            if how == "scan":
                TextIndex.usable = staticmethod(lambda t: False)  # type: ignore[method-assign]
            times = []
            try:
                for t in texts:
                    s = time.perf_counter()
                    hits = g.search(t, kinds=list(ENTITY_KINDS), first=20)
                    times.append((time.perf_counter() - s) * 1000)
                    found[how].append([e.iri for e in hits])
            finally:
                TextIndex.usable = usable  # type: ignore[method-assign]
            rows.append((scale, how, pct(times, 50), pct(times, 95)))
        same = found["scan"] == found["index"]
        print(f"{scale}: {len(index):,} entities indexed in {build:.2f}s; "
              f"{len(texts)} texts; same answers: {same}", flush=True)
    print("\n| scale | search | p50 ms | p95 ms |\n|---|---|---|---|")
    for scale, how, p50, p95 in rows:
        label = "SPARQL scan (CONTAINS)" if how == "scan" else "text index"
        print(f"| {scale} | {label} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
