"""GraphQL ``diff(from, to, department)``: what changed in the catalog between two instants, as
the caller may see it (both sides through the caller's policy, each with its own 涉密 set)."""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.scalars import JSON
from strawberry.types import Info

from api.asof import graph_as_of
from graph.diff import CatalogDiff, catalog_diff

__all__ = ["CatalogChanges", "resolve_diff"]


@strawberry.type(description="字段变化 / a field that changed")
class FieldChangeT:
    field: str
    old: JSON | None = strawberry.field(description="旧值 / old value")
    new: JSON | None = strawberry.field(description="新值 / new value")


@strawberry.type(description="实体变化 / an entity added, removed or changed")
class EntityChangeT:
    change: str = strawberry.field(description="added | removed | changed")
    kind: str
    code: str
    label: str | None
    iri: str
    fields: list[FieldChangeT]


@strawberry.type(description="某部门某类实体的变化 / the changes of one kind in one department")
class KindChanges:
    kind: str
    changes: list[EntityChangeT]


@strawberry.type(description="某部门的变化 / the changes of one department")
class DepartmentChanges:
    department: str | None = strawberry.field(description="部门编码 / department code")
    kinds: list[KindChanges]


@strawberry.type(description="血缘边变化 / a lineage edge added or removed")
class EdgeChangeT:
    change: str
    type: str
    source: str
    target: str
    via: str | None
    department: str | None


@strawberry.type(description="一数一源状态变化 / a one-source status that changed")
class StatusChangeT:
    element: str
    label: str | None
    department: str | None
    old: str | None = strawberry.field(description="旧状态（null：当时未使用） / old status")
    new: str | None = strawberry.field(description="新状态 / new status")


@strawberry.type(description="两个时刻之间目录的变化 / what changed between two instants")
class CatalogChanges:
    departments: list[DepartmentChanges]
    edges: list[EdgeChangeT]
    statuses: list[StatusChangeT]


def _wrap(d: CatalogDiff) -> CatalogChanges:
    return CatalogChanges(
        departments=[DepartmentChanges(department=dept or None, kinds=[
            KindChanges(kind=k, changes=[EntityChangeT(
                change=c.change, kind=c.kind, code=c.code, label=c.label, iri=c.iri,
                fields=[FieldChangeT(field=f.field, old=f.old, new=f.new) for f in c.fields])
                for c in cs]) for k, cs in kinds.items()]) for dept, kinds in d.groups().items()],
        edges=[EdgeChangeT(change=e.change, type=e.type, source=e.source, target=e.target,
                           via=e.via, department=e.department) for e in d.edges],
        statuses=[StatusChangeT(element=s.element, label=s.label, department=s.department,
                                old=s.old, new=s.new) for s in d.statuses])


async def resolve_diff(info: Info, from_: datetime.datetime, to: datetime.datetime,
                       department: str | None) -> CatalogChanges:
    ctx = info.context
    state = ctx.request.app.state
    old_policy, old = graph_as_of(state, ctx.graph, from_)
    new_policy, new = graph_as_of(state, ctx.graph, to)

    def run() -> CatalogDiff:
        return catalog_diff(old, new, department, old_graph=old_policy.view,
                            new_graph=new_policy.view)

    return _wrap(await run_in_threadpool(run))
