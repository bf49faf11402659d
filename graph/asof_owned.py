"""The catalog as of a date built for one audit that takes it over (issue 14), and where results
computed from past states are kept on disk.

A shared :class:`graph.asof.AsOfStore` is read-only (other readers may hold it), so an audit of
it copies it into a working store it may write inferred triples into: at city scale a dump and
a load of 3M triples. An :class:`OwnedPast` is private to one audit: its triples (every source's,
rebuilt from today's graphs and the reverse deltas like the shared store's) are kept as one
N-Triples document and loaded straight into the default graph of a fresh in-memory store, which
the audit then takes (``take``): no copy. It is never put into ``store.as_of_cache``, so no other
reader ever sees what the audit adds.

:func:`kept_dir` is the folder beside an on-disk store where results computed from its past
states are kept across processes (``shapes.audit_cache``); compaction empties it
(:func:`clear_kept`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from graph import history as hist
from graph.asof import Plan, plan_as_of, plan_parts

__all__ = ["OwnedPast", "owned_as_of_many", "read_owned", "kept_dir", "clear_kept"]


def kept_dir(store) -> Path | None:
    """``<store>.kept``, beside the store folder (RocksDB's own folder holds only its files);
    None for an in-memory store."""
    path = getattr(store, "path", None)
    return None if path is None else path.with_name(path.name + ".kept")


def clear_kept(store) -> None:
    """Forget every result kept on disk for ``store`` (after a compaction)."""
    d = kept_dir(store)
    if d is not None and d.exists():
        shutil.rmtree(d, ignore_errors=True)


class OwnedPast:
    """The catalog as it stood at :attr:`at`, for one audit that takes it over. Like an
    :class:`graph.asof.AsOfStore` it has an ``origin``, a ``key`` (the versions it resolved to:
    equal keys, equal catalogs) and a ``base``; its triples are read from disk by
    :func:`read_owned` (in the process that holds the store) and loaded into memory when first
    asked for (``query``, ``take``) — possibly in another process, which never touches the
    disk store."""

    path = None  # in memory: shapes.working_copy takes it instead of reading it

    def __init__(self, origin, plan: Plan):
        self.origin = origin
        self.at: dt.datetime = plan.instant
        self.key: tuple = plan.key
        self.base: str = origin.base
        self.plan = plan
        self._data: bytes | None = None
        self._store: Store | None = None
        self._taken = False

    @property
    def empty(self) -> bool:
        """No source had triples then (nothing loaded yet, or every source removed)."""
        p = self.plan
        return not p.legacy and all(k is None or p.by_source[s][k].info.operation == "remove"
                                    for s, k in p.chosen.items())

    @property
    def ready(self) -> bool:
        return self._data is not None or self._store is not None

    def set_lines(self, parts) -> None:
        self._data = b"".join(hist.lines_text(lines) for _rec, _src, lines, _g in parts)

    def _loaded(self) -> Store:
        if self._taken:
            raise RuntimeError("这个历史目录已交给审计 / this past catalog was taken by an audit")
        if self._store is None:
            if self._data is None:
                raise RuntimeError("read_owned() first: the triples were not read")
            work = Store()
            if self._data:  # Oxigraph's own lines, checked when stored; one document, so a
                # blank node shared by two sources stays one node
                work.load(self._data, RdfFormat.N_TRIPLES, lenient=True)
            self._store, self._data = work, None
        return self._store

    def query(self, text: str, **kwargs):
        """A SPARQL query on the catalog then (before it is taken)."""
        return self._loaded().query(text, **kwargs)

    def take(self) -> Store:
        """The in-memory store, handed over once: the caller may write into it."""
        work = self._loaded()
        self._store, self._taken = None, True
        return work

    def drop(self) -> None:
        """Forget the triples (in a process that handed the audit to another)."""
        self._data = self._store = None


def owned_as_of_many(store, whens: list[dt.datetime | dt.date]) -> list[OwnedPast]:
    """An :class:`OwnedPast` per instant, resolved (cheap) but not read: an audit kept on disk
    needs only the key."""
    return [OwnedPast(store, plan_as_of(store, w)) for w in whens]


def read_owned(store, pasts: list[OwnedPast],
               shared: dict[tuple, list[bytes]] | None = None) -> None:
    """Read the triples of each past from disk, each current graph once for all of them (and
    for later calls given the same ``shared`` dict)."""
    shared = {} if shared is None else shared
    for p in pasts:
        if not p.ready:
            p.set_lines(plan_parts(store, p.plan, shared))
