"""REST ``GET /api/v1/write-log``: the write log for governance staff and admins (others get
403 FORBIDDEN), paged like GraphQL ``writeLog`` (:mod:`api.workflow_log`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from api.rest import caller_of, http_error
from api.workflow_log import MAX_LOG_PAGE, BadLogRequest, log_page
from api.workflow_policy import may_read_log
from graph.iris import code_of

__all__ = ["router"]

router = APIRouter()


@router.get("/api/v1/write-log", summary="写操作日志（仅数据治理人员、管理员；新在前） / the write "
            "log (governance and admin only; newest first)")
async def write_log(request: Request,
                    first: Annotated[int, Query(ge=1, le=MAX_LOG_PAGE)] = 50,
                    after: str | None = None, actor: str | None = None,
                    department: str | None = None, operation: str | None = None,
                    since: dt.datetime | None = None) -> dict:
    _name, role = caller_of(request)
    denied = may_read_log(role)
    if denied is not None:
        raise http_error(403, denied[0], denied[1], "FORBIDDEN")
    store = request.app.state.store
    if store is None:
        raise http_error(404, "此引擎不支持办理数据", "this engine holds no workflow data", "NO_STORE")
    try:
        page = await run_in_threadpool(log_page, store, first=first, after=after, actor=actor,
                                       department=department, operation=operation, since=since,
                                       role=role.name)
    except BadLogRequest as e:
        raise http_error(400, e.zh, e.en, e.code) from None
    base = store.base
    return {"total": page.total, "endCursor": page.end_cursor,
            "hasNextPage": page.end_cursor is not None,
            "entries": [{"actor": e.actor,
                         "department": code_of(e.department, base) if e.department else None,
                         "at": e.at.isoformat(), "operation": e.operation,
                         "target": e.target or None, "outcome": e.outcome,
                         "comment": e.comment} for e in page.entries]}
