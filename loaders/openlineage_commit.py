"""Storing mapped OpenLineage events: one append per group of requests (group commit).

Events are validated and mapped by the thread that received them; what is written to the store
— the observed flows of the runs (they need what the store holds of each run) and the append
itself — happens under one lock, so appends to the observed source never interleave.

:class:`GroupCommitter` is the writer behind ``POST /api/v1/lineage``: each request's mapped
events go into a queue, and one writer thread per store takes everything waiting when it is
free and stores it as **one** append (one transaction, one version). A request is answered only
once the append holding its events has been written (Oxigraph's transaction committed), and the
same event twice still adds nothing: the group is the union of its requests' triples. A client
posting one event at a time waits for no one — the writer takes what is there, it never waits
for more; concurrent clients share the cost of each append. Should a group's append fail, each
of its requests is tried alone, so one request's failure is no other's.

:class:`KnownFacets` remembers, per store, the facet blocks stored in the observed source's
current version, so that a job's next events are mapped to what is new in them
(:mod:`loaders.openlineage_mapping`); :func:`write` maps events again in full whenever that
version is not the current one when they are stored.
"""

from __future__ import annotations

import queue
import threading
import weakref
from concurrent.futures import Future
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.store import CatalogStore
from loaders.openlineage_flows import run_flows
from loaders.openlineage_mapping import EventMapper, FacetBlock, Triple3

__all__ = ["SOURCE", "IngestReport", "write", "GroupCommitter", "committer", "MAX_GROUP",
           "KnownFacets", "mapper_for"]

SOURCE = "openlineage"
MAX_GROUP = 1000  # events stored in one append at most
IDLE = 5.0  # seconds a writer thread waits for work before it ends (a new one starts on demand)
MAX_FACETS = 5_000  # facet blocks remembered per store at most (then forgotten, and relearned)
_lock = threading.Lock()


@dataclass(frozen=True)
class IngestReport:
    events: int
    triples: int  # new triples stored (0 when every event was already known)
    datasets: int  # datasets the events named


class KnownFacets:
    """The facet blocks whose triples the observed source's version ``state[0]`` holds (block
    key -> its datasets and field derivations): one ``(version, blocks)`` pair, replaced as a
    whole, so that a reader never pairs a version with another version's blocks."""

    def __init__(self):
        self.state: tuple[str | None, dict[bytes, FacetBlock]] = (None, {})

    def stored(self, version: str | None, blocks: dict[bytes, FacetBlock]) -> None:
        held, known = self.state
        if held != version or len(known) + len(blocks) > MAX_FACETS:
            self.state = (version, dict(blocks))
        else:
            known.update(blocks)


_known: weakref.WeakKeyDictionary[CatalogStore, KnownFacets] = weakref.WeakKeyDictionary()
_known_lock = threading.Lock()


def _known_facets(store: CatalogStore) -> KnownFacets:
    with _known_lock:
        found = _known.get(store)
        if found is None:
            found = _known[store] = KnownFacets()
        return found


def mapper_for(store: CatalogStore) -> EventMapper:
    """A mapper for ``store``'s next events, knowing the facet blocks it holds."""
    version, blocks = _known_facets(store).state
    mapper = EventMapper(store.base, blocks)
    mapper.version = version
    return mapper


def write(store: CatalogStore, mappers: list[EventMapper]) -> list[int]:
    """Store the triples of ``mappers`` (each one request's events) and their runs' observed
    flows as one append. Returns, per mapper, how many new triples its events brought (a
    triple two of them bring is counted for the first)."""
    src = store.graph_of(SOURCE)
    known = _known_facets(store)
    with _lock:
        version = store.current_versions().get(src)
        # facet blocks assumed stored in another version than the current one: map in full
        mappers = [m.again() if m.assumed and m.version != version else m for m in mappers]
        counts = _write(store, version, mappers)
        after = store.current_versions().get(src)
        if after != version and any(m.assumed for m in mappers):
            # the source was replaced meanwhile: what was assumed stored is not in this version
            mappers = [m.again() for m in mappers]
            counts = _write(store, after, mappers)
        known.stored(after, {k: b for m in mappers for k, b in m.blocks.items()})
    return counts


def _write(store: CatalogStore, version: str | None, mappers: list[EventMapper]) -> list[int]:
    """:func:`write`'s append, the observed source's version being ``version``."""
    flows = run_flows(store, NamedNode(version) if version else None, mappers)
    owned: list[set[Triple3]] = []
    for m in mappers:
        mine = m.triples
        for run in m.runs:
            if run in flows:
                mine = mine | flows[run]
        owned.append(mine)
    if len(owned) == 1:
        return [store.append(SOURCE, owned[0])]
    fresh: set[tuple] = set()
    store.append_many({SOURCE: set().union(*owned)}, new=fresh)
    counts, credited = [], set()
    for mine in owned:
        new = (mine & fresh) - credited
        credited |= new
        counts.append(len(new))
    return counts


@dataclass
class _Job:
    mapper: EventMapper
    events: int
    future: Future


class GroupCommitter:
    """One writer thread for ``store``; :meth:`submit` returns a future of the request's
    :class:`IngestReport`, set once its events are stored."""

    def __init__(self, store: CatalogStore, max_group: int = MAX_GROUP, idle: float = IDLE):
        self._store_ref = weakref.ref(store)  # the registry below is keyed by the store
        self.max_group = max_group
        self.idle = idle
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self.groups = 0  # appends written (for the benchmark: requests / groups)

    def submit(self, mapper: EventMapper, events: int) -> Future:
        job = _Job(mapper, events, Future())
        self._queue.put(job)
        with self._guard:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="openlineage-writer",
                                                daemon=True)
                self._thread.start()
        return job.future

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.idle)
            except queue.Empty:
                with self._guard:
                    if self._queue.empty():  # nothing came in meanwhile: end (submit restarts)
                        self._thread = None
                        return
                continue
            group, n = [first], first.events
            while n < self.max_group:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                group.append(job)
                n += job.events
            self._store(group)

    def _store(self, group: list[_Job]) -> None:
        try:
            store = self._store_ref()
            if store is None:
                raise RuntimeError("存储已关闭 / the store is gone")
            counts = write(store, [j.mapper for j in group])
        except BaseException as e:  # noqa: BLE001 - each request gets its own answer
            if len(group) == 1:
                group[0].future.set_exception(e)
                return
            for job in group:  # alone, so one request's failure is no other's
                self._store([job])
            return
        self.groups += 1
        for job, c in zip(group, counts, strict=True):
            job.future.set_result(IngestReport(job.events, c, len(job.mapper.datasets)))


_committers: weakref.WeakKeyDictionary[CatalogStore, GroupCommitter] = \
    weakref.WeakKeyDictionary()
_committers_lock = threading.Lock()


def committer(store: CatalogStore) -> GroupCommitter:
    """The group committer of ``store`` (one per store object)."""
    with _committers_lock:
        found = _committers.get(store)
        if found is None:
            found = _committers[store] = GroupCommitter(store)
        return found
