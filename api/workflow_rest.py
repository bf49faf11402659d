"""The sharing procedure over REST (issue 13):

- ``POST /api/v1/requests`` (file), ``POST /api/v1/requests/{id}/actions`` (act),
  ``POST /api/v1/objections`` (raise), ``POST /api/v1/objections/{id}/actions`` (act): a thin
  face over :mod:`api.workflow_service`, like the GraphQL mutations — the same policy, write log
  and store calls; the answer is the GraphQL type's fields as JSON; a refusal is the error body
  with its code (403 FORBIDDEN, 404 NOT_FOUND, 409 ILLEGAL_TRANSITION …).
- ``GET /api/v1/write-log``: the write log for governance staff and admins (others get 403
  FORBIDDEN), paged like GraphQL ``writeLog`` (:mod:`api.workflow_log`).
"""

# No ``from __future__ import annotations``: FastAPI reads a route's body type from its
# annotation, here a variable of the function that registers the route.

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.rest import caller_of, http_error, policy_for
from api.workflow_log import MAX_LOG_PAGE, BadLogRequest, log_page
from api.workflow_policy import may_read_log
from api.workflow_service import (
    Refused,
    act_on_application,
    act_on_data_objection,
    caller_for,
    file_application,
    raise_data_objection,
)
from api.workflow_views import application_view, camel, objection_view
from graph.iris import code_of
from graph.objection import Category, ObjectionAction
from graph.workflow import Action
from graph.workflow_commit import coming_write

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


# -- the procedure's writes ------------------------------------------------------------------
_TEXT = 2000  # characters in a text field


class FileBody(BaseModel):
    resource: str = Field(min_length=1, max_length=200, description="数据资源编码 / resource code")
    purpose: str = Field(max_length=_TEXT, description="使用用途 / purpose")
    scenario: str = Field(max_length=_TEXT, description="应用场景 / scenario")
    items: str = Field("", max_length=_TEXT, description="申请的信息项 / items asked for")
    legalBasis: str = Field("", max_length=_TEXT, description="设定依据 / legal basis")
    system: str = Field("", max_length=_TEXT, description="使用系统 / requesting system")
    comment: str = Field("", max_length=_TEXT)

    def fields(self) -> dict:
        """The service's keyword arguments (:func:`api.workflow_service.file_application`)."""
        return {"purpose": self.purpose, "scenario": self.scenario, "items": self.items,
                "legal_basis": self.legalBasis, "system": self.system, "comment": self.comment}


class ActBody(BaseModel):
    action: Action = Field(description="办理动作 / the action (PASS, APPROVE, REFUSE …)")
    comment: str = Field("", max_length=_TEXT, description="理由或意见 / reason or comment")


class RaiseBody(BaseModel):
    resource: str = Field(min_length=1, max_length=200, description="数据资源编码 / resource code")
    category: Category = Field(description="异议类型 / what is wrong")
    description: str = Field(max_length=_TEXT, description="问题说明 / the problem")
    item: str = Field("", max_length=200, description="信息项名称 / the item flagged")
    evidence: str = Field("", max_length=_TEXT, description="证据 / evidence")

    def fields(self) -> dict:
        """The service's keyword arguments (:func:`api.workflow_service.raise_data_objection`)."""
        return {"category": self.category, "description": self.description, "item": self.item,
                "evidence": self.evidence}


class ObjectionActBody(BaseModel):
    action: ObjectionAction = Field(description="办理动作 / the action (VERIFY, CORRECT …)")
    comment: str = Field("", max_length=_TEXT, description="理由或意见 / reason or comment")


async def _write(request: Request, fn, *args, **kwargs):
    name, role = caller_of(request)
    policy = policy_for(request, role)

    def run():
        return fn(caller_for(request.app, name, role, policy), *args, **kwargs)

    try:
        store = request.app.state.store
        if store is None:
            return await run_in_threadpool(run)  # refused: this engine takes no writes
        with coming_write(store):  # a commit starting now waits briefly to take it along
            return await run_in_threadpool(run)
    except Refused as e:
        raise http_error(e.status, e.zh, e.en, e.code) from None


def _opening_route(path: str, body_type: type[BaseModel], open_case: Callable, view: Callable,
                   name: str, summary: str) -> None:
    """``POST {path}``: open a case (``open_case(caller, body.resource, **body.fields())``),
    answered 201 with ``view`` of it."""

    async def post(request: Request, body: Annotated[body_type, Body()]) -> dict:
        case = await _write(request, open_case, body.resource, **body.fields())
        return camel(view(case, request.app.state.store.base))

    router.post(path, status_code=201, name=name, summary=summary)(post)


def _action_route(path: str, body_type: type[BaseModel], act: Callable, view: Callable,
                  name: str, summary: str) -> None:
    """``POST {path}/{ident}/actions``: ``act(caller, ident, body.action, body.comment)``,
    answered with ``view`` of the case."""

    async def post(request: Request, ident: str, body: Annotated[body_type, Body()]) -> dict:
        case = await _write(request, act, ident, body.action, body.comment)
        return camel(view(case, request.app.state.store.base))

    router.post(f"{path}/{{ident}}/actions", name=name, summary=summary)(post)


_opening_route("/api/v1/requests", FileBody, file_application, application_view, "post_request",
               "以本部门名义提出共享申请 / file a sharing application in the caller's department's "
               "name")
_action_route("/api/v1/requests", ActBody, act_on_application, application_view,
              "post_request_action", "办理共享申请（审查、答复、撤回、协调） / act on a sharing "
              "application (review, reply, withdraw, coordinate)")
_opening_route("/api/v1/objections", RaiseBody, raise_data_objection, objection_view,
               "post_objection", "以本部门名义提出数据异议 / raise a data objection in the "
               "caller's department's name")
_action_route("/api/v1/objections", ObjectionActBody, act_on_data_objection, objection_view,
              "post_objection_action", "办理数据异议（核实、更正、不予更正、撤回） / act on a data "
              "objection (verify, correct, reject, withdraw)")
