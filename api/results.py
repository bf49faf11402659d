"""GraphQL types of the query layer's answers: traces, one-source resolution, impact, the
caller. The lineage answer's types are in :mod:`api.lineage_types` (re-exported here)."""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

from enum import Enum

import strawberry
from strawberry.types import Info

from api.lineage_types import Direction, EdgeEvidence, Evidence, Granularity, Lineage
from api.types import (
    CatalogNode,
    DataElement,
    Department,
    Item,
    Resource,
    Responsibility,
    System,
    wrap,
    wrap_all,
)
from graph import model

__all__ = ["Direction", "Granularity", "SourceStatus", "Lineage", "Trace", "SourceResolution",
           "OneSourceReport", "Impact", "StatusCount", "Me", "Evidence"]


@strawberry.enum(description="一数一源状态 / one-source status")
class SourceStatus(Enum):
    RESOLVED = strawberry.enum_value("RESOLVED", description="唯一且在指定部门 / exactly one, "
                                     "in the designated department")
    CONFLICT = strawberry.enum_value("CONFLICT", description="多个权威来源 / more than one "
                                     "authoritative item")
    MISMATCH = strawberry.enum_value("MISMATCH", description="权威来源不在指定部门 / the "
                                     "authoritative item is outside the designated department")
    MISSING = strawberry.enum_value("MISSING", description="无权威来源 / none")


@strawberry.type(description="溯源的一跳 / one hop of a source trace")
class Hop:
    h: strawberry.Private[model.Hop]

    @strawberry.field(description="信息项 / item")
    def item(self) -> Item:
        return wrap(self.h.item)

    @strawberry.field(description="资源 / resource")
    def resource(self) -> Resource:
        return wrap(self.h.resource)

    @strawberry.field(description="提供方部门 / providing department")
    def department(self) -> Department | None:
        return wrap(self.h.department)

    @strawberry.field(description="来源系统 / source system")
    def system(self) -> System | None:
        return wrap(self.h.system)

    @strawberry.field(description="经由平台 / platform")
    def platform(self) -> str | None:
        return self.h.platform

    @strawberry.field(description="交换方式 / exchange method")
    def method(self) -> str | None:
        return self.h.method

    @strawberry.field(description="产生该资源的职责事项 / responsibilities producing it")
    def responsibilities(self) -> list[Responsibility]:
        return wrap_all(self.h.responsibilities)

    @strawberry.field(description="设定依据 / legal basis")
    def legal_basis(self) -> list[str]:
        return list(self.h.legal_basis)

    @strawberry.field(description="本信息项取自下一跳的依据（末跳为空） / how this hop's item is "
                      "known to come from the next hop's (none on the last hop)")
    def evidence(self) -> EdgeEvidence | None:
        return EdgeEvidence(self.h.evidence) if self.h.evidence else None


@strawberry.type(description="溯源 / source trace")
class Trace:
    t: strawberry.Private[model.Trace]

    @strawberry.field(description="起点 / start")
    def start(self) -> CatalogNode:
        return wrap(self.t.start)

    @strawberry.field(description="各跳（起点在前，权威来源在后） / hops, start first")
    def hops(self) -> list[Hop]:
        return [Hop(h=h) for h in self.t.hops]

    @strawberry.field(description="是否追溯到权威来源 / whether it reached the authoritative item")
    def reached_authoritative(self) -> bool:
        return self.t.reached_authoritative

    @strawberry.field(description="中断原因 / why the chain stops short")
    def break_reason(self) -> str | None:
        return self.t.break_reason

    @strawberry.field(description="中断代码 / break code")
    def break_code(self) -> str | None:
        return self.t.break_code

    @strawberry.field(description="中断前最后一个信息项 / last item reached before the break")
    def break_at(self) -> strawberry.ID | None:
        return strawberry.ID(self.t.break_at) if self.t.break_at else None

    @strawberry.field(description="资源起点时，每个信息项的溯源 / per item, for a resource")
    def item_traces(self) -> list["Trace"]:
        return [Trace(t=t) for t in self.t.item_traces]


@strawberry.type(description="权威来源候选 / authoritative candidate")
class Candidate:
    c: strawberry.Private[model.Candidate]

    @strawberry.field(description="信息项 / item")
    def item(self) -> Item:
        return wrap(self.c.item)

    @strawberry.field(description="资源 / resource")
    def resource(self) -> Resource:
        return wrap(self.c.resource)

    @strawberry.field(description="部门 / department")
    def department(self) -> Department | None:
        return wrap(self.c.department)

    @strawberry.field(description="系统 / system")
    def system(self) -> System | None:
        return wrap(self.c.system)


@strawberry.type(description="一数一源判定 / one-source resolution of a data element")
class SourceResolution:
    r: strawberry.Private[model.SourceResolution]

    @strawberry.field(description="数据元 / data element")
    def element(self) -> DataElement:
        return wrap(self.r.element)

    @strawberry.field(description="状态 / status")
    def status(self) -> SourceStatus:
        return SourceStatus(self.r.status.value)

    @strawberry.field(description="指定的权威部门 / designated department")
    def designated_department(self) -> Department | None:
        return wrap(self.r.designated_department)

    @strawberry.field(description="标为权威的信息项 / items marked authoritative")
    def candidates(self) -> list[Candidate]:
        return [Candidate(c=c) for c in self.r.candidates]

    @strawberry.field(description="匹配方式：code、name 或 synonym / matched by")
    def matched_by(self) -> str:
        return self.r.matched_by


@strawberry.type(description="重复采集 / independent re-collection")
class Recollection:
    r: strawberry.Private[model.Recollection]

    @strawberry.field(description="信息项 / item")
    def item(self) -> Item:
        return wrap(self.r.item)

    @strawberry.field(description="数据元 / data element")
    def element(self) -> DataElement:
        return wrap(self.r.element)

    @strawberry.field(description="应取自的权威信息项 / the authoritative item")
    def authoritative_item(self) -> Item:
        return wrap(self.r.authoritative_item)

    @strawberry.field(description="应有的获取路径（资源） / the path it should have had")
    async def expected_path(self, info: Info) -> list[Resource]:
        return wrap_all(await info.context.entity_list(list(self.r.expected_path)))


@strawberry.type(description="计数 / count per status")
class StatusCount:
    status: str
    count: int


@strawberry.type(description="一数一源报告 / one-source report")
class OneSourceReport:
    r: strawberry.Private[model.OneSourceReport]

    @strawberry.field(description="部门（为空表示全目录） / department (null: whole catalog)")
    def department(self) -> Department | None:
        return wrap(self.r.department)

    @strawberry.field(description="各数据元判定 / resolutions")
    def resolutions(self) -> list[SourceResolution]:
        return [SourceResolution(r=r) for r in self.r.resolutions]

    @strawberry.field(description="重复采集 / re-collections")
    def recollections(self) -> list[Recollection]:
        return [Recollection(r=r) for r in self.r.recollections]

    @strawberry.field(description="计数 / counts")
    def counts(self) -> list[StatusCount]:
        return [StatusCount(status=k, count=v) for k, v in sorted(self.r.counts.items())]


@strawberry.type(description="影响分析 / impact of a change")
class Impact:
    i: strawberry.Private[model.Impact]

    @strawberry.field(description="根节点 / root")
    def root(self) -> CatalogNode:
        return wrap(self.i.root)

    @strawberry.field(description="深度 / depth")
    def depth(self) -> int:
        return self.i.depth

    @strawberry.field(description="受影响的资源 / resources")
    def resources(self) -> list[Resource]:
        return wrap_all(self.i.resources)

    @strawberry.field(description="受影响的信息项 / items")
    def items(self) -> list[Item]:
        return wrap_all(self.i.items)

    @strawberry.field(description="受影响的系统 / systems")
    def systems(self) -> list[System]:
        return wrap_all(self.i.systems)

    @strawberry.field(description="受影响的部门 / departments")
    def departments(self) -> list[Department]:
        return wrap_all(self.i.departments)

    @strawberry.field(description="受影响的职责事项 / responsibilities")
    def responsibilities(self) -> list[Responsibility]:
        return wrap_all(self.i.responsibilities)

    @strawberry.field(description="是否被深度限制截断 / whether the depth limit cut it")
    def truncated(self) -> bool:
        return self.i.truncated


@strawberry.type(description="当前调用者 / the caller")
class Me:
    caller: str = strawberry.field(description="密钥名称 / name of the key")
    role: str = strawberry.field(description="角色 / role")
    sees_persons: bool = strawberry.field(description="可见人员姓名 / sees persons' names")
    sees_phones: bool = strawberry.field(description="可见联系电话 / sees phone numbers")
    sees_classified: bool = strawberry.field(description="可见涉密条目 / sees 涉密 entries")
