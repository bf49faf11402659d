"""Engine-independent query logic, written once over a small set of engine primitives.

:class:`CatalogGraphBase` implements every public method of :class:`graph.query.CatalogGraph`
(breadth-first lineage with depth, shortest paths, cycles, cut detection, sensitivity
propagation, cursors, sorting, trace assembly, one-source classification, impact). An engine
subclasses it and implements only the primitives in the "engine primitives" section below —
each is a *batched* read: one database round trip for a whole set of IRIs.

Conventions every primitive follows:

- IRIs are plain ``str``. An entity *exists* when it has one of the eight Yishu classes
  (``rdf:type ys:Department`` … / a node with that label in Neo4j). Primitives never return
  IRIs of entities that do not exist (dangling references are the audits' business, LIN-002),
  except where a docstring says "raw".
- Lists returned are sorted as documented (IRIs by plain ``str`` order); duplicates removed.
- Input collections may be empty (then return an empty result without a round trip) and may
  hold IRIs that do not exist (they simply produce nothing).
- Primitives raise nothing for unknown IRIs; the base raises NotFound / QueryError.
"""

from __future__ import annotations

import base64
import bisect
import json
from abc import abstractmethod
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from graph.iris import item_iri, mint
from graph.model import (
    SENSITIVITY_RANK,
    Candidate,
    Direction,
    Edge,
    Entity,
    Evidence,
    Granularity,
    Hop,
    Impact,
    Lineage,
    LineageNode,
    OneSourceReport,
    Page,
    Recollection,
    SourceResolution,
    SourceStatus,
    Trace,
)
from graph.query import (
    ENTITY_KINDS,
    LINEAGE_KINDS,
    MAX_DEPTH,
    MAX_PAGE,
    CatalogGraph,
    NotFound,
    QueryError,
    one_candidate,
)
from loaders.spec import FILES
from ontology.namespaces import DCTERMS, RDFS

__all__ = [
    "CatalogGraphBase", "Hit", "ItemRow", "FieldSpec", "FIELDS", "CLASS_OF", "KIND_OF_CLASS",
    "REF_PREDICATES", "EDGE_ENDPOINTS", "MAX_CYCLES", "MAX_TRACE_HOPS",
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


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_FILE_KIND = {f.file: f.kind for f in FILES}
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    f.kind: tuple(
        FieldSpec(_local(c.pred), c.pred, c.kind, c.kind in ("refs", "list"),
                  _FILE_KIND.get(c.target or "", c.target) if c.kind in ("ref", "refs")
                  else c.target)
        for c in f.columns
        if c.pred is not None and c.pred not in (DCTERMS + "identifier", RDFS + "label")
    )
    for f in FILES
}
CLASS_OF: dict[str, str] = {f.kind: f.cls for f in FILES}  # kind -> class IRI
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
def _encode_cursor(key: object) -> str:
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> object:
    try:
        pad = "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(cursor + pad).decode())
    except (ValueError, UnicodeDecodeError) as e:
        raise QueryError(f"无效的分页游标：{cursor}", f"invalid cursor: {cursor}",
                         "BAD_CURSOR") from e


def _rank(level: str | None) -> int:
    return SENSITIVITY_RANK.get(level or "", 0)


def _check_depth(depth: int) -> None:
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= MAX_DEPTH:
        raise QueryError(f"深度须为 0 到 {MAX_DEPTH} 的整数：{depth!r}",
                         f"depth must be an integer from 0 to {MAX_DEPTH}: {depth!r}",
                         "BAD_DEPTH")


def _check_first(first: int | None, *, allow_none: bool) -> None:
    if first is None and allow_none:
        return
    if (not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_PAGE):
        raise QueryError(f"first 须为 1 到 {MAX_PAGE} 的整数：{first!r}",
                         f"first must be an integer from 1 to {MAX_PAGE}: {first!r}",
                         "BAD_ARGUMENT")


def _enum(value: object, cls: type, what: str):
    try:
        return cls(value)
    except ValueError as e:
        allowed = ", ".join(m.value for m in cls)
        raise QueryError(f"无效的{what}：{value!r}（可选 {allowed}）",
                         f"invalid {what}: {value!r} (one of {allowed})", "BAD_ARGUMENT") from e


# ------------------------------------------------------------------------------------------
# Walks
# ------------------------------------------------------------------------------------------
_UP_RESOURCE = frozenset({"DERIVED_FROM", "FLOW", "SOURCE_SYSTEM", "PRODUCES", "PROVIDES"})
_DOWN_RESOURCE = frozenset({"DERIVED_FROM", "FLOW", "FLOW_TO_SYSTEM", "FLOW_TO_DEPARTMENT"})
_ANCHOR = {"department": "PROVIDES", "system": "SOURCE_SYSTEM", "responsibility": "PRODUCES"}
_INFLOW = {"department": "FLOW_TO_DEPARTMENT", "system": "FLOW_TO_SYSTEM"}
Rule = tuple[frozenset[str], bool]  # (edge types, upstream?)
_PROPAGATES = frozenset({"DERIVED_FROM", "ITEM_DERIVED_FROM"})  # sensitivity travels along


def _propagating(evidence: Evidence) -> frozenset[str]:
    return with_evidence(_PROPAGATES, evidence)


# Evidence: the declared lineage edges and their observed counterparts (OpenLineage); the other
# edge types (an item in its resource, a provider, a source system, a producing responsibility)
# are catalog facts that every evidence follows.
_OBSERVED_OF = {"DERIVED_FROM": "OBSERVED_DERIVED_FROM",
                "ITEM_DERIVED_FROM": "OBSERVED_ITEM_DERIVED_FROM"}
_DECLARED_OF = {v: k for k, v in _OBSERVED_OF.items()}
_DECLARED_ONLY = frozenset({"DERIVED_FROM", "ITEM_DERIVED_FROM", "FLOW", "FLOW_TO_SYSTEM",
                            "FLOW_TO_DEPARTMENT"})


def with_evidence(types: frozenset[str], evidence: Evidence) -> frozenset[str]:
    """The edge types a rule follows under ``evidence``."""
    if evidence is Evidence.DECLARED:
        return types
    observed = frozenset(_OBSERVED_OF[t] for t in types if t in _OBSERVED_OF)
    if evidence is Evidence.OBSERVED:
        return (types - _DECLARED_ONLY) | observed
    return types | observed


def merge_evidence(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per (source, target, declared type, via) with its evidence: an observed edge
    takes its declared type's name and, beside a declared twin, becomes BOTH."""
    out: dict[tuple, set[str]] = defaultdict(set)
    for e in edges:
        declared = _DECLARED_OF.get(e.type)
        key = (e.source, e.target, declared or e.type, e.via)
        out[key].add("OBSERVED" if declared else "DECLARED")
    return sorted(Edge(s, t, ty, via, "BOTH" if len(ev) == 2 else next(iter(ev)))
                  for (s, t, ty, via), ev in out.items())


def lineage_rules(kind: str, is_root: bool, up: bool, gran: Granularity) -> list[Rule]:
    """Which edges a node of ``kind`` is expanded along (docs/queries.md, "Lineage")."""
    if gran is Granularity.RESOURCE:
        if kind == "resource":
            return [(_UP_RESOURCE, True)] if up else [(_DOWN_RESOURCE, False)]
        if not is_root:
            return []  # systems, departments, responsibilities, items reached are leaves
        if kind == "item":
            return [(frozenset({"HAS_ITEM"}), True)]
        rules: list[Rule] = [(frozenset({_ANCHOR[kind]}), False)]
        if up and kind in _INFLOW:
            rules.append((frozenset({_INFLOW[kind]}), True))
        return rules
    if kind == "item":
        return [(frozenset({"ITEM_DERIVED_FROM"}), up)]
    if kind == "resource":
        return [(frozenset({"HAS_ITEM"}), False)]
    if is_root:
        return [(frozenset({_ANCHOR[kind]}), False)]
    return []


@dataclass
class _Walk:
    root: str
    depth_of: dict[str, int]
    kind_of: dict[str, str]
    preds: dict[str, set[str]]
    edges: set[Edge]
    truncated: bool
    paths: dict[str, list[list[str]]] = field(default_factory=dict)
    # node -> its DERIVED_FROM / ITEM_DERIVED_FROM in-edges, for every node the walk expanded
    # upstream along that type (reused by sensitivity propagation instead of asking again)
    known_up: dict[str, list[Edge]] = field(default_factory=dict)

    def compute_paths(self) -> None:
        paths: dict[str, list[list[str]]] = {self.root: [[self.root]]}
        for node in sorted(self.depth_of, key=lambda n: (self.depth_of[n], n)):
            if node == self.root:
                continue
            cands = sorted(p + [node] for pr in self.preds[node] for p in paths.get(pr, []))
            paths[node] = cands[:3]
        self.paths = paths


# ------------------------------------------------------------------------------------------
# The base class
# ------------------------------------------------------------------------------------------
class CatalogGraphBase(CatalogGraph):
    """Everything but the primitives. Subclasses set ``engine`` and ``base`` (the IRI base used
    to mint IRIs from ``kind:code``) and implement the abstract primitives."""

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

    @abstractmethod
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

        ``via`` is the flow IRI for FLOW* edges, None otherwise. Sorted, no duplicates."""

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

    def _listing(self, kind: str) -> list[tuple[str, str]]:
        """:meth:`_codes`, cached per kind for as long as :meth:`_generation` stays the same:
        paging through an unfiltered listing then costs one read of the codes, not one per
        page (209,792 city items: 3–5 s on disk, then microseconds per page)."""
        token = self._generation()
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

    # ====================================================================================
    # Lookups and listings
    # ====================================================================================
    def get(self, node: str) -> Entity:
        iri = self.iri_of(node)
        ent = self._entities([iri]).get(iri)
        if ent is None:
            raise NotFound(node)
        return ent

    def get_many(self, iris: list[str]) -> dict[str, Entity]:
        return self._entities(sorted(set(iris)))

    def related(self, iris: list[str], predicate: str, inverse: bool = False) -> dict[str, list[str]]:
        if predicate not in REF_PREDICATES:
            raise QueryError(f"未知的关系：{predicate}", f"unknown predicate: {predicate} (one of "
                             f"{', '.join(sorted(REF_PREDICATES))})", "BAD_ARGUMENT")
        uniq = sorted(set(iris))
        out = self._related(uniq, predicate, inverse)
        return {i: out.get(i, []) for i in uniq}

    def _check_kind(self, kind: str) -> None:
        if kind not in ENTITY_KINDS:
            raise QueryError(f"未知的类型：{kind}（可选 {', '.join(ENTITY_KINDS)}）",
                             f"unknown kind: {kind} (one of {', '.join(ENTITY_KINDS)})",
                             "BAD_KIND")

    def _normalise_filters(self, kind: str, filters: dict[str, str] | None) -> dict[str, object]:
        from ontology.codelists import SCHEMES

        out: dict[str, object] = {}
        specs = {fs.name: fs for fs in FIELDS[kind]}
        for name, raw in (filters or {}).items():
            fs = specs.get(name)
            if fs is None:
                raise QueryError(f"{kind} 没有字段 {name}（可选 {', '.join(specs)}）",
                                 f"{kind} has no field {name} (one of {', '.join(specs)})",
                                 "BAD_FILTER")
            value: object = raw if not isinstance(raw, str) else raw.strip()
            if fs.cell == "enum":
                if value not in SCHEMES[fs.target or ""].zh_values:
                    raise QueryError(f"字段 {name} 的取值无效：{raw}",
                                     f"invalid value for {name}: {raw} (one of "
                                     f"{', '.join(SCHEMES[fs.target or ''].zh_values)})",
                                     "BAD_FILTER")
            elif fs.cell in ("ref", "refs"):
                s = str(value)
                value = s if s.startswith(("http://", "https://", "urn:")) else (
                    self.iri_of(f"{fs.target}:{s}"))
            elif fs.cell == "bool":
                lowered = str(value).lower()
                if lowered in ("是", "true", "1"):
                    value = True
                elif lowered in ("否", "false", "0"):
                    value = False
                else:
                    raise QueryError(f"字段 {name} 须为 是/否：{raw}",
                                     f"{name} must be 是/否 (true/false): {raw}", "BAD_FILTER")
            elif fs.cell == "int":
                try:
                    value = int(str(value))
                except ValueError as e:
                    raise QueryError(f"字段 {name} 须为整数：{raw}",
                                     f"{name} must be an integer: {raw}", "BAD_FILTER") from e
            else:
                value = str(value)
            out[name] = value
        return out

    def list(self, kind: str, *, filters: dict[str, str] | None = None, text: str | None = None,
             first: int = 50, after: str | None = None) -> Page:
        self._check_kind(kind)
        _check_first(first, allow_none=False)
        norm = self._normalise_filters(kind, filters)
        text = text.strip() if text else None
        if not norm and not text:
            keys = self._listing(kind)
        else:
            hits = self._match([kind], norm, text or None)
            if text:
                t = text.lower()
                hits = [h for h in hits if t in (h.label or "").lower()
                        or any(t in s.lower() for s in h.synonyms)]
            keys = [(h.code, h.iri) for h in hits]  # one kind: sorted by (code, IRI)
        return self._page_of(keys, first, after)

    def _page_of(self, keys: list[tuple[str, str]], first: int, after: str | None) -> Page:
        """The page of sorted (code, IRI) ``keys`` after the cursor ``after``."""
        start = 0
        if after is not None:
            key = _decode_cursor(after)
            if not isinstance(key, str):
                raise QueryError(f"无效的分页游标：{after}", f"invalid cursor: {after}",
                                 "BAD_CURSOR")
            start = bisect.bisect_right(keys, (key, "\U0010ffff"))  # the first code > key
        page = keys[start:start + first]
        ents = self._entities([iri for _, iri in page])
        items = [ents[iri] for _, iri in page if iri in ents]
        has_next = start + first < len(keys)
        return Page(items, len(keys), _encode_cursor(page[-1][0]) if page and has_next else None,
                    has_next)

    def search(self, text: str, *, kinds: list[str] | None = None, first: int = 20) -> list[Entity]:
        if not isinstance(text, str) or not text.strip():
            raise QueryError("搜索词不能为空", "search text must not be empty", "BAD_ARGUMENT")
        _check_first(first, allow_none=False)
        for k in kinds or []:
            self._check_kind(k)
        t = text.strip().lower()
        hits = self._match(sorted(set(kinds or ENTITY_KINDS)), {}, t)

        def score(h: Hit) -> tuple:
            label = (h.label or "").lower()
            syns = [s.lower() for s in h.synonyms]
            if h.code.lower() == t or label == t:
                r = 0
            elif t in syns:
                r = 1
            elif label.startswith(t):
                r = 2
            elif any(s.startswith(t) for s in syns):
                r = 3
            elif t in label:
                r = 4
            elif any(t in s for s in syns):
                r = 5
            else:
                r = 6
            return (r, len(h.label or ""), h.kind, h.code)

        best = sorted(hits, key=score)[:first]
        ents = self._entities([h.iri for h in best])
        return [ents[h.iri] for h in best if h.iri in ents]

    # ====================================================================================
    # Lineage
    # ====================================================================================
    def _walk(self, root: Entity, up: bool, depth: int, gran: Granularity,
              rules=lineage_rules, evidence: Evidence = Evidence.DECLARED) -> _Walk:
        """Breadth-first walk, one batched ``_edges`` call per (level, rule group), along the
        edge types ``evidence`` selects."""
        depth_of = {root.iri: 0}
        kind_of = {root.iri: root.kind}
        preds: dict[str, set[str]] = defaultdict(set)
        edges: set[Edge] = set()
        known_up: dict[str, list[Edge]] = {}
        truncated = False
        frontier = [root.iri]
        level = 0
        while frontier:
            groups: dict[Rule, list[str]] = defaultdict(list)
            for n in frontier:
                for types, upstream in rules(kind_of[n], n == root.iri, up, gran):
                    groups[(with_evidence(types, evidence), upstream)].append(n)
            nxt: list[str] = []
            for (types, upstream), nodes in sorted(groups.items(), key=lambda g: sorted(g[0][0])):
                members = set(nodes)
                fetched = self._edges(nodes, types, upstream)
                if upstream:
                    for t in _propagating(evidence) & set(types):
                        for n in nodes:
                            known_up.setdefault(n, [])
                        for e in fetched:
                            if e.type == t and e.target in members:
                                known_up[e.target].append(e)
                for e in fetched:
                    here, other = (e.target, e.source) if upstream else (e.source, e.target)
                    if here not in members:
                        continue
                    other_kind = EDGE_ENDPOINTS[e.type][0 if upstream else 1]
                    if level == depth:
                        if other in depth_of:
                            edges.add(e)
                        else:
                            truncated = True
                        continue
                    edges.add(e)
                    if other not in depth_of:
                        depth_of[other] = level + 1
                        kind_of[other] = other_kind
                        nxt.append(other)
                    if depth_of[other] == level + 1:
                        preds[other].add(here)
            frontier = sorted(set(nxt))
            level += 1
        return _Walk(root.iri, depth_of, kind_of, preds, edges, truncated, known_up=known_up)

    def _lineage_walk(self, root: Entity, direction: Direction, depth: int,
                      gran: Granularity, evidence: Evidence = Evidence.DECLARED) -> _Walk:
        if direction is Direction.BOTH:
            a = self._walk(root, True, depth, gran, evidence=evidence)
            b = self._walk(root, False, depth, gran, evidence=evidence)
            a.compute_paths()
            b.compute_paths()
            depth_of = dict(a.depth_of)
            kind_of = {**a.kind_of, **b.kind_of}
            paths = dict(a.paths)
            for n, d in b.depth_of.items():
                if n not in depth_of or d < depth_of[n]:
                    depth_of[n] = d
                    paths[n] = b.paths[n]
                elif d == depth_of[n] and n != root.iri:
                    paths[n] = sorted({tuple(p) for p in a.paths[n] + b.paths[n]})[:3]
                    paths[n] = [list(p) for p in paths[n]]
            return _Walk(root.iri, depth_of, kind_of, defaultdict(set), a.edges | b.edges,
                         a.truncated or b.truncated, paths, known_up=a.known_up)
        w = self._walk(root, direction is Direction.UPSTREAM, depth, gran, evidence=evidence)
        w.compute_paths()
        return w

    def _lineage_args(self, node: str, direction, depth: int, granularity, evidence):
        direction = _enum(direction, Direction, "方向 direction")
        granularity = _enum(granularity, Granularity, "粒度 granularity")
        evidence = _enum(evidence, Evidence, "证据 evidence")
        _check_depth(depth)
        root = self._root(node, LINEAGE_KINDS)
        return root, direction, granularity, evidence

    def lineage_count(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                      granularity: Granularity = Granularity.RESOURCE,
                      evidence: Evidence = Evidence.ANY) -> int:
        root, direction, granularity, evidence = self._lineage_args(node, direction, depth,
                                                                    granularity, evidence)
        if direction is Direction.BOTH:
            a = self._walk(root, True, depth, granularity, evidence=evidence)
            b = self._walk(root, False, depth, granularity, evidence=evidence)
            return len(set(a.depth_of) | set(b.depth_of))
        return len(self._walk(root, direction is Direction.UPSTREAM, depth,
                              granularity, evidence=evidence).depth_of)

    def lineage(self, node: str, direction: Direction = Direction.UPSTREAM, depth: int = 3,
                granularity: Granularity = Granularity.RESOURCE, *, first: int | None = None,
                after: str | None = None, evidence: Evidence = Evidence.ANY) -> Lineage:
        root, direction, granularity, evidence = self._lineage_args(node, direction, depth,
                                                                    granularity, evidence)
        _check_first(first, allow_none=True)
        w = self._lineage_walk(root, direction, depth, granularity, evidence)
        order = sorted(w.depth_of, key=lambda n: (w.depth_of[n], n))
        start = 0
        if after is not None:
            key = _decode_cursor(after)
            if (not isinstance(key, list) or len(key) != 2 or not isinstance(key[0], int)
                    or not isinstance(key[1], str)):
                raise QueryError(f"无效的分页游标：{after}", f"invalid cursor: {after}",
                                 "BAD_CURSOR")
            k = (key[0], key[1])
            start = next((i for i, n in enumerate(order) if (w.depth_of[n], n) > k), len(order))
        end = len(order) if first is None else start + first
        page = order[start:end]
        has_next = end < len(order)
        ents = self._entities([n for n in page if n != root.iri])
        ents[root.iri] = root
        sens = self._propagate_sensitivity([n for n in page if w.kind_of[n] in ("resource",
                                                                               "item")],
                                           w.kind_of, w.known_up, evidence)
        nodes = []
        for n in page:
            if n not in ents:
                continue
            own, upmax = sens.get(n, (None, None))
            nodes.append(LineageNode(ents[n], w.depth_of[n], w.paths.get(n, []), own, upmax,
                                     _rank(own) < _rank(upmax)))
        edges = merge_evidence(w.edges)
        return Lineage(
            root=root, direction=direction, granularity=granularity, depth=depth, nodes=nodes,
            edges=edges, truncated=w.truncated, cycles=_cycles(edges),
            total_nodes=len(order),
            end_cursor=_encode_cursor([w.depth_of[page[-1]], page[-1]]) if page and has_next
            else None,
            has_next=has_next)

    def _propagate_sensitivity(self, nodes: Sequence[str], kind_of: dict[str, str],
                               known_up: dict[str, list[Edge]] | None = None,
                               evidence: Evidence = Evidence.DECLARED
                               ) -> dict[str, tuple[str | None, str | None]]:
        """(own level, strictest level among itself and everything upstream) for resources
        (via DERIVED_FROM) and items (via ITEM_DERIVED_FROM) — and their observed counterparts
        as ``evidence`` says — walked to exhaustion."""
        if not nodes:
            return {}
        import networkx as nx

        g = nx.DiGraph()
        seen = set(nodes)
        g.add_nodes_from(nodes)
        frontier = {"resource": sorted(n for n in nodes if kind_of.get(n) == "resource"),
                    "item": sorted(n for n in nodes if kind_of.get(n) == "item")}
        etype = {"resource": with_evidence(frozenset({"DERIVED_FROM"}), evidence),
                 "item": with_evidence(frozenset({"ITEM_DERIVED_FROM"}), evidence)}
        for _ in range(_SENS_LEVELS):
            if not any(frontier.values()):
                break
            nxt: dict[str, list[str]] = {"resource": [], "item": []}
            for kind, fr in frontier.items():
                if not fr:
                    continue
                known = known_up or {}
                ask = [n for n in fr if n not in known]
                found = [e for n in fr if n in known for e in known[n] if e.type in etype[kind]]
                for e in found + (self._edges(ask, sorted(etype[kind]), True) if ask else []):
                    g.add_edge(e.source, e.target)
                    if e.source not in seen:
                        seen.add(e.source)
                        nxt[kind].append(e.source)
            frontier = {k: sorted(v) for k, v in nxt.items()}
        own = self._sensitivities(sorted(seen))
        cond = nx.condensation(g)
        members = cond.graph["mapping"]  # node -> scc id
        scc_rank: dict[int, int] = {}
        scc_level: dict[int, str | None] = {}
        for c in nx.topological_sort(cond):
            best: str | None = None
            for n in cond.nodes[c]["members"]:
                if _rank(own.get(n)) > _rank(best):
                    best = own.get(n)
            for p in cond.predecessors(c):
                if scc_rank[p] > _rank(best):
                    best = scc_level[p]
            scc_rank[c] = _rank(best)
            scc_level[c] = best
        return {n: (own.get(n), scc_level[members[n]]) for n in nodes}

    # ====================================================================================
    # Source tracing
    # ====================================================================================
    def trace_source(self, node: str, evidence: Evidence = Evidence.ANY) -> Trace:
        evidence = _enum(evidence, Evidence, "证据 evidence")
        start = self._root(node, ("item", "resource"))
        if start.kind == "item":
            return self._trace_items([start], evidence)[start.iri]
        items = self._related([start.iri], "inResource", True).get(start.iri, [])
        rows = self._item_rows(items)
        carrying = sorted(i for i, r in rows.items() if r.element)
        ents = self._entities(carrying)
        traces = self._trace_items([ents[i] for i in carrying if i in ents], evidence)
        item_traces = [traces[i] for i in carrying if i in traces]
        broken = sum(1 for t in item_traces if not t.reached_authoritative)
        if not item_traces:
            reason, code = ("资源没有携带数据元的信息项 / the resource has no item carrying a data "
                            "element"), "NO_ITEMS"
        elif broken:
            reason, code = (f"{broken} 个信息项未追溯到权威来源 / {broken} item(s) do not reach "
                            "an authoritative source"), "ITEMS_BROKEN"
        else:
            reason, code = None, None
        return Trace(start, [], bool(item_traces) and not broken, reason, None, code,
                     item_traces)

    def _trace_items(self, starts: Sequence[Entity],
                     evidence: Evidence = Evidence.DECLARED) -> dict[str, Trace]:
        """Walk every start's chain one hop per round, all chains batched together (per round:
        one ``_item_rows`` and one ``_edges`` call). Each hop goes to the upstream item the
        catalog declares (来源资源代码) and, as ``evidence`` allows, one a run was seen deriving
        it from: a declared one first, else the first observed (by IRI)."""
        types = sorted(with_evidence(frozenset({"ITEM_DERIVED_FROM"}), evidence))
        link: dict[tuple[str, str], str] = {}  # (item, its upstream item) -> evidence
        ents: dict[str, Entity] = {s.iri: s for s in starts}
        rows: dict[str, ItemRow] = {}
        chains: dict[str, list[str]] = {s.iri: [s.iri] for s in starts}
        ended: dict[str, tuple[bool, str | None, str | None]] = {}  # start -> (reached, code, arg)
        active = [s.iri for s in starts]
        while active:
            rows.update(self._item_rows(sorted({chains[s][-1] for s in active} - set(rows))))
            step: list[str] = []
            for s in active:
                cur = rows.get(chains[s][-1])
                if cur is not None and cur.authoritative:
                    ended[s] = (True, None, None)
                elif cur is None or (evidence is Evidence.DECLARED and not cur.taken_from):
                    ended[s] = (False, "NO_SOURCE", None)
                elif len(chains[s]) >= MAX_TRACE_HOPS:
                    ended[s] = (False, "MAX_HOPS", None)
                else:
                    step.append(s)
            if not step:
                break
            currents = sorted({chains[s][-1] for s in step})
            ups: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            for e in self._edges(currents, types, True):
                ups[e.target][e.source].add("OBSERVED" if e.type in _DECLARED_OF else "DECLARED")
            orphans = sorted({t for c in currents if not ups.get(c)  # type: ignore[misc]
                              and (t := rows[c].taken_from)})
            known_res = set(self._sensitivities(orphans)) if orphans else set()
            nxt_active = []
            for s in step:
                cur = chains[s][-1]
                src_res = rows[cur].taken_from
                found = ups.get(cur, {})
                if not found:
                    if evidence is Evidence.OBSERVED:
                        ended[s] = (False, "NOT_OBSERVED", None)
                    elif not src_res:
                        ended[s] = (False, "NO_SOURCE", None)
                    else:
                        ended[s] = ((False, "NO_UPSTREAM_ITEM", src_res) if src_res in known_res
                                    else (False, "UPSTREAM_RESOURCE_UNKNOWN", src_res))
                    continue
                declared = sorted(u for u, ev in found.items() if "DECLARED" in ev)
                nxt = (declared or sorted(found))[0]
                link[(cur, nxt)] = "BOTH" if len(found[nxt]) == 2 else next(iter(found[nxt]))
                if nxt in chains[s]:
                    ended[s] = (False, "CYCLE", nxt)
                    continue
                chains[s].append(nxt)
                nxt_active.append(s)
            active = nxt_active
        # assemble hops with everything they need, batched
        all_items = sorted({i for c in chains.values() for i in c})
        res_iris = sorted({r.resource for i in all_items if (r := rows.get(i)) and r.resource}
                          | {e.fields["inResource"] for e in ents.values()
                             if e.fields.get("inResource")})
        ents.update(self._entities(sorted((set(all_items) - set(ents)) | set(res_iris))))
        res = {r: ents[r] for r in res_iris if r in ents}
        pairs = set()  # (upstream resource, downstream resource) of consecutive hops
        for chain in chains.values():
            for n in range(1, len(chain)):
                up = ents[chain[n]].fields.get("inResource")
                down = ents[chain[n - 1]].fields.get("inResource")
                if up in res and down in res and up != down:
                    pairs.add((up, down))
        flow_of = self._flows_between(pairs, res)
        producers = self._related(res_iris, "produces", True)
        other = sorted(set(flow_of.values())
                       | {p for ps in producers.values() for p in ps}
                       | {r.fields[k] for r in res.values() for k in ("provider", "sourceSystem")
                          if r.fields.get(k)})
        more = self._entities(other)
        out: dict[str, Trace] = {}
        for s, chain in chains.items():
            hops = []
            for n, i in enumerate(chain):
                item = ents[i]
                r = res.get(item.fields.get("inResource", ""))
                if r is None:  # an item always has a resource; guard against partial loads
                    continue
                down = res.get(ents[chain[n - 1]].fields.get("inResource", "")) if n else None
                flow = more.get(flow_of.get((r.iri, down.iri), "")) if down else None
                method = (flow.fields.get("exchangeMethod") if flow else None) or \
                    r.fields.get("sharingMethod")
                resps = [more[p] for p in producers.get(r.iri, []) if p in more]
                hops.append(Hop(
                    item=item, resource=r,
                    department=more.get(r.fields.get("provider", "")),
                    system=more.get(r.fields.get("sourceSystem", "")),
                    platform=flow.fields.get("viaPlatform") if flow else None,
                    method=method, responsibilities=resps,
                    legal_basis=sorted({p.fields["legalBasis"] for p in resps
                                        if p.fields.get("legalBasis")}),
                    evidence=link.get((i, chain[n + 1])) if n + 1 < len(chain) else None))
            reached, code, arg = ended.get(s, (False, "MAX_HOPS", None))
            reason = None if reached else self._break_reason(code or "", arg, ents, chain)
            out[s] = Trace(ents[s], hops, reached, reason, None if reached else chain[-1],
                           code, [])
        return out

    def _flows_between(self, pairs: set[tuple[str, str]], res: dict[str, Entity]
                       ) -> dict[tuple[str, str], str]:
        """For each (up, down) resource pair, the flow that carried data from up to down: the
        first (by IRI) FLOW edge up → down, else the first FLOW_TO_DEPARTMENT edge from up to
        down's provider whose flow has no FLOW edge (no catalogued target resource)."""
        if not pairs:
            return {}
        # asked from the receiving side: a hub resource has hundreds of outgoing flows, a
        # resource or department receives few
        edges = self._edges(sorted({d for _, d in pairs}), ["FLOW"], True)
        direct_pairs = {(e.source, e.target) for e in edges}
        # the department fallback only where no flow lands in the resource itself
        provs = {res[d].fields.get("provider") for p in pairs - direct_pairs
                 for d in [p[1]]} - {None}
        if provs:
            edges += self._edges(sorted(provs), ["FLOW_TO_DEPARTMENT"], True)  # type: ignore[arg-type]
        ups = {u for u, _ in pairs}
        dep_flows = sorted({e.via for e in edges if e.type == "FLOW_TO_DEPARTMENT"
                            and e.source in ups and e.via})  # type: ignore[misc]
        targeted = self._related(dep_flows, "targetResource", False) if dep_flows else {}
        to_res: dict[tuple[str, str], list[str]] = defaultdict(list)
        to_dep: dict[tuple[str, str], list[str]] = defaultdict(list)
        for e in edges:
            if e.type == "FLOW":
                to_res[(e.source, e.target)].append(e.via or "")
            elif e.source in ups and not targeted.get(e.via or ""):
                to_dep[(e.source, e.target)].append(e.via or "")
        out = {}
        for up, down in pairs:
            direct = sorted(to_res.get((up, down), []))
            prov = res[down].fields.get("provider")
            via_dep = sorted(to_dep.get((up, prov), [])) if prov else []
            if direct or via_dep:
                out[(up, down)] = (direct or via_dep)[0]
        return out

    @staticmethod
    def _break_reason(code: str, arg: str | None, ents: dict[str, Entity],
                      chain: Sequence[str]) -> str:
        last = ents[chain[-1]]
        name = last.code
        if code == "NO_SOURCE":
            return (f"信息项 {name} 不是权威来源，且未填写来源资源代码 / item {name} is not "
                    "authoritative and names no source resource (来源资源代码)")
        if code == "UPSTREAM_RESOURCE_UNKNOWN":
            return (f"信息项 {name} 的来源资源不在目录中：{arg} / the source resource of item "
                    f"{name} is not in the catalog: {arg}")
        if code == "NO_UPSTREAM_ITEM":
            rc = arg.rsplit("/", 1)[-1] if arg else ""
            return (f"来源资源 {rc} 中没有与信息项 {name} 匹配的信息项（同一数据元，否则同名）/ "
                    f"source resource {rc} has no item matching {name} (same data element, "
                    "else same name)")
        if code == "NOT_OBSERVED":
            return (f"未观测到信息项 {name} 的数据来自何处（OpenLineage 字段血缘）/ no run was "
                    f"seen deriving item {name} from another (OpenLineage column lineage)")
        if code == "CYCLE":
            again = ents[arg].code if arg in ents else arg
            return (f"来源链成环：信息项 {name} 取自已经过的 {again} / the source chain loops: "
                    f"item {name} is taken from {again}, already on the chain")
        return (f"来源链超过 {MAX_TRACE_HOPS} 跳 / the source chain exceeds {MAX_TRACE_HOPS} hops")

    # ====================================================================================
    # One data, one source
    # ====================================================================================
    def resolve_source(self, element: str) -> SourceResolution:
        if not isinstance(element, str) or not element.strip():
            raise QueryError("数据元不能为空", "element must be a non-empty string",
                             "BAD_ARGUMENT")
        element = element.strip()
        if element.startswith(("http://", "https://", "urn:")) or (
                element.partition(":")[0] in ENTITY_KINDS and ":" in element):
            ent = self._root(element, ("element",))
            how = "code"
        else:
            matches = self._lookup_element(element)
            if not matches:
                raise NotFound(element)
            how = matches[0][1]
            iris = sorted({i for i, h in matches if h == how})
            if len(iris) > 1:
                codes = ", ".join(e.code for e in self._entities(iris).values())
                raise QueryError(f"“{element}”对应多个数据元：{codes}",
                                 f"'{element}' names several data elements: {codes}",
                                 "AMBIGUOUS")
            ent = self._entities(iris)[iris[0]]
        # only the authoritative items: a common element is carried by thousands of items
        hits = self._match(["item"], {"carries": ent.iri, "authoritative": True}, None)
        rows = list(self._item_rows([h.iri for h in hits]).values())
        return self._resolutions([ent], how, rows)[ent.iri]

    def _resolutions(self, elements: Sequence[Entity], how: str = "code",
                     rows: Sequence[ItemRow] | None = None) -> dict[str, SourceResolution]:
        """Classify ``elements``; ``rows`` must hold (at least) every authoritative item
        carrying one of them (fetched here when None)."""
        if rows is None:
            rows = self._element_items([e.iri for e in elements]) if elements else []
        auth: dict[str, list[ItemRow]] = defaultdict(list)
        for r in rows:
            if r.authoritative and r.element:
                auth[r.element].append(r)
        need = {r.item for rs in auth.values() for r in rs} | {
            e.fields["authoritativeDepartment"] for e in elements
            if e.fields.get("authoritativeDepartment")} | {
            r.resource for rs in auth.values() for r in rs if r.resource}
        ents = self._entities(sorted(need))
        more = self._entities(sorted({ents[r.resource].fields[k] for rs in auth.values()
                                      for r in rs if r.resource in ents
                                      for k in ("provider", "sourceSystem")
                                      if ents[r.resource].fields.get(k)} - set(ents)))
        ents.update(more)
        out = {}
        for e in elements:
            designated = e.fields.get("authoritativeDepartment")
            cands = []
            for r in sorted(auth.get(e.iri, []), key=lambda r: r.item):
                res = ents.get(r.resource or "")
                if r.item not in ents or res is None:
                    continue
                cands.append(Candidate(ents[r.item], res, ents.get(res.fields.get("provider", "")),
                                       ents.get(res.fields.get("sourceSystem", ""))))
            if not cands:
                status = SourceStatus.MISSING
            elif len(cands) > 1:
                status = SourceStatus.CONFLICT
            elif designated and cands[0].resource.fields.get("provider") not in (None,
                                                                                  designated):
                status = SourceStatus.MISMATCH
            else:
                status = SourceStatus.RESOLVED
            out[e.iri] = SourceResolution(e, status, ents.get(designated or ""), cands, how)
        return out

    def one_source_report(self, department: str | None = None) -> OneSourceReport:
        dept = self._root(department, ("department",)) if department is not None else None
        elements = self._used_elements(dept.iri if dept else None)
        el_ents = self._entities(elements)
        all_rows = self._element_items(sorted(el_ents))
        resolutions = self._resolutions([el_ents[e] for e in elements if e in el_ents],
                                        rows=all_rows)
        single = {e: r for e, r in resolutions.items()
                  if r.status in (SourceStatus.RESOLVED, SourceStatus.MISMATCH)}
        rows = [r for r in all_rows if r.element in single
                and (dept is None or r.provider == dept.iri)]
        cands = [r for r in rows if not r.authoritative and r.element in single]
        reached, broken = self._reaches_authoritative(cands)
        recs = [r for r in cands if not reached[r.item] and not broken[r.item]]
        ents = self._entities(sorted({r.item for r in recs}))
        paths = self._expected_paths(
            [(single[r.element].candidates[0].resource.iri, r.resource) for r in recs
             if r.resource])
        recollections = []
        for r in sorted(recs, key=lambda r: r.item):
            if r.item not in ents or not r.resource:
                continue
            res_auth = single[r.element]
            a_res = res_auth.candidates[0].resource.iri
            recollections.append(Recollection(ents[r.item], res_auth.element,
                                              res_auth.candidates[0].item,
                                              paths[(a_res, r.resource)]))
        ordered = [resolutions[e] for e in sorted(resolutions,
                                                  key=lambda i: resolutions[i].element.code)]
        counts = {s.value: 0 for s in SourceStatus}
        for r in ordered:
            counts[r.status.value] += 1
        counts["RECOLLECTION"] = len(recollections)
        return OneSourceReport(dept, ordered, recollections, counts)

    def _reaches_authoritative(self, rows: Sequence[ItemRow]
                               ) -> tuple[dict[str, bool], dict[str, bool]]:
        """For each row's item: does some chain of upstream items (ITEM_DERIVED_FROM, all
        matches, transitively) reach an authoritative item carrying the row's element? Is the
        lineage broken (an item on it, itself included, names a 来源资源代码 that is unknown or
        has no matching item)? Batched one level at a time. Same relation as the audit's
        ys:upstreamItem (shapes/lineage.ttl) and ODS-004 (shapes/one_source.ttl)."""
        info: dict[str, ItemRow] = {r.item: r for r in rows}
        ups: dict[str, list[str]] = {}
        frontier = sorted(info)
        for _ in range(_SENS_LEVELS):
            expand = [i for i in frontier if info[i].taken_from]
            if not expand:
                break
            for i in expand:
                ups[i] = []
            for e in self._edges(expand, ["ITEM_DERIVED_FROM"], True):
                ups[e.target].append(e.source)
            new = sorted({u for i in expand for u in ups[i]} - set(info))
            info.update(self._item_rows(new))
            frontier = [u for u in new if u in info]
        reached: dict[str, bool] = {}
        broken: dict[str, bool] = {}
        for r in rows:
            seen = {r.item}
            stack = [r.item]
            ok = bad = False
            while stack:
                i = stack.pop()
                row = info.get(i)
                if row is None:
                    continue
                if row.authoritative and row.element == r.element:
                    ok = True
                if row.taken_from and not ups.get(i):
                    bad = True
                for u in ups.get(i, []):
                    if u not in seen:
                        seen.add(u)
                        stack.append(u)
            reached[r.item] = ok
            broken[r.item] = bad
        return reached, broken

    def _expected_paths(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """Shortest DERIVED_FROM/FLOW path (fewest hops, then smallest IRI list) from each
        authoritative resource to each re-collecting item's resource, up to MAX_DEPTH hops;
        [a, b] when none (or [a] when they are the same resource)."""
        by_src: dict[str, set[str]] = defaultdict(set)
        for a, b in pairs:
            by_src[a].add(b)
        out: dict[tuple[str, str], list[str]] = {}
        rel = frozenset({"DERIVED_FROM", "FLOW"})

        def rules(kind: str, is_root: bool, up: bool, gran: Granularity) -> list[Rule]:
            return [(rel, False)] if kind == "resource" else []

        for a, targets in sorted(by_src.items()):
            root = Entity("resource", a, "", None)
            w = self._walk(root, False, MAX_DEPTH, Granularity.RESOURCE, rules)
            w.compute_paths()
            for b in targets:
                if a == b:
                    out[(a, b)] = [a]
                elif b in w.paths and w.paths[b]:
                    out[(a, b)] = w.paths[b][0]
                else:
                    out[(a, b)] = [a, b]
        return out

    # ====================================================================================
    # Impact
    # ====================================================================================
    def impact(self, node: str, depth: int = 5, evidence: Evidence = Evidence.ANY) -> Impact:
        _check_depth(depth)
        evidence = _enum(evidence, Evidence, "证据 evidence")
        root = self._root(node, LINEAGE_KINDS)
        rw = self._walk(root, False, depth, Granularity.RESOURCE, evidence=evidence)
        iw = self._walk(root, False, depth, Granularity.ITEM, evidence=evidence)
        resources = sorted(n for n, k in rw.kind_of.items() if k == "resource" and n != root.iri)
        ents = self._entities(sorted(set(rw.depth_of) | set(iw.depth_of)))
        # the root's own items are the thing that changes, not something downstream of it
        items = sorted(n for n, k in iw.kind_of.items() if k == "item" and n != root.iri
                       and not (root.kind == "resource" and n in ents
                                and ents[n].fields.get("inResource") == root.iri))
        if root.kind == "resource":
            own = self._related([root.iri], "inResource", True)[root.iri]
            elements_of_root = {e.fields["carries"] for e in self._entities(own).values()
                                if e.fields.get("carries")}
        else:
            elements_of_root = set()
        systems = {n for n, k in rw.kind_of.items() if k == "system"}
        depts = {n for n, k in rw.kind_of.items() if k == "department"}
        for r in resources:
            f = ents[r].fields if r in ents else {}
            if f.get("provider"):
                depts.add(f["provider"])
            if f.get("sourceSystem"):
                systems.add(f["sourceSystem"])
        systems.discard(root.iri)
        depts.discard(root.iri)
        elements = {ents[i].fields["carries"] for i in items
                    if i in ents and ents[i].fields.get("carries")}
        if root.kind == "item" and root.fields.get("carries"):
            elements.add(root.fields["carries"])
        elements |= elements_of_root
        producers = self._related(resources, "produces", True)
        resp = {p for ps in producers.values() for p in ps}
        implemented = self._related(sorted(depts), "implementedBy", True)
        cand = sorted({p for ps in implemented.values() for p in ps} - resp)
        cand_ents = self._entities(cand)
        for p, e in cand_ents.items():
            if set(e.fields.get("needsElement", [])) & elements:
                resp.add(p)
        resp.discard(root.iri)
        more = self._entities(sorted((systems | depts | resp) - set(ents)))
        ents.update(more)
        ents.update(cand_ents)

        def pick(iris: Iterable[str]) -> list[Entity]:
            return [ents[i] for i in sorted(iris) if i in ents]

        return Impact(root, depth, pick(resources), pick(items), pick(systems), pick(depts),
                      pick(resp), rw.truncated or iw.truncated)


def _cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """Simple cycles of the edge set, each once, rotated to start at its smallest IRI,
    sorted; at most MAX_CYCLES."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_edges_from(sorted({(e.source, e.target) for e in edges}))
    found = set()
    for n, cyc in enumerate(nx.simple_cycles(g)):
        if n >= _CYCLE_SCAN:
            break
        k = cyc.index(min(cyc))
        found.add(tuple(cyc[k:] + cyc[:k]))
    return [list(c) for c in sorted(found)][:MAX_CYCLES]
