"""Audits of the catalog as it stood at a date, kept for the next bulletin (issue 14).

A catalog as of a date (:class:`graph.asof.AsOfStore`) is identified by the versions it resolved
to (its ``key``: per source the version record in force) — stored versions never change, so the
audit of that catalog, on a given audit day with given parameters and hidden set, never changes
either. :func:`audit_as_of` keeps the last few such results on the origin store; the quarterly
bulletin of 2026Q3 then reuses the audit of the end of 2026Q2 that the bulletin of 2026Q2
computed. Compaction clears them (:func:`graph.asof.compact` clears every cache registered in
``store.history_caches``). Anything else (today's store, a plain store) is audited afresh.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Collection

from shapes.audit import audit

__all__ = ["audit_as_of", "KEEP"]

KEEP = 4  # audit results kept per store (at city scale one is a few MB of findings)
_lock = threading.Lock()


def _cache(origin) -> OrderedDict:
    with _lock:
        cache = getattr(origin, "audit_results", None)
        if cache is None:
            cache = origin.audit_results = OrderedDict()
            origin.history_caches = [*getattr(origin, "history_caches", []), cache]
        return cache


def audit_as_of(catalog, *, as_of: dt.date, pending_days: int | None = None,
                hidden: Collection[str] = ()):
    """``shapes.audit.audit(catalog, as_of=…, pending_days=…, hidden=…)``, from the cache when
    ``catalog`` is a catalog as of a date audited with the same parameters before. Two threads
    asking for the same one at once may both compute it (the results are equal)."""
    origin, key = getattr(catalog, "origin", None), getattr(catalog, "key", None)
    if origin is None or key is None:
        return audit(catalog, as_of=as_of, pending_days=pending_days, hidden=hidden)
    k = (key, as_of, pending_days, frozenset(hidden))
    cache = _cache(origin)
    with _lock:
        hit = cache.get(k)
        if hit is not None:
            cache.move_to_end(k)
            return hit
    result = audit(catalog, as_of=as_of, pending_days=pending_days, hidden=hidden)
    with _lock:
        cache[k] = result
        while len(cache) > KEEP:
            cache.popitem(last=False)
    return result
