"""The engine contract: the primitives an engine implements (each a *batched* read, one
database round trip for a whole set of IRIs), the rows they answer with, node resolution, and the
argument checks every question shares. The questions are answered once, engine-independently, on
top of it: :mod:`graph.listings` (one entity, listings, search), :mod:`graph.lineage`,
:mod:`graph.trace`, :mod:`graph.one_source`, :mod:`graph.impact`; :class:`graph.base.CatalogGraphBase`
puts them together.

Conventions every primitive follows:

- IRIs are plain ``str``. An entity *exists* when it has one of the eight Yishu classes
  (``rdf:type ys:Department`` … / a node with that label in Neo4j). Primitives never return
  IRIs of entities that do not exist (dangling references are the audits' business, LIN-002),
  except where a docstring says "raw".
- Lists returned are sorted as documented (IRIs by plain ``str`` order); duplicates removed.
- Input collections may be empty (then return an empty result without a round trip) and may
  hold IRIs that do not exist (they simply produce nothing).
- Primitives raise nothing for unknown IRIs; the questions raise NotFound / QueryError.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

from graph import cursors
from graph.iris import item_iri, mint
from graph.model import (
    SENSITIVITY_RANK,
    Edge,
    Entity,
)
from graph.query import (
    ENTITY_KINDS,
    MAX_DEPTH,
    MAX_PAGE,
    CatalogGraph,
    QueryError,
    one_candidate,
)
from ontology.fields import FIELDS as DECLARED_FIELDS
from ontology.kinds import KINDS as DECLARED_KINDS

__all__ = [
    "EngineContract", "Hit", "ItemRow", "FieldSpec", "FIELDS", "CLASS_OF", "KIND_OF_CLASS",
    "REF_PREDICATES", "EDGE_ENDPOINTS", "MAX_CYCLES", "MAX_TRACE_HOPS",
    "check_depth", "check_first", "enum_arg", "rank", "best_rows", "element_rows",
]

MAX_CYCLES = 100  # cycles reported per lineage answer (the first ones in sorted order)
MAX_TRACE_HOPS = 64  # a source chain longer than this stops with MAX_HOPS
_CYCLE_SCAN = 2000  # simple cycles enumerated before sorting and cutting to MAX_CYCLES
_SENS_LEVELS = 200  # safety bound on upstream levels walked for sensitivity propagation


# ------------------------------------------------------------------------------------------
# Field catalogue (from the template spec), shared by both engines
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    name: str  # local name of the predicate = key in Entity.fields
    pred: str  # full predicate IRI
    cell: str  # template cell kind: text, ref, refs, enum, bool, list, date, datetime, int, region
    multi: bool  # refs/list: value is a sorted list
    target: str | None  # ref/refs: entity kind referenced; enum: scheme name



# kind -> its fields, from the one declaration (ontology.fields)
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    kind: tuple(FieldSpec(f.name, f.pred, f.value, f.many, f.target) for f in fields)
    for kind, fields in DECLARED_FIELDS.items()
}
CLASS_OF: dict[str, str] = {k.code: k.cls for k in DECLARED_KINDS}  # kind -> class IRI
KIND_OF_CLASS: dict[str, str] = {v: k for k, v in CLASS_OF.items()}
# local name -> predicate IRI, for every reference column (what ``related`` navigates)
REF_PREDICATES: dict[str, str] = {
    fs.name: fs.pred for specs in FIELDS.values() for fs in specs if fs.cell in ("ref", "refs")
}
# edge type -> (kind of source, kind of target)
EDGE_ENDPOINTS: dict[str, tuple[str, str]] = {
    "DERIVED_FROM": ("resource", "resource"),
    "ITEM_DERIVED_FROM": ("item", "item"),
    "HAS_ITEM": ("resource", "item"),
    "FLOW": ("resource", "resource"),
    "FLOW_TO_SYSTEM": ("resource", "system"),
    "FLOW_TO_DEPARTMENT": ("resource", "department"),
    "SOURCE_SYSTEM": ("system", "resource"),
    "PRODUCES": ("responsibility", "resource"),
    "PROVIDES": ("department", "resource"),
    "OBSERVED_DERIVED_FROM": ("resource", "resource"),
    "OBSERVED_ITEM_DERIVED_FROM": ("item", "item"),
}


@dataclass(frozen=True)
class Hit:
    """A light search/list hit (no fields)."""

    kind: str
    iri: str
    code: str
    label: str | None
    synonyms: tuple[str, ...] = ()  # data elements' altLabels, sorted; () for other kinds


@dataclass(frozen=True)
class ItemRow:
    """What the one-source logic needs to know about one information item."""

    item: str  # IRI
    resource: str | None  # ys:inResource (IRI, raw)
    element: str | None  # ys:carries (IRI, raw)
    authoritative: bool  # ys:authoritative true; absent = False
    taken_from: str | None  # ys:takenFrom (IRI, raw)
    provider: str | None  # the resource's ys:provider (IRI, raw)


# ------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------
def _row_order(r: ItemRow) -> tuple:
    return (r.resource or "", r.element or "", not r.authoritative, r.taken_from or "",
            r.provider or "")


def best_rows(rows: Iterable[ItemRow], key: Callable[[ItemRow], Hashable]) -> dict:
    """One row per ``key(row)`` even if a predicate repeats (bad data): keep the smallest values."""
    best: dict = {}
    for row in rows:
        k = key(row)
        prev = best.get(k)
        best[k] = row if prev is None else min(prev, row, key=_row_order)
    return best


def element_rows(rows: Iterable[ItemRow]) -> list[ItemRow]:
    """The best row per (item, element), sorted by item and element: an engine's
    ``_element_items``."""
    best = best_rows(rows, key=lambda r: (r.item, r.element))
    return sorted(best.values(), key=lambda r: (r.item, r.element or ""))


def rank(level: str | None) -> int:
    return SENSITIVITY_RANK.get(level or "", 0)


def check_depth(depth: int) -> None:
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= MAX_DEPTH:
        raise QueryError(f"深度须为 0 到 {MAX_DEPTH} 的整数：{depth!r}",
                         f"depth must be an integer from 0 to {MAX_DEPTH}: {depth!r}",
                         "BAD_DEPTH")


def check_first(first: int | None, *, allow_none: bool) -> None:
    if first is None and allow_none:
        return
    if (not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_PAGE):
        raise QueryError(f"first 须为 1 到 {MAX_PAGE} 的整数：{first!r}",
                         f"first must be an integer from 1 to {MAX_PAGE}: {first!r}",
                         "BAD_ARGUMENT")


def enum_arg(value: object, cls: type, what: str):
    try:
        return cls(value)
    except ValueError as e:
        allowed = ", ".join(m.value for m in cls)
        raise QueryError(f"无效的{what}：{value!r}（可选 {allowed}）",
                         f"invalid {what}: {value!r} (one of {allowed})", "BAD_ARGUMENT") from e



class EngineContract(CatalogGraph):
    """The primitives and node resolution. Subclasses set ``engine`` and ``base`` (the IRI base
    used to mint IRIs from ``kind:code``) and implement the abstract primitives."""

    base: str

    # ====================================================================================
    # Engine primitives (the only things an engine implements)
    # ====================================================================================
    @abstractmethod
    def _entities(self, iris: Collection[str]) -> dict[str, Entity]:
        """Full entities for the IRIs that exist; IRI -> Entity (absent when unknown).

        ``kind`` from the entity's class (CLASS_OF); ``code`` = dcterms:identifier; ``label``
        = rdfs:label (None if absent); ``fields`` exactly as documented on
        :class:`graph.model.Entity`, using FIELDS[kind] (predicate, multi, enum scheme): enums
        map concept IRIs back to the Chinese value (ontology.codelists; an unknown concept
        keeps its IRI), refs are IRIs (raw: the target need not exist), lists sorted."""

    def _edges(self, iris: Collection[str], types: Collection[str], upstream: bool) -> list[Edge]:
        """One hop of the lineage graph, for a whole BFS level at once.

        Returns every edge of a type in ``types`` whose *target* is in ``iris`` (``upstream``
        True) or whose *source* is in ``iris`` (``upstream`` False); both endpoints must exist.
        Edges point the way data moves (model.EDGE_TYPES); for each type, in RDF terms:

        - DERIVED_FROM (u → r): r ys:derivedFrom u (u, r DataResource)
        - ITEM_DERIVED_FROM (u → i): i ys:takenFrom R, and u is an upstream item of i: u
          ys:inResource R and — if i ys:carries e and some item of R carries e — u carries e;
          otherwise u has the same rdfs:label as i. (Several u possible; all returned.)
        - HAS_ITEM (r → i): i ys:inResource r
        - FLOW (s → t, via f): f ys:flowOf s; f ys:targetResource t (s, t DataResource)
        - FLOW_TO_SYSTEM (s → y, via f): f ys:flowOf s; f ys:targetSystem y
        - FLOW_TO_DEPARTMENT (s → d, via f): f ys:flowOf s; f ys:targetDepartment d
        - SOURCE_SYSTEM (y → r): r ys:sourceSystem y, r a DataResource (flows also use
          ys:sourceSystem; those are not edges)
        - PRODUCES (p → r): p ys:produces r
        - PROVIDES (d → r): r ys:provider d

        ``via`` is the flow IRI for FLOW* edges, None otherwise. Sorted, no duplicates.

        A template method: the types that are not edge types are dropped, nothing asked is
        nothing answered (no round trip), and the answer is sorted here; the engine's own
        query is :meth:`_find_edges`."""
        known = sorted(t for t in set(types) if t in EDGE_ENDPOINTS)
        if not known or not iris:
            return []
        return sorted(self._find_edges(iris, known, upstream))

    @abstractmethod
    def _find_edges(self, iris: Collection[str], types: list[str], upstream: bool) -> set[Edge]:
        """The engine's query behind :meth:`_edges`: the edges of ``types`` (known edge types,
        sorted, at least one; the list is the callee's own) at ``iris`` (at least one)."""

    @abstractmethod
    def _related(self, iris: Collection[str], predicate: str, inverse: bool) -> dict[str, list[str]]:
        """For each IRI in ``iris`` (every one is a key), the sorted existing entities ``x``
        with ``iri <predicate> x`` (or ``x <predicate> iri`` when ``inverse``). ``predicate``
        is a key of REF_PREDICATES (already validated)."""

    @abstractmethod
    def _match(self, kinds: Collection[str], filters: dict[str, object],
               text: str | None) -> list[Hit]:
        """Entities of the given kinds whose fields equal every filter and, when ``text`` is
        given, whose code, label or one of whose synonyms (elements' altLabel) contains
        ``text`` case-insensitively (both sides lower-cased). Filters are FIELDS names with
        values already in Entity.fields form (enum: Chinese value; ref/refs: IRI; bool; int;
        others str); for multi-valued fields, the value must be one of the values. Sorted by
        (kind, code)."""

    @abstractmethod
    def _lookup_element(self, text: str) -> list[tuple[str, str]]:
        """Data elements matching ``text`` exactly: (IRI, how) with how ``"code"``
        (dcterms:identifier), ``"name"`` (rdfs:label) or ``"synonym"`` (skos:altLabel); one
        pair per (element, how); sorted by (code < name < synonym, IRI)."""

    @abstractmethod
    def _item_rows(self, items: Collection[str]) -> dict[str, ItemRow]:
        """ItemRow for each existing information item in ``items`` (carrying an element or
        not); IRI -> row."""

    @abstractmethod
    def _element_items(self, elements: Collection[str] | None = None,
                       department: str | None = None) -> list[ItemRow]:
        """ItemRows of the items that carry a data element (ys:carries, raw), restricted to
        elements in ``elements`` when given and to items whose resource's ys:provider is
        ``department`` when given. Sorted by item IRI."""

    @abstractmethod
    def _used_elements(self, department: str | None = None) -> list[str]:
        """Sorted IRIs of existing data elements that are *used*: carried by an item
        (ys:carries) or needed by a responsibility (ys:needsElement). With ``department``:
        only those used elements that are designated to it (ys:authoritativeDepartment), or
        carried by an item of a resource it provides, or needed by a responsibility it
        implements (ys:implementedBy)."""

    @abstractmethod
    def _sensitivities(self, iris: Collection[str]) -> dict[str, str | None]:
        """Effective 敏感级别 (Chinese value) for each existing resource or item in ``iris``:
        a resource's ys:sensitivity; an item's own ys:sensitivity, else its resource's; None
        when absent. Other kinds map to None."""

    # -- optional, with a correct default ------------------------------------------------
    def _codes(self, kind: str) -> list[tuple[str, str]]:
        """(code, IRI) of every entity of ``kind`` that has a code, sorted. Engines may answer
        it more cheaply than :meth:`_match` (which also fetches names and synonyms)."""
        return sorted((h.code, h.iri) for h in self._match([kind], {}, None))

    def _generation(self) -> object | None:
        """A token that changes whenever the data may have changed (compared with ``==``), or
        None when the engine cannot tell: then nothing is cached."""
        return None

    def _catalog_generation(self) -> object | None:
        """Like :meth:`_generation`, but only for the catalog's entities (their kinds, codes,
        names, synonyms and fields): those change with a load or a removal, never with an
        append, which adds observed lineage, workflow steps or usage about them but no entity
        nor field of one (tests/query/test_generation.py). Listings, their cursors and the
        search index key on it, so a clerk filing a request or a job reporting a run does not
        break someone's paging nor throw away the search index."""
        return self._generation()

    def _scope(self) -> str:
        """Which view of the catalog answers (graph.view: a digest of what it hides); bound into
        every cursor's signature, so a cursor of one view is refused by another."""
        return ""

    def _cursor(self, offset: int, *question: object, catalog: bool = False) -> str:
        """A signed cursor for ``question``; ``catalog``: the answer depends on the catalog's
        entities only (:meth:`_catalog_generation`), not on what appends add."""
        return cursors.encode(offset, cursors.question_digest(self._scope(), *question),
                              self._catalog_generation() if catalog else self._generation())

    def _offset(self, cursor: str, *question: object, catalog: bool = False) -> int:
        return cursors.decode(cursor, cursors.question_digest(self._scope(), *question),
                              self._catalog_generation() if catalog else self._generation())

    def _listing(self, kind: str) -> list[tuple[str, str]]:
        """:meth:`_codes`, cached per kind for as long as :meth:`_generation` stays the same:
        paging through an unfiltered listing then costs one read of the codes, not one per
        page (209,792 city items: 3–5 s on disk, then microseconds per page)."""
        token = self._catalog_generation()
        cache: dict[str, tuple[object, list[tuple[str, str]]]] = self.__dict__.setdefault(
            "_listing_cache", {})
        hit = cache.get(kind)
        if token is not None and hit is not None and hit[0] == token:
            return hit[1]
        keys = self._codes(kind)
        if token is not None:
            cache[kind] = (token, keys)
        return keys

    # ====================================================================================
    # Node resolution
    # ====================================================================================
    def iri_of(self, node: str) -> str:
        """IRI from an IRI or ``kind:code`` (items: ``item:<resource code>/<item name>``)."""
        if not isinstance(node, str) or not node.strip():
            raise QueryError("节点不能为空", "node must be a non-empty string", "BAD_ARGUMENT")
        if node.startswith(("http://", "https://", "urn:")):
            return node
        kind, sep, code = node.partition(":")
        if not sep or not code:
            return self._bare_code(node.strip())
        if kind not in ENTITY_KINDS:
            raise QueryError(f"未知的类型：{kind}（可选 {', '.join(ENTITY_KINDS)}）",
                             f"unknown kind: {kind} (one of {', '.join(ENTITY_KINDS)})",
                             "BAD_KIND")
        if kind == "item":
            res, sep, name = code.partition("/")
            if not sep or not res or not name:
                raise QueryError(f"信息项编码须为 资源代码/信息项名称：{code}",
                                 f"an item code is <resource code>/<item name>: {code}",
                                 "BAD_ARGUMENT")
            return item_iri(res, name, self.base)
        return mint(kind, code, self.base)

    def candidates(self, code: str) -> list[Entity]:
        """Every entity whose code is ``code`` (any kind), by IRI: how a bare code such as
        ``R-JD-01`` is resolved. An item's code is ``<resource code>/<item name>``."""
        iris = [mint(kind, code, self.base) for kind in ENTITY_KINDS if kind != "item"]
        res, sep, name = code.partition("/")
        if sep and res and name:
            iris.append(item_iri(res, name, self.base))
        found = self._entities(iris)
        return [found[i] for i in sorted(found)]

    def _bare_code(self, code: str) -> str:
        return one_candidate(code, self.candidates(code))

    def _root(self, node: str, kinds: Sequence[str]) -> Entity:
        ent = self.get(node)
        if ent.kind not in kinds:
            raise QueryError(f"此问题不适用于{ent.kind}：{node}（可用 {', '.join(kinds)}）",
                             f"this question does not apply to a {ent.kind}: {node} "
                             f"(use one of {', '.join(kinds)})", "BAD_KIND")
        return ent

