"""The case pages of the sharing procedure (issue 13), one module for both procedures:
``/requests`` (sharing applications) and ``/objections`` (data objections) list the signed-in
department's cases, each a card with its fields, its steps and a button per action the caller
may take now; ``POST /{requests|objections}/{id}/act`` records one. What differs between the
two is one :class:`CaseKind` declaration around the procedure's :class:`Machine`.

Writes go through :mod:`api.workflow_service` — the same policy, write log and store calls as
GraphQL and REST — with the page's caller; every form carries the CSRF token (double submit,
:mod:`api.web.session`); a POST without it changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from api.web.session import CsrfError, check_csrf
from api.web.view import PAGE, PageNotFound, View, call, render
from api.workflow_policy import Denied, check
from api.workflow_service import (
    Caller,
    Refused,
    act_on_application,
    act_on_data_objection,
    caller_for,
)
from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction
from graph.workflow import REQUEST_MACHINE, Action
from graph.workflow_deadlines import deployment_limits, due_date, objection_due_date
from graph.workflow_machine import Machine
from graph.workflow_store import get_objection, get_request, objection_iri, request_iri
from graph.working_days import CalendarRangeError

__all__ = ["act_route", "case_page", "CaseKind", "Listed", "REQUESTS", "OBJECTIONS", "department_of",
           "page_caller", "form_expired", "write_refusal", "refusal_text", "item_names", "clip",
           "listed", "CATEGORY_LABELS", "MAX_TEXT"]

MAX_TEXT = 2000  # characters in a form field
CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.INCONSISTENT: ("数据不一致", "inconsistent"),
    Category.INCOMPLETE: ("数据不完整", "incomplete"),
    Category.OUTDATED: ("数据过期", "out of date"),
    Category.NONSTANDARD: ("不符合标准", "not to standard"),
}


def clip(s: str) -> str:
    return s.strip()[:MAX_TEXT]


def department_of(v: View) -> str | None:
    """The department code the caller's key belongs to (None: anonymous or no department)."""
    if v.role.name == "anonymous":
        return None
    return v.request.app.state.access.departments.get(v.name)


def page_caller(v: View) -> Caller:
    """The page's caller as :mod:`api.workflow_service` takes it."""
    return caller_for(v.request.app, v.name, v.role, v.graph)


def form_expired(v: View, csrf: str) -> str | None:
    """The error in the page's language when a form's CSRF token does not hold (None: it does)."""
    try:
        check_csrf(v.request, csrf)
    except CsrfError:
        return v.tr("表单已过期，请重试。", "The form expired; please try again.")
    return None


def write_refusal(v: View, csrf: str) -> tuple[str | None, int]:
    """(the error in the page's language, HTTP status) when a form's write may not go ahead: an
    expired form (CSRF) or an engine that takes no writes; (None, 400) when it may."""
    if (expired := form_expired(v, csrf)) is not None:
        return expired, 403
    if v.request.app.state.store is None:
        return v.tr("此引擎不接受写入。", "This engine takes no writes."), 503
    return None, 400


def item_names(g, resource: str) -> list[str]:
    """The names of a resource's items, sorted: the choices of a form on the resource page."""
    items = g.related([resource], "inResource", inverse=True).get(resource, [])
    return sorted(e.label or e.code.split("/", 1)[-1] for e in g.get_many(items).values())


def refusal_text(v: View, e: Refused) -> str:
    """The refusal in the page's language, department IRIs shown as their codes."""
    text = v.tr(e.zh, e.en)
    store = v.request.app.state.store
    return text.replace(f"{store.base}department/", "") if store is not None else text


def _safe(fn, *args) -> str | None:
    try:
        due = fn(*args)
    except CalendarRangeError:  # a date outside the official calendar's years
        return None
    return due.isoformat() if due else None


@dataclass(frozen=True)
class CaseKind:
    """One procedure's case pages: its machine, where its pages live, how a case is read and
    acted on and when its current step is due (its two parties: the case's ``parties``)."""

    machine: Machine
    action: type  # the machine's action enum
    path: str  # "/requests"
    anchor: str  # the card's id prefix ("req" → id="req-<id>")
    ids: str  # prefix of the card's inner ids ("" → h-<id>, c-<id>, e-<id>; "o" → oh-…)
    not_found: str  # the kind PageNotFound names
    get: Callable  # (store, IRI) -> case | None
    iri: Callable  # (store, id) -> IRI
    act: Callable  # the service's act: (caller, id, action, comment) -> case
    due: Callable  # case -> ISO date | None
    conditional: Callable = lambda case: True


REQUESTS = CaseKind(
    REQUEST_MACHINE, Action, "/requests", "req", "", "request", get_request, request_iri,
    act_on_application,
    lambda r: _safe(due_date, r.state, r.steps[-1].at, deployment_limits()),
    lambda r: r.conditional)
OBJECTIONS = CaseKind(
    OBJECTION_MACHINE, ObjectionAction, "/objections", "obj", "o", "objection", get_objection, objection_iri,
    act_on_data_objection,
    lambda o: _safe(objection_due_date, o.raised_at, o.state, deployment_limits()))


@dataclass
class Listed:
    """A case as its card shows it: rows of fields ``(zh, en, type, value)`` (type ``ref``: an
    entity IRI shown as a link, ``text``, ``code``), the actions the caller may take now and
    those of them needing a comment."""

    case: object
    state: object
    due_by: str | None
    fields: list[tuple[str, str, str, object]]
    title: str = ""  # after the resource's link (an objection's item)
    actions: list = field(default_factory=list)
    needs_comment: list = field(default_factory=list)


def _actions(kind: CaseKind, v: View, case, dept_iri: str | None) -> tuple[list, list]:
    state = case.state
    if state is None:
        return [], []
    m, cond = kind.machine, kind.conditional(case)
    requester, provider = case.parties
    mine, commented = [], []
    for action in m.allowed_actions(state, cond):
        try:
            check(m.who_acts(state, action), v.role, dept_iri, requester, provider)
        except Denied:
            continue
        mine.append(action)
        try:
            m.next_state(state, action, "", cond)
        except ValueError:
            commented.append(action)
    return mine, commented


def listed(kind: CaseKind, v: View, cases, dept_iri: str | None,
           fields: Callable[[object], list], title: Callable[[object], str] = lambda c: ""
           ) -> list[Listed]:
    """The cards of ``cases`` the caller may see (none about a hidden — 涉密 — entry)."""
    shown = []
    for c in cases:
        if not all(v.graph.visible(i) for i in (c.resource, *c.parties)):
            continue
        acts, commented = _actions(kind, v, c, dept_iri)
        shown.append(Listed(c, c.state, kind.due(c), fields(c), title(c), acts, commented))
    return shown


async def case_page(kind: CaseKind, v: View, data: Callable[..., dict], template: str,
                    **notices):
    """``GET {kind.path}``: the signed-in department's cases (anonymous: sign in first)."""
    if v.role.name == "anonymous":
        return RedirectResponse(f"/signin?next={kind.path}", status_code=303)
    got = await call(data, v)
    return render(v, template, **notices, **got)


def act_route(router: APIRouter, kind: CaseKind, data: Callable[..., dict], template: str,
              extra: dict) -> None:
    """Register ``POST {kind.path}/{id}/act`` on ``router``: the action, or the page again with
    the error next to the case's comment field."""

    @router.post(f"{kind.path}/{{ident}}/act", include_in_schema=False,
                 name=f"act_{kind.not_found}")
    async def act(ident: str, action: Annotated[str, Form()] = "",
                  comment: Annotated[str, Form()] = "",
                  csrf: Annotated[str, Form()] = "", v: View = PAGE):
        error, status = write_refusal(v, csrf)
        store = v.request.app.state.store
        if error is None:
            case = await call(kind.get, store, kind.iri(store, ident))
            if case is None or not all(v.graph.visible(i)
                                       for i in (case.resource, *case.parties)):
                raise PageNotFound(kind.not_found, ident)
            try:
                what = kind.action(action)
            except ValueError:
                error = v.tr(f"未知的办理动作：{action}", f"unknown action: {action}")
            else:
                try:
                    await call(lambda: kind.act(page_caller(v), ident, what, clip(comment)))
                except Refused as e:
                    error, status = refusal_text(v, e), e.status
                else:
                    return RedirectResponse(f"{kind.path}?done={quote(ident)}#"
                                            f"{kind.anchor}-{quote(ident)}", status_code=303)
        got = await call(data, v, {ident: {"comment": error or "", "value": clip(comment)}})
        return render(v, template, http_status=status, **extra, **got)
