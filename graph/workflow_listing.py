"""Listings for the pages: the sharing applications a department filed or must answer, those
waiting for the data authority (符合性审查 or 协调), and the data objections a department raised
or must handle. Reads only; the records are :mod:`graph.workflow_store`'s."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyoxigraph import NamedNode

from graph.store import CatalogStore
from graph.workflow import AWAITING, Party, State
from graph.workflow_store import Request, get_request
from ontology.namespaces import sparql_prefixes

__all__ = ["requests_of", "awaiting_authority", "objections_of", "MAX_LISTED"]

MAX_LISTED = 200  # applications listed at most, newest first
_QUERIES = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=4)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def requests_of(store: CatalogStore, department: str, limit: int = MAX_LISTED) -> list[Request]:
    """Applications filed by or addressed to ``department`` (IRI), newest first."""
    rows = store.select(_query("workflow_requests_of"), department=NamedNode(department))
    out = []
    for r in rows[:limit]:
        req = get_request(store, str(r["request"]))
        if req is not None:
            out.append(req)
    return out


def awaiting_authority(store: CatalogStore, limit: int = MAX_LISTED) -> list[Request]:
    """Applications whose turn is the data authority's (FILED, COORDINATING), newest first."""
    waiting = {s.value for s, p in AWAITING.items() if p is Party.AUTHORITY}
    out = []
    for r in store.select(_query("workflow_requests_all")):
        if State(str(r["state"])).value in waiting:
            req = get_request(store, str(r["request"]))
            if req is not None:
                out.append(req)
            if len(out) >= limit:
                break
    return out


def objections_of(store: CatalogStore, department: str, limit: int = MAX_LISTED) -> list:
    """Data objections raised by or addressed to ``department`` (IRI), newest first."""
    from graph.workflow_store import get_objection

    rows = store.select(_query("workflow_objections_of"), department=NamedNode(department))
    out = []
    for r in rows[:limit]:
        obj = get_objection(store, str(r["objection"]))
        if obj is not None:
            out.append(obj)
    return out
