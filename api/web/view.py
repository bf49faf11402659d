"""What every page handler gets (:class:`View`: the caller, its policy view of the query layer,
the language) and how a page is rendered (Jinja2, autoescaped)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from api.access import Role
from api.policy import PolicyGraph
from api.web.labels import label, value_label
from api.web.session import caller, csrf_token, policy_for, set_cookies
from graph.base import FIELDS
from graph.model import Entity

__all__ = ["View", "view", "render", "href", "PageNotFound", "SignInRequired", "call",
           "LANG_COOKIE", "field_rows", "PAGE", "OPEN", "HERE", "VENDOR", "get_or_404",
           "not_found_page", "ref_iris"]

HERE = Path(__file__).resolve().parent
VENDOR = HERE.parent / "static" / "vendor"  # front-end libraries, served at /static/vendor
LANG_COOKIE = "yishu_lang"
ENV = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


# no framing (the forms cannot be clicked through another site), no MIME sniffing, no referrer
# (with codes in it) sent to anyone else
PAGE_HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin"}


class PageNotFound(Exception):
    """The page of an unknown — or hidden — entity: one answer for both."""

    def __init__(self, kind: str, code: str):
        super().__init__(f"{kind}:{code}")
        self.kind = kind
        self.code = code


class SignInRequired(Exception):
    pass


async def call(fn, *args, **kwargs):
    return await run_in_threadpool(fn, *args, **kwargs)


def vendor(path: str) -> str | None:
    """The URL of a vendored front-end file, or None when it is not installed (the page then
    does without it rather than ask for a file that is not there)."""
    return f"/static/vendor/{path}" if (VENDOR / path).is_file() else None


def href(e: Entity | None) -> str:
    if e is None:
        return "#"
    return f"/{e.kind}/{quote(e.code, safe='/')}"


@dataclass
class View:
    request: Request
    name: str
    role: Role
    signed_in: bool
    graph: PolicyGraph
    lang: str

    def tr(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def label(self, kind_or_field: str) -> str:
        return label(kind_or_field, self.lang)


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        return asked
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


async def view(request: Request) -> View:
    """FastAPI dependency: the View of this request (sign in first when the deployment serves
    no anonymous callers)."""
    v = await any_view(request)
    if v.role.name == "anonymous" and not request.app.state.access.anonymous:
        raise SignInRequired()
    return v


async def any_view(request: Request) -> View:
    """The View of this request, whoever asks (the sign-in page itself)."""
    name, role, signed = caller(request)
    return View(request, name, role, signed, policy_for(request, role), _lang(request))


def _fmt(v: View, value: Any) -> str:
    if isinstance(value, bool):
        return v.tr("是", "yes") if value else v.tr("否", "no")
    if isinstance(value, list):
        return "；".join(str(x) for x in value)
    return "" if value is None else str(value)


def field_rows(v: View, e: Entity, refs: dict[str, Entity], skip: tuple[str, ...] = ()
               ) -> list[dict]:
    """Rows (label, text, links) for every field of ``e`` in template order; references shown
    by name with a link, and left out when the caller may not see their target."""
    rows = []
    for fs in FIELDS.get(e.kind, ()):
        if fs.name in skip or fs.name not in e.fields:
            continue
        value = e.fields[fs.name]
        if fs.cell in ("ref", "refs"):
            iris = value if isinstance(value, list) else [value]
            links = [refs[i] for i in iris if i in refs]
            if not links:
                continue
            rows.append({"field": fs.name, "label": v.label(fs.name), "links": links})
        elif fs.cell == "enum":
            rows.append({"field": fs.name, "label": v.label(fs.name),
                         "text": value_label(fs.name, value, v.lang)})
        else:
            rows.append({"field": fs.name, "label": v.label(fs.name), "text": _fmt(v, value)})
    return rows


def ref_iris(entities: list[Entity], only: tuple[str, ...] | None = None) -> list[str]:
    """Every IRI the fields of ``entities`` point at (for one batched lookup); with ``only``,
    just those fields'."""
    out: set[str] = set()
    for e in entities:
        for fs in FIELDS.get(e.kind, ()):
            if fs.cell in ("ref", "refs") and fs.name in e.fields and (
                    only is None or fs.name in only):
                value = e.fields[fs.name]
                out.update(value if isinstance(value, list) else [value])
    return sorted(out)


def render(v: View, template: str, http_status: int = 200, **ctx: Any) -> HTMLResponse:
    request = v.request
    page_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    params = {k: val for k, val in request.query_params.items() if k != "lang"}
    other = "zh" if v.lang == "en" else "en"
    toggle = request.url.path + "?" + urlencode({**params, "lang": other})
    html = ENV.get_template(template).render(
        v=v, tr=v.tr, label=v.label, lang=v.lang, href=href, csrf=csrf_token(request),
        path=request.url.path, page_url=page_url, toggle_url=toggle, kind_label=lambda k: label(k, v.lang),
        val=lambda f, x: value_label(f, x, v.lang), vendor=vendor, **ctx)
    response = HTMLResponse(html, status_code=http_status, headers=PAGE_HEADERS)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, request.query_params["lang"], samesite="strict",
                            httponly=True, max_age=365 * 86400, path="/")
    return set_cookies(request, response)


async def not_found_page(request: Request, exc: PageNotFound):
    """One 404 page for an unknown and a hidden entity alike (only the code asked is echoed)."""
    name, role, signed = caller(request)
    v = View(request, name, role, signed, policy_for(request, role), _lang(request))
    return render(v, "not_found.html", http_status=404, kind=exc.kind, code=exc.code)


def get_or_404(v: View, kind: str, code: str) -> Entity:
    """The entity ``kind:code`` as this caller sees it; PageNotFound when unknown or hidden."""
    from graph.query import QueryError

    try:
        e = v.graph.get(f"{kind}:{code}")
    except QueryError:
        raise PageNotFound(kind, code) from None
    if e.kind != kind:
        raise PageNotFound(kind, code)
    return e


PAGE = Depends(view)  # ``v: View = PAGE`` in a page handler
OPEN = Depends(any_view)  # the sign-in page and form
