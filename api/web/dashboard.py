"""Audit dashboard for governance staff: the figures against their targets, departments ranked
(by score or by any dimension), the score distribution, findings filtered by rule, severity,
department and kind (each linking to its entity), downloads, the time of the result and the
progress of a new one."""

from __future__ import annotations

import io
from collections import Counter
from functools import partial
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from api.web.audits import current, visible
from api.web.view import PAGE, View, call, render
from shapes.scores import DIMENSIONS, rating

router = APIRouter()
SHOWN = 300  # findings listed on the page (the downloads have all)
RANKED = 60  # departments listed in the ranking unless all are asked for (?all=1)
BUCKETS = [(90, 100.01, "≥ 90"), (75, 90, "75–90"), (60, 75, "60–75"), (0, 60, "< 60")]
FILTERS = ("rule", "severity", "department", "kind")


def ranking(result, findings: list, sort: str, order: str) -> list[dict]:
    viol = Counter(f.department for f in findings if f.severity == "Violation")
    every = Counter(f.department for f in findings)
    rows = []
    for code, name in result.departments.items():
        s = result.scores.get(code)
        if s is None:
            continue
        rows.append({"code": code, "name": name, "score": s.score, "rating": rating(s.score),
                     "dims": s.dimension_scores(), "violations": viol[code],
                     "findings": every[code]})

    if not sort:
        return sorted(rows, key=lambda r: r["code"])

    def value(r):
        if sort == "score":
            return r["score"]
        return r[sort] if sort in ("violations", "findings") else r["dims"].get(sort)

    present = sorted((r for r in rows if value(r) is not None), key=lambda r: r["code"])
    present.sort(key=value, reverse=order == "desc")
    rows = present + [r for r in rows if value(r) is None]
    return rows


def _filtered(findings: list, chosen: dict[str, str]) -> list:
    return [f for f in findings if all(not want or getattr(f, k) == want
                                       for k, want in chosen.items())]


def _distribution(rows: list[dict]) -> list[tuple[str, int]]:
    return [(name, sum(1 for r in rows if r["score"] is not None and lo <= r["score"] < hi))
            for lo, hi, name in BUCKETS]


@router.get("/dashboard", include_in_schema=False)
async def dashboard(sort: str = "", order: str = "asc", rule: str = "", severity: str = "",
                    department: str = "", kind: str = "", all: int = 0, v: View = PAGE):
    result, status = await call(current, v.request, v.graph)
    if result is None:
        return render(v, "dashboard.html", result=None, status=status)
    findings = visible(v.graph, result)
    if sort not in ("score", "violations", "findings", *DIMENSIONS):
        sort = ""  # by department code until a column is chosen
    order = "desc" if order == "desc" else "asc"
    rows = ranking(result, findings, sort, order)
    chosen = {"rule": rule, "severity": severity, "department": department, "kind": kind}
    shown = _filtered(findings, chosen)
    dims = sorted({d for r in rows for d in r["dims"]})
    options = {k: sorted({getattr(f, k) for f in findings if getattr(f, k)}) for k in FILTERS}
    query = urlencode({k: w for k, w in chosen.items() if w})
    ranked = rows if all else rows[:RANKED]
    return render(v, "dashboard.html", result=result, status=status, rows=ranked,
                  total_rows=len(rows), show_all=bool(all), sort=sort,
                  order=order, dims=dims, dim_names=DIMENSIONS, findings=shown[:SHOWN],
                  total=len(shown), all_count=len(findings), chosen=chosen, options=options,
                  figures=list(result.figures.get(None, {}).values()),
                  distribution=_distribution(rows), overall=result.scores.get(None),
                  rating=rating, filter_query=query, dept_names=result.departments)


@router.get("/dashboard/status.json", include_in_schema=False)
async def dashboard_status(v: View = PAGE):
    service = getattr(v.request.app.state, "audits", None)
    if service is not None and callable(getattr(service, "status", None)):
        return JSONResponse(dict(service.status()))
    _result, status = await call(current, v.request, v.graph, 0)
    return JSONResponse(status)


def _xlsx(rows: list[dict], findings: list, dims: list[str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "部门得分"
    ws.append(["部门编码 department", "部门名称 name", "得分 score", "评级 rating",
               "违规 violations", "发现 findings"] + [f"{DIMENSIONS.get(d, (d, d))[0]} {d}"
                                                     for d in dims])
    for r in rows:
        ws.append([r["code"], r["name"], r["score"], r["rating"][0], r["violations"],
                   r["findings"]] + [r["dims"].get(d) for d in dims])
    wf = wb.create_sheet("审计发现")
    wf.append(["规则 rule", "级别 severity", "维度 dimension", "类别 kind", "编码 code",
               "名称 name", "部门 department", "问题", "problem", "整改建议", "how to fix"])
    for f in findings:
        wf.append([f.rule, f.severity, f.dimension, f.kind, f.code, f.label, f.department,
                   f.message_zh, f.message_en, f.fix_zh, f.fix_en])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_NOT_READY = {"error": {"code": "NOT_READY", "zh": "审计结果尚未就绪",
                         "en": "the audit is not ready yet"}}


@router.get("/dashboard/audit.{fmt}", include_in_schema=False)
async def dashboard_report(fmt: str, v: View = PAGE):
    """The audit as this caller may see it: the HTML report or the findings as CSV or XLSX."""
    if fmt not in ("html", "csv", "xlsx"):
        return JSONResponse({"error": {"code": "BAD_FORMAT", "zh": "可用 html、csv、xlsx",
                                       "en": "use html, csv or xlsx"}}, status_code=400)
    result, _status = await call(current, v.request, v.graph)
    if result is None:
        return JSONResponse(_NOT_READY, status_code=503)
    if fmt == "xlsx":
        return await dashboard_xlsx(result, v)
    from dataclasses import replace

    from loaders.error_report import neutralise_formula
    from shapes.render import to_csv, to_html

    mine = replace(result, findings=visible(v.graph, result))
    if fmt == "csv":
        return Response(await call(partial(to_csv, cell=neutralise_formula), mine), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="audit.csv"'})
    return Response(await call(to_html, mine), media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.html"'})


async def dashboard_xlsx(result, v: View):
    findings = visible(v.graph, result)
    rows = ranking(result, findings, "score", "asc")
    dims = sorted({d for r in rows for d in r["dims"]})
    data = await call(_xlsx, rows, findings, dims)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="audit.xlsx"'})
