"""What the query layer answers with: plain dataclasses shared by both engines, the GraphQL API,
the CLI and the notebooks. Engines must produce *identical* values (the conformance suite compares
them with ``==``), so every list here has a defined order.

Values of entity fields follow the template: controlled values are the Chinese value as typed in
the template (``"有条件共享"``), references are IRIs, booleans/ints are Python values, dates and
date-times are ISO strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ontology.schema import SENSITIVITY_RANK

__all__ = [
    "Direction", "Granularity", "Evidence", "SourceStatus", "Entity", "Page", "Edge", "LineageNode",
    "Lineage", "Hop", "Trace", "Candidate", "SourceResolution", "Recollection",
    "OneSourceReport", "Impact", "EDGE_TYPES", "SENSITIVITY_RANK", "Share",
]


class Direction(StrEnum):
    UPSTREAM = "UPSTREAM"
    DOWNSTREAM = "DOWNSTREAM"
    BOTH = "BOTH"


class Granularity(StrEnum):
    RESOURCE = "RESOURCE"
    ITEM = "ITEM"


class Evidence(StrEnum):
    """Which lineage a question follows: what the catalog declares (上游资源代码, 来源资源代码,
    数据流), what running jobs were seen doing (OpenLineage), or either."""

    DECLARED = "DECLARED"
    OBSERVED = "OBSERVED"
    ANY = "ANY"


class SourceStatus(StrEnum):
    RESOLVED = "RESOLVED"
    CONFLICT = "CONFLICT"
    MISMATCH = "MISMATCH"
    MISSING = "MISSING"


# Edges always point the way data moves: upstream → downstream.
EDGE_TYPES = {
    "DERIVED_FROM": "resource → resource derived from it (上游资源代码)",
    "ITEM_DERIVED_FROM": "item → item taken from it (来源资源代码)",
    "HAS_ITEM": "resource → its item",
    "FLOW": "resource → resource it lands in through a flow (数据流 目标资源)",
    "FLOW_TO_SYSTEM": "resource → consuming system of a flow",
    "FLOW_TO_DEPARTMENT": "resource → consuming department of a flow",
    "SOURCE_SYSTEM": "system → resource whose data comes from it (来源系统)",
    "PRODUCES": "responsibility → resource produced while carrying it out",
    "PROVIDES": "department → resource it provides",
    "OBSERVED_DERIVED_FROM": "resource → resource a completed run was seen deriving from it "
                             "(OpenLineage: read one of its datasets, wrote one of the other's)",
    "OBSERVED_ITEM_DERIVED_FROM": "item → item a run was seen deriving from it (columnLineage)",
}



@dataclass(frozen=True)
class Entity:
    kind: str  # department, element, responsibility, system, resource, item, request, flow
    iri: str
    code: str
    label: str | None
    fields: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)
    # field name = the predicate's local name (ys:sharingType -> "sharingType",
    # skos:altLabel -> "altLabel", org:subOrganizationOf -> "subOrganizationOf"), for exactly the
    # template columns of loaders/spec.py other than the key and the name (those are code and
    # label). Columns of kind refs/list (altLabel, produces, needsElement, derivedFrom) are
    # sorted lists; every other field is a scalar. A field without a value is absent (never
    # None, never []). Values: enums the Chinese value, refs IRIs, bool/int Python values,
    # dates/date-times ISO strings as stored (date-times with their offset). Anything else the
    # store holds about the entity is not a field.


@dataclass(frozen=True)
class Page:
    items: list[Entity]
    total: int
    # pass as ``after`` for the next page; None when there is none. Cursors are opaque signed
    # tokens (graph.cursors), not part of the answer: equality ignores them.
    end_cursor: str | None = field(compare=False)
    has_next: bool
    cursors: list[str] = field(default_factory=list, compare=False)  # one per item (Relay edges)


@dataclass(frozen=True, order=True)
class Edge:
    source: str  # IRI, upstream side
    target: str  # IRI, downstream side
    type: str  # one of EDGE_TYPES
    via: str | None = None  # the flow IRI for FLOW* edges
    # in answers: DECLARED (the catalog says so), OBSERVED (running jobs were seen doing it) or
    # BOTH; the engines' primitives leave it None
    evidence: str | None = None


@dataclass(frozen=True)
class LineageNode:
    entity: Entity
    depth: int  # hops from the root (root = 0)
    paths: list[list[str]]  # shortest paths from the root (IRIs, root first), at most 3, sorted
    sensitivity: str | None  # own 敏感级别 (items: own, else their resource's)
    upstream_sensitivity: str | None  # strictest level among itself and everything upstream
    below_upstream: bool  # own level is less strict than upstream_sensitivity


@dataclass(frozen=True)
class Lineage:
    root: Entity
    direction: Direction
    granularity: Granularity
    depth: int
    nodes: list[LineageNode]  # sorted by (depth, iri); one page when paginated
    edges: list[Edge]  # sorted; edges among all nodes reached (not only this page)
    truncated: bool  # the depth limit cut the answer
    cycles: list[list[str]]  # each cycle once, as IRIs, rotated to start at its smallest IRI
    total_nodes: int
    end_cursor: str | None = field(default=None, compare=False)  # opaque (graph.cursors)
    has_next: bool = False


@dataclass(frozen=True)
class Hop:
    item: Entity
    resource: Entity
    department: Entity | None  # provider of the resource
    system: Entity | None  # source system of the resource
    platform: str | None  # 经由平台 of the flow that carried it downstream, if one is catalogued
    method: str | None  # 交换方式 of that flow, else the resource's 共享方式
    responsibilities: list[Entity]  # responsibilities producing the resource
    legal_basis: list[str]  # their 设定依据, sorted
    # how this hop's item is known to come from the next hop's (DECLARED, OBSERVED, BOTH);
    # None on the last hop
    evidence: str | None = None


@dataclass(frozen=True)
class Trace:
    start: Entity
    hops: list[Hop]  # start first, the authoritative item last when reached; [] for a resource
    reached_authoritative: bool  # for a resource: every item trace reached (False if none)
    break_reason: str | None  # why the chain stops short, zh / en; None when reached
    break_at: str | None  # IRI of the last item reached before the break
    break_code: str | None = None  # NO_SOURCE, UPSTREAM_RESOURCE_UNKNOWN, NO_UPSTREAM_ITEM,
    # CYCLE, MAX_HOPS, NOT_OBSERVED (evidence OBSERVED); for a resource: ITEMS_BROKEN or NO_ITEMS
    item_traces: list[Trace] = field(default_factory=list)  # resource start: one per item
    # carrying a data element, sorted by item IRI


@dataclass(frozen=True)
class Candidate:
    item: Entity
    resource: Entity
    department: Entity | None
    system: Entity | None


@dataclass(frozen=True)
class SourceResolution:
    element: Entity
    status: SourceStatus
    designated_department: Entity | None
    candidates: list[Candidate]  # the authoritative items, sorted by item IRI
    matched_by: str  # "code", "name" or "synonym"


@dataclass(frozen=True)
class Recollection:
    item: Entity
    element: Entity
    authoritative_item: Entity
    expected_path: list[str]  # resources the item should have been taken through (IRIs),
    # from the authoritative item's resource to the item's: the shortest flow/derivation path
    # if one exists in the catalog, else just [authoritative resource, item's resource]


@dataclass(frozen=True)
class OneSourceReport:
    department: Entity | None
    resolutions: list[SourceResolution]  # sorted by element code
    recollections: list[Recollection]  # sorted by item IRI
    counts: dict[str, int]  # status -> count, plus "RECOLLECTION"


@dataclass(frozen=True)
class Impact:
    root: Entity  # every list below is sorted by IRI and excludes the root
    depth: int
    resources: list[Entity]
    items: list[Entity]
    systems: list[Entity]
    departments: list[Entity]
    responsibilities: list[Entity]
    truncated: bool


class Share:
    """A figure judged as a share against a target (:class:`graph.workflow_kpis.Kpi`,
    :class:`shapes.figures.Figure`): its dataclass declares ``numerator``, ``denominator`` and
    ``target``."""

    numerator: int
    denominator: int
    target: float | None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target - 1e-12
