"""What changed between two states of the catalog (issue 14 step 3).

:func:`catalog_diff` compares two stores (usually two :meth:`CatalogStore.as_of` states) through
the query layer of each, so a caller's view (:class:`graph.view.HiddenView`) applies to both
sides and a hidden entity never shows up as added or removed:

- entities added and removed, and fields changed (old value, new value): the subjects of the
  triples that differ between the two stores, looked up on both sides;
- lineage edges added and removed (every edge type but HAS_ITEM, which the items themselves
  say), from all entities on both sides;
- one-source statuses that changed (RESOLVED, CONFLICT, MISMATCH, MISSING, or absent).

Everything is grouped by department (a resource's provider, a system's owner, an item's
resource's provider, a flow's source resource's provider, a request's requester, an element's
authoritative department, a responsibility's implementer) and kind.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from graph.base import CatalogGraphBase
from graph.iris import code_of
from graph.model import EDGE_TYPES, Edge, Entity
from graph.query import ENTITY_KINDS
from graph.store import CatalogStore
from ontology.fields import FIELDS

__all__ = ["catalog_diff", "CatalogDiff", "EntityChange", "FieldChange", "EdgeChange",
           "StatusChange"]

_EDGE_TYPES = sorted(t for t in EDGE_TYPES if t != "HAS_ITEM")
# a kind's department: its first declared reference to a department (resource: provider, system:
# ownedBy, element: authoritativeDepartment, …); items and flows go through their resource
_DEPT_FIELD = {kind: next((f.name for f in fields if f.value == "ref" and f.target == "department"),
                          None) for kind, fields in FIELDS.items()}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class EntityChange:
    change: str  # added | removed | changed
    kind: str
    code: str
    label: str | None
    iri: str
    department: str | None  # department code
    fields: list[FieldChange] = field(default_factory=list)  # for "changed"


@dataclass(frozen=True)
class EdgeChange:
    change: str  # added | removed
    type: str
    source: str
    target: str
    via: str | None
    department: str | None  # of the downstream end


@dataclass(frozen=True)
class StatusChange:
    element: str  # code
    label: str | None
    department: str | None  # the element's authoritative department
    old: str | None  # None: not reported (unused) then
    new: str | None


@dataclass(frozen=True)
class CatalogDiff:
    department: str | None
    entities: list[EntityChange]
    edges: list[EdgeChange]
    statuses: list[StatusChange]

    def groups(self) -> dict[str, dict[str, list[EntityChange]]]:
        """department code ("" when none) -> kind -> changes."""
        out: dict[str, dict[str, list[EntityChange]]] = {}
        for c in self.entities:
            out.setdefault(c.department or "", {}).setdefault(c.kind, []).append(c)
        return out

    def as_dict(self) -> dict:
        return {"department": self.department,
                "departments": [{"department": d, "kinds": [
                    {"kind": k, "changes": [asdict(c) for c in cs]} for k, cs in kinds.items()]}
                    for d, kinds in self.groups().items()],
                "edges": [asdict(e) for e in self.edges],
                "statuses": [asdict(s) for s in self.statuses]}

    def as_table(self) -> str:
        lines = []
        for dept, kinds in self.groups().items():
            lines.append(f"== 部门 department {dept or '-'}")
            for kind, changes in kinds.items():
                for c in changes:
                    lines.append(f"  {c.change:<8}{kind:<15}{c.code}  {c.label or ''}")
                    lines += [f"            {f.field}: {_short(f.old)} → {_short(f.new)}"
                              for f in c.fields]
        if self.edges:
            lines.append("== 血缘边 lineage edges")
            lines += [f"  {e.change:<8}{e.type:<27}{code_of(e.source) or e.source} → "
                      f"{code_of(e.target) or e.target}" for e in self.edges]
        if self.statuses:
            lines.append("== 一数一源状态 one-source statuses")
            lines += [f"  {s.element:<12}{s.label or '':<14}{s.old or '-'} → {s.new or '-'}"
                      for s in self.statuses]
        return "\n".join(lines) if lines else "无变化 / no change"


def _short(v: Any) -> str:
    text = "-" if v is None else str(v)
    return text if len(text) <= 60 else text[:57] + "…"


def _triples(store: CatalogStore) -> set:
    return {q.triple for q in store.match()}


def _department(e: Entity, resources: dict[str, Entity]) -> str | None:
    if e.kind == "department":
        return e.code
    if e.kind == "item":
        res = resources.get(e.fields.get("inResource") or "")
        return _department(res, resources) if res is not None else None
    if e.kind == "flow":
        res = resources.get(e.fields.get("flowOf") or "")
        return _department(res, resources) if res is not None else None
    ref = e.fields.get(_DEPT_FIELD.get(e.kind) or "")
    return code_of(ref) if isinstance(ref, str) else None


def _all_edges(g: CatalogGraphBase) -> set[Edge]:
    iris = [iri for kind in ENTITY_KINDS for _, iri in g._codes(kind)]
    return {Edge(e.source, e.target, e.type, e.via) for e in g._edges(iris, _EDGE_TYPES, False)}


def _statuses(g: CatalogGraphBase) -> dict[str, tuple[Entity, str]]:
    return {r.element.iri: (r.element, r.status.value)
            for r in g.one_source_report(None).resolutions}


def catalog_diff(old: CatalogStore, new: CatalogStore, department: str | None = None,
                 old_graph: CatalogGraphBase | None = None,
                 new_graph: CatalogGraphBase | None = None) -> CatalogDiff:
    """What changed from ``old`` to ``new`` (for one department by code, or all), as
    ``old_graph`` / ``new_graph`` (default: an Oxigraph engine on each store) see it."""
    from graph.oxigraph_engine import OxigraphGraph

    og = old_graph if old_graph is not None else OxigraphGraph(old)
    ng = new_graph if new_graph is not None else OxigraphGraph(new)
    a, b = _triples(old), _triples(new)
    touched = sorted({t.subject.value for t in a ^ b if hasattr(t.subject, "value")})
    before, after = og._entities(touched), ng._entities(touched)
    # resources of both sides, for the department of items and flows
    res_iris = {e.fields.get(f) for side in (before, after) for e in side.values()
                for f in ("inResource", "flowOf") if e.fields.get(f)}
    old_res = {**og._entities(sorted(res_iris)), **{k: v for k, v in before.items()
                                                    if v.kind == "resource"}}
    new_res = {**ng._entities(sorted(res_iris)), **{k: v for k, v in after.items()
                                                    if v.kind == "resource"}}
    changes: list[EntityChange] = []
    for iri in touched:
        o, n = before.get(iri), after.get(iri)
        if o is None and n is None:
            continue
        e = n if n is not None else o
        if e is None:  # unreachable: one of the two is there (checked above)
            continue
        dept = _department(n, new_res) if n is not None else _department(o, old_res)  # type: ignore[arg-type]
        if o is None:
            changes.append(EntityChange("added", e.kind, e.code, e.label, iri, dept))
        elif n is None:
            changes.append(EntityChange("removed", e.kind, e.code, e.label, iri, dept))
        else:
            diffs = [FieldChange(f, o.fields.get(f), n.fields.get(f))
                     for f in sorted(set(o.fields) | set(n.fields))
                     if o.fields.get(f) != n.fields.get(f)]
            if o.label != n.label:
                diffs.insert(0, FieldChange("label", o.label, n.label))
            if diffs:
                changes.append(EntityChange("changed", e.kind, e.code, e.label, iri, dept, diffs))
    kind_order = {k: i for i, k in enumerate(ENTITY_KINDS)}
    changes.sort(key=lambda c: (c.department or "", kind_order.get(c.kind, 99), c.code,
                                c.change))
    edges = _edge_changes(og, ng, old_res, new_res)
    statuses = _status_changes(og, ng)
    if department is not None:
        changes = [c for c in changes if c.department == department]
        edges = [e for e in edges if e.department == department]
        statuses = [s for s in statuses if s.department == department]
    return CatalogDiff(department, changes, edges, statuses)


def _edge_changes(og: CatalogGraphBase, ng: CatalogGraphBase, old_res: dict[str, Entity],
                  new_res: dict[str, Entity]) -> list[EdgeChange]:
    ea, eb = _all_edges(og), _all_edges(ng)
    ends = sorted({e.target for e in ea ^ eb})
    old_t, new_t = og._entities(ends), ng._entities(ends)
    more = {e.fields.get(f) for side in (old_t, new_t) for e in side.values()
            for f in ("inResource", "flowOf") if e.fields.get(f)}
    old_res = {**old_res, **og._entities(sorted(more))}
    new_res = {**new_res, **ng._entities(sorted(more))}

    def dept(iri: str, side: dict[str, Entity], res: dict[str, Entity]) -> str | None:
        e = side.get(iri)
        return _department(e, res) if e is not None else None

    out = [EdgeChange("added", e.type, e.source, e.target, e.via, dept(e.target, new_t, new_res))
           for e in eb - ea]
    out += [EdgeChange("removed", e.type, e.source, e.target, e.via,
                       dept(e.target, old_t, old_res)) for e in ea - eb]
    out.sort(key=lambda e: (e.department or "", e.type, e.source, e.target, e.via or "",
                            e.change))
    return out


def _status_changes(og: CatalogGraphBase, ng: CatalogGraphBase) -> list[StatusChange]:
    sa, sb = _statuses(og), _statuses(ng)
    out = []
    for iri in sorted(set(sa) | set(sb)):
        o, n = sa.get(iri), sb.get(iri)
        if (o and o[1]) == (n and n[1]):
            continue
        e = (n or o)[0]  # type: ignore[index]
        ref = e.fields.get("authoritativeDepartment")
        out.append(StatusChange(e.code, e.label, code_of(ref) if isinstance(ref, str) else None,
                                o[1] if o else None, n[1] if n else None))
    out.sort(key=lambda s: (s.department or "", s.element))
    return out
