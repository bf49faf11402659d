"""Every version of every source kept, as what changed (issue 14).

The current version graph of a source stays the full one every question reads. Each write
through :class:`graph.store.CatalogStore` adds one *version record* to the registry graph (time,
actor, source, operation, triples added and removed) and, when something changed, up to two
*delta graphs* beside it: ``<source>/d/<id>/add`` (triples this version added) and
``<source>/d/<id>/del`` (triples it removed). They are **reverse deltas**: the state a source had
before version *j* is the state after it minus what *j* added plus what *j* removed, so the
catalog as of a date is rebuilt by walking back from today's full graph — recent dates, the
ones asked about most, cost least, and today costs nothing. (Forward deltas from the first
version would have to keep the first version whole as well: a second copy of the catalog.) The
first version of a source (and a reload after a removal) is a *base*: before it the source was
empty, so its added triples are not copied. A removal keeps the removed version graph itself as
its ``del`` graph (no copy either).

An *append* (a source that only grows: observed lineage, workflow steps) is not copied quad by
quad either: its ``add`` graph holds ONE quad, ``<add graph> ys:packedTriples "…"``, whose literal
is the N-Triples text of the triples it added (:func:`packed_delta`) — one write instead of one
per triple, each with its six indexes. :func:`delta_triples` reads either form, in the store's
canonical form (a packed ``"…+00:00"^^xsd:dateTime`` comes back as the stored ``"…Z"``).

The delta graphs are written before the record and are invisible until the record names them
(in the same transaction as the switch of versions); a load that fails leaves only orphans,
dropped the next time the store is opened — no history entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse

from ontology.namespaces import XSD, YS

_DELTA = (Path(__file__).resolve().parent / "queries" / "version_delta.rq").read_text(
    encoding="utf-8")

__all__ = ["VersionInfo", "Record", "HistoryError", "stamped", "stamp", "SHANGHAI",
           "resolve_when", "read_records", "record_quads", "compute_delta", "write_delta",
           "history_graphs", "state_at", "packed_delta", "delta_triples", "graph_lines",
           "lines_text", "triples_of", "delta_lines"]

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no daylight saving time
_OF = NamedNode(YS + "versionOf")
_AT = NamedNode(YS + "versionAt")
_BY = NamedNode(YS + "versionBy")
_OP = NamedNode(YS + "versionOperation")
_SEQ = NamedNode(YS + "versionSeq")
_N_ADDED = NamedNode(YS + "triplesAdded")
_N_REMOVED = NamedNode(YS + "triplesRemoved")
_ADDED_G = NamedNode(YS + "addedGraph")
_REMOVED_G = NamedNode(YS + "removedGraph")
_BASE = NamedNode(YS + "versionIsBase")
_COMPACTED = NamedNode(YS + "versionCompacted")
_PACKED = NamedNode(YS + "packedTriples")
_INT = NamedNode(XSD + "integer")
_BOOL = NamedNode(XSD + "boolean")
_DATETIME = NamedNode(XSD + "dateTime")


class HistoryError(ValueError):
    """A refused history operation, with a zh / en message."""

    def __init__(self, zh: str, en: str, code: str = "HISTORY"):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code = zh, en, code


@dataclass(frozen=True)
class VersionInfo:
    """One stored version of one source (newest last in :meth:`CatalogStore.versions`)."""
    id: str
    source: str
    at: dt.datetime  # aware
    actor: str | None
    operation: str  # load | append | remove
    added: int  # triples added
    removed: int  # triples removed
    compacted: bool = False  # its state was folded away by `yishu compact` (the row stays)
    seq: int = 0  # order of writing in this store


@dataclass(frozen=True)
class Record:
    """A version record as the registry holds it (the VersionInfo plus where its deltas are)."""
    iri: str
    source_iri: str
    info: VersionInfo
    added_graph: str | None
    removed_graph: str | None
    base: bool  # the source was empty before this version (or its past was compacted away)


# -- who and when: set by the face that writes (yishu load --at --by, the API's caller) ----
_STAMP: ContextVar[tuple[dt.datetime | None, str | None]] = ContextVar(
    "yishu_version_stamp", default=(None, None))


@contextmanager
def stamped(at: dt.datetime | dt.date | None = None, by: str | None = None) -> Iterator[None]:
    """Versions written in this block carry time ``at`` (default now; a date: its first
    instant, a naive time: Asia/Shanghai) and actor ``by``."""
    if at is not None and not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time.min, tzinfo=SHANGHAI)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=SHANGHAI)
    token = _STAMP.set((at, by))
    try:
        yield
    finally:
        _STAMP.reset(token)


def stamp() -> tuple[dt.datetime | None, str | None]:
    return _STAMP.get()


def resolve_when(when: dt.datetime | dt.date) -> dt.datetime:
    """An aware instant: a date means the end of that day in Asia/Shanghai; a naive datetime
    is Asia/Shanghai time."""
    if not isinstance(when, dt.datetime):
        return dt.datetime.combine(when, dt.time.max, tzinfo=SHANGHAI)
    return when if when.tzinfo is not None else when.replace(tzinfo=SHANGHAI)


# -- records ------------------------------------------------------------------------------
def read_records(store: Store, registry: NamedNode, source_name) -> list[Record]:
    """Every version record, oldest first (by order of writing)."""
    by_subject: dict[str, dict[str, object]] = {}
    for pred in (_OF, _AT, _BY, _OP, _SEQ, _N_ADDED, _N_REMOVED, _ADDED_G, _REMOVED_G, _BASE,
                 _COMPACTED):
        for q in store.quads_for_pattern(None, pred, None, registry):
            by_subject.setdefault(q.subject.value, {})[pred.value] = q.object.value
    out = []
    for iri, f in by_subject.items():
        if _OF.value not in f or _SEQ.value not in f:
            continue
        src = str(f[_OF.value])
        info = VersionInfo(
            id=iri.rsplit("/", 1)[-1], source=source_name(src),
            at=dt.datetime.fromisoformat(str(f[_AT.value])), actor=f.get(_BY.value),  # type: ignore[arg-type]
            operation=str(f.get(_OP.value, "load")), added=int(f.get(_N_ADDED.value, 0)),  # type: ignore[arg-type]
            removed=int(f.get(_N_REMOVED.value, 0)),  # type: ignore[arg-type]
            compacted=f.get(_COMPACTED.value) == "true", seq=int(f[_SEQ.value]))  # type: ignore[arg-type]
        out.append(Record(iri, src, info, f.get(_ADDED_G.value), f.get(_REMOVED_G.value),  # type: ignore[arg-type]
                          f.get(_BASE.value) == "true"))
    out.sort(key=lambda r: r.info.seq)
    return out


def record_quads(rec: Record, registry: NamedNode) -> list[Quad]:
    s = NamedNode(rec.iri)
    i = rec.info
    quads = [
        Quad(s, _OF, NamedNode(rec.source_iri), registry),
        Quad(s, _AT, Literal(i.at.isoformat(), datatype=_DATETIME), registry),
        Quad(s, _OP, Literal(i.operation), registry),
        Quad(s, _SEQ, Literal(str(i.seq), datatype=_INT), registry),
        Quad(s, _N_ADDED, Literal(str(i.added), datatype=_INT), registry),
        Quad(s, _N_REMOVED, Literal(str(i.removed), datatype=_INT), registry),
    ]
    if i.actor:
        quads.append(Quad(s, _BY, Literal(i.actor), registry))
    if rec.added_graph:
        quads.append(Quad(s, _ADDED_G, NamedNode(rec.added_graph), registry))
    if rec.removed_graph:
        quads.append(Quad(s, _REMOVED_G, NamedNode(rec.removed_graph), registry))
    if rec.base:
        quads.append(Quad(s, _BASE, Literal("true", datatype=_BOOL), registry))
    if i.compacted:
        quads.append(Quad(s, _COMPACTED, Literal("true", datatype=_BOOL), registry))
    return quads


def insert_text(quads: Iterable[Quad]) -> str:
    """``INSERT DATA`` of registry quads: terms written with ``str(term)`` (pyoxigraph's
    N-Triples form of already-validated terms), so no user text reaches the update unescaped."""
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                     for q in quads)
    return f"INSERT DATA {{ {body} }}"


def history_graphs(records: Iterable[Record]) -> set[str]:
    """The delta graphs the records name (kept when orphans are dropped)."""
    out = set()
    for r in records:
        out.update(g for g in (r.added_graph, r.removed_graph) if g)
    return out


def actor_update(rec: Record, who: str, registry: NamedNode) -> Quad:
    return Quad(NamedNode(rec.iri), _BY, Literal(who), registry)


def compacted(rec: Record, *, base: bool) -> Record:
    """The record after compaction: no deltas; the fold (``base``) or a compacted row."""
    return replace(rec, added_graph=None, removed_graph=None, base=base or rec.base,
                   info=replace(rec.info, compacted=rec.info.compacted or not base))


# -- deltas -------------------------------------------------------------------------------
def graph_lines(store: Store, graph: NamedNode | DefaultGraph) -> list[bytes]:
    """The triples of ``graph``, one N-Triples line each (no newline), as Oxigraph writes them:
    one term has one spelling, so two graphs of one store share a triple exactly when they
    share its line, and blank nodes keep their identifiers."""
    data = store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph)
    lines = data.split(b"\n")  # N-Triples escapes line breaks inside literals
    if lines and not lines[-1]:
        lines.pop()
    return lines


def lines_text(lines: Iterable[bytes]) -> bytes:
    """The lines as one N-Triples document (one join: no new object per line)."""
    lines = lines if isinstance(lines, list) else list(lines)
    return b"\n".join(lines) + b"\n" if lines else b""


def triples_of(lines: Iterable[bytes]) -> list[Triple]:
    """The triples of N-Triples lines (blank node identifiers kept, not renamed)."""
    data = lines_text(lines)
    if not data:
        return []
    return [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]


def compute_delta(store: Store, old: NamedNode | None,
                  new: NamedNode) -> tuple[list[Triple], list[Triple]]:
    """(added, removed): the triples of ``new`` not in ``old`` and those of ``old`` not in
    ``new``. Oxigraph computes them (graph/queries/version_delta.rq, the interpreter lock
    released); only the differences become Python objects."""
    if old is None:
        return [q.triple for q in store.quads_for_pattern(None, None, None, new)], []
    return _missing(store, new, old), _missing(store, old, new)


def _missing(store: Store, graph: NamedNode, other: NamedNode) -> list[Triple]:
    return [Triple(sol[0], sol[1], sol[2])
            for sol in store.query(_DELTA, default_graph=graph, named_graphs=[other])]


def write_delta(store: Store, graph: NamedNode, triples: list[Triple]) -> NamedNode | None:
    if not triples:
        return None
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return graph


def packed_delta(graph: NamedNode, lines: list[str]) -> Quad:
    """The one quad of an append's ``add`` graph: ``lines`` are its triples as N-Triples
    (``"{s} {p} {o}"``, no final dot)."""
    return Quad(graph, _PACKED, Literal(" .\n".join(lines) + " .\n"), graph)


def delta_triples(store: Store, graph: NamedNode) -> Iterator[Triple]:
    """The triples of a delta graph, copied or packed, as the store holds them (canonical)."""
    for q in store.quads_for_pattern(None, None, None, graph):
        if q.predicate == _PACKED and q.subject == graph and isinstance(q.object, Literal):
            canonical = Store()  # typed literals read back in the store's canonical form
            canonical.load(q.object.value.encode("utf-8"), RdfFormat.N_TRIPLES)
            yield from (x.triple for x in canonical)
        else:
            yield q.triple


def delta_lines(store: Store, graph: NamedNode) -> list[bytes]:
    """The triples of a delta graph, copied or packed (:func:`delta_triples`), as N-Triples lines
    in the store's canonical form (:func:`graph_lines`)."""
    if not any(True for _ in store.quads_for_pattern(graph, _PACKED, None, graph)):
        return graph_lines(store, graph)  # copied: read as it is
    canonical = Store()
    canonical.extend(Quad(t.subject, t.predicate, t.object) for t in delta_triples(store, graph))
    return graph_lines(canonical, DefaultGraph())


def state_at(store: Store, records: list[Record], k: int,
             current: list[bytes] | None) -> set[bytes] | None:
    """The triples (N-Triples lines, :func:`graph_lines`) of a source after its record ``k``
    (index into its own ``records``, oldest first), walking back from ``current`` (the lines of
    its full graph today, None if removed); None when the source was absent (removed) then. Today's
    state is not asked for here: the caller reads the current graph directly."""
    rec = records[k]
    if rec.info.compacted:
        raise HistoryError(
            f"{rec.info.at.isoformat()} 时的 {rec.info.source} 版本已被压缩，无法还原",
            f"the version of {rec.info.source} at {rec.info.at.isoformat()} was compacted; "
            "its state is no longer kept", "COMPACTED")
    state: set[bytes] = set() if current is None else set(current)
    for j in range(len(records) - 1, k, -1):
        r = records[j]
        if r.base:
            state = set()
            continue
        if r.added_graph:
            state.difference_update(delta_lines(store, NamedNode(r.added_graph)))
        if r.removed_graph:
            state.update(delta_lines(store, NamedNode(r.removed_graph)))
    return None if rec.info.operation == "remove" else state
