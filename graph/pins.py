"""Consistent reads: a request pins the version graphs current when it starts, and a replaced
version is dropped only once its last reader has left (:meth:`graph.store.CatalogStore.pinned`).

The pins of one store are counted under one condition, which also guards every switch of
versions: a pin reads the registry either before a switch or after it, never during."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["PIN_WAIT", "Pins"]

PIN_WAIT = 120.0  # seconds a replaced version waits for its readers before it is dropped anyway
# (id of the store, source IRI -> version graph) pinned by the running request, if any
_PINNED: ContextVar[tuple[int, dict[str, str]] | None] = ContextVar("yishu_pinned_versions",
                                                                   default=None)
_log = logging.getLogger(__name__)


class Pins:
    """The readers pinning each version graph of one store."""

    def __init__(self, owner: object, registry_versions: Callable[[], dict[str, str]]):
        self._owner = id(owner)
        self._registry_versions = registry_versions
        self._count: Counter[str] = Counter()  # version graph -> readers pinning it
        self.lock = threading.Condition()  # guards the counts and every switch of versions

    def current(self) -> dict[str, str] | None:
        """The versions this context pinned on this store, if it pinned any."""
        pinned = _PINNED.get()
        return dict(pinned[1]) if pinned is not None and pinned[0] == self._owner else None

    @contextmanager
    def pinned(self, versions: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
        outer = self.current()
        if versions is None and outer is not None:
            yield outer
            return
        with self.lock:
            versions = dict(self._registry_versions() if versions is None else versions)
            self._count.update(versions.values())
        token = _PINNED.set((self._owner, versions))
        try:
            yield versions
        finally:
            _PINNED.reset(token)
            with self.lock:
                self._count.subtract(versions.values())
                self._count += Counter()  # drop the zeros
                self.lock.notify_all()

    def wait_unpinned(self, graph: str) -> None:
        """Wait until no reader pins ``graph`` (at most :data:`PIN_WAIT` seconds)."""
        with self.lock:
            if not self.lock.wait_for(lambda: self._count[graph] <= 0, PIN_WAIT):
                _log.warning("version %s still read after %.0f s; dropped anyway", graph,
                             PIN_WAIT)
