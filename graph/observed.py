"""Observed lineage as stored by :mod:`loaders.openlineage`: the physical datasets running jobs
reported, and whether a resource declares them (an unregistered dataset is one none does)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.store import CatalogStore
from ontology.namespaces import sparql_prefixes

__all__ = ["ObservedDataset", "observed_datasets"]

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
