"""The restricted callers' catalogs for the SPARQL workers (:mod:`graph.sandbox`), on disk.

A view is a checkpoint of the on-disk store (``Store.backup``: RocksDB hard-links its immutable
files, so it is made in milliseconds and costs no space until the two diverge) from which what
the view hides is then removed: every triple whose subject is hidden, every triple pointing at a
hidden entity, every triple with a dropped predicate (persons, phones), in the version graphs the
view's questions read; observed datasets declared by a hidden resource, their fields and the
flows touching them go with it (:func:`graph.observed.hidden_with_observed`). The workers open
it read-only and query only those version graphs (the query's dataset is replaced, so neither
``FROM`` nor ``GRAPH`` reaches the store's other graphs: history, other sources).

Before, each worker copied the visible triples into memory: 126–152 s and gigabytes per worker
at city scale, again after each load and, while observed lineage arrived, every minute. A view
is now made in the server once per store version (at most every ``refresh`` seconds while
sources only grow by appends) and shared by the workers; the last ``keep`` of each view are kept
so a query still running on the previous one is not cut off."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Store

from graph.observed import hidden_with_observed

__all__ = ["ViewStores"]

_PREFIX = "sparql-views-"


@dataclass
class _Made:
    loads: tuple  # (source graph, version graph) of the sources the view reads
    version: tuple  # every source's (graph, version, triples) when it was made
    at: float
    path: str


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ViewStores:
    """``path(view, loads, version)`` → the folder of ``view``'s catalog for that store
    version, made on first use. ``store`` is the server's on-disk :class:`CatalogStore`."""

    def __init__(self, store, *, refresh: float = 5, keep: int = 3):
        if store.path is None:
            raise ValueError("views are checkpoints of an on-disk store")
        self.store = store
        self.refresh, self.keep = refresh, keep
        parent = Path(store.path).resolve().parent  # the same file system: hard links
        hidden_name = f".{Path(store.path).name}-{_PREFIX}"
        for stale in parent.glob(hidden_name + "*"):  # left by a process that was killed
            pid = stale.name.removeprefix(hidden_name).split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        self.root = Path(tempfile.mkdtemp(prefix=f"{hidden_name}{os.getpid()}-", dir=parent))
        self._made: dict[str, list[_Made]] = {}
        self._lock = threading.Lock()
        self._n = 0
        self.made = 0  # views made (for the tests and benchmarks)
        # removed on close, when collected, or when the server exits (a killed one's: above)
        self._remove = weakref.finalize(self, shutil.rmtree, str(self.root), True)

    def path(self, view, loads: tuple, version: tuple) -> str:
        with self._lock:
            kept = self._made.setdefault(view.key, [])
            last = kept[-1] if kept else None
            if last is not None and last.loads == loads and (
                    last.version == version or last.at + self.refresh > time.monotonic()):
                return last.path
            self._n += 1
            target = self.root / f"{self._n:06d}"
            self._make(view, [g for _, g in loads], target)
            kept.append(_Made(loads, version, time.monotonic(), str(target)))
            self.made += 1
            while len(kept) > self.keep:
                shutil.rmtree(kept.pop(0).path, ignore_errors=True)
            return str(target)

    def _make(self, view, graphs: list[str], target: Path) -> None:
        self.store.flush_appends()  # appends waiting in the writer are in the checkpoint
        self.store.store.backup(str(target))
        copy = Store(str(target))
        try:
            names = [NamedNode(g) for g in graphs]
            hidden = hidden_with_observed(copy, names, view.hidden)
            gone = set()
            for g in names:
                for iri in hidden:
                    node = NamedNode(iri)
                    gone.update(copy.quads_for_pattern(node, None, None, g))
                    gone.update(copy.quads_for_pattern(None, None, node, g))
                for p in view.dropped:
                    gone.update(copy.quads_for_pattern(None, NamedNode(p), None, g))
            for q in gone:
                copy.remove(q)
            copy.flush()
        except BaseException:
            del copy
            gc.collect()
            shutil.rmtree(target, ignore_errors=True)
            raise
        del copy  # closed: the workers open it read-only
        gc.collect()

    def close(self) -> None:
        with self._lock:
            self._made.clear()
            self._remove()
