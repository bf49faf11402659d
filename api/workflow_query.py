"""GraphQL reads of the sharing procedures (issue 13): the KPIs from recorded steps as of a date
(beside the sharing.csv-based figures), and the write log for governance staff.

The write log is for roles ``governance`` and ``admin`` only (:func:`api.workflow_policy.
may_read_log`); anyone else gets FORBIDDEN. Its pages are cut with the project's signed cursors
(:mod:`graph.cursors`), counted from the oldest entry so that new writes never shift a page.
"""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime

import strawberry
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from api.workflow_log import LogPage, log_page
from api.workflow_policy import may_read_log
from graph.iris import code_of, mint
from graph.workflow_deadlines import deployment_limits
from graph.workflow_kpis import Kpi, sharing_kpis
from graph.workflow_store import BEIJING

__all__ = ["WorkflowQuery"]


@strawberry.type(description="一项考核指标 / one KPI")
class SharingKpi:
    key: str
    zh: str
    en: str
    numerator: int
    denominator: int
    pending: int = strawberry.field(description="截至该日仍在办理的件数（计入分母） / still "
                                               "pending on the date (in the denominator)")
    value: float | None
    target: float | None
    meets_target: bool | None


@strawberry.type(description="共享考核指标：由办理环节计算（截至某日），旁列 sharing.csv 登记的数字 / "
                             "sharing KPIs computed from recorded steps as of a date, beside the "
                             "figures typed into sharing.csv")
class SharingKpis:
    as_of: datetime.date
    department: str | None
    from_steps: list[SharingKpi]
    from_sharing_csv: list[SharingKpi] = strawberry.field(
        description="sharing.csv 登记的同名指标（不随日期变化） / the same figures as typed into "
                    "sharing.csv (not dated)")


def _kpi(k: Kpi) -> SharingKpi:
    return SharingKpi(key=k.key, zh=k.zh, en=k.en, numerator=k.numerator,
                      denominator=k.denominator, pending=k.pending, value=k.value,
                      target=k.target, meets_target=k.meets_target)


def _csv_figures(store, dept_iri: str | None) -> list[SharingKpi]:
    from shapes.figures import compute_figures

    keys = ("on_demand_sharing", "answered_within_minute", "answered_within_day")
    every = compute_figures(store)
    figs = every.get(dept_iri)
    out = []
    for key in keys:
        f = figs[key] if figs else None
        base = every[None][key]
        out.append(SharingKpi(key=key, zh=base.zh, en=base.en,
                              numerator=f.numerator if f else 0,
                              denominator=f.denominator if f else 0, pending=0,
                              value=f.value if f else None, target=base.target,
                              meets_target=f.meets_target if f else None))
    return out


def _kpis(info: Info, as_of: datetime.date | None, department: str | None) -> SharingKpis:
    store = info.context.request.app.state.store
    if store is None:
        raise GraphQLError("此引擎不支持办理数据 / this engine holds no workflow data",
                           extensions={"code": "NO_STORE"})
    day = as_of or datetime.datetime.now(BEIJING).date()
    dept = mint("department", department, store.base) if department else None
    all_kpis = sharing_kpis(store, day, deployment_limits())
    mine = all_kpis.get(dept) if dept else all_kpis[None]
    if mine is None:  # a department with no case: zero of zero
        mine = {k: Kpi(k, v.zh, v.en, 0, 0, 0, v.target) for k, v in all_kpis[None].items()}
    return SharingKpis(as_of=day, department=department,
                       from_steps=[_kpi(k) for k in mine.values()],
                       from_sharing_csv=_csv_figures(store, dept))


@strawberry.type(description="写操作日志的一条 / one write-log entry")
class WriteLogEntry:
    actor: str
    department: str | None
    at: str
    operation: str
    target: str | None
    outcome: str
    comment: str


@strawberry.type(description="写操作日志的一页（新在前） / one page of the write log, newest "
                             "first")
class WriteLogPage:
    entries: list[WriteLogEntry]
    total: int
    has_next_page: bool
    end_cursor: str | None


def _page_out(page: LogPage, base: str) -> WriteLogPage:
    return WriteLogPage(
        entries=[WriteLogEntry(actor=e.actor,
                               department=code_of(e.department, base) if e.department else None,
                               at=e.at.isoformat(), operation=e.operation,
                               target=e.target or None, outcome=e.outcome, comment=e.comment)
                 for e in page.entries],
        total=page.total, has_next_page=page.end_cursor is not None,
        end_cursor=page.end_cursor)


def _write_log(info: Info, first: int, after: str | None, actor: str | None,
               department: str | None, operation: str | None,
               since: datetime.datetime | None) -> WriteLogPage:
    ctx = info.context
    denied = may_read_log(ctx.role)
    if denied is not None:
        raise GraphQLError(f"{denied[0]} / {denied[1]}",
                           extensions={"code": "FORBIDDEN", "zh": denied[0], "en": denied[1]})
    store = ctx.request.app.state.store
    if store is None:
        raise GraphQLError("此引擎不支持办理数据 / this engine holds no workflow data",
                           extensions={"code": "NO_STORE"})
    try:
        page = log_page(store, first=first, after=after, actor=actor, department=department,
                        operation=operation, since=since, role=ctx.role.name)
    except ValueError as e:
        zh, _, en = str(e).partition(" / ")
        code = getattr(e, "code", "BAD_REQUEST")
        raise GraphQLError(str(e), extensions={"code": code, "zh": zh, "en": en}) from None
    return _page_out(page, store.base)


@strawberry.type
class WorkflowQuery:
    @strawberry.field(description="共享考核指标（按需共享率、分钟级需求满足率、一日内答复率、异议按时"
                                  "处置率），由办理环节计算，截至 asOf（默认今天，北京时间）；department："
                                  "提供部门编码 / the sharing KPIs from recorded steps as of a date "
                                  "(default today, Beijing time), for one providing department or "
                                  "all")
    async def sharing_kpis(self, info: Info, as_of: datetime.date | None = None,
                           department: str | None = None) -> SharingKpis:
        return await run_in_threadpool(_kpis, info, as_of, department)

    @strawberry.field(description="写操作日志（仅数据治理人员、管理员；新在前，first ≤ 500） / the "
                                  "write log (governance and admin only; newest first, "
                                  "first ≤ 500)")
    async def write_log(self, info: Info, first: int = 50, after: str | None = None,
                        actor: str | None = None, department: str | None = None,
                        operation: str | None = None,
                        since: datetime.datetime | None = None) -> WriteLogPage:
        return await run_in_threadpool(_write_log, info, first, after, actor, department,
                                       operation, since)
