"""GraphQL types of the audit: ``audit(department, asOf)`` gives scores (overall, per department,
per dimension), the seed figures against their targets and the findings, as the caller may see
them (:mod:`api.audit_api`)."""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime

import strawberry
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from api.audit_api import audit_for, scoped
from shapes.scores import DIMENSIONS, rating

__all__ = ["AuditReport", "audit_report"]


@strawberry.type(description="某级别的发现数 / findings at one severity")
class SeverityCount:
    severity: str
    count: int


@strawberry.type(description="考核指标 / a figure against its target")
class AuditFigure:
    key: str
    zh: str
    en: str
    value: float | None
    target: float | None
    meets_target: bool | None
    numerator: int
    denominator: int


@strawberry.type(description="维度得分 / score in one quality dimension")
class DimensionScore:
    key: str
    zh: str
    en: str
    score: float | None


@strawberry.type(description="部门得分 / a department's score")
class DepartmentScore:
    code: str
    name: str
    score: float | None
    rating: str = strawberry.field(description="评级 / rating (zh / en)")
    violations: int
    findings: int
    dimensions: list[DimensionScore]


@strawberry.type(description="审计发现 / a finding")
class AuditFinding:
    rule: str
    severity: str
    dimension: str
    kind: str
    code: str
    label: str
    department: str | None
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    values: list[str]


@strawberry.type(description="审计结果（按角色过滤） / the audit, as the caller may see it")
class AuditReport:
    as_of: datetime.date
    finished_at: str | None
    score: float | None = strawberry.field(description="范围内总分 / score of the scope")
    rating: str
    counts: list[SeverityCount]
    figures: list[AuditFigure]
    _departments: strawberry.Private[list[DepartmentScore]]
    _findings: strawberry.Private[list[AuditFinding]]

    @strawberry.field(description="部门得分，最差在前 / department scores, worst first")
    def departments(self, first: int = 100) -> list[DepartmentScore]:
        return self._departments[:max(0, min(first, 1000))]

    @strawberry.field(description="审计发现（严重在前） / findings, most severe first")
    def findings(self, first: int = 100) -> list[AuditFinding]:
        return self._findings[:max(0, min(first, 5000))]


def _report(result, status: dict) -> AuditReport:
    overall = result.scores.get(None) if result.department is None else result.scores.get(
        result.department)
    viol: dict[str, int] = {}
    every: dict[str, int] = {}
    for f in result.findings:
        if f.department:
            every[f.department] = every.get(f.department, 0) + 1
            viol[f.department] = viol.get(f.department, 0) + (f.severity == "Violation")
    depts = []
    for code, name in result.departments.items():
        s = result.scores.get(code)
        if s is None:
            continue
        zh, en = rating(s.score)
        depts.append(DepartmentScore(
            code=code, name=name, score=s.score, rating=f"{zh} / {en}",
            violations=viol.get(code, 0), findings=every.get(code, 0),
            dimensions=[DimensionScore(key=k, zh=DIMENSIONS.get(k, (k, k))[0],
                                       en=DIMENSIONS.get(k, (k, k))[1], score=x)
                        for k, x in s.dimension_scores().items()]))
    depts.sort(key=lambda d: (d.score is None, d.score or 0, d.code))
    zh, en = rating(overall.score if overall else None)
    return AuditReport(
        as_of=result.as_of, finished_at=status.get("finished_at"),
        score=overall.score if overall else None, rating=f"{zh} / {en}",
        counts=[SeverityCount(severity=s, count=result.count(s))
                for s in ("Violation", "Warning", "Info")],
        figures=[AuditFigure(key=f.key, zh=f.zh, en=f.en, value=f.value, target=f.target,
                             meets_target=f.meets_target, numerator=f.numerator,
                             denominator=f.denominator)
                 for f in result.figures.get(None, {}).values()],
        _departments=depts,
        _findings=[AuditFinding(rule=f.rule, severity=f.severity, dimension=f.dimension,
                                kind=f.kind, code=f.code, label=f.label, department=f.department,
                                message_zh=f.message_zh, message_en=f.message_en,
                                fix_zh=f.fix_zh, fix_en=f.fix_en, values=list(f.values))
                   for f in result.findings])


async def audit_report(info: Info, department: str | None,
                       as_of: datetime.date | None) -> AuditReport:
    ctx = info.context
    past = getattr(ctx, "catalog", None)  # query @asOf(…): the audit of that past catalog
    if past is not None:
        from api.asof import audit_as_of

        result = await run_in_threadpool(audit_as_of, past, as_of, ctx.graph.deleted(past))
        status = {"state": "done", "as_of": result.as_of.isoformat()}
    else:
        result, status = await run_in_threadpool(audit_for, ctx.request, ctx.graph, as_of)
    if result is None:
        raise GraphQLError("审计结果尚未就绪 / the audit is not ready yet",
                           extensions={"code": "NOT_READY"})
    mine = scoped(ctx.graph, result, department)
    if mine is None:
        raise GraphQLError(f"未找到 / not found: department:{department}",
                           extensions={"code": "NOT_FOUND", "node": f"department:{department}"})
    return _report(mine, status)
