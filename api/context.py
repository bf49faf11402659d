"""Per-request context: the caller, the policy-wrapped query layer and the DataLoaders.

The loaders batch every navigation of one GraphQL query level into one query-layer call:
``entities`` (``get_many``) and one ``related`` loader per (predicate, direction). The layer is
synchronous (an embedded store, or a Bolt driver); calls run in a worker thread so the event
loop keeps serving. The heavy questions (lineage, impact, tracing, one-source reports) run in at
most ``HEAVY_THREADS`` threads at once, so a burst of them waits its turn instead of taking every
worker thread (and the interpreter lock) from the cheap requests; a request past its time budget
abandons its call (the thread ends on its own, the caller is answered at once).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.access import Role
from api.policy import PolicyGraph
from graph.model import Entity

__all__ = ["Context", "call", "HEAVY_THREADS"]

T = TypeVar("T")
HEAVY_THREADS = 4
_heavy: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = \
    weakref.WeakKeyDictionary()


def _heavy_limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _heavy.get(loop)
    if limiter is None:
        limiter = _heavy[loop] = CapacityLimiter(HEAVY_THREADS)
    return limiter


async def call(fn: Callable[..., T], *args: Any, heavy: bool = False, **kwargs: Any) -> T:
    """Run a (blocking) query-layer call off the event loop (``heavy``: in the small pool of
    threads for the questions that walk the graph)."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), abandon_on_cancel=True,
                                          limiter=_heavy_limiter() if heavy else None)


class Context(BaseContext):
    def __init__(self, graph: PolicyGraph, role: Role, caller: str):
        super().__init__()
        self.graph = graph
        self.role = role
        self.caller = caller
        self.catalog = None  # the past catalog a query @asOf(…) reads (api/asof.py), else None
        self.entities: DataLoader[str, Entity | None] = DataLoader(load_fn=self._load_entities)
        self._related: dict[tuple[str, bool], DataLoader[str, list[str]]] = {}

    async def _load_entities(self, iris: list[str]) -> list[Entity | None]:
        found = await call(self.graph.get_many, list(iris))
        return [found.get(i) for i in iris]

    def related(self, predicate: str, inverse: bool) -> DataLoader[str, list[str]]:
        key = (predicate, inverse)
        loader = self._related.get(key)
        if loader is None:
            async def load(iris: list[str]) -> list[list[str]]:
                found = await call(self.graph.related, list(iris), predicate, inverse)
                return [found.get(i, []) for i in iris]

            loader = self._related[key] = DataLoader(load_fn=load)
        return loader

    def prime(self, entities: list[Entity]) -> None:
        """Entities already fetched (a listing, a lineage) need no second lookup."""
        for e in entities:
            self.entities.prime(e.iri, e)

    async def entity(self, iri: str | None) -> Entity | None:
        return await self.entities.load(iri) if iri else None

    async def entity_list(self, iris: list[str]) -> list[Entity]:
        if not iris:
            return []
        return [e for e in await self.entities.load_many(iris) if e is not None]
