"""OpenLineage events (spec 2-0-2) as observed lineage in the store.

An event is validated against the spec's own JSON Schema (:mod:`loaders.openlineage_validation`;
every problem with the JSON path where it is, ``$.run.runId``), mapped to triples
(:mod:`loaders.openlineage_mapping`; the observed flows of completed runs:
:mod:`loaders.openlineage_flows`) and appended to the load source :data:`SOURCE`
(:mod:`loaders.openlineage_commit`, which also coalesces concurrent requests into one append). A
batch with any bad event stores nothing.

That source is its own named graph, so reloading a department's template never touches it; it
only grows, and every node has an IRI made from what identifies it, so the same event twice adds
nothing and events may arrive in any order.

A resource declares the datasets it is published as (template column 物理数据集,
``ys:physicalDataset`` "namespace|name"); a dataset that no resource declares stays in the store
as an unregistered dataset (:mod:`graph.observed` lists them).
"""

from __future__ import annotations

from concurrent.futures import Future

from graph.store import CatalogStore
from loaders.openlineage_commit import SOURCE, IngestReport, committer, mapper_for, write
from loaders.openlineage_mapping import EventMapper, dataset_iri, dataset_key
from loaders.openlineage_validation import (
    SPEC_DIR,
    EventError,
    EventProblem,
    valid_at_once,
    validate,
)

__all__ = ["SOURCE", "EventProblem", "EventError", "IngestReport", "ingest", "submit", "validate",
           "valid_at_once", "map_events", "dataset_iri", "dataset_key", "SPEC_DIR"]


def map_events(store: CatalogStore, events: list[object], *, batch: bool = False) -> EventMapper:
    """Validate ``events`` and map them to triples; raises :class:`EventError` naming every
    problem (paths ``$.…`` for one event, ``$[i].…`` in a batch)."""
    problems: list[EventProblem] = []
    for i, ev in enumerate(events):
        problems += validate(ev, f"$[{i}]" if batch else "$")
    if problems:
        raise EventError(problems)
    mapper = mapper_for(store)  # knowing the facet blocks already stored
    for ev in events:
        mapper.event(ev)  # type: ignore[arg-type]
    return mapper


def ingest(store: CatalogStore, events: list[object], *, batch: bool = False) -> IngestReport:
    """Validate and store ``events``: all or nothing, as one append. Raises :class:`EventError`
    naming every problem."""
    mapper = map_events(store, events, batch=batch)
    (n,) = write(store, [mapper])
    return IngestReport(len(events), n, len(mapper.datasets))


def submit(store: CatalogStore, events: list[object], *, batch: bool = False) -> Future:
    """Validate and map ``events`` here (raises :class:`EventError` at once), then hand them to
    the store's writer thread, which stores them with whatever other requests are waiting as one
    append: a future of the :class:`IngestReport`, set once they are stored."""
    mapper = map_events(store, events, batch=batch)
    return committer(store).submit(mapper, len(events))
