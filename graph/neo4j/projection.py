"""Projection and sync: the catalog as a property graph: the RDF of :class:`graph.store.CatalogStore` projected into a
Neo4j database (or any Bolt server speaking OpenCypher) through the official ``neo4j`` driver.

Shape (the mapping table is in docs/neo4j.md):

- every entity is a node ``:Entity:<Label>`` (``:Department``, ``:DataResource`` …) keyed by its
  ``iri`` (unique), with ``kind``, ``code`` (dcterms:identifier), ``label`` (rdfs:label@zh),
  ``label_en`` when there is one, and one property per template column
  (:data:`ontology.fields.FIELDS`), named by the predicate's local name — the same names and values
  as :attr:`graph.model.Entity.fields`: enums as their Chinese value (plus ``<field>_iri``, the
  SKOS concept), refs as IRIs (lists for refs/list columns), booleans, ints, ISO strings;
- every reference triple is also a relationship named from its predicate (``ys:provider`` →
  ``:PROVIDER``, ``ys:derivedFrom`` → ``:DERIVED_FROM``, ``ys:takenFrom`` → ``:TAKEN_FROM``…),
  pointing the way the triple points;
- every node and relationship carries ``source``: the load source (named graph) it came from.

Sync replaces one load source: its relationships are deleted and re-created, its nodes upserted
(``MERGE`` on ``iri``, properties replaced), and its nodes that are gone are deleted — unless
another source still points at them, in which case they stay as bare ``:Entity {iri}`` stubs so
that the other source's relationships survive (a stub is what a reference to a not-yet-synced
source looks like too; it becomes a full node when its own source is synced). A relationship
belongs to the source of its triple, so re-syncing either side of a cross-source edge keeps it.

All writes are batched ``UNWIND $rows AS row MERGE …``; every statement is a named file,
``graph/cypher/sync_*.cypher``. Label and relationship-type names are
spliced into the statements only from the constant tables of :mod:`graph.neo4j.mapping` (never
from data). The mapping of triples to rows is :mod:`graph.neo4j.mapping`; what differs between
Neo4j and FalkorDB, :mod:`graph.neo4j.dialect`; how a statement reaches the server within its
limits (batches, transactions, large nodes), :mod:`graph.neo4j.writer`.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.neo4j.mapping import (
    KIND_LABELS,
    REL_TYPES,
    SourceProjection,
    cypher_file,
    project_source,
)
from graph.neo4j.writer import BoltWriter

__all__ = ["Neo4jProjection", "SyncReport", "SyncDiff", "OBSERVED_SOURCE", "OBSERVED_TYPES"]

# -- the statements (graph/cypher/sync_*.cypher) ------------------------------------------------
_CREATE_RELS = cypher_file("sync_create_rels.cypher")
_DELETE_RELS = cypher_file("sync_delete_rels.cypher")
_SOURCE_RELS = cypher_file("sync_source_rels.cypher")
_SOURCE_NODES = cypher_file("sync_source_nodes.cypher")
# Gone nodes: deleted unless another source still points at them (this source's relationships
# are already gone); those become bare stubs. (Two statements: FalkorDB ignores REMOVE/SET inside
# FOREACH.)
_DELETE_GONE = cypher_file("sync_delete_gone.cypher")
_STUB_GONE = cypher_file("sync_stub_gone.cypher")
_DELETE_ORPHAN_STUBS = cypher_file("sync_delete_orphan_stubs.cypher")
_SOURCES = cypher_file("sync_sources.cypher")
# Observed lineage (graph.observed): derived from the events AND the resources' declared
# physical datasets, so it is recomputed on every sync, as relationships of source "observed"
# pointing like ys:derivedFrom (downstream → upstream).
OBSERVED_SOURCE = "observed"
OBSERVED_TYPES = {"resource": "OBSERVED_DERIVED_FROM", "item": "OBSERVED_ITEM_DERIVED_FROM"}
_DELETE_OBSERVED = cypher_file("sync_delete_observed.cypher")
_CREATE_OBSERVED = cypher_file("sync_create_observed.cypher")
_DELETE_ALL = cypher_file("sync_delete_all.cypher")
_COUNT_NODES = cypher_file("sync_count_nodes.cypher")
_COUNT_RELS = cypher_file("sync_count_rels.cypher")
_COUNT_NODES_OF = cypher_file("sync_count_nodes_of.cypher")
_COUNT_RELS_OF = cypher_file("sync_count_rels_of.cypher")


_GENERATION = cypher_file("bump_generation.cypher")


def _bump(tx) -> str:
    """Write a new generation token (graph/cypher/bump_generation.cypher): the engine refuses
    cursors of the projection as it was before, and drops its caches."""
    token = secrets.token_hex(8)
    tx.run(_GENERATION, token=token).data()
    return token


def _changed(old: dict[str, Any] | None, row: dict[str, Any], label: str) -> bool:
    return old is None or old["props"] != row or label not in old["labels"]


@dataclass
class SyncDiff:
    """What a sync actually wrote (an unchanged source writes nothing)."""

    nodes_written: int = 0
    nodes_deleted: int = 0
    relationships_written: int = 0
    relationships_deleted: int = 0

    def add(self, other: SyncDiff) -> None:
        self.nodes_written += other.nodes_written
        self.nodes_deleted += other.nodes_deleted
        self.relationships_written += other.relationships_written
        self.relationships_deleted += other.relationships_deleted


@dataclass
class SyncReport:
    sources: list[str] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    removed_sources: list[str] = field(default_factory=list)
    seconds: float = 0.0
    written: SyncDiff = field(default_factory=SyncDiff)

    @property
    def nodes_per_second(self) -> float:
        return self.nodes / self.seconds if self.seconds else 0.0

    @property
    def relationships_per_second(self) -> float:
        return self.relationships / self.seconds if self.seconds else 0.0


Progress = Callable[[int], None]


class Neo4jProjection(BoltWriter):
    """Writes the projection through a ``neo4j`` driver.

    ``Neo4jProjection(driver, database="neo4j")``; ``dialect`` is detected when not given.
    Each source is written in one explicit transaction on Neo4j (atomic); on FalkorDB as
    auto-commit statements (see :class:`graph.neo4j.dialect.Dialect`; the writing itself is
    :class:`graph.neo4j.writer.BoltWriter`'s). ``progress(n)`` is told the rows (nodes +
    relationships) each source has once they are in step, ``plan(n)`` how many a source has
    before its writing starts (for a progress bar's total).
    """

    # -- sync --
    def sources(self) -> list[str]:
        return sorted(r["source"] for r in self._run(_SOURCES))

    def sync_source(self, store, source: str, progress: Progress | None = None,
                    plan: Progress | None = None) -> SyncReport:
        """Replace one load source in the projection by what the store holds now (removing it
        when the store no longer has it)."""
        t0 = time.perf_counter()
        proj = project_source(store, source)
        if plan:
            plan(proj.node_count + proj.rel_count)
        diff = self._write(proj, progress)
        return SyncReport([source], proj.node_count, proj.rel_count, [],
                          time.perf_counter() - t0, diff)

    def remove_source(self, source: str) -> SyncDiff:
        return self._write(SourceProjection(source), None)

    def _write(self, proj: SourceProjection, progress: Progress | None) -> SyncDiff:
        """Bring the projection of ``proj.source`` in line with ``proj``, writing only what
        differs: relationships gone / new, nodes gone / new / changed."""
        diff = SyncDiff()
        labels = ":".join(KIND_LABELS.values())
        with self.driver.session(database=self.database) as session:
            with self._transaction(session) as tx:
                old_nodes = {r["iri"]: r for r in tx.run(_SOURCE_NODES, source=proj.source)}
                # relationships of this source: delete the ones gone, remember the ones kept
                keep: dict[str, set[tuple[str, str]]] = {}
                for t in sorted(set(REL_TYPES.values())):
                    old = Counter((r["s"], r["o"]) for r in tx.run(
                        _SOURCE_RELS.replace("{type}", t), source=proj.source))
                    new = {(r["s"], r["o"]) for r in proj.rels.get(t, [])}
                    drop = sorted(k for k, n in old.items() if k not in new or n > 1)
                    self._rel_rows(tx, _DELETE_RELS.replace("{type}", t), drop, proj.source)
                    diff.relationships_deleted += sum(old[k] for k in drop)
                    keep[t] = {k for k, n in old.items() if k in new and n == 1}
                # nodes gone: deleted, or stubs when something still points at them
                gone = sorted(set(old_nodes) - set(proj.node_iris()))
                stub = _STUB_GONE.replace("{labels}", labels)
                for batch in self._batches(stub, gone, "iris"):
                    tx.run(_DELETE_GONE, iris=batch).data()
                    tx.run(stub, iris=batch).data()
                diff.nodes_deleted = len(gone)
                # nodes new or changed
                for label, rows in sorted(proj.nodes.items()):
                    todo = [r for r in rows if _changed(old_nodes.get(r["iri"]), r, label)]
                    for n in self._upsert(tx, label, todo):
                        diff.nodes_written += n
                    if progress:
                        progress(len(rows))
                # relationships new
                for t, rows in sorted(proj.rels.items()):
                    add = [(r["s"], r["o"]) for r in rows if (r["s"], r["o"]) not in keep[t]]
                    self._rel_rows(tx, _CREATE_RELS.replace("{type}", t), add, proj.source)
                    diff.relationships_written += len(add)
                    if progress:
                        progress(len(rows))
                self._drain(tx, _DELETE_ORPHAN_STUBS)
                _bump(tx)
        return diff

    def sync(self, store, sources: list[str] | None = None,
             progress: Progress | None = None, plan: Progress | None = None) -> SyncReport:
        """Sync the given sources (default: every source in the store, and drop from the
        projection the sources the store no longer has)."""
        t0 = time.perf_counter()
        in_store = [s.name for s in store.sources()]
        report = SyncReport()
        if sources is None:
            sources = in_store
            report.removed_sources = sorted(set(self.sources()) - set(in_store))
            for s in report.removed_sources:
                report.written.add(self._write(SourceProjection(s), None))
        for s in sources:
            r = self.sync_source(store, s, progress, plan)
            report.sources.append(s)
            report.nodes += r.nodes
            report.relationships += r.relationships
            report.written.add(r.written)
        report.written.add(self.sync_observed(store))
        report.seconds = time.perf_counter() - t0
        return report

    def sync_observed(self, store) -> SyncDiff:
        """Replace the observed lineage relationships by what the store's events and declared
        datasets give now (:func:`graph.observed.observed_edges`)."""
        from graph.observed import observed_edges

        diff = SyncDiff()
        with self.driver.session(database=self.database) as session:
            with self._transaction(session) as tx:
                for items, t in ((False, OBSERVED_TYPES["resource"]),
                                 (True, OBSERVED_TYPES["item"])):
                    diff.relationships_deleted += self._drain(
                        tx, _DELETE_OBSERVED.replace("{type}", t), source=OBSERVED_SOURCE)
                    pairs = sorted({(e.down, e.up) for e in observed_edges(store, items=items)})
                    self._rel_rows(tx, _CREATE_OBSERVED.replace("{type}", t), pairs,
                                   OBSERVED_SOURCE)
                    diff.relationships_written += len(pairs)
                _bump(tx)
        return diff

    def clear(self) -> None:
        with self.driver.session(database=self.database) as session:
            with self._transaction(session) as tx:
                self._drain(tx, _DELETE_ALL)
                _bump(tx)

    def rebuild(self, store, progress: Progress | None = None,
                plan: Progress | None = None) -> SyncReport:
        """Drop everything, recreate the schema and project every source."""
        t0 = time.perf_counter()
        self.clear()
        self.ensure_schema()
        report = self.sync(store, progress=progress, plan=plan)
        report.seconds = time.perf_counter() - t0
        return report

    # -- counts --
    def counts(self, source: str | None = None) -> dict[str, int]:
        """Nodes per label and relationships per type (of one source when given)."""
        out: dict[str, int] = {}
        for label in KIND_LABELS.values():
            if source is None:
                n = self._run(_COUNT_NODES.replace("{label}", label))[0]["n"]
            else:
                n = self._run(_COUNT_NODES_OF.replace("Entity", f"Entity:{label}"),
                              source=source)[0]["n"]
            out[label] = n
        for t in sorted(set(REL_TYPES.values())):
            if source is None:
                n = self._run(_COUNT_RELS.replace("{type}", t))[0]["n"]
            else:
                n = self._run(_COUNT_RELS_OF.replace("{type}", t), source=source)[0]["n"]
            out[t] = n
        return out
