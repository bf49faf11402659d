"""Item page (every field, and the hop chain back to the authoritative item drawn as a path, a
break shown with its reason) and data element page (一数一源: RESOLVED / CONFLICT / MISMATCH /
MISSING, the candidates with department and system, who re-collects it instead of taking it)."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.audits import current, visible
from api.web.view import (
    PAGE,
    PageNotFound,
    View,
    call,
    field_rows,
    get_or_404,
    ref_iris,
    render,
)
from graph.query import MAX_DEPTH, QueryError

router = APIRouter()


def item_data(v: View, code: str) -> dict:
    g = v.graph
    i = get_or_404(v, "item", code)
    trace = g.trace_source(i.iri)
    refs = g.get_many(ref_iris([i]))
    return {"i": i, "rows": field_rows(v, i, refs), "trace": trace, "refs": refs}


@router.get("/item/{code:path}", include_in_schema=False)
async def item_page(code: str, v: View = PAGE):
    data = await call(item_data, v, code)
    return render(v, "item.html", max_depth=MAX_DEPTH, **data)


MAX_CARRIERS = 200  # items listed on the page (the count says how many there are)


def element_data(v: View, code: str, findings: list | None) -> dict:
    """The element, its resolution, the items carrying it and who re-collects it. Re-collections
    are the audit's ODS-004 findings for this element (the same relation as the query layer's
    one-source report, without computing that report for the whole catalog per page)."""
    g = v.graph
    e = get_or_404(v, "element", code)
    res = g.resolve_source(e.iri)
    items = g.related([e.iri], "carries", inverse=True).get(e.iri, [])
    ref = f"element:{e.code}"
    rec_iris = sorted({f.focus for f in findings or [] if f.rule == "ODS-004"
                       and any(x == ref or x.startswith(ref + "（") for x in f.values)})
    shown = sorted(items)[:MAX_CARRIERS]
    found = g.get_many(sorted(set(shown) | set(rec_iris)))
    carriers = sorted((found[x] for x in shown if x in found and found[x].kind == "item"),
                      key=lambda x: x.code)
    recs = [found[x] for x in rec_iris if x in found]
    refs = g.get_many(ref_iris([e, *carriers, *recs]))
    return {"e": e, "rows": field_rows(v, e, refs), "res": res, "recs": recs,
            "carriers": carriers, "carrier_count": len(items), "refs": refs,
            "audited": findings is not None}


async def _element(v: View, code: str, q: str = ""):
    result, _status = await call(current, v.request, v.graph)
    findings = visible(v.graph, result) if result is not None else None
    data = await call(element_data, v, code, findings)
    return render(v, "element.html", q=q, max_carriers=MAX_CARRIERS, **data)


@router.get("/element/{code}", include_in_schema=False)
async def element_page(code: str, v: View = PAGE):
    return await _element(v, code)


def _resolve_code(v: View, text: str) -> str | None:
    try:
        return v.graph.resolve_source(text).element.code
    except QueryError:
        return None


@router.get("/element", include_in_schema=False)
async def one_source(q: str = "", v: View = PAGE):
    """Type a code, standard name or synonym (身份证号) and read the answer on one screen."""
    q = q.strip()[:100]
    if q:
        code = await call(_resolve_code, v, q)
        if code is None:
            hits = await call(v.graph.search, q, kinds=["element"], first=20)
            return render(v, "one_source.html", q=q, hits=hits, missing=True)
        return await _element(v, code, q)
    page = await call(v.graph.list, "element", first=200)
    return render(v, "one_source.html", q="", hits=page.items, missing=False)


__all__ = ["router", "PageNotFound"]
