"""Appends keep their reverse delta packed in one quad, and the catalog as of any date between
appends equals a store that received only the events up to then; concurrent requests stored by
the group committer give the store exactly what one request after the other gives."""

from __future__ import annotations

import datetime as dt
import threading

from graph.history import stamped
from graph.store import CatalogStore
from loaders import load_path
from loaders.openlineage import SOURCE, ingest, submit
from tests.lineage.events import declared_catalog, run_event

RUNS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(1, 7)]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _events(i: int) -> list[dict]:
    # times with an offset: stored in canonical form ("…Z"), packed as written ("+00:00")
    return [run_event("START", RUNS[i], time=f"2026-11-2{i}T08:00:00+00:00", columns=3),
            run_event("COMPLETE", RUNS[i], time=f"2026-11-2{i}T08:05:00.500+00:00",
                      columns=3)]


def _quads(store: CatalogStore) -> int:
    return sum(1 for _ in store.store.quads_for_pattern(None, None, None, None))


def _catalog(tmp_path, name: str) -> CatalogStore:
    s = CatalogStore(tmp_path / name)
    with stamped(dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)):
        load_path(s, declared_catalog(tmp_path / f"{name}-small"), "small")
    return s


def test_an_append_adds_its_triples_a_record_and_one_delta_quad(tmp_path):
    s = _catalog(tmp_path, "s")
    ingest(s, _events(0))
    before = _quads(s)
    report = ingest(s, _events(1))
    record = 12  # at most this many registry quads per version record, its count included
    assert report.triples > 0
    assert before + report.triples + 1 < _quads(s) <= before + report.triples + 1 + record


def test_as_of_between_appends_equals_the_events_up_to_then(tmp_path):
    s = _catalog(tmp_path, "s")
    days = [dt.datetime(2026, 2, d, 12, tzinfo=SHANGHAI) for d in (1, 2, 3)]
    for i, day in enumerate(days):
        with stamped(day):
            ingest(s, _events(i))
    s.close()
    s = CatalogStore(tmp_path / "s")  # the packed deltas survive reopening
    for k in range(len(days)):
        fresh = _catalog(tmp_path, f"fresh{k}")
        for i in range(k + 1):
            ingest(fresh, _events(i))
        past = s.as_of(days[k] + dt.timedelta(hours=1))
        assert past.export("ntriples", SOURCE) == fresh.export("ntriples", SOURCE)
        assert len(past) == len(fresh)
    assert s.as_of(dt.date(2026, 1, 15)).export("ntriples", SOURCE) == b""


def test_concurrent_requests_store_what_one_after_the_other_stores(tmp_path):
    one_by_one = _catalog(tmp_path, "a")
    counts = [ingest(one_by_one, [ev]).triples for i in range(6) for ev in _events(i)]
    grouped = _catalog(tmp_path, "b")
    futures, start = [], threading.Barrier(4)

    def client(ks: list[int]) -> None:
        start.wait()
        for i in ks:
            futures.extend(submit(grouped, [ev]) for ev in _events(i))

    threads = [threading.Thread(target=client, args=([k, k + 4] if k < 2 else [k],))
               for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reports = [f.result(timeout=60) for f in futures]
    assert grouped.export("ntriples", SOURCE) == one_by_one.export("ntriples", SOURCE)
    assert sum(r.triples for r in reports) == sum(counts) == len(grouped) - len(
        grouped.export("ntriples", "small").splitlines())
    again = [submit(grouped, [ev]) for i in range(6) for ev in _events(i)]
    assert [f.result(timeout=60).triples for f in again] == [0] * 12  # idempotent
    assert grouped.export("ntriples", SOURCE) == one_by_one.export("ntriples", SOURCE)
