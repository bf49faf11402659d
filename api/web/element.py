"""Item page (every field, and the hop chain back to the authoritative item drawn as a path, a
break shown with its reason) and data element page (一数一源: RESOLVED / CONFLICT / MISMATCH /
MISSING, the candidates with department and system, who re-collects it instead of taking it)."""

from __future__ import annotations

from fastapi import APIRouter

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


def element_data(v: View, code: str) -> dict:
    g = v.graph
    e = get_or_404(v, "element", code)
    res = g.resolve_source(e.iri)
    items = [x for x in g.related([e.iri], "carries", inverse=True).get(e.iri, [])]
    rep = g.one_source_report()
    recs = [r for r in rep.recollections if r.element.iri == e.iri]
    found = g.get_many(sorted(set(items) | {p for r in recs for p in r.expected_path}))
    carriers = sorted((found[x] for x in items if x in found and found[x].kind == "item"),
                      key=lambda x: x.code)
    refs = g.get_many(ref_iris([e, *carriers]))
    refs.update(found)
    return {"e": e, "rows": field_rows(v, e, refs), "res": res, "recs": recs,
            "carriers": carriers, "refs": refs}


@router.get("/element/{code}", include_in_schema=False)
async def element_page(code: str, v: View = PAGE):
    data = await call(element_data, v, code)
    return render(v, "element.html", **data)


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
        data = await call(element_data, v, code)
        return render(v, "element.html", q=q, **data)
    page = await call(v.graph.list, "element", first=200)
    return render(v, "one_source.html", q="", hits=page.items, missing=False)


__all__ = ["router", "PageNotFound"]
