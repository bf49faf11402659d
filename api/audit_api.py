"""The audit as a service of the API: REST ``/audit?format=json|csv|html`` and GraphQL
``audit(department, asOf)`` — the result of the current store version (computed in the
background after each change, :mod:`api.web.audits`), or a fresh one for another date, always
over what the caller may see (:mod:`api.web.audits`: for a role that may not see 涉密 entries,
the audit of the catalog with them deleted; personal values masked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.policy import PolicyGraph
from api.rest import caller_of, http_error, policy_for
from api.web.audits import current, dated, visible

__all__ = ["router", "audit_for", "scoped"]

router = APIRouter()
# seconds an API caller waits for the first audit of its kind of caller before NOT_READY (pages
# wait 2 s and show the progress); below GraphQL's per-request budget (api.limits, 15 s)
API_WAIT = 10.0


def audit_for(request: Request, policy: PolicyGraph, as_of: dt.date | None
              ) -> tuple[Any | None, dict]:
    """(result, status) over what ``policy`` may see, of the current store version, as of
    ``as_of`` (today's by default)."""
    result, status = current(request, policy, wait=API_WAIT)
    if as_of is None or (result is not None and result.as_of == as_of):
        return result, status
    return dated(request, policy, as_of)


def scoped(policy, result, department: str | None):
    """The result as this caller may see it, for one department (by code) or all."""
    findings = visible(policy, result)
    if department is None:
        return replace(result, findings=findings)
    if department not in result.departments:
        return None
    return replace(result, department=department,
                   findings=[f for f in findings if f.department == department],
                   scores={k: v for k, v in result.scores.items() if k == department},
                   figures={None: result.figures.get(department, {})},
                   departments={department: result.departments[department]})


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise http_error(400, f"日期无效：{text}，应为 YYYY-MM-DD", f"invalid date {text!r}: use "
                    "YYYY-MM-DD", "BAD_DATE") from None


@router.get("/audit", summary="审计结果（按角色过滤） / the audit, as the caller may see it")
async def audit_rest(request: Request,
                     format: str = Query("json", description="json | csv | html"),
                     department: str | None = Query(None, description="部门编码 / department"),
                     as_of: str | None = Query(None, description="审计日期 / as of YYYY-MM-DD")
                     ) -> Response:
    _name, role = caller_of(request)
    fmt = format.lower()
    if fmt not in ("json", "csv", "html"):
        raise http_error(400, f"不支持的格式 {format!r}，可用 json、csv、html",
                    f"unsupported format {format!r}; use json, csv or html", "BAD_FORMAT")
    policy = policy_for(request, role)
    result, status = await run_in_threadpool(audit_for, request, policy, _date(as_of))
    if result is None:
        return JSONResponse({"error": {"code": "NOT_READY", "zh": "审计结果尚未就绪",
                                       "en": "the audit is not ready yet"}, "status": status},
                            status_code=503)
    mine = scoped(policy, result, department)
    if mine is None:
        raise http_error(404, f"未找到：department:{department}",
                    f"not found: department:{department}", "NOT_FOUND")
    from loaders.error_report import neutralise_formula
    from shapes.render import to_csv, to_html

    if fmt == "csv":
        return Response(await run_in_threadpool(partial(to_csv, cell=neutralise_formula), mine),
                        media_type="text/csv; charset=utf-8")
    if fmt == "html":
        return Response(await run_in_threadpool(to_html, mine),
                        media_type="text/html; charset=utf-8")
    body = mine.as_dict()
    body.pop("rules", None)
    body["status"] = {k: v for k, v in status.items() if k != "error"}
    return JSONResponse(body)
