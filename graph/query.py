"""The query layer's interface. Two engines implement it — Oxigraph (SPARQL) and Neo4j (Cypher) —
and one conformance suite holds them to identical answers.

Meaning of each question: ../shared/DESIGN.md, "The questions, precisely". Result types:
:mod:`graph.model`. ``node`` arguments accept an IRI or ``kind:code`` (``resource:RES-HJ``).
Unknown nodes raise :class:`NotFound`; bad arguments raise :class:`QueryError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from graph.model import (
    Direction,
    Entity,
    Granularity,
    Impact,
    Lineage,
    OneSourceReport,
    Page,
    SourceResolution,
    Trace,
)

__all__ = ["CatalogGraph", "QueryError", "NotFound", "MAX_DEPTH", "MAX_PAGE"]

MAX_DEPTH = 10
MAX_PAGE = 500


class QueryError(ValueError):
    """A question the layer cannot answer as asked (message in zh / en)."""


class NotFound(QueryError):
    """No entity with that IRI or code."""


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
    def related(self, iris: list[str], predicate: str, inverse: bool = False) -> dict[str, list[str]]:
        """Batch navigation: for each IRI, the sorted IRIs it points to with ``predicate``
        (a local name such as ``provider``), or that point to it when ``inverse``."""

    @abstractmethod
    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> Page:
        """Entities of a kind, sorted by code; ``filters`` match field values exactly;
        ``text`` matches a substring of the label (and synonyms of data elements)."""

    @abstractmethod
    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20) -> list[Entity]:
        """Chinese text search over names and synonyms, best matches first."""

    # -- the questions --------------------------------------------------------------------
    @abstractmethod
    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None) -> Lineage: ...

    @abstractmethod
    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE) -> int: ...

    @abstractmethod
    def trace_source(self, node: str) -> Trace: ...

    @abstractmethod
    def resolve_source(self, element: str) -> SourceResolution:
        """By element code, standard name or synonym (exact match, in that order)."""

    @abstractmethod
    def one_source_report(self, department: str | None = None) -> OneSourceReport: ...

    @abstractmethod
    def impact(self, node: str, depth: int = 5) -> Impact: ...
