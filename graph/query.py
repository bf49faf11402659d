"""The query layer's interface. Two engines implement it — Oxigraph (SPARQL) and Neo4j (Cypher) —
and one conformance suite holds them to identical answers.

The exact meaning of each question (which edges, depth, tie-breaks) is in docs/queries.md; the
layers and where each question lives, in docs/architecture.md. Result types: :mod:`graph.model`.
``node`` arguments accept an IRI, ``kind:code`` (``resource:RES-HJ``, ``item:RES-HJ/姓名``) or a
bare code (``RES-HJ``) when exactly one entity carries it (else :class:`Ambiguous`).
Unknown nodes raise :class:`NotFound`; bad arguments raise :class:`QueryError`.

Layout: this module is the *public* interface (what the API, CLI and notebooks call).
:class:`graph.base.CatalogGraphBase` implements every method here once, engine-independently,
on top of a small set of engine primitives (``_entities``, ``_edges``, ``_related``, ``_match``,
``_lookup_element``, ``_item_rows``, ``_used_elements``, ``_sensitivities``) documented there.
An engine (graph.oxigraph_engine.OxigraphGraph, the Neo4j engine) subclasses the base and
implements only the primitives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from graph.model import (
    Direction,
    Entity,
    Evidence,
    Granularity,
    Impact,
    Lineage,
    OneSourceReport,
    Page,
    SourceResolution,
    Trace,
)

__all__ = ["CatalogGraph", "QueryError", "NotFound", "Ambiguous", "one_candidate", "MAX_DEPTH", "MAX_PAGE", "LINEAGE_KINDS",
           "ENTITY_KINDS"]

MAX_DEPTH = 10
MAX_PAGE = 500
ENTITY_KINDS = ("department", "element", "responsibility", "system", "resource", "item",
                "request", "flow")
LINEAGE_KINDS = ("resource", "item", "system", "department", "responsibility")


class QueryError(ValueError):
    """A question the layer cannot answer as asked. ``code`` is stable (for API error codes):
    BAD_ARGUMENT, BAD_DEPTH, BAD_KIND, BAD_CURSOR, BAD_FILTER, AMBIGUOUS, NOT_FOUND."""

    def __init__(self, zh: str, en: str, code: str = "BAD_ARGUMENT"):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
        self.code = code


class NotFound(QueryError):
    """No entity with that IRI or code."""

    def __init__(self, node: str):
        super().__init__(f"未找到：{node}", f"not found: {node}", "NOT_FOUND")
        self.node = node


class Ambiguous(QueryError):
    """A bare code carried by several entities; ``candidates`` names them as ``kind:code``."""

    def __init__(self, code: str, candidates: list[str]):
        listed = ", ".join(candidates)
        super().__init__(f"编码“{code}”对应多个实体，请写明类型：{listed}",
                         f"the code '{code}' names several entities; say which: {listed}",
                         "AMBIGUOUS")
        self.candidates = candidates


def one_candidate(code: str, entities: list[Entity]) -> str:
    """The IRI of the one entity a bare code names: NotFound for none, Ambiguous for several."""
    if not entities:
        raise NotFound(code)
    if len(entities) > 1:
        raise Ambiguous(code, sorted(f"{e.kind}:{e.code}" for e in entities))
    return entities[0].iri


class CatalogGraph(ABC):
    engine: str  # "oxigraph" or "neo4j"

    # -- lookups and listings -------------------------------------------------------------
    @abstractmethod
    def get(self, node: str) -> Entity:
        """One entity by IRI or ``kind:code``; raises NotFound."""

    @abstractmethod
    def get_many(self, iris: list[str]) -> dict[str, Entity]:
        """Batch lookup for DataLoaders: IRI -> entity (unknown IRIs are absent)."""

    @abstractmethod
    def candidates(self, code: str) -> list[Entity]:
        """Every entity whose code is ``code``, whatever its kind (how a bare code resolves)."""

    @abstractmethod
    def related(self, iris: list[str], predicate: str, inverse: bool = False) -> dict[str, list[str]]:
        """Batch navigation: for each IRI, the sorted IRIs it points to with ``predicate``
        (a local name such as ``provider``; one of graph.base.REF_PREDICATES, else QueryError),
        or that point to it when ``inverse``. Every requested IRI is a key (maybe with [])."""

    @abstractmethod
    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> Page:
        """Entities of a kind, sorted by code; ``filters`` match field values exactly (field
        names as in Entity.fields; refs by IRI or code; enums by Chinese value; booleans
        是/否/true/false); ``text`` matches a case-insensitive substring of the label (and the
        synonyms of data elements). ``first`` 1..MAX_PAGE; ``after`` a cursor from a Page."""

    @abstractmethod
    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20) -> list[Entity]:
        """Chinese text search over codes, names and synonyms, best matches first: exact code
        or name, exact synonym, name prefix, synonym prefix, name substring, synonym substring;
        ties by name length, then kind, then code."""

    # -- the questions --------------------------------------------------------------------
    @abstractmethod
    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None, evidence: Evidence = Evidence.ANY) -> Lineage:
        """Subgraph around a resource, item, system, department or responsibility; depth
        0..MAX_DEPTH; along declared lineage, observed lineage (OpenLineage) or either
        (``evidence``), each edge saying which; semantics in docs/queries.md."""

    @abstractmethod
    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE,
                      evidence: Evidence = Evidence.ANY) -> int:
        """``lineage(...).total_nodes`` (root included) without fetching entities."""

    @abstractmethod
    def trace_source(self, node: str, evidence: Evidence = Evidence.ANY) -> Trace:
        """From an item back to its authoritative item; for a resource, one trace per item
        carrying a data element (in ``item_traces``). Each hop follows the declared source
        and, as ``evidence`` allows, the observed one; it says which it followed."""

    @abstractmethod
    def resolve_source(self, element: str) -> SourceResolution:
        """By element IRI, ``element:CODE``, code, standard name or synonym (exact match, in
        that order)."""

    @abstractmethod
    def one_source_report(self, department: str | None = None) -> OneSourceReport: ...

    @abstractmethod
    def impact(self, node: str, depth: int = 5, evidence: Evidence = Evidence.ANY) -> Impact: ...
