"""Data objections (数据异议) in the pages (issue 13 step 3): the "提出异议 / Raise an objection"
form on a resource page and ``/objections``, the signed-in department's objections — raised by
it, addressed to it — each with its steps and a button per action the caller may take now.

Like the request forms (:mod:`api.web.requests`), the forms call the GraphQL mutations' own
functions (:mod:`api.workflow_api`: the same rules, the same write log) and carry the CSRF
token; a POST without it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse
from graphql import GraphQLError

from api.web.requests import _STATUS, _clip, _info, _message, department_of, write_refusal
from api.web.session import CsrfError, check_csrf
from api.web.view import PAGE, PageNotFound, View, call, get_or_404, render
from api.workflow_policy import Denied, check
from graph.iris import mint
from graph.model import Entity
from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction, ObjectionState

__all__ = ["router", "objection_form", "OBJECTION_LABELS", "CATEGORY_LABELS"]

router = APIRouter()

OBJECTION_LABELS: dict[ObjectionAction, tuple[str, str]] = {
    ObjectionAction.RAISE: ("提出异议", "Raise"), ObjectionAction.VERIFY: ("受理核实", "Verify"),
    ObjectionAction.CORRECT: ("已更正", "Corrected"),
    ObjectionAction.REJECT: ("不予更正", "Reject"), ObjectionAction.WITHDRAW: ("撤回", "Withdraw"),
}
CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.INCONSISTENT: ("数据不一致", "inconsistent"),
    Category.INCOMPLETE: ("数据不完整", "incomplete"),
    Category.OUTDATED: ("数据过期", "out of date"),
    Category.NONSTANDARD: ("不符合标准", "not to standard"),
}


def objection_form(v: View, r: Entity, errors: dict[str, str] | None = None,
                   values: dict | None = None) -> dict:
    """What the resource page needs for the objection form (shown to department keys)."""
    dept = department_of(v)
    store = v.request.app.state.store
    ctx: dict = {"obj_department": None, "obj_errors": errors or {}, "obj_values": values or {},
                 "obj_items": [], "obj_categories": CATEGORY_LABELS}
    if store is None or dept is None:
        return ctx
    g = v.graph
    dept_iri = mint("department", dept, store.base)
    ctx["obj_department"] = g.get_many([dept_iri]).get(dept_iri)
    items = g.related([r.iri], "inResource", inverse=True).get(r.iri, [])
    ctx["obj_items"] = sorted(e.label or e.code.split("/", 1)[-1]
                              for e in g.get_many(items).values())
    return ctx


@router.post("/resource/{code}/objection", include_in_schema=False)
async def raise_objection(code: str, category: Annotated[str, Form()] = "",
                          item: Annotated[str, Form()] = "",
                          description: Annotated[str, Form()] = "",
                          evidence: Annotated[str, Form()] = "",
                          csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.web.resource import page_context

    await call(get_or_404, v, "resource", code)  # a hidden resource is not there to object to
    values = {"category": category, "item": item.strip(), "description": _clip(description),
              "evidence": _clip(evidence)}
    errors: dict[str, str] = {}
    try:
        check_csrf(v.request, csrf)
    except CsrfError:
        errors["form"] = v.tr("表单已过期，请重试。", "The form expired; please try again.")
    status = 403 if errors else 400
    if not errors:
        if category not in Category.__members__:
            errors["category"] = v.tr("请选择异议类型", "Choose what is wrong")
        if not values["description"]:
            errors["description"] = v.tr("必填：请说明问题", "Required: describe the problem")
    if not errors:
        from api.workflow_api import _raise

        try:
            obj = await call(_raise, _info(v), code, values["item"], Category(category),
                             values["description"], values["evidence"])
        except GraphQLError as e:
            kind, text = _message(v, e)
            errors["form"] = text
            status = _STATUS.get(kind, 400)
        else:
            return RedirectResponse(f"/objections?raised={quote(obj.id)}#obj-{quote(obj.id)}",
                                    status_code=303)
    ctx = await call(page_context, v, code, None, None, obj_errors=errors, obj_values=values)
    return render(v, "resource.html", http_status=status, **ctx)


@dataclass
class ListedObjection:
    obj: object
    state: ObjectionState
    due_by: str | None
    actions: list[ObjectionAction] = field(default_factory=list)
    needs_comment: list[ObjectionAction] = field(default_factory=list)


def _due(obj) -> str | None:
    from graph.workflow_deadlines import deployment_limits, objection_due_date

    try:
        due = objection_due_date(obj.raised_at, obj.state, deployment_limits())
    except ValueError:  # outside the official calendar's years
        return None
    return due.isoformat() if due else None


def _actions(v: View, obj, dept_iri: str | None) -> tuple[list, list]:
    state = obj.state
    mine, commented = [], []
    for action in OBJECTION_MACHINE.allowed_actions(state):
        try:
            check(OBJECTION_MACHINE.who_acts(state, action), v.role, dept_iri, obj.raiser,
                  obj.provider)
        except Denied:
            continue
        mine.append(action)
        try:
            OBJECTION_MACHINE.next_state(state, action, "")
        except ValueError:
            commented.append(action)
    return mine, commented


def objections_data(v: View, errors: dict[str, dict[str, str]] | None = None) -> dict:
    from graph.workflow_listing import objections_of

    store = v.request.app.state.store
    dept = department_of(v)
    out: dict = {"department": None, "raised": [], "received": [], "refs": {},
                 "errors": errors or {}, "labels": OBJECTION_LABELS,
                 "categories": CATEGORY_LABELS}
    if store is None or dept is None:
        return out
    g = v.graph
    dept_iri = mint("department", dept, store.base)
    mine = objections_of(store, dept_iri)
    refs = g.get_many(sorted({i for o in mine for i in (o.resource, o.raiser, o.provider)}
                             | {o.item for o in mine if o.item}
                             | {s.department for o in mine for s in o.steps} | {dept_iri}))
    out["refs"], out["department"] = refs, refs.get(dept_iri)

    def listed(objs) -> list[ListedObjection]:
        shown = []
        for o in objs:
            if not all(g.visible(i) for i in (o.resource, o.raiser, o.provider)):
                continue
            acts, commented = _actions(v, o, dept_iri)
            shown.append(ListedObjection(o, o.state, _due(o), acts, commented))
        return shown

    out["received"] = listed([o for o in mine if o.provider == dept_iri])
    out["raised"] = listed([o for o in mine if o.raiser == dept_iri and o.provider != dept_iri])
    return out


@router.get("/objections", include_in_schema=False)
async def objections_page(raised: str | None = None, done: str | None = None, v: View = PAGE):
    if v.role.name == "anonymous":
        return RedirectResponse("/signin?next=/objections", status_code=303)
    data = await call(objections_data, v)
    return render(v, "objections.html", just_raised=raised, just_done=done, **data)


@router.post("/objections/{ident}/act", include_in_schema=False)
async def act_on_objection(ident: str, action: Annotated[str, Form()] = "",
                           comment: Annotated[str, Form()] = "",
                           csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.workflow_api import _act_objection
    from graph.workflow_store import get_objection, objection_iri

    error, status = write_refusal(v, csrf)
    store = v.request.app.state.store
    if error is None:
        obj = await call(get_objection, store, objection_iri(store, ident))
        if obj is None or not all(v.graph.visible(i) for i in (obj.resource, obj.raiser,
                                                                obj.provider)):
            raise PageNotFound("objection", ident)
        try:
            act = ObjectionAction(action)
        except ValueError:
            error = v.tr(f"未知的办理动作：{action}", f"unknown action: {action}")
        else:
            try:
                await call(_act_objection, _info(v), ident, act, _clip(comment))
            except GraphQLError as e:
                kind, error = _message(v, e)
                status = _STATUS.get(kind, 400)
            else:
                return RedirectResponse(f"/objections?done={quote(ident)}#obj-{quote(ident)}",
                                        status_code=303)
    data = await call(objections_data, v, {ident: {"comment": error or "",
                                                   "value": _clip(comment)}})
    return render(v, "objections.html", http_status=status, just_raised=None, just_done=None,
                  **data)
