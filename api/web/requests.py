"""Sharing applications in the pages (issue 13): the "申请共享 / Request" form on a resource page
and ``/requests``, the signed-in department's applications — filed by it, addressed to it and,
for the data authority, waiting for review — each with its steps and a button per action the
caller may take now.

The forms call the GraphQL mutations' own functions (:mod:`api.workflow_api`: the same write
rules of :mod:`api.workflow_policy`, the same write log), with the page's caller in place of the
GraphQL context. Every form carries the CSRF token (double submit, :mod:`api.web.session`); a
POST without it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse
from graphql import GraphQLError

from api.web.session import CsrfError, check_csrf
from api.web.view import PAGE, PageNotFound, View, call, get_or_404, render
from api.workflow_policy import Denied, check
from graph.iris import mint
from graph.model import Entity
from graph.workflow import Action, State, allowed_actions, next_state, who_acts
from graph.workflow_store import Request, get_request, request_iri

__all__ = ["router", "department_of", "request_form", "ACTION_LABELS", "write_refusal"]

router = APIRouter()

ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.FILE: ("提出申请", "File"), Action.PASS: ("审查通过", "Pass review"),
    Action.RETURN: ("退回", "Return"), Action.RESUBMIT: ("重新提交", "Resubmit"),
    Action.APPROVE: ("同意共享", "Approve"),
    Action.APPROVE_WITH_CONDITIONS: ("有条件同意", "Approve with conditions"),
    Action.REFUSE: ("不予共享", "Refuse"), Action.ASK_MORE: ("要求补充材料", "Ask for more"),
    Action.WITHDRAW: ("撤回", "Withdraw"), Action.ESCALATE: ("申请协调", "Ask for coordination"),
    Action.SETTLE_APPROVE: ("协调后同意", "Settle: approve"),
    Action.SETTLE_REFUSE: ("协调后不予共享", "Settle: refuse"),
}
_STATUS = {"FORBIDDEN": 403, "NOT_FOUND": 404, "ILLEGAL_TRANSITION": 409,
           "COMMENT_REQUIRED": 400, "NO_PROVIDER": 409, "NOT_SHARED": 409, "NO_STORE": 503}
_NOT_SHARED = "https://w3id.org/yishu/code/SharingType/not-shared"
MAX_TEXT = 2000  # characters in a form field


def department_of(v: View) -> str | None:
    """The department code the caller's key belongs to (None: anonymous or no department)."""
    if v.role.name == "anonymous":
        return None
    return v.request.app.state.access.departments.get(v.name)


def _info(v: View) -> SimpleNamespace:
    """The page's caller in the shape the GraphQL mutations read (``info.context``: request,
    caller, role and the caller's policy view)."""
    return SimpleNamespace(context=SimpleNamespace(request=v.request, caller=v.name,
                                                   role=v.role, graph=v.graph))


def write_refusal(v: View, csrf: str) -> tuple[str | None, int]:
    """(the error in the page's language, HTTP status) when a form's write may not go ahead: an
    expired form (CSRF) or an engine that takes no writes; (None, 400) when it may."""
    try:
        check_csrf(v.request, csrf)
    except CsrfError:
        return v.tr("表单已过期，请重试。", "The form expired; please try again."), 403
    if v.request.app.state.store is None:
        return v.tr("此引擎不接受写入。", "This engine takes no writes."), 503
    return None, 400


def _message(v: View, e: GraphQLError) -> tuple[str, str]:
    """(code, the message in the page's language), department IRIs shown as their codes."""
    ext = e.extensions or {}
    text = v.tr(str(ext.get("zh", e.message)), str(ext.get("en", e.message)))
    store = v.request.app.state.store
    if store is not None:
        text = text.replace(f"{store.base}department/", "")
    return str(ext.get("code", "ERROR")), text


# -- the form on a resource page ------------------------------------------------------------

def request_form(v: View, r: Entity, errors: dict[str, str] | None = None,
                 values: dict | None = None) -> dict:
    """What the resource page needs to show the request form (or why there is none)."""
    dept = department_of(v)
    store = v.request.app.state.store
    ctx: dict = {"form_department": None, "form_errors": errors or {},
                 "form_values": values or {}, "form_systems": [], "form_items": [],
                 "form_reason": None}
    if r.fields.get("sharingType") == _NOT_SHARED:
        ctx["form_reason"] = v.tr("此资源为不予共享，不能申请。",
                                  "This resource is not shared; it cannot be requested.")
        return ctx
    if store is None:
        return ctx
    if dept is None:
        ctx["form_reason"] = (v.tr("此密钥不属于任何部门，不能以部门名义申请。",
                                   "This key belongs to no department; it cannot file a request.")
                              if v.role.name != "anonymous" else
                              v.tr("用属于某部门的密钥登录后可申请共享。",
                                   "Sign in with a department's key to request this resource."))
        return ctx
    g = v.graph
    dept_iri = mint("department", dept, store.base)
    ctx["form_department"] = g.get_many([dept_iri]).get(dept_iri)
    owned = g.related([dept_iri], "ownedBy", inverse=True).get(dept_iri, [])
    ctx["form_systems"] = sorted((e for e in g.get_many(owned).values() if e.kind == "system"),
                                 key=lambda e: e.code)
    items = g.related([r.iri], "inResource", inverse=True).get(r.iri, [])
    ctx["form_items"] = sorted(e.label or e.code.split("/", 1)[-1]
                                for e in g.get_many(items).values())
    return ctx


def _clip(s: str) -> str:
    return s.strip()[:MAX_TEXT]


@router.post("/resource/{code}/request", include_in_schema=False)
async def file_request(code: str, purpose: Annotated[str, Form()] = "",
                       scenario: Annotated[str, Form()] = "",
                       items: Annotated[list[str] | None, Form()] = None,
                       legal_basis: Annotated[str, Form()] = "",
                       system: Annotated[str, Form()] = "", comment: Annotated[str, Form()] = "",
                       csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.web.resource import page_context

    await call(get_or_404, v, "resource", code)  # a hidden resource is not there to request
    values = {"purpose": _clip(purpose), "scenario": _clip(scenario), "picked": items or [],
              "legal_basis": _clip(legal_basis), "system": system.strip(),
              "comment": _clip(comment)}
    errors: dict[str, str] = {}
    try:
        check_csrf(v.request, csrf)
    except CsrfError:
        errors["form"] = v.tr("表单已过期，请重试。", "The form expired; please try again.")
    if not errors:
        for f, zh, en in (("purpose", "请填写使用用途", "give the purpose"),
                          ("scenario", "请填写应用场景", "give the scenario")):
            if not values[f]:
                errors[f] = v.tr(f"必填：{zh}", f"Required: {en}")
    status = 403 if "form" in errors else 400
    if not errors:
        from api.workflow_api import _file

        system_name = ""
        if values["system"]:
            found = await call(v.graph.get_many, [mint("system", values["system"],
                                                       v.request.app.state.store.base)])
            system_name = next((f"{e.code} {e.label or ''}".strip() for e in found.values()),
                               values["system"])
        try:
            app = await call(_file, _info(v), code, "，".join(values["picked"]),
                             values["purpose"], values["scenario"], values["legal_basis"],
                             system_name, values["comment"])
        except GraphQLError as e:
            kind, text = _message(v, e)
            errors["comment" if kind == "COMMENT_REQUIRED" else "form"] = text
            status = _STATUS.get(kind, 400)
        else:
            return RedirectResponse(f"/requests?filed={quote(app.id)}#req-{quote(app.id)}",
                                    status_code=303)
    ctx = await call(page_context, v, code, None, None, errors, values)
    return render(v, "resource.html", http_status=status, **ctx)


# -- /requests -----------------------------------------------------------------------------

@dataclass
class Listed:
    req: Request
    state: State
    due_by: str | None
    actions: list[Action] = field(default_factory=list)
    needs_comment: list[Action] = field(default_factory=list)


def _due(req: Request) -> str | None:
    from graph.workflow_deadlines import DEFAULT_LIMITS, due_date

    try:
        due = due_date(req.state, req.steps[-1].at, DEFAULT_LIMITS)
    except ValueError:  # a date outside the official calendar's years
        return None
    return due.isoformat() if due else None


def _actions(v: View, req: Request, dept_iri: str | None) -> tuple[list[Action], list[Action]]:
    """The actions this caller may take on ``req`` now, and those of them needing a comment."""
    state = req.state
    if state is None:
        return [], []
    mine, commented = [], []
    for action in allowed_actions(state, req.conditional):
        try:
            check(who_acts(state, action), v.role, dept_iri, req.requester, req.provider)
        except Denied:
            continue
        mine.append(action)
        try:
            next_state(state, action, "", req.conditional)
        except ValueError:
            commented.append(action)
    return mine, commented


def requests_data(v: View, errors: dict[str, dict[str, str]] | None = None) -> dict:
    from graph.workflow_listing import awaiting_authority, requests_of

    store = v.request.app.state.store
    dept = department_of(v)
    out: dict = {"department": None, "filed": [], "received": [], "review": [], "refs": {},
                 "errors": errors or {}, "authority": v.role.name in ("governance", "admin"),
                 "labels": ACTION_LABELS}
    if store is None:
        return out
    g = v.graph
    dept_iri = mint("department", dept, store.base) if dept else None
    mine = requests_of(store, dept_iri) if dept_iri else []
    review = awaiting_authority(store) if out["authority"] else []
    everything = {r.iri: r for r in mine + review}
    refs = g.get_many(sorted({i for r in everything.values()
                              for i in (r.resource, r.requester, r.provider)}
                             | {s.department for r in everything.values() for s in r.steps}
                             | ({dept_iri} if dept_iri else set())))
    out["refs"] = refs
    out["department"] = refs.get(dept_iri) if dept_iri else None

    def listed(reqs: list[Request]) -> list[Listed]:
        shown = []
        for r in reqs:
            if not all(g.visible(i) for i in (r.resource, r.requester, r.provider)):
                continue  # a request about a hidden (涉密) entry is not there for this role
            acts, commented = _actions(v, r, dept_iri)
            shown.append(Listed(r, r.state, _due(r), acts, commented))  # type: ignore[arg-type]
        return shown

    out["received"] = listed([r for r in mine if r.provider == dept_iri])
    out["filed"] = listed([r for r in mine if r.requester == dept_iri and r.provider != dept_iri])
    out["review"] = listed([r for r in review if r.iri not in {m.iri for m in mine}])
    return out


@router.get("/requests", include_in_schema=False)
async def requests_page(filed: str | None = None, done: str | None = None, v: View = PAGE):
    if v.role.name == "anonymous":
        return RedirectResponse("/signin?next=/requests", status_code=303)
    data = await call(requests_data, v)
    return render(v, "requests.html", just_filed=filed, just_done=done, **data)


@router.post("/requests/{ident}/act", include_in_schema=False)
async def act_on_request(ident: str, action: Annotated[str, Form()] = "",
                         comment: Annotated[str, Form()] = "",
                         csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.workflow_api import _act

    error, status = write_refusal(v, csrf)
    store = v.request.app.state.store
    if error is None:
        req = await call(get_request, store, request_iri(store, ident))
        if req is None or not all(v.graph.visible(i) for i in (req.resource, req.requester,
                                                                req.provider)):
            raise PageNotFound("request", ident)
        try:
            act = Action(action)
        except ValueError:
            error = v.tr(f"未知的办理动作：{action}", f"unknown action: {action}")
        else:
            try:
                await call(_act, _info(v), ident, act, _clip(comment))
            except GraphQLError as e:
                kind, error = _message(v, e)
                status = _STATUS.get(kind, 400)
            else:
                return RedirectResponse(f"/requests?done={quote(ident)}#req-{quote(ident)}",
                                        status_code=303)
    data = await call(requests_data, v, {ident: {"comment": error or "",
                                                 "value": _clip(comment)}})
    return render(v, "requests.html", http_status=status, just_filed=None, just_done=None,
                  **data)
