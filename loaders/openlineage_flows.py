"""Observed flows of completed runs (``ys:ObservedFlow``, a ``prov:Derivation``).

For a run that COMPLETEd — in the events being stored or before — one flow per (input, output)
of the run, from all its inputs and outputs (in these events or stored before), with the job,
the run and each completion time, and ``output prov:wasDerivedFrom input``. What a run already
has in the store is read from the observed source's current version graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from graph.store import CatalogStore
from loaders.openlineage_mapping import (
    DERIVED,
    GENERATED,
    USED,
    A,
    EventMapper,
    Triple3,
    node_hash,
    ys,
)

__all__ = ["run_flows"]


def run_flows(store: CatalogStore, graph: NamedNode | None,
              mappers: Iterable[EventMapper]) -> dict[NamedNode, set[Triple3]]:
    """The flow triples of every run the mappers saw (run -> its flows' triples), over what
    all the mappers hold and, when ``graph`` (the observed source's version) is given, what the
    store holds of each run."""
    mappers = list(mappers)
    base = mappers[0].base if mappers else store.base
    runs: dict[NamedNode, NamedNode | None] = {}
    for m in mappers:
        for run, job in m.runs.items():
            if runs.get(run) is None:
                runs[run] = job
    out: dict[NamedNode, set[Triple3]] = {}
    for run, job in runs.items():
        done: set[Literal] = set()
        used: set[NamedNode] = set()
        generated: set[NamedNode] = set()
        for m in mappers:
            done |= m.completed.get(run, set())
            used |= m.used.get(run, set())
            generated |= m.generated.get(run, set())
        if graph is not None:
            done |= _stored_completions(store, run, graph)
            used |= _objects(store, run, USED, graph)
            generated |= _objects(store, run, GENERATED, graph)
            if job is None:
                job = next(iter(_objects(store, run, ys("ofJob"), graph)), None)
        if not done:
            continue
        triples = out[run] = set()
        for i in used:
            for o in generated:
                if i == o:
                    continue
                node = NamedNode(f"{base}lineage/flow/"
                                 f"{node_hash(i.value, o.value, job.value if job else None)}")
                triples.add((node, A, ys("ObservedFlow")))
                triples.add((node, ys("flowInput"), i))
                triples.add((node, ys("flowOutput"), o))
                triples.add((node, ys("seenInRun"), run))
                if job is not None:
                    triples.add((node, ys("observedBy"), job))
                for when in done:
                    triples.add((node, ys("seenAt"), when))
                triples.add((o, DERIVED, i))
    return out


def _objects(store: CatalogStore, s: NamedNode, p: NamedNode, g: NamedNode) -> set:
    return {q.object for q in store.match(s, p, None, graphs=[g])}


def _stored_completions(store: CatalogStore, run: NamedNode, g: NamedNode) -> set[Literal]:
    out = set()
    for q in store.match(None, ys("ofRun"), run, graphs=[g]):
        ev = q.subject
        if any(True for _ in store.match(ev, ys("eventType"), Literal("COMPLETE"), graphs=[g])):
            out |= {x.object for x in store.match(ev, ys("eventTime"), None, graphs=[g])}
    return out
