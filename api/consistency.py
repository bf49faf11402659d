"""Consistent reads (issue 15 item 2): every request sees one store version from start to end,
and the 涉密 set of a version is in force the instant that version is.

- :class:`PinnedReads` (ASGI middleware) pins the store's current versions for the whole of a
  reading request (:meth:`graph.store.CatalogStore.pinned`): its GraphQL resolvers, DataLoaders,
  worker threads and page renders all read those graphs, even if a load switches versions in the
  middle, and the replaced version is dropped only after the request has left. Requests that
  write (uploads, harvests, removals, observed lineage) are not pinned: they change the store.
- :class:`VersionedRestrictions` keeps one :class:`api.policy.Restrictions` per version set and
  hands each request the one of the versions it pinned. The store calls :meth:`prepare` (an
  activation hook) with a load's new version set *before* switching to it, so the hidden set of
  the new version is computed while readers still see the old one — no window in which the new
  catalog is served with the old hidden set, and no reader pays for the computation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.types import ASGIApp, Receive, Scope, Send

from api.policy import Restrictions
from graph.query import CatalogGraph
from graph.store import CatalogStore

__all__ = ["PinnedReads", "VersionedRestrictions", "WRITE_PATHS", "writes"]

# POST routes that write to the store (never pinned: a pin would hold the version they replace,
# and the write would wait for its own request to end). Every POST under /admin/ is one.
WRITE_PATHS = ("/api/v1/lineage", "/api/v1/lineage/batch")
WRITE_PREFIX = "/admin/"


def writes(scope: Scope) -> bool:
    """Whether a request writes to the store (and so must not pin the versions it replaces)."""
    return scope.get("method") not in ("GET", "HEAD") and (
        scope["path"] in WRITE_PATHS or scope["path"].startswith(WRITE_PREFIX))


class PinnedReads:
    def __init__(self, app: ASGIApp, *, store: CatalogStore):
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or writes(scope):
            await self.app(scope, receive, send)
            return
        pin = self.store.pinned()
        try:
            pin.__enter__()
        except Exception:  # noqa: BLE001 - a store that does not answer: the route says so
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            pin.__exit__(None, None, None)


class VersionedRestrictions:
    """Quacks like :class:`api.policy.Restrictions`, answering for the version set the running
    request pinned (or the current one outside a request). Keeps the last ``keep`` sets."""

    def __init__(self, graph: CatalogGraph, store: CatalogStore, base: str | None = None,
                 keep: int = 3):
        self.graph = graph
        self.store = store
        self.base = base or store.base
        self._keep = keep
        self._by_version: OrderedDict[tuple, Restrictions] = OrderedDict()
        self._lock = threading.Lock()
        store.add_activation_hook(self.prepare)

    def current(self) -> Restrictions:
        key = tuple(sorted(self.store.current_versions().items()))
        with self._lock:
            found = self._by_version.get(key)
            if found is None:
                found = self._by_version[key] = Restrictions(self.graph, base=self.base)
                while len(self._by_version) > self._keep:
                    self._by_version.popitem(last=False)
            else:
                self._by_version.move_to_end(key)
            return found

    def prepare(self, versions: dict[str, str]) -> None:
        """Compute the hidden set of ``versions`` (called by the store before it switches)."""
        with self.store.pinned(versions):
            self.current().hidden()

    def hidden(self) -> frozenset[str]:
        return self.current().hidden()

    def of_kind(self, kind: str) -> frozenset[str]:
        return self.current().of_kind(kind)

    def invalidate(self) -> None:
        """Forget the sets of versions no longer current. (A version's content never changes
        after activation but for appended observed lineage, which marks nothing 涉密.)"""
        key = tuple(sorted(self.store.current_versions().items()))
        with self._lock:
            for k in [k for k in self._by_version if k != key]:
                del self._by_version[k]

    def __getattr__(self, name: str):
        # anything else Restrictions offers, for the version set of this request
        return getattr(self.current(), name)
