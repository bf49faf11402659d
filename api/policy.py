"""The access policy, applied in one place: a :class:`CatalogGraph` that wraps the engine and
filters and redacts every entity the query layer answers with, whatever the question.

- Hidden entities (涉密 resources and systems, the items of such resources, the flows and sharing
  requests that touch them) are absent for a caller who may not see them: a lookup answers
  "not found" exactly as for an unknown code, listings and searches skip them, lineage drops
  their nodes, the edges touching them and the paths through them, a trace stops before them.
- Personal data is removed from the entity's fields (the API then answers ``null``).

Resolvers never see the engine directly: they get a :class:`PolicyGraph` for the caller.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field, replace

from graph.iris import code_of, kind_of
from graph.model import (
    Candidate,
    Direction,
    Entity,
    Evidence,
    Granularity,
    Hop,
    Impact,
    Lineage,
    OneSourceReport,
    Page,
    Recollection,
    SourceResolution,
    Trace,
)
from graph.query import MAX_PAGE, CatalogGraph, NotFound, QueryError, one_candidate
from ontology.namespaces import base_iri

__all__ = ["PolicyGraph", "Restrictions", "ListPage", "PERSON_FIELDS", "PHONE_FIELDS",
           "not_found", "visible_triples"]

PERSON_FIELDS = ("chiefDataOfficer", "sharingLeader", "sharingClerk")
PHONE_FIELDS = ("contactPhone",)
_SCAN_PAGE = MAX_PAGE


def not_found(node: str) -> NotFound:
    """The same error for a hidden entity as for an unknown one: existence is not leaked."""
    return NotFound(node)


class Restrictions:
    """The IRIs of every 涉密 entry in the catalog, computed through the query layer once per
    version of the store (call :meth:`invalidate` after a load)."""

    def __init__(self, graph: CatalogGraph, base: str | None = None):
        self.graph = graph
        self.base = base or getattr(graph, "base", None) or base_iri()
        self._hidden: frozenset[str] | None = None
        self._by_kind: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._hidden = None
            self._by_kind = {}

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
            return self._hidden

    def of_kind(self, kind: str) -> frozenset[str]:
        self.hidden()
        return self._by_kind.get(kind, frozenset())

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


@dataclass(frozen=True)
class ListPage(Page):
    cursors: list[str] = field(default_factory=list)  # one per item, for Relay edges


def _enc(layer_cursor: str | None, skip: int) -> str:
    raw = json.dumps([layer_cursor, skip], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _dec(cursor: str | None) -> tuple[str | None, int]:
    if not cursor:
        return None, 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        layer, skip = json.loads(raw)
        if (layer is None or isinstance(layer, str)) and isinstance(skip, int) and skip >= 0:
            return layer, skip
    except (ValueError, TypeError):
        pass
    raise QueryError(f"无效的游标：{cursor!r}", f"invalid cursor: {cursor!r}", "BAD_CURSOR")


class PolicyGraph(CatalogGraph):
    """The engine as one caller may see it."""

    def __init__(self, inner: CatalogGraph, *, persons: bool, phones: bool, classified: bool,
                 restrictions: Restrictions):
        self.inner = inner
        self.engine = inner.engine
        self.persons = persons
        self.phones = phones
        self.classified = classified
        self.restrictions = restrictions
        self._drop = (() if persons else PERSON_FIELDS) + (() if phones else PHONE_FIELDS)

    # -- the policy -----------------------------------------------------------------------
    @property
    def hidden(self) -> frozenset[str]:
        return frozenset() if self.classified else self.restrictions.hidden()

    @property
    def dropped_fields(self) -> tuple[str, ...]:
        """The personal-data and phone fields this caller may not see (Entity.fields names)."""
        return self._drop

    def visible(self, iri: str | None) -> bool:
        return iri is not None and (self.classified or iri not in self.restrictions.hidden())

    def entity(self, e: Entity | None) -> Entity | None:
        """The entity as this caller may see it, or None when it is hidden."""
        if e is None or not self.visible(e.iri):
            return None
        if self._drop and any(f in e.fields for f in self._drop):
            return replace(e, fields={k: v for k, v in e.fields.items() if k not in self._drop})
        return e

    def _must(self, e: Entity, node: str) -> Entity:
        out = self.entity(e)
        if out is None:
            raise not_found(node)
        return out

    def _all(self, entities: list[Entity]) -> list[Entity]:
        return [x for x in (self.entity(e) for e in entities) if x is not None]

    def check_filters(self, filters: dict[str, str] | None) -> None:
        """Refuse filters on fields the caller may not see (they would be an oracle)."""
        for f in filters or {}:
            if f in self._drop:
                raise QueryError(f"无权按字段 {f} 筛选", f"not allowed to filter on {f}",
                                 "BAD_FILTER")

    # -- lookups and listings -------------------------------------------------------------
    def candidates(self, code: str) -> list[Entity]:
        return self._all(self.inner.candidates(code))

    def _node(self, node: str) -> str:
        """A bare code resolved among the entities this caller may see (a hidden namesake is
        neither a match nor a reason for AMBIGUOUS); anything else passes through."""
        if isinstance(node, str) and node.strip() and ":" not in node:
            return one_candidate(node.strip(), self.candidates(node.strip()))
        return node

    def get(self, node: str) -> Entity:
        node = self._node(node)
        try:
            e = self.inner.get(node)
        except NotFound:
            raise not_found(node) from None
        return self._must(e, node)

    def get_many(self, iris: list[str]) -> dict[str, Entity]:
        found = self.inner.get_many([i for i in iris if self.visible(i)])
        return {k: v for k, v in ((k, self.entity(v)) for k, v in found.items()) if v is not None}

    def related(self, iris: list[str], predicate: str, inverse: bool = False
                ) -> dict[str, list[str]]:
        asked = [i for i in iris if self.visible(i)]
        out = self.inner.related(asked, predicate, inverse) if asked else {}
        return {k: [t for t in v if self.visible(t)] for k, v in out.items()}

    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> ListPage:
        """A page of visible entities. Cursors are this layer's own (they remember how many
        visible entities of a layer page were already served), so pages stay exact when some
        entities are hidden."""
        if not 0 < first <= MAX_PAGE:
            raise QueryError(f"first 应在 1 到 {MAX_PAGE} 之间", f"first must be 1..{MAX_PAGE}",
                             "BAD_ARGUMENT")
        self.check_filters(filters)
        layer_after, skip = _dec(after)
        hidden = self.hidden
        items: list[Entity] = []
        cursors: list[str] = []
        page = None
        while len(items) < first:
            start = layer_after
            page = self.inner.list(kind, filters=filters, text=text,
                                   first=min(MAX_PAGE, first - len(items) + skip), after=start)
            served = 0
            for e in page.items:
                v = self.entity(e)
                if v is None:
                    continue
                served += 1
                if served <= skip:
                    continue
                items.append(v)
                cursors.append(_enc(start, served))
            skip = 0
            layer_after = page.end_cursor
            if not page.has_next or page.end_cursor is None:
                break
        if page is None:  # the loop above runs at least once
            raise RuntimeError("no page was read")
        has_next = bool(page.has_next and page.end_cursor is not None)
        end = _enc(page.end_cursor, 0) if has_next else (cursors[-1] if cursors else None)
        if cursors and has_next:
            cursors[-1] = end
        total = page.total - self._hidden_matching(kind, filters, text) if hidden else page.total
        return ListPage(items, max(total, 0), end if has_next else None, has_next, cursors)

    def _hidden_matching(self, kind: str, filters: dict[str, str] | None,
                         text: str | None) -> int:
        """How many hidden entities of ``kind`` the layer counted in a listing's total."""
        hidden = self.restrictions.of_kind(kind)
        if not hidden:
            return 0
        if not filters and not text:
            return len(hidden)
        n = 0
        for e in self.inner.get_many(sorted(hidden)).values():
            t = (text or "").lower()
            if t and t not in (e.label or "").lower() and not any(
                    t in s.lower() for s in e.fields.get("altLabel", []) or []):
                continue
            if all(_matches(e.fields.get(k), v) for k, v in (filters or {}).items()):
                n += 1
        return n

    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20
               ) -> list[Entity]:
        if not self.hidden:
            return self._all(self.inner.search(text, kinds=kinds, first=first))
        # ask for a few more than needed; if hidden hits ate into them, ask for a full page
        n = min(MAX_PAGE, first * 2 + 10)
        found = self.inner.search(text, kinds=kinds, first=n)
        visible = self._all(found)
        if len(visible) < first and len(found) == n < MAX_PAGE:
            visible = self._all(self.inner.search(text, kinds=kinds, first=MAX_PAGE))
        return visible[:first]

    # -- the questions --------------------------------------------------------------------
    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None, evidence: Evidence = Evidence.ANY) -> Lineage:
        node = self._node(node)
        lin = self._call(node, lambda: self.inner.lineage(node, direction, depth, granularity,
                                                          first=first, after=after,
                                                          evidence=evidence))
        root = self._must(lin.root, node)
        hidden = self.hidden
        if not hidden and not self._drop:
            return lin
        nodes = []
        for n in lin.nodes:
            e = self.entity(n.entity)
            if e is None:
                continue
            nodes.append(replace(n, entity=e, paths=[p for p in n.paths
                                                     if not any(i in hidden for i in p)]))
        edges = [e for e in lin.edges if e.source not in hidden and e.target not in hidden
                 and (e.via is None or e.via not in hidden)]
        reached = {e.source for e in lin.edges} | {e.target for e in lin.edges}
        gone = len((reached - {lin.root.iri}) & hidden)
        cycles = [c for c in lin.cycles if not any(i in hidden for i in c)]
        return replace(lin, root=root, nodes=nodes, edges=edges, cycles=cycles,
                       total_nodes=max(lin.total_nodes - gone, len(nodes)))

    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE,
                      evidence: Evidence = Evidence.ANY) -> int:
        node = self._node(node)
        if not self.hidden:
            self.get(node)
            return self.inner.lineage_count(node, direction, depth, granularity, evidence)
        return self.lineage(node, direction, depth, granularity, evidence=evidence).total_nodes

    def trace_source(self, node: str, evidence: Evidence = Evidence.ANY) -> Trace:
        node = self._node(node)
        tr = self._call(node, lambda: self.inner.trace_source(node, evidence))
        out = self._trace(tr)
        if out is None:
            raise not_found(node)
        return out

    def _trace(self, tr: Trace) -> Trace | None:
        start = self.entity(tr.start)
        if start is None:
            return None
        hops: list[Hop] = []
        for h in tr.hops:
            item, res = self.entity(h.item), self.entity(h.resource)
            if item is None or res is None:
                last = hops[-1].item.iri if hops else None
                return Trace(start, hops, False,
                             "后续环节涉及涉密数据，无权查看 / the rest of the chain is classified "
                             "and not shown to you", last, "RESTRICTED")
            hops.append(replace(h, item=item, resource=res, department=self.entity(h.department),
                                system=self.entity(h.system),
                                responsibilities=self._all(h.responsibilities)))
        subs = [x for x in (self._trace(t) for t in tr.item_traces) if x is not None]
        return replace(tr, start=start, hops=hops, item_traces=subs)

    def _candidate(self, c: Candidate) -> Candidate | None:
        item, res = self.entity(c.item), self.entity(c.resource)
        if item is None or res is None:
            return None
        return Candidate(item, res, self.entity(c.department), self.entity(c.system))

    def _resolution(self, r: SourceResolution) -> SourceResolution:
        cands = [x for x in (self._candidate(c) for c in r.candidates) if x is not None]
        return replace(r, element=self.entity(r.element) or r.element,
                       designated_department=self.entity(r.designated_department),
                       candidates=cands)

    def resolve_source(self, element: str) -> SourceResolution:
        return self._resolution(self._call(element, lambda: self.inner.resolve_source(element)))

    def one_source_report(self, department: str | None = None) -> OneSourceReport:
        rep = self._call(department or "", lambda: self.inner.one_source_report(department))
        if department is not None:
            self._must(rep.department, department) if rep.department else None
        hidden = self.hidden
        recs: list[Recollection] = []
        for r in rep.recollections:
            item, auth = self.entity(r.item), self.entity(r.authoritative_item)
            if item is None or auth is None:
                continue
            recs.append(replace(r, item=item, authoritative_item=auth,
                                element=self.entity(r.element) or r.element,
                                expected_path=[i for i in r.expected_path if i not in hidden]))
        counts = dict(rep.counts)
        if "RECOLLECTION" in counts:
            counts["RECOLLECTION"] = len(recs)
        return replace(rep, department=self.entity(rep.department),
                       resolutions=[self._resolution(r) for r in rep.resolutions],
                       recollections=recs, counts=counts)

    def impact(self, node: str, depth: int = 5, evidence: Evidence = Evidence.ANY) -> Impact:
        node = self._node(node)
        imp = self._call(node, lambda: self.inner.impact(node, depth, evidence))
        return replace(imp, root=self._must(imp.root, node), resources=self._all(imp.resources),
                       items=self._all(imp.items), systems=self._all(imp.systems),
                       departments=self._all(imp.departments),
                       responsibilities=self._all(imp.responsibilities))

    @staticmethod
    def _call(node: str, fn):
        try:
            return fn()
        except NotFound:
            raise not_found(node) from None


def _matches(value: object, wanted: str) -> bool:
    if isinstance(value, list):
        return any(_matches(v, wanted) for v in value)
    if isinstance(value, bool):
        return wanted.lower() in (("true", "是") if value else ("false", "否"))
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value == wanted or code_of(value) == wanted
    return value is not None and str(value) == wanted


def visible_triples(policy: PolicyGraph, triples):
    """The triples of an RDF export this caller may see: none about or pointing at a hidden
    entity, none holding personal data it may not see."""
    from ontology.namespaces import YS

    hidden = policy.hidden
    dropped = {YS + f for f in policy.dropped_fields}
    for t in triples:
        if t.predicate.value in dropped or t.subject.value in hidden:
            continue
        if getattr(t.object, "value", None) in hidden and type(t.object).__name__ == "NamedNode":
            continue
        yield t
