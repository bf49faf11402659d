"""What a restricted SPARQL view leaves out of observed lineage: the datasets a hidden resource
declares, their fields, and the flows and field derivations touching them."""

from __future__ import annotations

import json

from graph.sandbox import QueryRunner, View
from loaders.openlineage import ingest
from tests.lineage.events import DB, HJ, STRAY, run_event

RUN = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
KEY = f"{HJ[0]}|{HJ[1]}"
ASK = """PREFIX ys: <https://w3id.org/yishu/def#>
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x ys:datasetKey ?k FILTER(?k = "KEY") BIND("dataset" AS ?what) }
  UNION { ?ds ys:datasetKey "KEY" ; ys:hasField ?x BIND("field" AS ?what) }
  UNION { ?x a ys:ObservedFlow BIND("flow" AS ?what) }
  UNION { ?x a ys:FieldDerivation BIND("derivation" AS ?what) }
  UNION { ?x a ys:PhysicalDataset BIND("datasets" AS ?what) }
} GROUP BY ?what ORDER BY ?what""".replace("KEY", KEY)


def _counts(runner: QueryRunner, view: View) -> dict[str, int]:
    _fmt, data = runner.run(ASK, view, "json")
    return {b["what"]["value"]: int(b["n"]["value"])
            for b in json.loads(data)["results"]["bindings"]}


def test_a_hidden_resources_observed_datasets_are_left_out(lineage_store):
    s = lineage_store
    ingest(s, [run_event("START", RUN, outputs=(DB, STRAY)),
               run_event("COMPLETE", RUN, outputs=(DB, STRAY))])
    runner = QueryRunner(s, seconds=30, workers=1)
    try:
        everything = _counts(runner, View("all"))
        assert everything == {"dataset": 1, "field": 2, "flow": 2, "derivation": 4,
                              "datasets": 3}
        hidden = View("no-hj", hidden=frozenset({s.base + "resource/RES-HJ"}))
        assert _counts(runner, hidden) == {"datasets": 2}
        # the store itself is unchanged, and the unrestricted view still sees everything
        assert _counts(runner, View("all")) == everything
    finally:
        runner.close()


def test_a_restricted_view_follows_new_observations_within_its_refresh(lineage_store):
    s = lineage_store
    ingest(s, [run_event("COMPLETE", RUN)])
    hidden = View("no-db", hidden=frozenset({s.base + "resource/RES-DB"}))
    fresh, lazy = (QueryRunner(s, seconds=30, workers=1, view_refresh=r) for r in (0, 3600))
    try:
        before = _counts(fresh, hidden)["datasets"]
        assert _counts(lazy, hidden)["datasets"] == before
        ingest(s, [run_event("COMPLETE", "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b",
                             outputs=(STRAY,))])
        assert _counts(fresh, hidden)["datasets"] == before + 1
        assert _counts(lazy, hidden)["datasets"] == before  # up to view_refresh late
        assert _counts(lazy, View("all"))["datasets"] == 3  # the unrestricted view is current
    finally:
        fresh.close()
        lazy.close()


def test_a_view_is_one_checkpoint_shared_by_the_workers_and_nothing_escapes_it(lineage_store):
    """The restricted catalog is made once (not once per worker) as a checkpoint folder beside
    the store, removed on close; FROM and GRAPH naming any graph of the store — history, other
    versions — find nothing of a hidden entity through it."""
    s = lineage_store
    ingest(s, [run_event("COMPLETE", RUN)])
    from loaders import load_path
    from tests.lineage.events import declared_catalog

    load_path(s, declared_catalog(s.path.parent / "again"), "small")  # a history graph too
    secret = s.base + "resource/RES-HJ"
    graphs = sorted(g.value for g in s.store.named_graphs())
    assert len(graphs) > len(s.sources())  # version records, deltas: more than the current
    froms = " ".join(f"FROM <{g}> FROM NAMED <{g}>" for g in graphs)
    probes = [f"SELECT (COUNT(*) AS ?n) {froms} WHERE {{ <{secret}> ?p ?o }}",
              f"SELECT (COUNT(*) AS ?n) {froms} WHERE {{ GRAPH ?g {{ <{secret}> ?p ?o }} }}",
              f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p <{secret}> }} }}"]

    def count(runner, view, q):
        return int(json.loads(runner.run(q, view, "json")[1])["results"]["bindings"][0]["n"]
                   ["value"])

    runner = QueryRunner(s, seconds=30, workers=2, view_refresh=3600)
    hidden = View("no-hj", hidden=frozenset({secret}))
    try:
        assert all(count(runner, View("all"), q) > 0 for q in probes)  # the probes find it
        assert [count(runner, hidden, q) for q in probes] == [0, 0, 0]
        assert [count(runner, hidden, q) for q in probes] == [0, 0, 0]  # the other worker
        assert runner.views.made == 1
        (folder,) = [p for p in runner.views.root.iterdir()]
        assert runner.views.root.parent == s.path.parent
    finally:
        runner.close()
    assert not folder.exists() and not runner.views.root.exists()
