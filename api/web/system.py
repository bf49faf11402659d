"""System page: owner, status, platform connection, cloud, the resources it is the source of and
the flows from and to it."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.view import PAGE, View, call, field_rows, get_or_404, ref_iris, render
from graph.query import MAX_DEPTH

router = APIRouter()


def system_data(v: View, code: str) -> dict:
    g = v.graph
    s = get_or_404(v, "system", code)
    back = {p: g.related([s.iri], p, inverse=True).get(s.iri, [])
            for p in ("sourceSystem", "targetSystem", "requestingSystem", "mergedInto")}
    found = g.get_many(sorted({i for lst in back.values() for i in lst}))
    pick = lambda p, kind: sorted((found[i] for i in back[p]  # noqa: E731
                                   if i in found and found[i].kind == kind), key=lambda e: e.code)
    out_flows, in_flows = pick("sourceSystem", "flow"), pick("targetSystem", "flow")
    requests = pick("requestingSystem", "request")
    refs = g.get_many(ref_iris([s, *out_flows, *in_flows, *requests]))
    return {"s": s, "rows": field_rows(v, s, refs), "resources": pick("sourceSystem", "resource"),
            "out_flows": out_flows, "in_flows": in_flows, "made": requests,
            "merged": pick("mergedInto", "system"), "refs": refs}


@router.get("/system/{code}", include_in_schema=False)
async def system_page(code: str, v: View = PAGE):
    data = await call(system_data, v, code)
    return render(v, "system.html", max_depth=MAX_DEPTH, **data)
