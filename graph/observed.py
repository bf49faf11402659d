"""Observed lineage as stored by :mod:`loaders.openlineage`: the physical datasets running jobs
reported, and whether a resource declares them (an unregistered dataset is one none does)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.store import CatalogStore
from ontology.namespaces import sparql_prefixes

__all__ = ["ObservedDataset", "ObservedEdge", "observed_datasets", "observed_edges"]

_QUERIES = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=4)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


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


def observed_datasets(store: CatalogStore, registered: bool | None = None
                      ) -> list[ObservedDataset]:
    """Every dataset seen in events (sorted by namespace, name); ``registered`` False keeps only
    the unregistered ones, True only those a resource declares."""
    out = []
    for row in store.select(_query("observed_datasets")):
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


def observed_edges(store: CatalogStore, *, items: bool = False) -> list[ObservedEdge]:
    """Lineage edges seen by running jobs between catalog entries: resource derivation from
    observed flows of completed runs, or (``items``) item derivation from columnLineage, each
    with its jobs, when last seen and whether the catalog declares it as well."""
    if not items:
        return [ObservedEdge(str(r["down"]), str(r["up"]), _split(r["jobs"]),
                             _opt(r["lastSeen"]), bool(r["declared"]), int(r["runs"] or 0))
                for r in store.select(_query("observed_edges"))]
    return [ObservedEdge(str(r["down"]), str(r["up"]), _split(r["jobs"]), _opt(r["lastSeen"]),
                         bool(r["declared"]),
                         transformation=(_opt(r["type"]), _opt(r["subtype"]),
                                         r["masking"] if isinstance(r["masking"], bool) else None))
            for r in store.select(_query("observed_item_edges"))]


def _split(value: object) -> tuple[str, ...]:
    return tuple(sorted(str(value or "").split()))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
