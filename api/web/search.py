"""Search on every page: codes, names and synonyms, best first (the query layer's ``search``),
as an HTML page and as JSON for the box that suggests as you type."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.web.view import PAGE, View, call, href, render
from graph.model import Entity

router = APIRouter()
MAX_SUGGEST = 12
MAX_RESULTS = 60


def _hits(v: View, text: str, first: int) -> list[tuple[Entity, Entity | None]]:
    """(entity, the resource of an item or None), with one batched lookup for the resources."""
    text = text.strip()[:100]
    if not text:
        return []
    found = v.graph.search(text, first=first)
    owners = v.graph.get_many(sorted({e.fields["inResource"] for e in found
                                      if e.kind == "item" and "inResource" in e.fields}))
    return [(e, owners.get(e.fields.get("inResource", "")) if e.kind == "item" else None)
            for e in found]


@router.get("/search.json", include_in_schema=False)
async def suggest(q: str = "", v: View = PAGE) -> JSONResponse:
    hits = await call(_hits, v, q, MAX_SUGGEST)
    return JSONResponse({"query": q, "results": [
        {"kind": e.kind, "kind_label": v.label(e.kind), "code": e.code, "name": e.label,
         "url": href(e), "context": (res.label or res.code) if res is not None else None}
        for e, res in hits]})


@router.get("/search", include_in_schema=False)
async def search_page(q: str = "", v: View = PAGE):
    hits = await call(_hits, v, q, MAX_RESULTS)
    return render(v, "search.html", q=q, hits=hits)
