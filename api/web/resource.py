"""Resource page (every catalog field, items, provider, source system, flows, requests, impact)
and the lineage picture's data, ``/resource/{code}/lineage.json`` (any node:
``/lineage.json?node=kind:code``), through the caller's policy view."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.web.view import (
    PAGE,
    PageNotFound,
    View,
    call,
    field_rows,
    get_or_404,
    href,
    ref_iris,
    render,
)
from graph.model import Direction, Evidence, Granularity
from graph.query import LINEAGE_KINDS, MAX_DEPTH, QueryError

__all__ = ["router", "page_context", "resource_data", "lineage_data", "impact_data"]

router = APIRouter()


def resource_data(v: View, code: str) -> dict:
    g = v.graph
    r = get_or_404(v, "resource", code)
    back = {p: g.related([r.iri], p, inverse=True).get(r.iri, [])
            for p in ("inResource", "flowOf", "targetResource", "requestedResource")}
    found = g.get_many(sorted({i for lst in back.values() for i in lst}))
    pick = lambda p, kind: sorted((found[i] for i in back[p]  # noqa: E731
                                   if i in found and found[i].kind == kind), key=lambda e: e.code)
    items = pick("inResource", "item")
    out_flows, in_flows = pick("flowOf", "flow"), pick("targetResource", "flow")
    requests = pick("requestedResource", "request")
    refs = g.get_many(sorted(set(
        ref_iris([r]) + ref_iris(items, ("carries", "takenFrom"))
        + ref_iris([*out_flows, *in_flows], ("flowOf", "targetDepartment", "targetSystem"))
        + ref_iris(requests, ("requester", "requestedResource")))))
    return {"r": r, "rows": field_rows(v, r, refs, skip=("description",)), "items": items,
            "out_flows": out_flows, "in_flows": in_flows, "made": requests, "refs": refs}


def page_context(v: View, code: str, start: str | None = None, end: str | None = None,
                 form_errors: dict | None = None, form_values: dict | None = None,
                 obj_errors: dict | None = None, obj_values: dict | None = None) -> dict:
    """Everything the resource page shows: the catalog entry, its usage (docs/usage.md), the
    request form (api/web/requests.py) and the objection form (api/web/objections.py)."""
    from api.web.objections import objection_form
    from api.web.requests import request_form
    from api.web.usage import usage_section

    data = resource_data(v, code)
    data.update(usage_section(v, data["r"], start, end))
    data.update(request_form(v, data["r"], form_errors, form_values))
    data.update(objection_form(v, data["r"], obj_errors, obj_values))
    return {"node": f"resource:{code}", "max_depth": MAX_DEPTH, **data}


@router.get("/resource/{code}", include_in_schema=False)
async def resource_page(code: str, start: str | None = Query(None, alias="from"),
                        end: str | None = Query(None, alias="to"), v: View = PAGE):
    return render(v, "resource.html", **await call(page_context, v, code, start, end))


PICTURE_MAX = 500  # nodes drawn; the nearest first (the layer pages by depth, then IRI)


def lineage_data(v: View, node: str, direction: str, depth: int, granularity: str,
                 evidence: str = "ANY") -> dict:
    lin = v.graph.lineage(node, Direction(direction), depth, Granularity(granularity),
                          first=PICTURE_MAX, evidence=Evidence(evidence))
    in_cycle = {i for c in lin.cycles for i in c}
    cycle_edges = set()
    for c in lin.cycles:
        for a, b in zip(c, c[1:] + c[:1], strict=True):
            cycle_edges.add((a, b))
            cycle_edges.add((b, a))
    nodes = [{"id": n.entity.iri, "kind": n.entity.kind, "kind_label": v.label(n.entity.kind),
              "code": n.entity.code, "label": n.entity.label or n.entity.code,
              "url": href(n.entity), "depth": n.depth, "sensitivity": n.sensitivity,
              "upstream_sensitivity": n.upstream_sensitivity,
              "below_upstream": n.below_upstream, "in_cycle": n.entity.iri in in_cycle,
              "root": n.entity.iri == lin.root.iri} for n in lin.nodes]
    shown = {n["id"] for n in nodes}
    edges = [{"id": f"e{i}", "source": e.source, "target": e.target, "type": e.type,
              "evidence": e.evidence, "in_cycle": (e.source, e.target) in cycle_edges}
             for i, e in enumerate(lin.edges) if e.source in shown and e.target in shown]
    return {"root": lin.root.iri, "direction": lin.direction.value, "depth": lin.depth,
            "granularity": lin.granularity.value, "evidence": evidence,
            "truncated": lin.truncated,
            "total_nodes": lin.total_nodes, "shown_nodes": len(nodes),
            "cycles": len(lin.cycles), "nodes": nodes,
            "edges": edges}


async def _lineage(v: View, node: str, direction: str, depth: int, granularity: str,
                   evidence: str):
    kind = node.partition(":")[0]
    if kind not in LINEAGE_KINDS:
        raise PageNotFound(kind or "resource", node)
    try:
        data = await call(lineage_data, v, node, direction, depth, granularity, evidence)
    except QueryError as e:
        if e.code == "NOT_FOUND":
            return JSONResponse({"error": {"code": "NOT_FOUND", "zh": f"未找到：{node}",
                                           "en": f"not found: {node}"}}, status_code=404)
        return JSONResponse({"error": {"code": e.code, "zh": e.zh, "en": e.en}},
                            status_code=400)
    return JSONResponse(data)


IMPACT_SHOWN = 15  # entities listed per kind (the count says how many there are)


def impact_data(v: View, node: str, depth: int = 5) -> dict:
    imp = v.graph.impact(node, depth=depth)
    out: dict = {"root": imp.root.iri, "depth": imp.depth, "truncated": imp.truncated}
    for key in ("resources", "systems", "departments", "responsibilities", "items"):
        lst = getattr(imp, key)
        out[key] = {"count": len(lst), "shown": [
            {"code": e.code, "label": e.label or e.code, "url": href(e)}
            for e in lst[:IMPACT_SHOWN]]}
    return out


@router.get("/resource/{code}/impact.json", include_in_schema=False)
async def resource_impact(code: str, v: View = PAGE):
    """Who is affected downstream (5 levels): loaded by the page after it is shown, as at city
    scale the walk can take seconds for a widely used resource."""
    try:
        return JSONResponse(await call(impact_data, v, f"resource:{code}"))
    except QueryError:
        return JSONResponse({"error": {"code": "NOT_FOUND", "zh": f"未找到：resource:{code}",
                                       "en": f"not found: resource:{code}"}}, status_code=404)


_DIR = Query("UPSTREAM", pattern="^(UPSTREAM|DOWNSTREAM|BOTH)$")
_GRAN = Query("RESOURCE", pattern="^(RESOURCE|ITEM)$")
_DEPTH = Query(3, ge=1, le=MAX_DEPTH)
_EVIDENCE = Query("ANY", pattern="^(ANY|DECLARED|OBSERVED)$")


@router.get("/resource/{code}/lineage.json", include_in_schema=False)
async def resource_lineage(code: str, direction: str = _DIR, depth: int = _DEPTH,
                           granularity: str = _GRAN, evidence: str = _EVIDENCE, v: View = PAGE):
    return await _lineage(v, f"resource:{code}", direction, depth, granularity, evidence)


@router.get("/lineage.json", include_in_schema=False)
async def node_lineage(node: str, direction: str = _DIR, depth: int = _DEPTH,
                       granularity: str = _GRAN, evidence: str = _EVIDENCE, v: View = PAGE):
    return await _lineage(v, node, direction, depth, granularity, evidence)
