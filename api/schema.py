"""The GraphQL schema: lookups by code, Relay-style listings, search and the four questions.

Resolvers are thin: they call the caller's :class:`api.policy.PolicyGraph` (the query layer with
the access policy applied) and wrap what it answers. Errors of the layer become GraphQL errors
with a zh / en message, a stable ``code`` extension and the path of the field.
"""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import asyncio
import datetime
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionResult, Info

from api.access import Limits
from api.asof import AsOfSelect, as_of_directive
from api.audit_types import AuditReport, audit_report
from api.context import call
from api.diff_types import CatalogChanges, resolve_diff
from api.limits import MeasureCache, alias_error, cost_error, depth_error
from api.results import (
    Direction,
    Evidence,
    Granularity,
    Impact,
    Lineage,
    Me,
    OneSourceReport,
    SourceResolution,
    Trace,
)
from api.types import (
    CatalogNode,
    DataElement,
    Department,
    Flow,
    Item,
    Kind,
    Resource,
    Responsibility,
    SharingRequest,
    System,
    wrap,
    wrap_all,
)
from api.workflow_query import WorkflowQuery
from graph import model
from graph.query import MAX_PAGE, Ambiguous, NotFound, QueryError

__all__ = ["build_schema", "Query", "layer_error", "should_mask"]

T = TypeVar("T")
log = logging.getLogger("yishu.api")


def layer_error(e: QueryError) -> GraphQLError:
    """A query-layer error as a GraphQL error (graphql-core adds the path and locations)."""
    code = getattr(e, "code", "BAD_ARGUMENT")
    if isinstance(e, NotFound):
        node = getattr(e, "node", None) or str(e)
        return GraphQLError(f"未找到 / not found: {node}",
                            extensions={"code": "NOT_FOUND", "node": node})
    extra = {"candidates": e.candidates} if isinstance(e, Ambiguous) else {}
    return GraphQLError(str(e), extensions={"code": code, **extra})


async def _ask(fn: Callable[..., T], *args, heavy: bool = False, **kwargs) -> T:
    try:
        return await call(fn, *args, heavy=heavy, **kwargs)
    except QueryError as e:
        raise layer_error(e) from None


@strawberry.type(description="分页信息 / page info")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页 / more pages follow")
    has_previous_page: bool = strawberry.field(description="总为 false（只能向后翻页） / always "
                                               "false (forward pagination only)")
    start_cursor: str | None = strawberry.field(description="首条游标 / first cursor")
    end_cursor: str | None = strawberry.field(description="末条游标，传给 after / last "
                                                 "cursor, pass as after")


@strawberry.type(description="连接中的一条边 / an edge of a connection")
class Edge(Generic[T]):
    node: T = strawberry.field(description="实体 / the entity")
    cursor: str = strawberry.field(description="游标 / cursor")


@strawberry.type(description="分页列表（Relay 连接） / a page of a listing (Relay connection)")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="边 / edges")
    page_info: PageInfo = strawberry.field(description="分页信息 / page info")
    total_count: int = strawberry.field(description="符合条件的总数 / total matching")


@strawberry.input(description="按字段精确筛选 / exact match on a field")
class FieldFilter:
    field: str = strawberry.field(description="字段名（如 sharingType、provider） / field name "
                                  "(e.g. sharingType, provider)")
    value: str = strawberry.field(description="值（中文枚举值、编码或 IRI、是/否） / value "
                                  "(Chinese enum value, code or IRI, 是/否)")


async def _listing(info: Info, kind: str, first: int, after: str | None,
                   text: str | None, where: list[FieldFilter] | None) -> Connection:
    filters = {f.field: f.value for f in where or []} or None
    page = await _ask(info.context.graph.list, kind, filters=filters, text=text, first=first,
                      after=after)
    info.context.prime(page.items)
    edges = [Edge(node=wrap(e), cursor=c) for e, c in zip(page.items, page.cursors, strict=True)]
    return Connection(edges=edges, total_count=page.total, page_info=PageInfo(
        has_next_page=page.has_next, has_previous_page=False,
        start_cursor=page.cursors[0] if page.cursors else None, end_cursor=page.end_cursor))


def _lookup(kind: str, typ: type, zh: str, en: str):
    async def resolve(info: Info, code: str) -> typ | None:  # type: ignore[valid-type]
        e = await _ask(info.context.graph.get, f"{kind}:{code}")
        info.context.prime([e])
        return wrap(e)

    resolve.__annotations__ = {"info": Info, "code": str, "return": typ | None}
    return strawberry.field(resolver=resolve, description=f"按编码查找{zh} / {en} by code")


def _list(kind: str, typ: type, zh: str, en: str):
    async def resolve(info: Info, first: int = 50, after: str | None = None,
                      text: str | None = None,
                      where: list[FieldFilter] | None = None) -> Connection:
        return await _listing(info, kind, first, after, text, where)

    resolve.__annotations__ = {
        "info": Info, "first": int, "after": str | None, "text": str | None,
        "where": list[FieldFilter] | None, "return": Connection[typ]}  # type: ignore[valid-type]
    return strawberry.field(
        resolver=resolve, description=f"{zh}列表，按编码排序（first ≤ {MAX_PAGE}，text 匹配名称，"
        f"where 精确匹配字段） / {en}, by code (first ≤ {MAX_PAGE}; text matches the name; where "
        "matches fields exactly)")


@strawberry.type(description="一数 Yishu 政务数据目录 / Yishu government data catalog")
class Query(WorkflowQuery):
    department: Department | None = _lookup("department", Department, "部门", "a department")
    data_element: DataElement | None = _lookup("element", DataElement, "数据元",
                                                  "a data element")
    responsibility: Responsibility | None = _lookup("responsibility", Responsibility,
                                                       "职责事项", "a responsibility")
    system: System | None = _lookup("system", System, "信息系统", "an information system")
    resource: Resource | None = _lookup("resource", Resource, "数据资源", "a data resource")
    sharing_request: SharingRequest | None = _lookup("request", SharingRequest, "共享需求",
                                                        "a sharing request")
    flow: Flow | None = _lookup("flow", Flow, "数据流", "a flow")

    departments: Connection[Department] = _list("department", Department, "部门", "departments")
    data_elements: Connection[DataElement] = _list("element", DataElement, "数据元",
                                                   "data elements")
    responsibilities: Connection[Responsibility] = _list(
        "responsibility", Responsibility, "职责事项", "responsibilities")
    systems: Connection[System] = _list("system", System, "信息系统", "information systems")
    resources: Connection[Resource] = _list("resource", Resource, "数据资源", "data resources")
    items: Connection[Item] = _list("item", Item, "信息项", "information items")
    sharing_requests: Connection[SharingRequest] = _list("request", SharingRequest, "共享需求",
                                                         "sharing requests")
    flows: Connection[Flow] = _list("flow", Flow, "数据流", "flows")

    @strawberry.field(description="按资源代码和信息项名称查找信息项 / an item by resource code "
                      "and item name")
    async def item(self, info: Info, resource: str, name: str) -> Item | None:
        e = await _ask(info.context.graph.get, f"item:{resource}/{name}")
        return wrap(e)

    @strawberry.field(description="按 IRI、kind:code 或唯一的编码查找任意实体 / any entity by IRI, "
                      "kind:code (resource:RES-HJ, item:RES-HJ/姓名) or a code only one entity "
                      "carries (RES-HJ)")
    async def node(self, info: Info, id: str) -> CatalogNode | None:
        e = await _ask(info.context.graph.get, id)
        info.context.prime([e])
        return wrap(e)

    @strawberry.field(description="中文检索编码、名称、同义词 / search codes, names, synonyms")
    async def search(self, info: Info, text: str, kinds: list[Kind] | None = None,
                     first: int = 20) -> list[CatalogNode]:
        if not 0 < first <= MAX_PAGE:
            raise GraphQLError(f"first 应在 1 到 {MAX_PAGE} 之间 / first must be 1..{MAX_PAGE}",
                               extensions={"code": "BAD_ARGUMENT"})
        found = await _ask(info.context.graph.search, text,
                           kinds=[k.value for k in kinds] if kinds else None, first=first)
        info.context.prime(found)
        return wrap_all(found)

    @strawberry.field(description="血缘：上游（来自哪里）或下游（谁依赖它） / lineage: upstream "
                      "(where it comes from) or downstream (who depends on it)")
    async def lineage(self, info: Info, node: str, direction: Direction = Direction.UPSTREAM,
                      depth: int = 3, granularity: Granularity = Granularity.RESOURCE,
                      first: int | None = None, after: str | None = None,
                      evidence: Evidence = Evidence.ANY) -> Lineage:
        lin = await _ask(info.context.graph.lineage, node, model.Direction(direction.value),
                         depth, model.Granularity(granularity.value), first=first, after=after,
                         evidence=model.Evidence(evidence.value), heavy=True)
        info.context.prime([n.entity for n in lin.nodes])
        return Lineage(lin=lin)

    @strawberry.field(description="溯源：从信息项（或资源）追溯到权威来源 / trace an item (or "
                      "a resource's items) back to the authoritative source")
    async def trace_source(self, info: Info, node: str,
                           evidence: Evidence = Evidence.ANY) -> Trace:
        return Trace(t=await _ask(info.context.graph.trace_source, node,
                                  model.Evidence(evidence.value), heavy=True))

    @strawberry.field(description="一数一源：数据元的唯一权威来源（按编码、标准名称或同义词） / "
                      "one data, one source: the authoritative source of a data element (by "
                      "code, standard name or synonym)")
    async def resolve_source(self, info: Info, element: str) -> SourceResolution:
        return SourceResolution(r=await _ask(info.context.graph.resolve_source, element,
                                             heavy=True))

    @strawberry.field(description="一数一源报告（全目录或某部门）与重复采集 / one-source report "
                      "with re-collections (whole catalog or one department)")
    async def one_source_report(self, info: Info,
                                department: str | None = None) -> OneSourceReport:
        return OneSourceReport(r=await _ask(info.context.graph.one_source_report, department,
                                            heavy=True))

    @strawberry.field(description="影响分析：变更后受影响的下游 / impact: everything downstream "
                      "that breaks or goes stale if the node changes")
    async def impact(self, info: Info, node: str, depth: int = 5,
                     evidence: Evidence = Evidence.ANY) -> Impact:
        return Impact(i=await _ask(info.context.graph.impact, node, depth,
                                   model.Evidence(evidence.value), heavy=True))

    @strawberry.field(description="审计：得分（总分、部门、维度）、考核指标和发现，按角色过滤；"
                      "asOf 为其他日期时现场计算 / the audit: scores, figures and findings as "
                      "you may see them; another asOf date is computed on the spot")
    async def audit(self, info: Info, department: str | None = None,
                    as_of: datetime.date | None = None) -> AuditReport:
        return await audit_report(info, department, as_of)

    @strawberry.field(description="两个时刻之间目录的变化：按部门和类别的实体增删与字段变化、血缘边、"
                      "一数一源状态 / what changed between two instants: entities and fields by "
                      "department and kind, lineage edges, one-source statuses")
    async def diff(self, info: Info,
                   from_: Annotated[datetime.datetime, strawberry.argument(name="from")],
                   to: datetime.datetime, department: str | None = None) -> CatalogChanges:
        return await resolve_diff(info, from_, to, department)

    @strawberry.field(description="当前调用者与其权限 / the caller and what it may see")
    def me(self, info: Info) -> Me:
        ctx = info.context
        return Me(caller=ctx.caller, role=ctx.role.name, sees_persons=ctx.graph.persons,
                  sees_phones=ctx.graph.phones, sees_classified=ctx.graph.classified)


def should_mask(error: GraphQLError) -> bool:
    """Hide anything that is not a deliberate, user-facing error (no internals leak)."""
    original = error.original_error
    return original is not None and not isinstance(original, (GraphQLError, QueryError))


MASKED = "服务器内部错误，已记录 / internal error (logged)"


class QueryLimits(SchemaExtension):
    """Alias, depth and cost limits (:mod:`api.limits`), the cost limit by the caller's role.
    Runs before validation (some of graphql-core's and Strawberry's rules expand fragments):
    the query is measured once per text (the measures are cached) and a refused one raises
    before any other rule or resolver runs."""

    def __init__(self, limits: Limits, cache: MeasureCache):
        self.limits = limits
        self.cache = cache

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.graphql_document is not None:
            role = getattr(ec.context, "role", None)
            anonymous = role is None or role.name == "anonymous"
            max_cost = self.limits.max_cost_anonymous if anonymous else self.limits.max_cost
            for op, m in self.cache.get(ec.schema._schema, ec.query or "", ec.graphql_document,
                                        ec.operation_name):
                if m.depth > self.limits.max_depth:
                    raise depth_error(m, self.limits.max_depth)
                if m.aliases > self.limits.max_aliases:
                    raise alias_error(m, self.limits.max_aliases)
                if m.cost > max_cost:
                    raise cost_error(m, max_cost, op, anonymous)
        yield


def timeout_error(seconds: float) -> GraphQLError:
    return GraphQLError(
        f"查询超时：超过 {seconds:g} 秒的时间预算，已停止 / query timed out: over the time budget "
        f"of {seconds:g} s, stopped — 请缩小查询（depth、first、别名） / narrow the query (depth, "
        "first, aliases)", extensions={"code": "QUERY_TIMEOUT", "seconds": seconds})


class YishuSchema(strawberry.Schema):
    time_budget: float = 0.0  # seconds a request may take (0: no budget)

    async def execute(self, *args, **kwargs):
        """Every request within the time budget: past it, the answer is a QUERY_TIMEOUT error
        (the query layer's threads it left are abandoned and end on their own)."""
        if not self.time_budget:
            return await super().execute(*args, **kwargs)
        try:
            return await asyncio.wait_for(super().execute(*args, **kwargs), self.time_budget)
        except TimeoutError:
            err = timeout_error(self.time_budget)
            log.warning("graphql: %s", err.message)
            return ExecutionResult(data=None, errors=[err])

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        """Log user errors in one line, unexpected ones with their traceback (server side
        only: the response carries the masked message)."""
        for e in errors:
            original = e.original_error
            if original is None or isinstance(original, (GraphQLError, QueryError)):
                log.info("graphql: %s (path %s)", e.message, e.path)
            else:
                log.error("graphql: unexpected error at path %s", e.path, exc_info=original)


def build_schema(limits: Limits) -> strawberry.Schema:
    # Validation rule classes are made once: the validation cache keys on them.
    from strawberry.tools import merge_types

    from api.usage_api import UsageQuery
    from api.workflow_api import Mutation

    measures = MeasureCache(256)
    schema = YishuSchema(
        query=merge_types("Query", (Query, UsageQuery)),
        mutation=Mutation,
        types=[Department, DataElement, Responsibility, System, Resource, Item, SharingRequest,
               Flow],
        extensions=[
            # parsing, limits and validation (which do not depend on variables) are cached per
            # query text; a client repeating a query with new variables skips them
            lambda: ParserCache(maxsize=256),
            lambda: QueryLimits(limits, measures),  # aliases, depth and cost, before validation
            lambda: ValidationCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            lambda: MaskErrors(should_mask_error=should_mask, error_message=MASKED),
            AsOfSelect,  # query @asOf(at: …): the whole request reads that past (api/asof.py)
        ],
        directives=[as_of_directive],
    )
    schema.time_budget = limits.max_seconds
    return schema

