"""The quarterly 通报 page (``/bulletin?quarter=2026Q3``) and its downloads (PDF, HTML).

The two audits — of the catalog as it stood at the end of the previous quarter and of this one
(``store.as_of``) — are computed once per quarter and history of the store and cached; each
caller then sees the bulletin of the findings it may see, as on the dashboard: a finding about
an entity hidden from the caller (涉密, as the catalog stood *then*) is left out and hidden
names and personal values are masked (:func:`api.web.audits.visible_findings`, with the policy
of that quarter's catalog). Scores, ranks and figures are the audit's, as on the dashboard.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup

from api.policy import PolicyGraph, Restrictions
from api.web.audits import visible_findings
from api.web.view import PAGE, View, call, render
from graph.oxigraph_engine import OxigraphGraph
from shapes.bulletin import Bulletin, audit_pair, compare, district_name
from shapes.quarter import Quarter, QuarterError

__all__ = ["router", "bulletin_for"]

router = APIRouter()
_CACHED = 2  # quarters kept (two audit results each)
_lock = threading.Lock()


class _PastSecrets(Restrictions):
    """What a past catalog's findings are shown without to a role that may not see 涉密 entries:
    its 涉密 set (through the query layer) and what of the observed lineage goes with it — the
    one definition every door uses (graph.observed.deleted_with, as api.policy.PolicyGraph.deleted
    and the dashboard's audits). Computed once; the catalog itself is not kept (an as-of store
    holds a whole catalog in memory)."""

    def __init__(self, store):
        from graph.observed import deleted_with

        hidden = deleted_with(store, Restrictions(OxigraphGraph(store)).hidden())
        super().__init__(None, store.base)  # type: ignore[arg-type] - never queried
        self._fixed = hidden

    def hidden(self) -> frozenset[str]:
        return self._fixed


@dataclass
class _Quarter:
    """The audits of one quarter's bulletin, and the 涉密 set of each quarter's catalog."""
    before: Any  # AuditResult
    now: Any
    district: str
    hidden_before: _PastSecrets
    hidden_now: _PastSecrets


def _history_key(store) -> tuple:
    versions = store.versions()
    return (len(versions), versions[-1].id if versions else None)


def _compute(store, q: Quarter) -> _Quarter:
    before_store, now_store = store.as_of_many([q.previous().end_instant, q.end_instant])
    before, now, _seconds = audit_pair(before_store, now_store, q)
    return _Quarter(before, now, district_name(now_store) or district_name(before_store),
                    _PastSecrets(before_store), _PastSecrets(now_store))


def _audits(app_state, q: Quarter) -> _Quarter:
    store = app_state.store
    key = (q, _history_key(store))
    with _lock:
        cache: dict = getattr(app_state, "web_bulletins", None) or {}
        app_state.web_bulletins = cache
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _compute(store, q)
            while len(cache) > _CACHED:
                cache.pop(next(iter(cache)))
        return hit


def _policy(v: View, secrets: _PastSecrets) -> PolicyGraph:
    """The caller's policy with that quarter's 涉密 set (only its findings are filtered with it:
    :func:`api.web.audits.visible_findings` asks nothing of the graph)."""
    p = v.graph
    return PolicyGraph(p.inner, persons=p.persons, phones=p.phones, classified=p.classified,
                       restrictions=secrets)


def bulletin_for(v: View, q: Quarter) -> Bulletin:
    """The bulletin of quarter ``q`` as this caller may see it."""
    a = _audits(v.request.app.state, q)
    before, now = _policy(v, a.hidden_before), _policy(v, a.hidden_now)
    return compare(a.before, a.now, q, district=a.district,
                   visible_before=lambda fs: visible_findings(before, fs),
                   visible_now=lambda fs: visible_findings(now, fs))


def _quarters(store) -> list[Quarter]:
    """From the quarter of the first stored version to the last quarter that has ended."""
    last = Quarter.last_ended()
    versions = store.versions() if store is not None else []
    first = min((Quarter.of(x.at.date()) for x in versions), default=last)
    out, q = [], min(first, last)
    while q <= last and len(out) < 40:
        out.append(q)
        q = q.next()
    return list(reversed(out))


def _parse(quarter: str) -> tuple[Quarter | None, str | None]:
    if not quarter:
        return Quarter.last_ended(), None
    try:
        return Quarter.parse(quarter), None
    except QuarterError as e:
        return None, str(e)


@router.get("/bulletin", include_in_schema=False)
async def bulletin_page(quarter: str = "", v: View = PAGE):
    store = v.request.app.state.store
    q, error = _parse(quarter)
    if store is None or q is None:
        return render(v, "bulletin.html", http_status=400 if error else 503, b=None,
                      error=error, quarters=_quarters(store), quarter=q)
    from shapes.bulletin_render import body_html

    b = await call(bulletin_for, v, q)
    body = await call(body_html, b)
    return render(v, "bulletin.html", b=b, body=Markup(body), error=None,
                  quarters=_quarters(store), quarter=q)


@router.get("/bulletin.{fmt}", include_in_schema=False)
async def bulletin_download(fmt: str, quarter: str = "", v: View = PAGE):
    """The bulletin as this caller may see it: PDF ready to send, or one HTML file."""
    if fmt not in ("pdf", "html"):
        return JSONResponse({"error": {"code": "BAD_FORMAT", "zh": "可用 pdf、html",
                                       "en": "use pdf or html"}}, status_code=400)
    q, error = _parse(quarter)
    if q is None:
        return JSONResponse({"error": {"code": "BAD_QUARTER", "zh": error, "en": error}},
                            status_code=400)
    if v.request.app.state.store is None:
        return JSONResponse({"error": {"code": "NOT_READY", "zh": "没有目录存储",
                                       "en": "no catalog store"}}, status_code=503)
    from shapes.bulletin_render import to_html, to_pdf

    b = await call(bulletin_for, v, q)
    html = await call(to_html, b)
    name = f"bulletin-{q.label}.{fmt}"
    if fmt == "pdf":
        return Response(await call(to_pdf, b, html=html), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return Response(html, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
