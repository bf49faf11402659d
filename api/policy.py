"""The access policy, by construction: each caller's questions are answered over the part of
the catalog it may see.

- Hidden entities (涉密 resources and systems, the items of such resources, the flows and sharing
  requests that touch them) are taken out *inside* the engine primitives by a
  :class:`graph.view.HiddenView`: every question computed on top of them (listings and their
  counts and cursors, search, lineage, sensitivity propagation, traces, one data one source,
  impact, the error kinds) answers exactly as if those entities, and every reference to them,
  had been deleted. A hidden entity is "not found" exactly as an unknown code is.
- Personal data is removed from the entity's fields (the API then answers ``null``); filters on
  those fields are refused.

Resolvers never see the engine directly: they get a :class:`PolicyGraph` for the caller.
"""

from __future__ import annotations

import threading

from graph.base import CatalogGraphBase
from graph.iris import code_of, kind_of
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
from graph.query import MAX_PAGE, CatalogGraph, NotFound, QueryError
from graph.view import HiddenView
from ontology.fields import personal_fields, phone_fields
from ontology.namespaces import base_iri

__all__ = ["PolicyGraph", "Restrictions", "ListPage", "PERSON_FIELDS", "PHONE_FIELDS",
           "not_found", "visible_triples"]

PERSON_FIELDS = personal_fields()  # declared once in ontology.fields
PHONE_FIELDS = phone_fields()
_SCAN_PAGE = MAX_PAGE
ListPage = Page  # a page with one cursor per item (Page.cursors), for Relay edges


def not_found(node: str) -> NotFound:
    """The same error for a hidden entity as for an unknown one: existence is not leaked."""
    return NotFound(node)


class Restrictions:
    """The IRIs of every 涉密 entry in the catalog, computed through the query layer once per
    version of the store (call :meth:`invalidate` after a load), and the views built on them."""

    def __init__(self, graph: CatalogGraph, base: str | None = None):
        self.graph = graph
        self.base = base or getattr(graph, "base", None) or base_iri()
        self._hidden: frozenset[str] | None = None
        self._by_kind: dict[str, frozenset[str]] = {}
        self._views: dict[tuple[bool, tuple[str, ...]], CatalogGraph] = {}
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._hidden = None
            self._by_kind = {}
            self._views = {}

    def hidden(self) -> frozenset[str]:
        h = self._hidden
        if h is not None:
            return h
        with self._lock:
            if self._hidden is None:
                self._hidden = self._compute()
                by_kind: dict[str, set[str]] = {}
                for iri in self._hidden:
                    by_kind.setdefault(kind_of(iri, self.base) or "", set()).add(iri)
                self._by_kind = {k: frozenset(v) for k, v in by_kind.items()}
                self._views = {}
            return self._hidden

    def of_kind(self, kind: str) -> frozenset[str]:
        self.hidden()
        return self._by_kind.get(kind, frozenset())

    def view(self, classified: bool, dropped: tuple[str, ...]) -> CatalogGraph:
        """The catalog as a caller who may (or may not) see 涉密 entries and may not see the
        ``dropped`` fields sees it; one view per role and store version (its caches live with
        it)."""
        hidden = frozenset() if classified else self.hidden()
        if not hidden and not dropped:
            return self.graph
        key = (classified, dropped)
        with self._lock:
            v = self._views.get(key)
            if v is None or (isinstance(v, HiddenView) and v.hidden != hidden):
                if not isinstance(self.graph, CatalogGraphBase):
                    raise TypeError("the access policy needs an engine built on "
                                    "graph.base.CatalogGraphBase")
                v = self._views[key] = HiddenView(self.graph, hidden, dropped)
            return v

    def _classified(self, kind: str) -> list[str]:
        out: list[str] = []
        after = None
        while True:
            page = self.graph.list(kind, filters={"classified": "是"}, first=_SCAN_PAGE,
                                   after=after)
            out += [e.iri for e in page.items if e.fields.get("classified") is True]
            if not page.has_next or page.end_cursor is None:
                return out
            after = page.end_cursor

    def _compute(self) -> frozenset[str]:
        g = self.graph
        resources = self._classified("resource")
        systems = self._classified("system")
        hidden = set(resources) | set(systems)

        def touching(iris: list[str], predicate: str, kind: str) -> None:
            if not iris:
                return
            for targets in g.related(iris, predicate, inverse=True).values():
                hidden.update(t for t in targets if kind_of(t, self.base) == kind)

        touching(resources, "inResource", "item")
        touching(resources, "flowOf", "flow")
        touching(resources, "targetResource", "flow")
        touching(systems, "sourceSystem", "flow")
        touching(systems, "targetSystem", "flow")
        touching(resources, "requestedResource", "request")
        touching(systems, "requestingSystem", "request")
        return frozenset(hidden)


class PolicyGraph(CatalogGraph):
    """The engine as one caller may see it: every question is asked of the caller's view."""

    def __init__(self, inner: CatalogGraph, *, persons: bool, phones: bool, classified: bool,
                 restrictions: Restrictions):
        self.inner = inner
        self.engine = inner.engine
        self.persons = persons
        self.phones = phones
        self.classified = classified
        self.restrictions = restrictions
        self._drop = (() if persons else PERSON_FIELDS) + (() if phones else PHONE_FIELDS)
        self._view: CatalogGraph | None = None

    # -- the policy -----------------------------------------------------------------------
    @property
    def view(self) -> CatalogGraph:
        """The catalog this caller may see (built on first use, shared by the role)."""
        if self._view is None:
            self._view = self.restrictions.view(self.classified, self._drop)
        return self._view

    @property
    def hidden(self) -> frozenset[str]:
        return frozenset() if self.classified else self.restrictions.hidden()

    @property
    def dropped_fields(self) -> tuple[str, ...]:
        """The personal-data and phone fields this caller may not see (Entity.fields names)."""
        return self._drop

    def deleted(self, store) -> frozenset[str]:
        """Every IRI the answers of a door reading ``store`` (a CatalogStore) directly are
        computed without — an export, /dcat, the audit, observed lineage: the hidden entities
        and what of the observed lineage goes with them (graph.observed.deleted_with: the
        datasets a hidden resource declares, their fields, the flows touching them)."""
        hidden = self.hidden
        if not hidden or store is None:
            return hidden
        from graph.observed import deleted_with

        return deleted_with(store, hidden)

    def visible(self, iri: str | None) -> bool:
        return iri is not None and (self.classified or iri not in self.restrictions.hidden())

    def entity(self, e: Entity | None) -> Entity | None:
        """An entity fetched elsewhere (an audit finding, an RDF export), as this caller may see
        it: None when hidden, personal fields removed."""
        if e is None or not self.visible(e.iri):
            return None
        if self._drop and any(f in e.fields for f in self._drop):
            return Entity(e.kind, e.iri, e.code, e.label,
                          {k: v for k, v in e.fields.items() if k not in self._drop})
        return e

    def check_filters(self, filters: dict[str, str] | None) -> None:
        """Refuse filters on fields the caller may not see (they would be an oracle)."""
        for f in filters or {}:
            if f in self._drop:
                raise QueryError(f"无权按字段 {f} 筛选", f"not allowed to filter on {f}",
                                 "BAD_FILTER")

    # -- every question, asked of the view ------------------------------------------------
    def candidates(self, code: str) -> list[Entity]:
        return self.view.candidates(code)

    def get(self, node: str) -> Entity:
        return self.view.get(node)

    def get_many(self, iris: list[str]) -> dict[str, Entity]:
        return self.view.get_many(iris)

    def related(self, iris: list[str], predicate: str, inverse: bool = False
                ) -> dict[str, list[str]]:
        return self.view.related(iris, predicate, inverse)

    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> Page:
        self.check_filters(filters)
        return self.view.list(kind, filters=filters, text=text, first=first, after=after)

    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20
               ) -> list[Entity]:
        return self.view.search(text, kinds=kinds, first=first)

    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None, evidence: Evidence = Evidence.ANY) -> Lineage:
        return self.view.lineage(node, direction, depth, granularity, first=first, after=after,
                                 evidence=evidence)

    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE,
                      evidence: Evidence = Evidence.ANY) -> int:
        return self.view.lineage_count(node, direction, depth, granularity, evidence)

    def trace_source(self, node: str, evidence: Evidence = Evidence.ANY) -> Trace:
        return self.view.trace_source(node, evidence)

    def resolve_source(self, element: str) -> SourceResolution:
        return self.view.resolve_source(element)

    def one_source_report(self, department: str | None = None) -> OneSourceReport:
        return self.view.one_source_report(department)

    def impact(self, node: str, depth: int = 5, evidence: Evidence = Evidence.ANY) -> Impact:
        return self.view.impact(node, depth, evidence)


def _matches(value: object, wanted: str) -> bool:
    if isinstance(value, list):
        return any(_matches(v, wanted) for v in value)
    if isinstance(value, bool):
        return wanted.lower() in (("true", "是") if value else ("false", "否"))
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value == wanted or code_of(value) == wanted
    return value is not None and str(value) == wanted


def visible_triples(policy: PolicyGraph, triples, store=None):
    """The triples of an RDF export this caller may see: none about or pointing at a hidden
    entity (nor, given the ``store`` they come from, at what goes with one:
    :meth:`PolicyGraph.deleted`), none holding personal data it may not see."""
    from ontology.namespaces import YS

    hidden = policy.deleted(store)
    dropped = {YS + f for f in policy.dropped_fields}
    for t in triples:
        if t.predicate.value in dropped or t.subject.value in hidden:
            continue
        if getattr(t.object, "value", None) in hidden and type(t.object).__name__ == "NamedNode":
            continue
        yield t
