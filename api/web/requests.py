"""Sharing applications in the pages (issue 13): the "申请共享 / Request" form on a resource page
and ``/requests``, the signed-in department's applications — filed by it, addressed to it and,
for the data authority, waiting for review — as the case cards of :mod:`api.web.cases`.

Filing goes through :mod:`api.workflow_service` (the same rules, write log and store calls as
GraphQL and REST); the form carries the CSRF token; a POST without it changes nothing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from api.web.cases import (
    REQUESTS,
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
from api.workflow_service import Refused, file_application
from graph.iris import mint
from graph.model import Entity
from graph.workflow import ACTION_LABELS
from graph.workflow_model import Request

__all__ = ["router", "request_form", "requests_data"]

router = APIRouter()
_NOT_SHARED = "https://w3id.org/yishu/code/SharingType/not-shared"


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
    ctx["form_items"] = item_names(g, r.iri)
    return ctx


@router.post("/resource/{code}/request", include_in_schema=False)
async def file_request(code: str, purpose: Annotated[str, Form()] = "",
                       scenario: Annotated[str, Form()] = "",
                       items: Annotated[list[str] | None, Form()] = None,
                       legal_basis: Annotated[str, Form()] = "",
                       system: Annotated[str, Form()] = "", comment: Annotated[str, Form()] = "",
                       csrf: Annotated[str, Form()] = "", v: View = PAGE):
    from api.web.resource import page_context

    await call(get_or_404, v, "resource", code)  # a hidden resource is not there to request
    values = {"purpose": clip(purpose), "scenario": clip(scenario), "picked": items or [],
              "legal_basis": clip(legal_basis), "system": system.strip(),
              "comment": clip(comment)}
    errors: dict[str, str] = {}
    if (expired := form_expired(v, csrf)) is not None:
        errors["form"] = expired
    if not errors:
        for f, zh, en in (("purpose", "请填写使用用途", "give the purpose"),
                          ("scenario", "请填写应用场景", "give the scenario")):
            if not values[f]:
                errors[f] = v.tr(f"必填：{zh}", f"Required: {en}")
    status = 403 if "form" in errors else 400
    if not errors:
        system_name = ""
        if values["system"]:
            found = await call(v.graph.get_many, [mint("system", values["system"],
                                                       v.request.app.state.store.base)])
            system_name = next((f"{e.code} {e.label or ''}".strip() for e in found.values()),
                               values["system"])

        def run():
            return file_application(page_caller(v), code, purpose=values["purpose"],
                                    scenario=values["scenario"], items="，".join(values["picked"]),
                                    legal_basis=values["legal_basis"], system=system_name,
                                    comment=values["comment"])
        try:
            app = await call(run)
        except Refused as e:
            errors["comment" if e.code == "COMMENT_REQUIRED" else "form"] = refusal_text(v, e)
            status = e.status
        else:
            return RedirectResponse(f"/requests?filed={quote(app.id)}#req-{quote(app.id)}",
                                    status_code=303)
    ctx = await call(page_context, v, code, None, None, errors, values)
    return render(v, "resource.html", http_status=status, **ctx)


# -- /requests -----------------------------------------------------------------------------

def _fields(q: Request) -> list[tuple[str, str, str, object]]:
    rows = [("申请部门", "Requesting department", "ref", q.requester),
            ("答复部门", "Providing department", "ref", q.provider),
            ("使用用途", "Purpose", "text", q.purpose), ("应用场景", "Scenario", "text", q.scenario)]
    for zh, en, value in (("信息项", "Items", q.items), ("申请依据", "Legal basis", q.legal_basis),
                          ("使用系统", "Requesting system", q.system)):
        if value:
            rows.append((zh, en, "text", value))
    return rows


def requests_data(v: View, errors: dict[str, dict[str, str]] | None = None) -> dict:
    from graph.workflow_listing import awaiting_authority, requests_of

    store = v.request.app.state.store
    dept = department_of(v)
    out: dict = {"department": None, "filed": [], "received": [], "review": [], "refs": {},
                 "errors": errors or {}, "authority": v.role.name in ("governance", "admin"),
                 "labels": ACTION_LABELS, "kind": REQUESTS}
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

    def cards(reqs: list[Request]):
        return listed(REQUESTS, v, reqs, dept_iri, _fields)

    out["received"] = cards([r for r in mine if r.provider == dept_iri])
    out["filed"] = cards([r for r in mine if r.requester == dept_iri and r.provider != dept_iri])
    out["review"] = cards([r for r in review if r.iri not in {m.iri for m in mine}])
    return out


@router.get("/requests", include_in_schema=False)
async def requests_page(filed: str | None = None, done: str | None = None, v: View = PAGE):
    return await case_page(REQUESTS, v, requests_data, "requests.html",
                           just_filed=filed, just_done=done)


act_route(router, REQUESTS, requests_data, "requests.html", {"just_filed": None, "just_done": None})
