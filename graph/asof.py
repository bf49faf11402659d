"""The catalog as of a date, and compaction of old versions (issue 14).

:func:`build_as_of` resolves, for every source, the newest version written at or before the
instant, rebuilds each source's triples from today's graph and the reverse deltas
(:mod:`graph.history`) and puts them into an in-memory :class:`AsOfStore` — a
:class:`graph.store.CatalogStore` like any other for the engines, the audit, the exports and the
access policy, but read-only. Sources unchanged since the instant are copied from today's graph
as they are. The stores are cached per resolved version set (a small LRU on the origin store):
two dates between the same versions share one.

:func:`compact` folds, per source, every version older than a date into the newest of them:
their delta graphs are dropped, their records stay (marked compacted: who loaded what and when
is still listed), and nothing at or after the date changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from graph import history as hist
from graph.registry import CURRENT, LOADED_AT, LOADED_BY, TRIPLES
from graph.store import CatalogStore
from ontology.namespaces import XSD

__all__ = ["AsOfStore", "build_as_of", "build_as_of_many", "compact", "CompactReport", "AS_OF_CACHE",
           "Plan", "plan_as_of", "plan_parts", "read_lines"]

AS_OF_CACHE = 3  # as-of stores kept per origin store (each holds a whole catalog in memory)


class AsOfStore(CatalogStore):
    """The catalog as it stood at :attr:`at`: in memory, read-only."""

    def __init__(self, origin: CatalogStore, at: dt.datetime, key: tuple):
        super().__init__(None, base=origin.base)
        self.origin = origin
        self.at = at
        self.key = key
        self.read_only = True

    def _fill(self, rec: hist.Record | None, src: str, lines: Collection[bytes],
              graph: NamedNode) -> int:
        """Put the triples ``lines`` (N-Triples, :func:`graph.history.graph_lines`) into
        ``graph`` and register it as ``src``'s version. Parsed by Oxigraph in one go; when a
        blank node may be there, through ``parse`` (which keeps their identifiers: a blank node
        stays the node it was) rather than ``load`` (which renames them)."""
        n = len(lines)
        data = hist.lines_text(lines)
        if b"_:" in data:
            self.store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph)
                                   for t in hist.triples_of(lines))
        elif data:
            self.store.load(data, format=RdfFormat.N_TRIPLES, to_graph=graph,
                            lenient=True)  # Oxigraph's own lines: checked when stored
        reg = self.registry
        when = rec.info.at if rec is not None else self.at
        self.store.extend([
            Quad(NamedNode(src), CURRENT, graph, reg),
            Quad(NamedNode(src), LOADED_AT,
                 Literal(when.astimezone(dt.UTC).isoformat(timespec="seconds"),
                         datatype=NamedNode(XSD + "dateTime")), reg),
            Quad(NamedNode(src), TRIPLES, Literal(str(n), datatype=NamedNode(XSD + "integer")),
                 reg),
            *([Quad(NamedNode(src), LOADED_BY, Literal(rec.info.actor), reg)]
              if rec is not None and rec.info.actor else []),
        ])
        return n

    def _refuse(self, *args, **kwargs):
        raise hist.HistoryError(
            f"{self.at.isoformat()} 时的目录是历史快照，只读，不能写入",
            f"the catalog as of {self.at.isoformat()} is a past state: read-only, it cannot be "
            "written to", "READ_ONLY")

    activate = append = append_many = remove_source = replace_source = commit_version = _refuse
    load_rdf = record_loader = new_version = writer = discard_version = compact = _refuse

    def versions(self, source: str | None = None) -> list[hist.VersionInfo]:
        return [v for v in self.origin.versions(source) if v.at <= self.at]

    def as_of(self, when: dt.datetime | dt.date) -> CatalogStore:
        return self.origin.as_of(when)


def _resolve(records: list[hist.Record], instant: dt.datetime) -> int | None:
    k = None
    for i, r in enumerate(records):
        if r.info.at <= instant:
            k = i
    return k


def build_as_of_many(store: CatalogStore, whens: list[dt.datetime | dt.date]
                     ) -> list[CatalogStore]:
    """:func:`build_as_of` of each instant, reading each source's current graph from disk once
    for all of them (the bulletin's two quarter ends: at city scale reading a whole version
    back is most of building a catalog as of a date)."""
    shared: dict[tuple, list[bytes]] = {}
    return [build_as_of(store, w, shared) for w in whens]


@dataclass
class Plan:
    """Which version of each source was in force at :attr:`instant`; :attr:`key` identifies the
    catalog then (per source, the version record in force)."""
    instant: dt.datetime
    key: tuple
    by_source: dict[str, list[hist.Record]]
    chosen: dict[str, int | None]
    legacy: list[str]
    versions: dict[str, str]


def plan_as_of(store: CatalogStore, when: dt.datetime | dt.date) -> Plan:
    """Resolve ``when`` to a version per source (the registry and the records only: cheap)."""
    instant = hist.resolve_when(when)
    with store.switch_lock:  # the registry and the records of one moment
        versions = store.registry_versions()
        records = store.log.records()
        loaded = store.registry_values(LOADED_AT)
    by_source: dict[str, list[hist.Record]] = {}
    for r in records:
        by_source.setdefault(r.source_iri, []).append(r)
    chosen: dict[str, int | None] = {src: _resolve(recs, instant)
                                     for src, recs in by_source.items()}
    # sources written before versions were kept: as they are, once loaded
    legacy = [src for src in versions if src not in by_source
              and dt.datetime.fromisoformat(loaded.get(src, "1970-01-01T00:00:00+00:00"))
              <= instant]
    key = tuple(sorted((src, by_source[src][k].iri) for src, k in chosen.items()
                       if k is not None) + [(src, versions[src]) for src in sorted(legacy)])
    return Plan(instant, key, by_source, chosen, legacy, versions)


Part = tuple[hist.Record | None, str, Collection[bytes], NamedNode]
_BY_PREDICATE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def read_lines(store: CatalogStore, graph: NamedNode, threads: int = 2) -> list[bytes]:
    """:func:`graph.history.graph_lines` of a version graph of an on-disk store, read one
    predicate at a time on ``threads`` threads (Oxigraph looks up every term's text on disk and
    releases the GIL while it serialises: at city scale this read is most of building a catalog
    as of a date). The lines are the same Oxigraph serialisation; a graph that may hold a blank
    node (``_:`` in its text) is read with one dump instead, so blank nodes keep the dump's
    identifiers (the reverse deltas name them so)."""
    from concurrent.futures import ThreadPoolExecutor

    if store.path is None or threads < 2:
        return hist.graph_lines(store.store, graph)

    def read(pred: NamedNode) -> bytes:
        return store.query_graph(graph, _BY_PREDICATE, p=pred).serialize(
            format=RdfFormat.N_TRIPLES)

    with ThreadPoolExecutor(threads) as pool:
        parts = list(pool.map(read, store.predicates(graph)))
    if any(b"_:" in part for part in parts):
        return hist.graph_lines(store.store, graph)
    lines = b"".join(parts).split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def plan_parts(store: CatalogStore, plan: Plan,
               shared: dict[tuple, list[bytes]] | None = None) -> list[Part]:
    """The triples of every source at the plan's instant: (its record, source IRI, N-Triples
    lines, the version graph's name). ``shared``: the lines of current graphs already read,
    keyed by (graph, the source's newest record) — an append adds to the current graph under
    the same name, with a record."""
    lines_of = {} if shared is None else shared
    versions, by_source = plan.versions, plan.by_source

    def current_lines(src: str) -> list[bytes]:
        recs = by_source.get(src)
        k = (versions[src], recs[-1].iri if recs else None)
        if k not in lines_of:
            lines_of[k] = read_lines(store, NamedNode(versions[src]))
        return lines_of[k]

    parts: list[Part] = []
    with store.pinned(versions):
        for src in plan.legacy:
            parts.append((None, src, current_lines(src), NamedNode(f"{src}/v/legacy")))
        for src, k in sorted(plan.chosen.items()):
            if k is None:
                continue
            recs = by_source[src]
            rec = recs[k]
            g = NamedNode(f"{src}/v/{rec.info.id}")
            cur = versions.get(src)
            if k == len(recs) - 1:  # today's version
                if cur is None or rec.info.operation == "remove":
                    continue
                parts.append((rec, src, current_lines(src), g))
                continue
            state = hist.state_at(store.store, recs, k, current_lines(src) if cur else None)
            if state is not None:
                parts.append((rec, src, state, g))
    return parts


def build_as_of(store: CatalogStore, when: dt.datetime | dt.date,
                shared: dict[tuple, list[bytes]] | None = None) -> CatalogStore:
    """The catalog as of ``when`` in a shared, cached, read-only :class:`AsOfStore`.
    ``shared``: as in :func:`plan_parts`."""
    if isinstance(store, AsOfStore):
        return store.origin.as_of(when)
    plan = plan_as_of(store, when)
    with store.as_of_lock:
        found = store.as_of_cache.get(plan.key)
        if found is not None:
            store.as_of_cache.move_to_end(plan.key)
            return found
    mem = AsOfStore(store, plan.instant, plan.key)
    for rec, src, lines, g in plan_parts(store, plan, shared):
        mem._fill(rec, src, lines, g)
    with store.as_of_lock:
        store.as_of_cache[plan.key] = mem
        while len(store.as_of_cache) > AS_OF_CACHE:
            store.as_of_cache.popitem(last=False)
    return mem


@dataclass(frozen=True)
class CompactReport:
    before: dt.datetime
    folded: int  # version records marked compacted
    graphs_dropped: int
    quads_dropped: int


def compact(store: CatalogStore, before: dt.datetime | dt.date) -> CompactReport:
    """Fold every source's versions older than ``before`` (a date: its first instant in
    Asia/Shanghai) into the newest of them. One registry update rewrites the records; the
    delta graphs no record names any more are dropped after it (an interruption leaves
    orphans, dropped on the next open)."""
    if store.read_only:
        raise hist.HistoryError("只读存储不能压缩", "a read-only store cannot be compacted",
                                "READ_ONLY")
    cutoff = (before if isinstance(before, dt.datetime)
              else dt.datetime.combine(before, dt.time.min, tzinfo=hist.SHANGHAI))
    cutoff = hist.resolve_when(cutoff)
    by_source: dict[str, list[hist.Record]] = {}
    for r in store.log.records():
        by_source.setdefault(r.source_iri, []).append(r)
    changed: list[tuple[hist.Record, hist.Record]] = []
    for recs in by_source.values():
        m = None
        for i, r in enumerate(recs):
            if r.info.at < cutoff:
                m = i
        if m is None:
            continue
        for j in range(m + 1):
            new = hist.compacted(recs[j], base=j == m)
            if new != recs[j]:
                changed.append((recs[j], new))
    drop = sorted(hist.history_graphs(old for old, _ in changed)
                  - hist.history_graphs(new for _, new in changed))
    if changed:
        parts = [f"DELETE WHERE {{ GRAPH {store.registry} {{ {NamedNode(old.iri)} ?p ?o }} }}"
                 for old, _ in changed]
        quads = [q for _, new in changed for q in hist.record_quads(new, store.registry)]
        with store.switch_lock:
            store.store.update(" ;\n".join(parts + [hist.insert_text(quads)]))
        store.log.forget()  # re-read on the next write
    quads_dropped = 0
    for g in drop:
        quads_dropped += sum(1 for _ in store.store.quads_for_pattern(None, None, None,
                                                                      NamedNode(g)))
        store.drop_graph(NamedNode(g))
    with store.as_of_lock:
        store.as_of_cache.clear()
    for cache in getattr(store, "history_caches", ()):  # what was computed from past states
        cache.clear()  # (e.g. shapes.audit_cache)
    from graph.asof_owned import clear_kept

    clear_kept(store)  # and kept on disk, across processes
    if store.path is not None:
        store.store.flush()
    return CompactReport(cutoff, sum(1 for _, new in changed if new.info.compacted),
                         len(drop), quads_dropped)
