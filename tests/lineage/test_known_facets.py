"""A job's later events are mapped to what is new in them (the facet blocks the store already
holds are not mapped again): the store, the answers and the counts equal what mapping every
event in full gives — also when the observed source was removed or replaced in between."""

from __future__ import annotations

from graph.store import CatalogStore
from loaders.openlineage import SOURCE, ingest, map_events
from loaders.openlineage_commit import write
from loaders.openlineage_mapping import EventMapper
from tests.lineage.events import STRAY, observed_catalog, run_event

RUNS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(1, 9)]


def _events(i: int, job: str = "hj-to-mz") -> list[dict]:
    day = f"2026-11-{10 + i:02d}"
    return [run_event("START", RUNS[i], time=f"{day}T08:00:00Z", job=job, columns=4),
            run_event("COMPLETE", RUNS[i], time=f"{day}T08:05:00+08:00", job=job, columns=4)]


def _in_full(store: CatalogStore, events: list[dict]) -> tuple[int, int]:
    """The plain way: every event mapped in full (no facet block assumed stored)."""
    mapper = EventMapper(store.base)
    for ev in events:
        mapper.event(ev)
    return write(store, [mapper])[0], len(mapper.datasets)


def test_later_runs_of_a_job_are_mapped_to_what_is_new_and_store_the_same(lineage_store):
    plain = CatalogStore()
    for i in range(4):
        for ev in _events(i):
            again = map_events(lineage_store, [ev])
            if i > 0:  # the job's facet blocks were stored by its first run
                assert again.assumed and len(again.triples) < len(_mapped(lineage_store, ev))
            report = ingest(lineage_store, [ev])
            assert (report.triples, report.datasets) == _in_full(plain, [ev])
    assert lineage_store.export("ntriples", SOURCE) == plain.export("ntriples", SOURCE)
    assert [ingest(lineage_store, [ev]).triples for i in range(4) for ev in _events(i)] \
        == [0] * 8  # the same events again add nothing


def _mapped(store: CatalogStore, ev: dict) -> set:
    m = EventMapper(store.base)
    m.event(ev)
    return m.triples


def test_a_replaced_source_gets_every_triple_again(lineage_store):
    for ev in _events(0):
        ingest(lineage_store, [ev])
    assumed = map_events(lineage_store, [_events(1)[1]])
    assert assumed.assumed  # mapped while the first version held the blocks
    lineage_store.remove_source(SOURCE)
    write(lineage_store, [assumed])  # stored after the source was removed: mapped in full
    plain = CatalogStore()
    _in_full(plain, [_events(1)[1]])
    assert lineage_store.export("ntriples", SOURCE) == plain.export("ntriples", SOURCE)
    later = map_events(lineage_store, [_events(2)[1]])
    assert later.assumed  # what the new version holds is known again
    write(lineage_store, [later])
    _in_full(plain, [_events(2)[1]])
    assert lineage_store.export("ntriples", SOURCE) == plain.export("ntriples", SOURCE)


def test_a_block_of_another_job_or_dataset_is_mapped_in_full(lineage_store):
    for ev in _events(0):
        ingest(lineage_store, [ev])
    other_job = map_events(lineage_store, [_events(1, job="another-job")[1]])
    assert not other_job.assumed
    moved = run_event("COMPLETE", RUNS[5], outputs=(STRAY,), columns=4)
    assert not map_events(lineage_store, [moved]).assumed


def test_facets_that_give_no_triples_do_not_hide_a_stored_block(lineage_store):
    for ev in _events(0):
        ingest(lineage_store, [ev])
    ev = _events(1)[1]
    for out in ev["outputs"]:  # a facet Yishu keeps nothing of, different in every run
        out["facets"]["outputStatistics"] = {
            "_producer": "https://example.gov/exchange/v1", "rowCount": 1234,
            "_schemaURL": "https://openlineage.io/spec/facets/1-0-2/"
                          "OutputStatisticsOutputDatasetFacet.json"}
    mapped = map_events(lineage_store, [ev])
    assert mapped.assumed
    plain = CatalogStore()
    _in_full(plain, _events(0) + [ev])
    write(lineage_store, [mapped])
    assert lineage_store.export("ntriples", SOURCE) == plain.export("ntriples", SOURCE)


def test_a_known_jobs_next_run_adds_as_many_triples_whatever_its_columns(tmp_path):
    """A run of a job seen before adds its events, its run and one sighting of each lineage
    report (time and run) — not one per column: the same count for 2 columns as for 20."""
    from loaders import load_path
    from tests.lineage.events import declared_catalog

    added = {}
    for columns in (2, 20):
        store = CatalogStore(tmp_path / f"store-{columns}")
        load_path(store, declared_catalog(tmp_path / f"small-{columns}"), "small")
        first = [run_event(k, RUNS[0], time=f"2026-11-10T08:0{i}:00Z", columns=columns)
                 for i, k in enumerate(("START", "COMPLETE"))]
        later = [run_event(k, RUNS[1], time=f"2026-11-11T08:0{i}:00Z", columns=columns)
                 for i, k in enumerate(("START", "COMPLETE"))]
        assert ingest(store, first).triples > ingest(store, []).triples
        added[columns] = ingest(store, later).triples
    assert added[2] == added[20] > 0


def test_an_item_edge_was_last_seen_when_its_latest_report_was(tmp_path):
    """The evidence of an item-level edge: last seen at the latest event that reported it —
    events arriving out of time order, later runs adding only a sighting of the report."""
    from graph.observed import observed_edges
    from tests.lineage.events import _evidence_event

    store = observed_catalog(CatalogStore(tmp_path / "store"), tmp_path)
    for run, day in ((RUNS[3], "2026-11-25"), (RUNS[2], "2026-11-22")):
        for kind, hour in (("START", "08:00"), ("COMPLETE", "08:05")):
            ev = _evidence_event(kind, f"{day}T{hour}:00Z")
            ev["run"]["runId"] = run
            ingest(store, [ev])
    edges = observed_edges(store, items=True)
    assert len(edges) == 2 and {e.last_seen for e in edges} == {"2026-11-25T08:05:00Z"}


def test_a_store_written_before_lineage_reports_keeps_its_item_edges(tmp_path):
    """Stores written before 2026-12-04 kept ys:seenAt on each field derivation and no report:
    their item-level edges are answered the same."""
    from graph.observed import observed_edges

    store = observed_catalog(CatalogStore(tmp_path / "store"), tmp_path)
    now = observed_edges(store, items=True)
    store.store.update("""PREFIX ys: <https://w3id.org/yishu/def#>
        DELETE { GRAPH ?g { ?r ?p ?o } } INSERT { GRAPH ?g { ?d ys:seenAt ?t } }
        WHERE { GRAPH ?g { ?r ys:reportsDerivation ?d ; ys:seenAt ?t ; ?p ?o } }""")
    assert not store.select("""PREFIX ys: <https://w3id.org/yishu/def#>
        SELECT ?r WHERE { ?r ys:reportsDerivation ?d }""")
    assert now and observed_edges(store, items=True) == now
