"""Audits of the catalog as it stood at a date, kept for the next bulletin (issue 14).

A catalog as of a date (:class:`graph.asof.AsOfStore`, :class:`graph.asof_owned.OwnedPast`) is
identified by the versions it resolved to (its ``key``: per source the version record in force)
— stored versions never change, so the audit of that catalog, on a given audit day with given
parameters and hidden set, never changes either. :func:`audit_as_of` keeps the last few such
results on the origin store, and — for an on-disk store — in files beside it
(:func:`graph.asof_owned.kept_dir`), so a fresh process (``yishu bulletin`` is one every time)
finds them too: the bulletin of 2026Q3 reuses the audit of the end of 2026Q2 that the bulletin
of 2026Q2 computed. A file's name is a hash of the key, the audit day, the parameters, the
hidden set and the rules (every file of the ``shapes`` package: a changed shape, query or line
of the engine is another name); it is written to a temporary file and renamed (atomic), holds a
pickle (the folder is the store's own: whoever may write it may write the catalog), and only
the newest :data:`KEEP_ON_DISK` stay. Compaction clears both (``store.history_caches``,
:func:`graph.asof_owned.clear_kept`). Anything else (today's store, a plain store) is audited
afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Collection
from functools import cache
from pathlib import Path

from graph.asof_owned import kept_dir
from shapes.audit import audit

__all__ = ["audit_as_of", "kept", "keep", "forget", "kept_value", "KEEP", "KEEP_ON_DISK", "rules_hash"]

KEEP = 4  # audit results kept per store in memory (at city scale one is a few MB of findings)
KEEP_ON_DISK = 8
_lock = threading.Lock()
_SHAPES = Path(__file__).resolve().parent


@cache
def rules_hash() -> str:
    """A hash of every file of the shapes package (shapes, queries, the engine's code)."""
    h = hashlib.sha256()
    for f in sorted(_SHAPES.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".ttl", ".rq", ".yaml", ".json", ".html",
                                        ".css", ".j2"):
            h.update(f.relative_to(_SHAPES).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _cache(origin) -> OrderedDict:
    with _lock:
        found = getattr(origin, "audit_results", None)
        if found is None:
            found = origin.audit_results = OrderedDict()
            origin.history_caches = [*getattr(origin, "history_caches", []), found]
        return found


def _key(catalog, kind: str, parts: tuple) -> tuple | None:
    origin, key = getattr(catalog, "origin", None), getattr(catalog, "key", None)
    if origin is None or key is None:
        return None
    return (kind, key, *parts)


def _file(origin, k: tuple) -> Path | None:
    d = kept_dir(origin)
    if d is None:
        return None
    name = hashlib.sha256(repr((k, rules_hash())).encode("utf-8")).hexdigest()[:40]
    return d / f"{k[0]}-{name}.pickle"


def _read(path: Path | None):
    if path is None or not path.exists():
        return None
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged or foreign file is a miss, computed again
        return None


def _write(path: Path | None, value) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        files = sorted((p for p in path.parent.glob("*.pickle")), key=lambda p: p.stat().st_mtime)
        for old in files[:-KEEP_ON_DISK]:
            old.unlink(missing_ok=True)
    except OSError:  # a folder we may not write (a read-only deployment): memory only
        return


def _get(catalog, k: tuple):
    origin = catalog.origin
    memory = _cache(origin)
    with _lock:
        hit = memory.get(k)
        if hit is not None:
            memory.move_to_end(k)
            return hit
    hit = _read(_file(origin, k))
    if hit is not None:
        _put_memory(memory, k, hit)
    return hit


def _put_memory(memory: OrderedDict, k: tuple, value) -> None:
    with _lock:
        memory[k] = value
        while len(memory) > KEEP:
            memory.popitem(last=False)


def _put(catalog, k: tuple, value) -> None:
    _put_memory(_cache(catalog.origin), k, value)
    _write(_file(catalog.origin, k), value)


def _audit_key(catalog, as_of: dt.date, pending_days: int | None,
               hidden: Collection[str]) -> tuple | None:
    return _key(catalog, "audit", (as_of, pending_days, tuple(sorted(hidden))))


def kept(catalog, *, as_of: dt.date, pending_days: int | None = None,
         hidden: Collection[str] = ()):
    """The audit kept for this catalog as of a date and these parameters (memory, then disk),
    or None."""
    k = _audit_key(catalog, as_of, pending_days, hidden)
    return None if k is None else _get(catalog, k)


def keep(catalog, result, *, as_of: dt.date, pending_days: int | None = None,
         hidden: Collection[str] = ()) -> None:
    """Keep ``result``, the audit of ``catalog`` with these parameters (memory and disk)."""
    k = _audit_key(catalog, as_of, pending_days, hidden)
    if k is not None:
        _put(catalog, k, result)


def forget(catalog, *, as_of: dt.date, pending_days: int | None = None,
           hidden: Collection[str] = ()) -> None:
    """Forget the audit kept for this catalog and these parameters (memory and disk)."""
    k = _audit_key(catalog, as_of, pending_days, hidden)
    if k is None:
        return
    memory = _cache(catalog.origin)
    with _lock:
        memory.pop(k, None)
    path = _file(catalog.origin, k)
    if path is not None:
        path.unlink(missing_ok=True)


def kept_value(catalog, name: str, compute):
    """A small value computed from a catalog as of a date alone (e.g. the district's name),
    kept like the audits; ``compute(catalog)`` when not kept (or not a past catalog)."""
    k = _key(catalog, name, ())
    if k is None:
        return compute(catalog)
    hit = _get(catalog, k)
    if hit is None:
        hit = compute(catalog)
        _put(catalog, k, hit)
    return hit


def audit_as_of(catalog, *, as_of: dt.date, pending_days: int | None = None,
                hidden: Collection[str] = ()):
    """``shapes.audit.audit(catalog, as_of=…, pending_days=…, hidden=…)``, from what is kept
    when ``catalog`` is a catalog as of a date audited with the same parameters before (in
    this process or, for an on-disk store, another). Two threads asking for the same one at
    once may both compute it (the results are equal)."""
    hit = kept(catalog, as_of=as_of, pending_days=pending_days, hidden=hidden)
    if hit is not None:
        return hit
    result = audit(catalog, as_of=as_of, pending_days=pending_days, hidden=hidden)
    keep(catalog, result, as_of=as_of, pending_days=pending_days, hidden=hidden)
    return result
