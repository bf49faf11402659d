"""The catalog store: an Oxigraph store on disk (or in memory), one named graph per load source.

A load source is what one load wrote (for example one department's catalog). Each load writes a
fresh *version graph* (``<source IRI>/v/<id>``) with Oxigraph's bulk loader, then switches the
source to it in a small registry graph in one transaction, and only then drops the old version.
Every read names the current version graphs, so readers see either the old or the new catalog,
never a mix; a load that fails or is interrupted leaves an invisible orphan graph that is dropped
the next time the store is opened. (A SPARQL ``MOVE`` would also be atomic but costs ten times
the load itself on disk.)

A request pins the versions current when it starts (:meth:`CatalogStore.pinned`): every read in
that context — the threads and tasks it starts included — names those graphs until it ends, and
a replaced version is dropped only once its last reader has left. Activation hooks
(:meth:`CatalogStore.add_activation_hook`) see a new version set before it goes live, so what
depends on it (the 涉密 set) is ready the instant it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import threading
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, Triple

from graph import history as hist
from graph.iris import source_graph
from ontology.namespaces import RDF, XSD, YS, base_iri, sparql_prefixes

__all__ = ["CatalogStore", "SourceInfo", "VersionWriter", "EXPORT_FORMATS", "serialize_triples",
           "parse_ntriples", "VersionInfo"]

VersionInfo = hist.VersionInfo

EXPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ttl": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
}
_RDF_TYPE = NamedNode(RDF + "type")
_CURRENT = NamedNode(YS + "currentVersion")
_LOADED_AT = NamedNode(YS + "loadedAt")
_TRIPLES = NamedNode(YS + "tripleCount")
_LOADED_BY = NamedNode(YS + "loadedBy")
# (id of the store, source IRI -> version graph) pinned by the running request, if any
_PINNED: ContextVar[tuple[int, dict[str, str]] | None] = ContextVar("yishu_pinned_versions",
                                                                   default=None)
PIN_WAIT = 120.0  # seconds a replaced version waits for its readers before it is dropped anyway
_log = logging.getLogger(__name__)

_STATS = sparql_prefixes() + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class
"""
# Registry updates. Terms are written in with str(term), pyoxigraph's N-Triples serialisation of
# an already-validated NamedNode/Literal (source names are percent-encoded into the IRI), so no
# user text reaches the update unescaped. Oxigraph runs one update as one transaction.
_SWITCH = """
DELETE WHERE {{ GRAPH {registry} {{ {source} ?p ?o }} }} ;
INSERT DATA {{ GRAPH {registry} {{
  {source} {current} {version} ; {loaded_at} {now} ; {triple_count} {count} }} }}
"""
_COUNT = """
DELETE WHERE {{ GRAPH {registry} {{ {source} {triple_count} ?n }} }} ;
INSERT DATA {{ GRAPH {registry} {{ {source} {triple_count} {count} }} }}
"""
_UNREGISTER = "DELETE WHERE {{ GRAPH {registry} {{ {source} ?p ?o }} }}"
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_DROP_PREDICATE = "DELETE WHERE {{ GRAPH {graph} {{ ?s {p} ?o }} }}"


class VersionWriter:
    """Writes chunks of quads into a version graph as the loader produces them, so that a large
    load never holds all its quads in memory. Nothing it writes is visible until
    :meth:`CatalogStore.activate`; a refused load discards the version.

    (A background writer thread was tried and is slower: Oxigraph's bulk loader holds the GIL
    while it reads the Python quads, so the two threads fight over it.)"""

    def __init__(self, store: Store, version: NamedNode):
        self.version = version
        self.written = 0
        self._store = store

    def put(self, chunk: list[Quad]) -> None:
        self._store.bulk_extend(chunk)
        self.written += len(chunk)

    def close(self) -> int:
        return self.written


@dataclass(frozen=True)
class SourceInfo:
    name: str
    graph: str  # the source's stable IRI
    version: str  # the named graph holding its current triples
    triples: int
    loaded_at: str | None
    loaded_by: str | None = None  # who loaded it, when the face that loaded it said


class CatalogStore:
    """The system of record. ``CatalogStore(path)`` opens or creates a store on disk;
    ``CatalogStore()`` is in memory (tests)."""

    def __init__(self, path: str | Path | None = None, *, base: str | None = None,
                 read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.base = base or base_iri()
        self.registry = NamedNode(f"{self.base}registry")
        self._flushed = 0.0  # when appends last flushed (see append)
        self._appended: dict[str, set[bytes]] = {}  # version graph -> its triples (append)
        self._recent: dict[str, set[tuple]] = {}  # version graph -> triples append saw lately
        self._pins: Counter[str] = Counter()  # version graph -> readers pinning it
        self._pin_cond = threading.Condition()  # guards _pins and every switch of versions
        self._hooks: list[Callable[[dict[str, str]], None]] = []
        self._latest: dict[str, hist.Record] | None = None  # source IRI -> its newest record
        self._seq = 0  # order of the last version record written
        self._as_of_cache: OrderedDict[tuple, CatalogStore] = OrderedDict()
        self._as_of_lock = threading.Lock()
        if self.path is None:
            self.store = Store()
        elif read_only:
            self.store = Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.store = Store(str(self.path))
            self._drop_orphans()

    # -- sources --------------------------------------------------------------------------
    def graph_of(self, source: str) -> str:
        """The stable IRI of a load source."""
        return source_graph(source, self.base)

    def source_name(self, graph: str) -> str:
        prefix = source_graph("", self.base)
        if not graph.startswith(prefix):
            return graph
        return unquote(graph[len(prefix):].split("/v/", 1)[0])

    def current_versions(self) -> dict[str, str]:
        """Source IRI -> the version graph holding its current triples (those pinned by the
        running request, if it pinned them)."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] == id(self):
            return dict(pinned[1])
        return self._registry_versions()

    def _registry_versions(self) -> dict[str, str]:
        return {q.subject.value: q.object.value for q in
                self.store.quads_for_pattern(None, _CURRENT, None, self.registry)}

    # -- consistent reads -----------------------------------------------------------------
    @contextmanager
    def pinned(self, versions: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
        """Pin ``versions`` (default: those current now) for every read in this context until
        the block ends; a nested pin without ``versions`` keeps the outer one. A version replaced meanwhile stays in
        the store until its last reader leaves."""
        outer = _PINNED.get()
        if versions is None and outer is not None and outer[0] == id(self):
            yield dict(outer[1])
            return
        with self._pin_cond:
            versions = dict(self._registry_versions() if versions is None else versions)
            self._pins.update(versions.values())
        token = _PINNED.set((id(self), versions))
        try:
            yield versions
        finally:
            _PINNED.reset(token)
            with self._pin_cond:
                self._pins.subtract(versions.values())
                self._pins += Counter()  # drop the zeros
                self._pin_cond.notify_all()

    def add_activation_hook(self, hook: Callable[[dict[str, str]], None]) -> None:
        """Call ``hook(versions)`` with the version set a load is about to make current, before
        it is (a hook that raises refuses the load): readers see the new set only once every
        hook has prepared for it."""
        self._hooks.append(hook)

    def _wait_unpinned(self, graph: NamedNode) -> None:
        with self._pin_cond:
            if not self._pin_cond.wait_for(lambda: self._pins[graph.value] <= 0, PIN_WAIT):
                _log.warning("version %s still read after %.0f s; dropped anyway", graph.value,
                             PIN_WAIT)

    def current_graphs(self) -> list[NamedNode]:
        return [NamedNode(v) for v in sorted(self.current_versions().values())]

    def _registry_values(self, predicate: NamedNode) -> dict[str, str]:
        return {q.subject.value: q.object.value for q in
                self.store.quads_for_pattern(None, predicate, None, self.registry)}

    def sources(self) -> list[SourceInfo]:
        """The current load sources; triple counts are recorded at load time (no scan)."""
        loaded = self._registry_values(_LOADED_AT)
        counts = self._registry_values(_TRIPLES)
        by = self._registry_values(_LOADED_BY)
        out = []
        for src, ver in sorted(self.current_versions().items()):
            n = int(counts[src]) if src in counts else sum(
                1 for _ in self.store.quads_for_pattern(None, None, None, NamedNode(ver)))
            out.append(SourceInfo(self.source_name(src), src, ver, n, loaded.get(src), by.get(src)))
        return out

    def record_loader(self, source: str, who: str) -> None:
        """Note who loaded the current version of ``source`` (the next load replaces it), on its
        version record too when that does not name an actor yet."""
        src = self.graph_of(source)
        self.store.add(Quad(NamedNode(src), _LOADED_BY, Literal(who), self.registry))
        rec = self._latest_records().get(src)
        if rec is not None and not rec.info.actor:
            self.store.add(hist.actor_update(rec, who, self.registry))
        if self.path is not None:
            self.store.flush()

    def _drop_orphans(self) -> None:
        live = set(self._registry_versions().values()) | {self.registry.value}
        live |= hist.history_graphs(self._records())
        for g in list(self.store.named_graphs()):
            if isinstance(g, NamedNode) and g.value not in live:
                self._drop(g)

    def owner_resolver(self, replacing: str | None):
        """A resolver for the loader: the source (other than ``replacing``) defining an IRI."""
        skip = self.graph_of(replacing) if replacing is not None else None
        owners = {ver: src for src, ver in self._registry_versions().items() if src != skip}
        if not owners:
            return lambda iri: None

        def owner(iri: str) -> str | None:
            for q in self.store.quads_for_pattern(NamedNode(iri), _RDF_TYPE, None, None):
                src = owners.get(q.graph_name.value) if isinstance(q.graph_name, NamedNode) else None
                if src is not None:
                    return self.source_name(src)
            return None

        return owner

    def new_version(self, source: str) -> NamedNode:
        """A fresh, not yet visible graph for the next version of ``source``."""
        return NamedNode(f"{self.graph_of(source)}/v/{uuid.uuid4().hex}")

    def commit_version(self, source: str, version: NamedNode, quads: Iterable[Quad]) -> int:
        """Bulk-write ``quads`` (already in ``version``) and switch ``source`` to it atomically."""
        quads = list(quads)
        try:
            self.store.bulk_extend(quads)
        except BaseException:
            self.discard_version(version)
            raise
        self.activate(source, version, len(quads))
        return len(quads)

    def writer(self, version: NamedNode) -> VersionWriter:
        """A background bulk writer into a not yet visible version graph (see VersionWriter)."""
        return VersionWriter(self.store, version)

    def activate(self, source: str, version: NamedNode, triples: int) -> None:
        """Switch ``source`` to ``version`` (holding ``triples`` triples) in one transaction with
        its version record (what changed since the version it replaces, as reverse deltas:
        :mod:`graph.history`), then drop the old version once no reader pins it."""
        src = NamedNode(self.graph_of(source))
        written: list[NamedNode] = []
        try:
            at, actor = self._stamp(src.value)
            now = Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                          datatype=NamedNode(XSD + "dateTime"))
            if self._hooks:
                upcoming = {**self._registry_versions(), src.value: version.value}
                for hook in self._hooks:
                    hook(upcoming)
            seen = self._registry_versions().get(src.value)
            delta = self._delta(seen, version)
            with self._pin_cond:  # a pin reads the registry under this lock: before or after
                old = self._registry_versions().get(src.value)
                if old != seen:  # another load of this source switched meanwhile
                    delta = self._delta(old, version)
                rid = uuid.uuid4().hex
                added = removed = None
                if old is not None:
                    added = hist.write_delta(self.store, NamedNode(f"{src.value}/d/{rid}/add"),
                                             delta[0])
                    removed = hist.write_delta(self.store,
                                               NamedNode(f"{src.value}/d/{rid}/del"), delta[1])
                    written += [g for g in (added, removed) if g is not None]
                rec = self._record(src.value, source, rid, at, actor, "load",
                                   triples if old is None else len(delta[0]), len(delta[1]),
                                   added, removed, base=old is None)
                self.store.update(_SWITCH.format(
                    registry=self.registry, source=src, current=_CURRENT, version=version,
                    loaded_at=_LOADED_AT, now=now, triple_count=_TRIPLES,
                    count=Literal(str(triples), datatype=NamedNode(XSD + "integer")))
                    + " ;\n" + hist.insert_text(hist.record_quads(rec, self.registry)))
                self._remember(rec)
        except BaseException:
            self.discard_version(version)
            for g in written:
                self._drop(g)
            raise
        if old is not None:
            self._wait_unpinned(NamedNode(old))
            self._drop(NamedNode(old))
        if self.path is not None:
            self.store.flush()

    # -- history (graph/history.py) -------------------------------------------------------
    def _records(self) -> list[hist.Record]:
        return hist.read_records(self.store, self.registry, self.source_name)

    def _latest_records(self) -> dict[str, hist.Record]:
        if self._latest is None:
            records = self._records()
            self._latest = {r.source_iri: r for r in records}
            self._seq = max((r.info.seq for r in records), default=0)
        return self._latest

    def _remember(self, rec: hist.Record) -> None:
        self._latest_records()[rec.source_iri] = rec
        self._seq = max(self._seq, rec.info.seq)

    def _stamp(self, src: str) -> tuple[dt.datetime, str | None]:
        """(time, actor) of the version about to be written: the stamp set by the face
        (:func:`graph.history.stamped`), else now; never earlier than the source's latest."""
        at, actor = hist.stamp()
        latest = self._latest_records().get(src)
        if at is None:
            at = dt.datetime.now(dt.UTC)
        elif latest is not None and at < latest.info.at:
            raise hist.HistoryError(
                f"版本时间 {at.isoformat()} 早于来源 {self.source_name(src)} 的最新版本 "
                f"{latest.info.at.isoformat()}，已拒绝",
                f"version time {at.isoformat()} is earlier than the latest version of "
                f"{self.source_name(src)} ({latest.info.at.isoformat()}); refused", "AT_TOO_EARLY")
        return at, actor

    def _record(self, src: str, source: str, rid: str, at: dt.datetime, actor: str | None,
                operation: str, added: int, removed: int, added_graph: NamedNode | None,
                removed_graph: NamedNode | None, base: bool = False) -> hist.Record:
        self._latest_records()
        info = hist.VersionInfo(rid, source, at, actor, operation, added, removed,
                                seq=self._seq + 1)
        return hist.Record(f"{src}/h/{rid}", src, info,
                           added_graph.value if added_graph is not None else None,
                           removed_graph.value if removed_graph is not None else None, base)

    def _delta(self, old: str | None, new: NamedNode) -> tuple[list[Triple], list[Triple]]:
        if old is None:
            return [], []
        return hist.compute_delta(self.store, NamedNode(old), new)

    def versions(self, source: str | None = None) -> list[hist.VersionInfo]:
        """Every version stored (of ``source``, or of all sources), newest last; compacted ones
        stay listed (marked)."""
        src = self.graph_of(source) if source is not None else None
        return [r.info for r in self._records() if src is None or r.source_iri == src]

    def as_of(self, when: dt.datetime | dt.date) -> CatalogStore:
        """A read-only store holding the catalog exactly as it stood at ``when`` (a date: the
        end of that day, Asia/Shanghai). Cached per resolved version set (:mod:`graph.asof`)."""
        from graph.asof import build_as_of

        return build_as_of(self, when)

    def compact(self, before: dt.datetime | dt.date):
        """Fold the versions older than ``before`` into one per source (:mod:`graph.asof`)."""
        from graph.asof import compact

        return compact(self, before)

    def discard_version(self, version: NamedNode) -> None:
        """Drop a version graph that was never activated (a refused or failed load)."""
        self._drop(version)

    def replace_source(self, source: str, triples: Iterable[Triple]) -> int:
        """Atomically replace everything ``source`` loaded before by ``triples``."""
        version = self.new_version(source)
        return self.commit_version(
            source, version, (Quad(t.subject, t.predicate, t.object, version) for t in triples))

    def append(self, source: str, quads: Iterable[Quad | tuple]) -> int:
        """Add triples (quads, whose graph is ignored, or ``(s, p, o)`` tuples of terms) to
        ``source``'s current version (creating the source when there is none); triples already
        there are skipped, so adding the same twice changes nothing. For sources that only grow
        (observed lineage, :mod:`loaders.openlineage`, workflow steps). Returns how many triples
        were new. The caller serialises appends to one source."""
        return self.append_many({source: quads})

    def append_many(self, parts: dict[str, Iterable[Quad | tuple]]) -> int:
        """:meth:`append` to several sources in ONE transaction (e.g. a workflow step and its
        write-log entry): all of it is stored, or none; each source that gained triples gets one
        version record (its reverse delta: the triples it added). Returns how many triples were
        new.

        The new triples, their delta copies and the records are written in one transaction
        (``Store.extend``), then the sources' triple counts. Which triples are new is decided by
        an in-memory index of the version's triples (128-bit digests, built by one scan of the
        version the first time it is appended to in this process; only :meth:`append` writes into
        a live version, and a new version has a new IRI), not by a lookup per triple and a
        SPARQL update (benchmarks/bench_lineage_ingest.py)."""
        versions = self._registry_versions()
        batches: list[tuple[str, NamedNode, set[bytes], dict[bytes, Quad]]] = []
        touched: list[str] = []
        for source, quads in parts.items():
            src = NamedNode(self.graph_of(source))
            ver = versions.get(src.value)
            if ver is None:
                version = self.new_version(source)
                self.activate(source, version, 0)
                ver = version.value
            g = NamedNode(ver)
            known = self._known_triples(ver)
            # the triples (as terms) last seen by append in this version: a job's datasets,
            # fields and derivations come back run after run, and testing a tuple of terms costs
            # a tenth of a digest
            recent = self._recent.get(ver)
            if recent is None or len(recent) > 200_000:
                recent = self._recent[ver] = set()
            fresh: dict[bytes, Quad] = {}
            for q in quads:
                t = q if isinstance(q, tuple) else (q.subject, q.predicate, q.object)
                if t in recent:
                    continue
                recent.add(t)
                key = _digest(*t)
                if key in known or key in fresh:
                    continue
                quad = Quad(*t, g)
                # Oxigraph keeps typed literals in canonical form ("…+00:00" is read back as
                # "…Z"): a typed literal not found by its text is looked up in the store
                if _typed(t[2]) and quad in self.store:
                    known.add(key)
                    continue
                fresh[key] = quad
            if fresh:
                batches.append((source, src, known, fresh))
                touched.append(ver)
        if not batches:
            return 0
        writes: list[Quad] = []
        counts: list[str] = []
        with self._pin_cond:  # one order of versions across threads appending to other sources
            try:
                for source, src, _known, fresh in batches:
                    count = int(self._registry_values(_TRIPLES).get(src.value, 0)) + len(fresh)
                    at, actor = self._stamp(src.value)
                    rid = uuid.uuid4().hex
                    added = NamedNode(f"{src.value}/d/{rid}/add")  # this version's reverse delta
                    rec = self._record(src.value, source, rid, at, actor, "append", len(fresh), 0,
                                       added, None)
                    self._remember(rec)  # the next record of this call takes the next number
                    writes.extend(fresh.values())
                    writes.extend(Quad(q.subject, q.predicate, q.object, added)
                                  for q in fresh.values())
                    writes.extend(hist.record_quads(rec, self.registry))
                    counts.append(_COUNT.format(
                        registry=self.registry, source=src, triple_count=_TRIPLES,
                        count=Literal(str(count), datatype=NamedNode(XSD + "integer"))).strip())
                self.store.extend(writes)  # atomic: all of it or none
            except BaseException:
                self._latest = None  # remembered records that were not written: read them again
                for ver in touched:
                    self._recent.pop(ver, None)  # some of them were never written
                raise
            self.store.update(" ;\n".join(counts))
        total = 0
        for _s, _src, known, fresh in batches:
            known.update(fresh)
            total += len(fresh)
        # Flush at most once a second: unflushed writes live in the write-ahead log, which every
        # read-only handle (the SPARQL workers) replays when it opens — seconds instead of ms.
        # (Every 10 s, and before a worker opens, saves ≈4 ms per event at city scale; not done
        # for now: tests/lineage/test_sparql_view.py — flaky on main under load, a worker's
        # handle missing an SST file — was no steadier with it. docs/performance.md.)
        if self.path is not None and time.monotonic() - self._flushed > 1.0:
            self.store.flush()
            self._flushed = time.monotonic()
        return total

    def _known_triples(self, version: str) -> set[bytes]:
        """Digests of the triples of a live version graph that :meth:`append` writes into (the
        indexes of versions no longer current are dropped)."""
        known = self._appended.get(version)
        if known is None:
            live = set(self._registry_versions().values())
            for v in [v for v in self._appended if v not in live]:
                del self._appended[v]
                self._recent.pop(v, None)
            known = self._appended[version] = {
                _digest(q.subject, q.predicate, q.object)
                for q in self.store.quads_for_pattern(None, None, None, NamedNode(version))}
        return known

    def remove_source(self, source: str) -> bool:
        src = NamedNode(self.graph_of(source))
        if src.value not in self._registry_versions():
            return False
        upcoming = {k: v for k, v in self._registry_versions().items() if k != src.value}
        for hook in self._hooks:
            hook(upcoming)
        at, actor = self._stamp(src.value)
        with self._pin_cond:
            old = self._registry_versions().get(src.value)
            if old is None:
                return False
            count = int(self._registry_values(_TRIPLES).get(src.value, 0))
            # the removed version graph itself is the removal's reverse delta: kept, not copied
            rec = self._record(src.value, source, uuid.uuid4().hex, at, actor, "remove", 0,
                               count, None, NamedNode(old))
            self.store.update(_UNREGISTER.format(registry=self.registry, source=src) + " ;\n"
                              + hist.insert_text(hist.record_quads(rec, self.registry)))
            self._remember(rec)
        if self.path is not None:
            self.store.flush()
        return True

    def match(self, subject: NamedNode | None = None, predicate: NamedNode | None = None,
              obj: NamedNode | Literal | None = None,
              graphs: list[NamedNode] | None = None) -> Iterable[Quad]:
        """The quads of the current sources (or ``graphs``) matching a pattern: indexed lookups
        with no query text, for primitives that walk a few links at a time."""
        for g in self.current_graphs() if graphs is None else graphs:
            yield from self.store.quads_for_pattern(subject, predicate, obj, g)

    def quads_in(self, graph: NamedNode) -> Iterable[Quad]:
        """Every quad of one named graph (a version graph), in the store's order."""
        return self.store.quads_for_pattern(None, None, None, graph)

    def predicates(self, graph: NamedNode) -> list[NamedNode]:
        """The distinct predicates of one named graph (a version graph)."""
        return [sol["p"] for sol in self.store.query(_PREDICATES, default_graph=graph)]

    def query_graph(self, graph: NamedNode, sparql: str, **bindings):
        """Run a SPARQL query over one named graph (a version graph) as the default graph;
        ``bindings`` are substituted as RDF terms (never spliced into the text)."""
        return self.store.query(sparql, default_graph=graph,
                                substitutions=_substitutions(bindings) or None)

    def _drop(self, graph: NamedNode) -> None:
        """Remove a version graph that no reader sees any more (replaced, refused or orphaned).
        One transaction per predicate rather than one for the whole graph: half the time (a
        district's 281k triples: 3.1 s instead of 6.3 s on disk), and the graph being invisible,
        nothing needs the drop to be atomic — an interrupted one leaves an orphan, dropped on
        the next open. Should the fast path fail, ``remove_graph`` (one transaction) removes
        whatever is left — or raises."""
        try:
            for p in self.predicates(graph):
                self.store.update(_DROP_PREDICATE.format(graph=graph, p=p))
        except Exception:  # noqa: BLE001 - the fallback below removes what is left, or raises
            pass
        self.store.remove_graph(graph)

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        """Triples in the current sources (from the registry: no scan)."""
        return sum(s.triples for s in self.sources())

    def query(self, sparql: str, **bindings):
        """Run a SPARQL query over the union of the current sources (the default graph; ``GRAPH
        ?g`` sees the current version graphs); ``bindings`` are substituted as RDF terms by the
        engine (never spliced into the text)."""
        graphs = self.current_graphs()
        return self.store.query(sparql, default_graph=graphs or None, named_graphs=graphs,
                                substitutions=_substitutions(bindings) or None)

    def select(self, sparql: str, **bindings) -> list[dict[str, object]]:
        res = self.query(sparql, **bindings)
        names = [v.value for v in res.variables]
        return [{n: _py(sol[n]) for n in names} for sol in res]

    def stats(self) -> dict[str, int]:
        """Entities per class (class IRIs shortened to ``ys:Name`` where they are Yishu's)."""
        out = {}
        for row in self.select(_STATS):
            cls = str(row["class"])
            out["ys:" + cls[len(YS):] if cls.startswith(YS) else cls] = int(row["n"])  # type: ignore[arg-type]
        return out

    # -- export ---------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", source: str | None = None) -> bytes:
        """Serialise the catalog (or one source). N-Quads and TriG name each source's graph by
        its stable IRI; Turtle, N-Triples and JSON-LD merge all sources into one graph."""
        from pyoxigraph import serialize

        rdf_format = EXPORT_FORMATS.get(fmt.lower())
        if rdf_format is None:
            raise ValueError(f"unsupported export format {fmt!r}; use one of "
                             + ", ".join(sorted(EXPORT_FORMATS)))
        versions = self._versions_of(source)
        if rdf_format not in (RdfFormat.N_QUADS, RdfFormat.TRIG):
            return serialize_triples(self.triples(source), fmt)
        quads = [Quad(q.subject, q.predicate, q.object, NamedNode(src))
                 for src, ver in sorted(versions.items())
                 for q in self.store.quads_for_pattern(None, None, None, NamedNode(ver))]
        buf = io.BytesIO()
        serialize(quads, buf, rdf_format,
                  prefixes=None if rdf_format is RdfFormat.N_QUADS else _export_prefixes())
        return buf.getvalue()

    def triples(self, source: str | None = None) -> set[Triple]:
        """The triples of the current sources (or of one), as one graph: what the Turtle export
        serialises, without serialising and parsing it again (the DCAT-AP view starts here)."""
        return {q.triple for ver in self._versions_of(source).values()
                for q in self.store.quads_for_pattern(None, None, None, NamedNode(ver))}

    def _versions_of(self, source: str | None) -> dict[str, str]:
        versions = self.current_versions()
        if source is not None:
            src = self.graph_of(source)
            versions = {src: versions[src]} if src in versions else {}
        return versions

    def load_rdf(self, data: bytes, fmt: str, source: str) -> int:
        """Parse RDF (graph names in the input are ignored) and replace ``source`` with it.
        Raises SyntaxError on malformed input, with nothing stored."""
        from pyoxigraph import parse

        rdf_format = EXPORT_FORMATS.get(fmt.lower())
        if rdf_format is None:
            raise ValueError(f"unsupported RDF format {fmt!r}")
        version = self.new_version(source)
        quads = [Quad(t.subject, t.predicate, t.object, version)
                 for t in parse(data, rdf_format, base_iri=self.base)]
        return self.commit_version(source, version, quads)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self.store.flush()
        del self.store


def parse_ntriples(data: bytes) -> list[Triple]:
    """The triples of an N-Triples document (as :meth:`CatalogStore.export` writes it)."""
    from pyoxigraph import parse

    return [Triple(t.subject, t.predicate, t.object)
            for t in parse(data, RdfFormat.N_TRIPLES)]


def serialize_triples(triples: Iterable[Triple], fmt: str) -> bytes:
    """Turtle, N-Triples or JSON-LD of ``triples`` (sorted, so the output is stable). JSON-LD is
    compact, with Yishu's context inlined (:mod:`graph.jsonld`)."""
    from pyoxigraph import serialize

    rdf_format = EXPORT_FORMATS.get(fmt.lower())
    if rdf_format is RdfFormat.JSON_LD:
        import json

        from graph.jsonld import compact

        return json.dumps(compact(triples), ensure_ascii=False, indent=1).encode("utf-8")
    if rdf_format not in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES):
        raise ValueError(f"unsupported triple format {fmt!r}; use turtle, ntriples or jsonld")
    buf = io.BytesIO()
    serialize(sorted(triples, key=str), buf, rdf_format,
              prefixes=None if rdf_format is RdfFormat.N_TRIPLES else _export_prefixes())
    return buf.getvalue()


def _export_prefixes() -> dict[str, str]:
    from ontology.namespaces import PREFIXES
    return {k: v for k, v in PREFIXES.items() if k not in ("sh", "owl")}


def _typed(term) -> bool:
    """A literal other than a plain string (its lexical form or language tag may be stored in
    canonical form)."""
    return isinstance(term, Literal) and term.datatype.value != XSD + "string"


def _digest(s, p, o) -> bytes:
    """A 128-bit digest of a triple's N-Triples text (the key of append's index)."""
    return hashlib.blake2b(f"{s} {p} {o}".encode(), digest_size=16).digest()


def _substitutions(bindings: dict[str, object]) -> dict:
    from pyoxigraph import Literal, Variable

    out = {}
    for k, v in bindings.items():
        if v is None:
            continue
        if isinstance(v, (NamedNode, Literal)):
            term = v
        elif isinstance(v, str) and v.startswith(("http://", "https://", "urn:")):
            term = NamedNode(v)
        else:
            term = Literal(v)  # type: ignore[arg-type]
        out[Variable(k)] = term
    return out


def _py(term) -> object:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    value = getattr(term, "value", None)
    dtype = getattr(getattr(term, "datatype", None), "value", "")
    if dtype.endswith(("#integer", "#long", "#int")):
        return int(value)  # type: ignore[arg-type]
    if dtype.endswith("#boolean"):
        return value == "true"
    if dtype.endswith(("#decimal", "#double", "#float")):
        return float(value)  # type: ignore[arg-type]
    return value

