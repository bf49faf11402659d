"""Appends: triples added to a source's live version without replacing it, for the sources
that only grow (observed lineage, :mod:`loaders.openlineage`; workflow steps and the write log).

Which triples are new is decided by an in-memory index of the version's triples (128-bit
digests, built by one scan of the version the first time it is appended to in this process;
only appends write into a live version, and a new version has a new IRI), not by a lookup per
triple and a SPARQL update (benchmarks/bench_lineage_ingest.py). The version's triple count is
kept beside it for the same reason: replacing it is one ``DELETE DATA``/``INSERT DATA`` of the
two known quads, not a ``DELETE WHERE`` that scans the registry (where every earlier count
left a tombstone until RocksDB compacts)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Quad

from graph import history as hist
from graph.rdf_io import digest, line_digest, typed_literal
from graph.registry import TRIPLES
from ontology.namespaces import XSD

if TYPE_CHECKING:
    from graph.store import CatalogStore

__all__ = ["Appender"]

FLUSH_EVERY = 30.0  # seconds at most between flushes of appended writes (see append_many)
_INTEGER = NamedNode(XSD + "integer")
_RECOUNT = ("DELETE DATA {{ GRAPH {registry} {{ {source} {p} {old} }} }} ;\n"
            "INSERT DATA {{ GRAPH {registry} {{ {source} {p} {new} }} }}")


class Appender:
    """The append path of one :class:`~graph.store.CatalogStore`."""

    def __init__(self, catalog: CatalogStore):
        self._catalog = catalog
        self._flushed = time.monotonic()  # when appends last flushed
        self._unflushed = False  # appended writes only in the write-ahead log
        self._appended: dict[str, set[bytes]] = {}  # version graph -> digests of its triples
        self._counts: dict[str, int] = {}  # version graph -> its triple count in the registry

    def append_many(self, parts: dict[str, Iterable[Quad | tuple]],
                    new: set[tuple] | None = None) -> int:
        """See :meth:`graph.store.CatalogStore.append_many`."""
        cat = self._catalog
        store = cat.store
        versions = cat.registry_versions()
        batches: list[tuple[str, NamedNode, NamedNode, set[bytes],
                            dict[bytes, tuple[Quad, str]]]] = []
        for source, quads in parts.items():
            src = NamedNode(cat.graph_of(source))
            ver = versions.get(src.value)
            if ver is None:
                version = cat.new_version(source)
                cat.activate(source, version, 0)
                ver = version.value
            g = NamedNode(ver)
            known = self._known_triples(ver)
            # (A set of the triples lately seen, as tuples of terms, used to spare their digests:
            # 200,000 tuples the cyclic garbage collector walked on every full collection —
            # seconds each in a server that had taken a few thousand events, and its questions
            # paid for it. Digests are bytes, which the collector does not track.)
            fresh: dict[bytes, tuple[Quad, str]] = {}  # digest -> quad, its N-Triples line
            for q in quads:
                t = q if isinstance(q, tuple) else (q.subject, q.predicate, q.object)
                line = f"{t[0]} {t[1]} {t[2]}"
                key = line_digest(line)
                if key in known or key in fresh:
                    continue
                quad = Quad(*t, g)
                # Oxigraph keeps typed literals in canonical form ("…+00:00" is read back as
                # "…Z"): a typed literal not found by its text is looked up in the store
                if typed_literal(t[2]) and quad in store:
                    known.add(key)
                    continue
                fresh[key] = (quad, line)
            if fresh:
                batches.append((source, src, g, known, fresh))
        if not batches:
            return 0
        writes: list[Quad] = []
        counts: list[tuple[NamedNode, str, int, int]] = []  # source, version, old, new
        with cat.switch_lock:  # one order of versions across threads appending to other sources
            try:
                for source, src, g, _known, fresh in batches:
                    old = self._count(src, g.value)
                    at, actor = cat.log.stamp(src.value)
                    rid = uuid.uuid4().hex
                    added = NamedNode(f"{src.value}/d/{rid}/add")  # this version's reverse delta
                    rec = cat.log.record(src.value, source, rid, at, actor, "append", len(fresh),
                                         0, added, None)
                    cat.log.remember(rec)  # the next record of this call takes the next number
                    writes.extend(q for q, _line in fresh.values())
                    # the reverse delta is the append itself: its triples packed into one quad
                    writes.append(hist.packed_delta(added, [line for _q, line in fresh.values()]))
                    writes.extend(hist.record_quads(rec, cat.registry))
                    counts.append((src, g.value, old, old + len(fresh)))
                store.extend(writes)  # atomic: all of it or none
            except BaseException:
                cat.log.forget()  # remembered records that were not written: read them again
                raise
            store.update(" ;\n".join(
                _RECOUNT.format(registry=cat.registry, source=src, p=TRIPLES,
                                old=_integer(before), new=_integer(after))
                for src, _ver, before, after in counts))
            for _src, ver, _before, after in counts:
                self._counts[ver] = after
        total = 0
        for _s, _src, _g, known, fresh in batches:
            known.update(fresh)
            total += len(fresh)
            if new is not None:
                new.update((q.subject, q.predicate, q.object) for q, _line in fresh.values())
        # Unflushed writes live in RocksDB's write-ahead log, which every read-only handle (a
        # SPARQL worker, a CLI beside the server) replays when it opens. Flushing after every
        # append costs more than the append at city scale (and once a second ≈4 ms per event),
        # so appends flush at most every FLUSH_EVERY seconds, and whoever is about to open a
        # read-only handle calls flush() first (graph/sandbox.py): the log stays short.
        self._unflushed = True
        if cat.path is not None and time.monotonic() - self._flushed > FLUSH_EVERY:
            self.flush()
        return total

    def flush(self) -> None:
        """Flush the appended writes not flushed yet (nothing to do when there are none)."""
        if self._unflushed and self._catalog.path is not None:
            self._unflushed = False
            self._catalog.store.flush()
            self._flushed = time.monotonic()

    def _count(self, src: NamedNode, version: str) -> int:
        """The triple count the registry holds for ``src`` (whose live version is ``version``),
        read once per version: only appends change it afterwards, and they keep it here. (Should
        the registry hold more than one, the largest is kept: appends only grow a version.)"""
        count = self._counts.get(version)
        if count is None:
            cat = self._catalog
            found = list(cat.store.quads_for_pattern(src, TRIPLES, None, cat.registry))
            count = max((int(q.object.value) for q in found), default=0)
            for q in found:
                if int(q.object.value) != count:
                    cat.store.remove(q)
            self._counts[version] = count
        return count

    def _known_triples(self, version: str) -> set[bytes]:
        """Digests of the triples of a live version graph that appends write into (the
        indexes of versions no longer current are dropped)."""
        known = self._appended.get(version)
        if known is None:
            live = set(self._catalog.registry_versions().values())
            for v in [v for v in self._appended if v not in live]:
                del self._appended[v]
                self._counts.pop(v, None)
            known = self._appended[version] = {
                digest(q.subject, q.predicate, q.object)
                for q in self._catalog.store.quads_for_pattern(None, None, None,
                                                               NamedNode(version))}
        return known


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=_INTEGER)
