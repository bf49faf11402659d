"""Observed lineage as stored by :mod:`loaders.openlineage`: the physical datasets running jobs
reported, and whether a resource declares them (an unregistered dataset is one none does)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from graph.store import CatalogStore
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["ObservedDataset", "ObservedEdge", "observed_datasets", "observed_edges",
           "hidden_with_observed", "deleted_with"]

_QUERIES = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=4)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def hidden_with_observed(store, graphs: list[NamedNode], hidden: Collection[str]
                         ) -> frozenset[str]:
    """``hidden`` (entity IRIs) and what of the observed lineage is deleted with them: the
    physical datasets a hidden resource declares (ys:physicalDataset = ys:datasetKey), their
    fields, the flows and field derivations reading or writing any of those, and the lineage
    reports about them (what a job reported of such a dataset). ``store`` is a
    pyoxigraph Store (``quads_for_pattern``), ``graphs`` the version graphs to read — the SPARQL
    workers call this on their read-only handle; :func:`deleted_with` on a CatalogStore."""
    out = set(hidden)
    if not out:
        return frozenset()
    keys = {q.object.value for g in graphs for q in store.quads_for_pattern(
        None, NamedNode(YS + "physicalDataset"), None, g) if q.subject.value in out}
    if keys:
        datasets = {q.subject.value for g in graphs for k in keys for q in
                    store.quads_for_pattern(None, NamedNode(YS + "datasetKey"), Literal(k), g)}
        fields = {q.object.value for g in graphs for q in store.quads_for_pattern(
            None, NamedNode(YS + "hasField"), None, g) if q.subject.value in datasets}
        out |= datasets | fields
        gone = datasets | fields
        for p in ("flowInput", "flowOutput", "reportsOn"):
            out |= {q.subject.value for g in graphs for q in store.quads_for_pattern(
                None, NamedNode(YS + p), None, g)
                if isinstance(q.object, NamedNode) and q.object.value in gone}
    return frozenset(out)


def deleted_with(store: CatalogStore, hidden: Collection[str]) -> frozenset[str]:
    """:func:`hidden_with_observed` over the store's current (or pinned) versions."""
    return hidden_with_observed(store.store, store.current_graphs(), hidden)


@dataclass(frozen=True)
class ObservedDataset:
    iri: str
    namespace: str
    name: str
    resources: tuple[str, ...]  # IRIs of the resources declaring it; () when unregistered
    runs: int  # runs that read or wrote it
    last_seen: str | None  # latest eventTime of those runs

    @property
    def registered(self) -> bool:
        return bool(self.resources)


def observed_datasets(store: CatalogStore, registered: bool | None = None,
                      without: Collection[str] = ()) -> list[ObservedDataset]:
    """Every dataset seen in events (sorted by namespace, name); ``registered`` False keeps only
    the unregistered ones, True only those a resource declares. ``without``: IRIs answered as
    if deleted (:func:`deleted_with`: a dataset a hidden resource declares goes with it)."""
    out = []
    gone = frozenset(without)
    for row in store.select(_query("observed_datasets")):
        if str(row["ds"]) in gone:
            continue
        found = ObservedDataset(str(row["ds"]), str(row["ns"]), str(row["name"]),
                                tuple(sorted(str(row["resources"] or "").split())),
                                int(row["runs"] or 0),  # type: ignore[arg-type]
                                str(row["lastSeen"]) if row["lastSeen"] else None)
        if registered is None or found.registered == registered:
            out.append(found)
    return out


@dataclass(frozen=True)
class ObservedEdge:
    """``down`` was seen derived from ``up`` (resources, or items for field lineage)."""

    down: str
    up: str
    jobs: tuple[str, ...]  # job IRIs
    last_seen: str | None
    declared: bool  # the catalog declares it too (上游资源代码; for items 来源资源代码)
    runs: int = 0
    transformation: tuple[str | None, str | None, bool | None] = (None, None, None)

    @property
    def evidence(self) -> str:
        return "BOTH" if self.declared else "OBSERVED"


def observed_edges(store: CatalogStore, *, items: bool = False,
                   without: Collection[str] = ()) -> list[ObservedEdge]:
    """Lineage edges seen by running jobs between catalog entries: resource derivation from
    observed flows of completed runs, or (``items``) item derivation from columnLineage, each
    with its jobs, when last seen and whether the catalog declares it as well.

    ``without``: IRIs (entities, datasets, fields, flows, derivations: :func:`deleted_with`)
    answered as if deleted — the edges between them, and what a deleted flow or derivation
    contributed to the others, are left out (one row per flow, merged here)."""
    if without:
        return _edges_without(store, items, frozenset(without))
    if not items:
        return [ObservedEdge(str(r["down"]), str(r["up"]), _split(r["jobs"]),
                             _opt(r["lastSeen"]), bool(r["declared"]), int(r["runs"] or 0))
                for r in store.select(_query("observed_edges"))]
    return [ObservedEdge(str(r["down"]), str(r["up"]), _split(r["jobs"]), _opt(r["lastSeen"]),
                         bool(r["declared"]), transformation=_transformation(r))
            for r in store.select(_query("observed_item_edges"))]


def _transformation(r: dict) -> tuple[str | None, str | None, bool | None]:
    return (_opt(r["type"]), _opt(r["subtype"]),
            r["masking"] if isinstance(r["masking"], bool) else None)


def _edges_without(store: CatalogStore, items: bool, gone: frozenset[str]
                   ) -> list[ObservedEdge]:
    merged: dict[tuple, list] = {}  # key -> [jobs, runs, last seen, declared]
    name = "observed_item_edges_by_derivation" if items else "observed_edges_by_flow"
    for r in store.select(_query(name)):
        down, up, link = str(r["down"]), str(r["up"]), str(r["link"])
        if down in gone or up in gone or link in gone:
            continue
        key = (down, up) + (_transformation(r) if items else ())
        m = merged.setdefault(key, [set(), set(), None, False])
        m[0].update(_split(r["jobs"]))
        m[1].update(_split(r.get("runs")))
        seen = r["lastSeen"]
        if seen is not None and (m[2] is None or seen > m[2]):
            m[2] = seen
        m[3] = m[3] or bool(r["declared"])
    out = []
    for key in sorted(merged, key=lambda k: tuple("" if v is None else str(v) for v in k[:4])):
        jobs, runs, seen, declared = merged[key]
        if items:
            out.append(ObservedEdge(key[0], key[1], tuple(sorted(jobs)), _opt(seen), declared,
                                    transformation=key[2:]))
        else:
            out.append(ObservedEdge(key[0], key[1], tuple(sorted(jobs)), _opt(seen), declared,
                                    len(runs)))
    return out


def _split(value: object) -> tuple[str, ...]:
    return tuple(sorted(str(value or "").split()))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
