"""Usage statistics benchmark (docs/usage.md): importing an exchange platform's file, and the
answers — who uses a resource (records read by SPARQL, summed in Python: ``graph.usage``) beside
one SPARQL ``GROUP BY`` doing the sums in the engine, and the zombie list beside a SPARQL
``NOT EXISTS`` per resource — on a synthetic catalog, in one run, with the answers compared.

    .venv/bin/python benchmarks/bench_usage.py [--scale district] [--records 100000] [--seed 7]

The records are made from the catalog: every consuming department calls a few resources on
random days of 2025 (the busiest resource gets 1/20 of the records). Prints a table of times.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import dataset  # noqa: E402

GROUP_BY = """
SELECT ?resource ?department (SUM(?calls) AS ?n) (SUM(?failures) AS ?f) WHERE {
  ?r a ys:UsageRecord ; ys:usageOf ?resource ; ys:consumerDepartment ?department ;
     ys:calls ?calls ; ys:failures ?failures .
} GROUP BY ?resource ?department"""
NOT_EXISTS = """
SELECT ?resource WHERE {
  ?resource a ys:DataResource .
  FILTER NOT EXISTS { ?resource ys:sharingType <https://w3id.org/yishu/code/SharingType/not-shared> }
  FILTER NOT EXISTS { ?r ys:usageOf ?resource ; ys:usageDate ?d ; ys:calls ?c .
                      FILTER (?c > 0 && ?d > "2025-10-02"^^xsd:date && ?d <= "2025-12-31"^^xsd:date) }
}"""


def make_file(store, n: int, seed: int) -> tuple[bytes, str]:
    rnd = random.Random(seed)
    rows = store.select("SELECT ?r WHERE { ?r a <https://w3id.org/yishu/def#DataResource> }")
    resources = sorted(str(r["r"]).rsplit("/", 1)[1] for r in rows)
    depts = sorted(str(r["d"]).rsplit("/", 1)[1] for r in store.select(
        "SELECT ?d WHERE { ?d a <https://w3id.org/yishu/def#Department> }"))
    busiest = resources[0]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["资源代码", "调用部门编码", "调用系统编码", "调用日期", "调用次数", "失败次数",
                "应用场景"])
    seen = set()
    day0 = dt.date(2025, 1, 1)
    while len(seen) < n:
        res = busiest if rnd.random() < 0.05 else rnd.choice(resources[: len(resources) * 2 // 3])
        key = (res, rnd.choice(depts), (day0 + dt.timedelta(days=rnd.randrange(365))).isoformat(),
               rnd.choice(["核验", "审批", "统计"]))
        if key in seen:
            continue
        seen.add(key)
        calls = rnd.randint(0, 500)
        w.writerow([key[0], key[1], "", key[2], calls, calls // 100, key[3]])
    return out.getvalue().encode(), busiest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="district")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from graph.iris import mint
    from graph.store import CatalogStore
    from graph.usage import usage_of, zombies
    from loaders import load_path
    from loaders.usage import import_usage
    from ontology.namespaces import sparql_prefixes

    store = CatalogStore()
    load_path(store, dataset(args.scale, args.seed), "bench")
    data, busiest = make_file(store, args.records, args.seed)
    rows = []
    t0 = time.perf_counter()
    report = import_usage(store, data, "platform.csv")
    first = time.perf_counter() - t0
    rows.append(("import (check + store)", f"{report.records:,} records",
                 f"{first:.2f} s", f"{report.records / first:,.0f} records/s"))
    t0 = time.perf_counter()
    import_usage(store, data, "platform.csv")
    rows.append(("import again (idempotent)", f"{report.records:,} records",
                 f"{time.perf_counter() - t0:.2f} s", ""))

    iri = mint("resource", busiest, store.base)
    t0 = time.perf_counter()
    s = usage_of(store, iri)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine = {str(r["department"]): int(r["n"])
              for r in store.select(sparql_prefixes() + GROUP_BY, resource=iri)}
    plain = time.perf_counter() - t0
    same = engine == {r.key: r.calls for r in s.by_department}
    rows.append((f"who uses {busiest} (graph.usage)", f"{s.calls:,} calls",
                 f"{ours * 1000:.0f} ms", ""))
    rows.append(("  the same, SPARQL GROUP BY", f"same: {same}", f"{plain * 1000:.0f} ms", ""))

    t0 = time.perf_counter()
    z = zombies(store, dt.date(2025, 12, 31), 90)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain_z = {str(r["resource"]) for r in store.select(sparql_prefixes() + NOT_EXISTS)}
    plain = time.perf_counter() - t0
    rows.append(("zombies, 90 days (graph.usage)", f"{len(z)} resources",
                 f"{ours * 1000:.0f} ms", ""))
    rows.append(("  the same, SPARQL NOT EXISTS", f"same: {plain_z == {x.resource for x in z}}",
                 f"{plain * 1000:.0f} ms", ""))

    print(f"\nscale {args.scale}, {report.records:,} usage records\n")
    print(f"{'what':<42}{'size':>22}{'time':>12}{'rate':>20}")
    for r in rows:
        print(f"{r[0]:<42}{r[1]:>22}{r[2]:>12}{r[3]:>20}")


if __name__ == "__main__":
    main()
