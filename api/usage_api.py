"""GraphQL answers over the usage statistics (issue 13 step 4, docs/usage.md): who uses a resource,
how much and for what; the shared resources no one called in N days (zombie data); the calls to
the resources a responsibility produces (应用成效). Through the caller's policy: a hidden (涉密)
resource answers like an unknown one, and records touching anything hidden do not count."""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.context import call
from api.types import Department, Resource, System, wrap
from graph.model import Entity
from graph.query import QueryError
from graph.usage import UsageRow, UsageSummary, usage_of, usage_of_many, zombies

__all__ = ["UsageQuery"]

MAX_DAYS = 3650


def _Day(name: str):  # noqa: N802 - a type alias maker
    return Annotated[datetime.date | None, strawberry.argument(name=name)]


def _error(zh: str, en: str, code: str) -> GraphQLError:
    return GraphQLError(f"{zh} / {en}", extensions={"code": code, "zh": zh, "en": en})


@strawberry.type(description="按部门的调用量 / calls by consuming department")
class UsageByDepartment:
    department: Department | None
    calls: int
    failures: int
    days: int = strawberry.field(description="有调用记录的天数 / days with a record")


@strawberry.type(description="按系统的调用量（无系统的记录 system 为空） / calls by consuming "
                             "system (null: records naming no system)")
class UsageBySystem:
    system: System | None
    calls: int
    failures: int
    days: int


@strawberry.type(description="按应用场景的调用量 / calls by scenario")
class UsageByScenario:
    scenario: str = strawberry.field(description="应用场景（空：未注明） / scenario (empty: none "
                                                 "given)")
    calls: int
    failures: int
    days: int


@strawberry.type(description="按资源的调用量 / calls by resource")
class UsageByResource:
    resource: Resource | None
    calls: int
    failures: int
    days: int


@strawberry.type(description="调用统计汇总 / usage summed over a date range")
class Usage:
    start: datetime.date | None = strawberry.field(name="from")
    end: datetime.date | None = strawberry.field(name="to")
    calls: int
    failures: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    by_department: list[UsageByDepartment]
    by_system: list[UsageBySystem]
    by_scenario: list[UsageByScenario]
    by_resource: list[UsageByResource]


@strawberry.type(description="僵尸数据：N 天内无人调用的共享资源 / zombie data: a shared "
                             "resource no one called in N days")
class ZombieResource:
    resource: Resource
    provider: Department | None
    last_called: datetime.date | None = strawberry.field(
        description="截至 asOf 最后一次被调用的日期（空：从未） / the last day it was called up "
                    "to asOf (null: never)")


def _usage(graph, s: UsageSummary) -> Usage:
    iris = {r.key for rows in (s.by_department, s.by_system, s.by_resource) for r in rows
            if r.key}
    found: dict[str, Entity] = graph.get_many(sorted(iris))

    def rows(lst: list[UsageRow], cls, attr: str) -> list:
        return [cls(**{attr: wrap(found.get(r.key)) if r.key else None}, calls=r.calls,
                    failures=r.failures, days=r.days) for r in lst]

    return Usage(start=s.start, end=s.end, calls=s.calls, failures=s.failures,
                 first_day=s.first_day, last_day=s.last_day,
                 by_department=rows(s.by_department, UsageByDepartment, "department"),
                 by_system=rows(s.by_system, UsageBySystem, "system"),
                 by_scenario=[UsageByScenario(scenario=r.key, calls=r.calls, failures=r.failures,
                                              days=r.days) for r in s.by_scenario],
                 by_resource=rows(s.by_resource, UsageByResource, "resource"))


def _store(info: Info):
    store = info.context.request.app.state.store
    if store is None:
        raise _error("此引擎没有调用统计", "this engine holds no usage statistics", "NO_STORE")
    return store


def _range(start, end) -> None:
    if start and end and start > end:
        raise _error("from 晚于 to", "from is after to", "BAD_ARGUMENT")


def _entity(graph, kind: str, code: str) -> Entity:
    try:
        e = graph.get(f"{kind}:{code}")
    except QueryError:
        raise _error(f"未找到 / not found: {kind}:{code}", f"not found: {kind}:{code}",
                     "NOT_FOUND") from None
    if e.kind != kind:
        raise _error(f"未找到 / not found: {kind}:{code}", f"not found: {kind}:{code}",
                     "NOT_FOUND")
    return e


def _resource_usage(info: Info, resource: str, start, end) -> Usage:
    store, graph = _store(info), info.context.graph
    _range(start, end)
    e = _entity(graph, "resource", resource)
    return _usage(graph, usage_of(store, e.iri, start, end, graph.hidden))


def _responsibility_usage(info: Info, responsibility: str, start, end) -> Usage:
    store, graph = _store(info), info.context.graph
    _range(start, end)
    e = _entity(graph, "responsibility", responsibility)
    produces = e.fields.get("produces") or []
    produced = produces if isinstance(produces, list) else [produces]
    visible = [i for i in produced if graph.visible(i)]
    return _usage(graph, usage_of_many(store, visible, start, end, graph.hidden))


def _zombies(info: Info, days: int, as_of) -> list[ZombieResource]:
    store, graph = _store(info), info.context.graph
    if not 1 <= days <= MAX_DAYS:
        raise _error(f"days 应在 1 到 {MAX_DAYS} 之间", f"days must be 1..{MAX_DAYS}",
                     "BAD_ARGUMENT")
    found = zombies(store, as_of or datetime.date.today(), days, graph.hidden)
    ents = graph.get_many(sorted({z.resource for z in found}
                                 | {z.provider for z in found if z.provider}))
    return [ZombieResource(resource=wrap(ents[z.resource]),
                           provider=wrap(ents.get(z.provider)) if z.provider else None,
                           last_called=z.last_called)
            for z in found if z.resource in ents]


@strawberry.type
class UsageQuery:
    @strawberry.field(description="谁在用这个资源、用了多少、用于什么（按部门、系统、场景；日期含首尾） / "
                      "who uses this resource, how much and for what (by department, system, "
                      "scenario; dates inclusive)")
    async def resource_usage(self, info: Info, resource: str,
                             start: _Day("from") = None,
                             end: _Day("to") = None) -> Usage:
        return await call(_resource_usage, info, resource, start, end)

    @strawberry.field(description="应用成效：职责事项产生的资源被调用的总量 / usage per "
                      "responsibility: calls summed over the resources it produces")
    async def responsibility_usage(self, info: Info, responsibility: str,
                                   start: _Day("from") = None,
                                   end: _Day("to") = None) -> Usage:
        return await call(_responsibility_usage, info, responsibility, start, end)

    @strawberry.field(description="僵尸数据：截至 asOf（默认今天）的 days 天内无人调用的共享资源；"
                      "没有任何调用统计时为空 / zombie data: shared resources no one called in "
                      "the days up to asOf (default today); empty without any usage statistics")
    async def zombie_resources(self, info: Info, days: int = 90,
                               as_of: datetime.date | None = None) -> list[ZombieResource]:
        return await call(_zombies, info, days, as_of)

