"""Data objections (数据异议) in the pages (issue 13 step 3): the "提出异议 / Raise an objection"
form on a resource page and ``/objections``, the signed-in department's objections — raised by
it, addressed to it — each with its steps and a button per action the caller may take now.

The cases are the case cards of :mod:`api.web.cases`; raising goes through
:mod:`api.workflow_service` (the same rules, write log and store calls as GraphQL and REST); the
form carries the CSRF token; a POST without it changes nothing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from api.web.cases import (
    CATEGORY_LABELS,
    OBJECTIONS,
    act_route,
    case_page,
    clip,
    department_of,
    form_expired,
    item_names,
    listed,
    page_caller,
    refusal_text,
)
from api.web.view import PAGE, View, call, get_or_404, render
from api.workflow_service import Refused, raise_data_objection
from graph.iris import mint
from graph.model import Entity
from graph.objection import OBJECTION_MACHINE, Category
from graph.workflow_model import Objection

__all__ = ["router", "objection_form", "objections_data", "OBJECTION_LABELS"]

router = APIRouter()

OBJECTION_LABELS = OBJECTION_MACHINE.labels


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
    ctx["obj_items"] = item_names(g, r.iri)
    return ctx


@router.post("/resource/{code}/objection", include_in_schema=False)
async def raise_objection(code: str, category: Annotated[str, Form()] = "",
                          item: Annotated[str, Form()] = "",
                          description: Annotated[str, Form()] = "",
                          evidence: Annotated[str, Form()] = "",
                          csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.web.resource import page_context

    await call(get_or_404, v, "resource", code)  # a hidden resource is not there to object to
    values = {"category": category, "item": item.strip(), "description": clip(description),
              "evidence": clip(evidence)}
    errors: dict[str, str] = {}
    if (expired := form_expired(v, csrf)) is not None:
        errors["form"] = expired
    status = 403 if errors else 400
    if not errors:
        if category not in Category.__members__:
            errors["category"] = v.tr("请选择异议类型", "Choose what is wrong")
        if not values["description"]:
            errors["description"] = v.tr("必填：请说明问题", "Required: describe the problem")
    if not errors:
        def run():
            return raise_data_objection(page_caller(v), code, category=Category(category),
                                        description=values["description"], item=values["item"],
                                        evidence=values["evidence"])
        try:
            obj = await call(run)
        except Refused as e:
            errors["form"] = refusal_text(v, e)
            status = e.status
        else:
            return RedirectResponse(f"/objections?raised={quote(obj.id)}#obj-{quote(obj.id)}",
                                    status_code=303)
    ctx = await call(page_context, v, code, None, None, obj_errors=errors, obj_values=values)
    return render(v, "resource.html", http_status=status, **ctx)


def _fields(o: Objection) -> list[tuple[str, str, str, object]]:
    cat = CATEGORY_LABELS[o.category]
    rows = [("提出部门", "Raised by", "ref", o.raiser), ("提供部门", "Provider", "ref", o.provider),
            ("异议类型", "What is wrong", "pair", cat), ("问题说明", "Problem", "text", o.description)]
    if o.evidence:
        rows.append(("证据", "Evidence", "text", o.evidence))
    return rows


def objections_data(v: View, errors: dict[str, dict[str, str]] | None = None) -> dict:
    from graph.workflow_listing import objections_of

    store = v.request.app.state.store
    dept = department_of(v)
    out: dict = {"department": None, "raised": [], "received": [], "refs": {},
                 "errors": errors or {}, "labels": OBJECTION_LABELS, "kind": OBJECTIONS}
    if store is None or dept is None:
        return out
    g = v.graph
    dept_iri = mint("department", dept, store.base)
    mine = objections_of(store, dept_iri)
    refs = g.get_many(sorted({i for o in mine for i in (o.resource, o.raiser, o.provider)}
                             | {o.item for o in mine if o.item}
                             | {s.department for o in mine for s in o.steps} | {dept_iri}))
    out["refs"], out["department"] = refs, refs.get(dept_iri)

    def title(o: Objection) -> str:
        return refs[o.item].label or "" if o.item and o.item in refs else ""

    def cards(objs):
        return listed(OBJECTIONS, v, objs, dept_iri, _fields, title)

    out["received"] = cards([o for o in mine if o.provider == dept_iri])
    out["raised"] = cards([o for o in mine if o.raiser == dept_iri and o.provider != dept_iri])
    return out


@router.get("/objections", include_in_schema=False)
async def objections_page(raised: str | None = None, done: str | None = None, v: View = PAGE):
    return await case_page(OBJECTIONS, v, objections_data, "objections.html",
                           just_raised=raised, just_done=done)


act_route(router, OBJECTIONS, objections_data, "objections.html",
          {"just_raised": None, "just_done": None})
