"""GraphQL types of the lineage answer: its nodes and edges, the evidence an edge rests on
(declared, observed by running jobs, both) and what was observed; the Direction/Granularity
enums of the query layer."""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

from enum import Enum

import strawberry
from strawberry.types import Info

from api.context import call
from api.types import CatalogNode, wrap
from graph import model

__all__ = ["Direction", "Granularity", "Evidence", "EdgeEvidence", "Observation", "LineageEdge",
           "LineageNode", "Lineage", "observations"]


# The query layer's own enums (graph.model), shown in GraphQL: one Direction/Granularity pair.
Direction = strawberry.enum(model.Direction, description="方向 / direction")
Granularity = strawberry.enum(model.Granularity, description="粒度 / granularity")


@strawberry.enum(description="血缘依据（提问时） / which lineage a question follows")
class Evidence(Enum):
    DECLARED = strawberry.enum_value("DECLARED", description="目录登记的（上游资源代码、来源资源代码、"
                                     "数据流） / what the catalog declares")
    OBSERVED = strawberry.enum_value("OBSERVED", description="运行中观测到的（OpenLineage） / "
                                     "what running jobs were seen doing (OpenLineage)")
    ANY = strawberry.enum_value("ANY", description="两者皆可 / either")


@strawberry.enum(description="一条边的依据 / how an edge is known")
class EdgeEvidence(Enum):
    DECLARED = strawberry.enum_value("DECLARED", description="仅登记 / declared only")
    OBSERVED = strawberry.enum_value("OBSERVED", description="仅观测到（未登记的数据流） / observed "
                                     "only (an unregistered flow)")
    BOTH = strawberry.enum_value("BOTH", description="登记且观测到 / declared and observed")


@strawberry.type(description="观测记录 / what running jobs showed")
class Observation:
    jobs: list[str] = strawberry.field(description="观测到的作业（namespace/name） / the jobs seen")
    last_seen: str | None = strawberry.field(description="最近一次观测时间 / last seen")


@strawberry.type(description="血缘边（沿数据流动方向） / lineage edge (the way data moves)")
class LineageEdge:
    edge: strawberry.Private[model.Edge]

    @strawberry.field(description="上游端 IRI / upstream end")
    def source_id(self) -> strawberry.ID:
        return strawberry.ID(self.edge.source)

    @strawberry.field(description="下游端 IRI / downstream end")
    def target_id(self) -> strawberry.ID:
        return strawberry.ID(self.edge.target)

    @strawberry.field(description="边类型（如 DERIVED_FROM、FLOW） / edge type")
    def type(self) -> str:
        return self.edge.type

    @strawberry.field(description="承载的数据流 IRI / the flow carrying it")
    def via_id(self) -> strawberry.ID | None:
        return strawberry.ID(self.edge.via) if self.edge.via else None

    @strawberry.field(description="依据：登记、观测到或两者 / evidence: declared, observed or "
                      "both")
    def evidence(self) -> EdgeEvidence:
        return EdgeEvidence(self.edge.evidence or "DECLARED")

    @strawberry.field(description="观测到时：由哪些作业、最近何时 / when observed: by which "
                      "jobs, last seen when")
    async def observation(self, info: Info) -> Observation | None:
        if self.edge.evidence not in ("OBSERVED", "BOTH"):
            return None
        seen = await observations(info, self.edge.type == "ITEM_DERIVED_FROM")
        found = seen.get((self.edge.target, self.edge.source))
        return Observation(jobs=list(found[0]), last_seen=found[1]) if found else None

    @strawberry.field(description="上游端 / upstream end")
    async def source(self, info: Info) -> CatalogNode | None:
        return wrap(await info.context.entity(self.edge.source))

    @strawberry.field(description="下游端 / downstream end")
    async def target(self, info: Info) -> CatalogNode | None:
        return wrap(await info.context.entity(self.edge.target))


async def observations(info: Info, items: bool) -> dict[tuple[str, str], tuple[tuple[str, ...],
                                                                                str | None]]:
    """(downstream, upstream) -> (jobs, last seen) of the observed edges, once per request."""
    cache = info.context.__dict__.setdefault("_observations", {})
    if items not in cache:
        store = info.context.request.app.state.store
        if store is None:
            cache[items] = {}
        else:
            from graph.observed import observed_edges

            policy = info.context.graph

            def answer():  # over the caller's view (api.policy.PolicyGraph.deleted)
                return observed_edges(store, items=items, without=policy.deleted(store))

            found = await call(answer)
            cache[items] = {(e.down, e.up): (tuple(_job_name(j) for j in e.jobs), e.last_seen)
                            for e in found}
    return cache[items]


def _job_name(iri: str) -> str:
    """``<base>lineage/job/<namespace>/<name>`` → ``namespace/name`` (as the jobs call
    themselves)."""
    from urllib.parse import unquote

    _, _, rest = iri.partition("lineage/job/")
    return unquote(rest) if rest else iri


@strawberry.type(description="血缘节点 / lineage node")
class LineageNode:
    n: strawberry.Private[model.LineageNode]

    @strawberry.field(description="实体 / the entity")
    def node(self) -> CatalogNode:
        return wrap(self.n.entity)

    @strawberry.field(description="距根节点的跳数 / hops from the root")
    def depth(self) -> int:
        return self.n.depth

    @strawberry.field(description="自根节点起的最短路径（IRI） / shortest paths from the root")
    def paths(self) -> list[list[strawberry.ID]]:
        return [[strawberry.ID(i) for i in p] for p in self.n.paths]

    @strawberry.field(description="自身敏感级别 / own classification level")
    def sensitivity(self) -> str | None:
        return self.n.sensitivity

    @strawberry.field(description="自身及上游最严格的级别 / strictest level upstream")
    def upstream_sensitivity(self) -> str | None:
        return self.n.upstream_sensitivity

    @strawberry.field(description="自身级别低于上游 / less strict than its upstream")
    def below_upstream(self) -> bool:
        return self.n.below_upstream


@strawberry.type(description="血缘子图 / lineage subgraph")
class Lineage:
    lin: strawberry.Private[model.Lineage]

    @strawberry.field(description="根节点 / root")
    def root(self) -> CatalogNode:
        return wrap(self.lin.root)

    @strawberry.field(description="方向 / direction")
    def direction(self) -> Direction:
        return Direction(self.lin.direction.value)

    @strawberry.field(description="粒度 / granularity")
    def granularity(self) -> Granularity:
        return Granularity(self.lin.granularity.value)

    @strawberry.field(description="深度 / depth asked")
    def depth(self) -> int:
        return self.lin.depth

    @strawberry.field(description="节点（按深度排序） / nodes, by depth")
    def nodes(self) -> list[LineageNode]:
        return [LineageNode(n=n) for n in self.lin.nodes]

    @strawberry.field(description="边 / edges")
    def edges(self) -> list[LineageEdge]:
        return [LineageEdge(edge=e) for e in self.lin.edges]

    @strawberry.field(description="是否被深度限制截断 / whether the depth limit cut it")
    def truncated(self) -> bool:
        return self.lin.truncated

    @strawberry.field(description="环（IRI） / cycles found")
    def cycles(self) -> list[list[strawberry.ID]]:
        return [[strawberry.ID(i) for i in c] for c in self.lin.cycles]

    @strawberry.field(description="节点总数（含根） / number of nodes (root included)")
    def total_nodes(self) -> int:
        return self.lin.total_nodes

    @strawberry.field(description="下一页游标 / cursor of the next page")
    def end_cursor(self) -> str | None:
        return self.lin.end_cursor

    @strawberry.field(description="是否还有下一页 / whether more nodes follow")
    def has_next(self) -> bool:
        return self.lin.has_next
