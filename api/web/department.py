"""Department page: profile (contacts as the role allows), responsibilities with the elements
each needs and the resources each produces, resources, systems, requests made and received,
inbound flows, score by dimension, findings with fix hints. A handful of batched query-layer
calls, whatever the department's size."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.audits import by_department, current
from api.web.view import PAGE, View, call, field_rows, get_or_404, ref_iris, render
from shapes.scores import DIMENSIONS, rating

router = APIRouter()


def _kind(entities, kind):
    return [e for e in entities if e.kind == kind]


def department_data(v: View, code: str) -> dict:
    g = v.graph
    d = get_or_404(v, "department", code)
    iri = d.iri
    back = {p: g.related([iri], p, inverse=True).get(iri, [])
            for p in ("subOrganizationOf", "implementedBy", "provider", "ownedBy", "requester",
                      "targetDepartment")}
    # requests received: those for the resources it provides (navigation only, no entities yet)
    received_iris = {i for lst in g.related(back["provider"], "requestedResource",
                                            inverse=True).values() for i in lst}
    first = g.get_many(sorted({i for v_ in back.values() for i in v_} | received_iris))
    pick = lambda p, kind: sorted(_kind([first[i] for i in back[p] if i in first], kind),  # noqa: E731
                                  key=lambda e: e.code)
    resources = pick("provider", "resource")
    responsibilities = pick("implementedBy", "responsibility")
    received = sorted(_kind([first[i] for i in received_iris if i in first], "request"),
                      key=lambda e: e.code)
    made = pick("requester", "request")
    flows = pick("targetDepartment", "flow")
    # only the references the page shows, and only those not fetched already
    wanted = (ref_iris([d], ("subOrganizationOf",))
              + ref_iris(responsibilities, ("needsElement", "produces"))
              + ref_iris([*made, *received], ("requester", "requestedResource"))
              + ref_iris(flows, ("flowOf", "targetDepartment", "targetSystem")))
    refs = {i: first[i] for i in wanted if i in first}
    refs.update(g.get_many(sorted(set(wanted) - refs.keys())))
    return {"d": d, "rows": field_rows(v, d, refs), "children": pick("subOrganizationOf",
                                                                      "department"),
            "responsibilities": responsibilities, "resources": resources,
            "systems": pick("ownedBy", "system"), "made": made, "received": received,
            "flows": flows, "refs": refs}


@router.get("/department/{code}", include_in_schema=False)
async def department_page(code: str, v: View = PAGE):
    data = await call(department_data, v, code)
    result, status = await call(current, v.request, v.graph)
    score = dims = None
    findings = []
    if result is not None:
        s = result.scores.get(code)
        if s is not None:
            score = (s.score, rating(s.score))
            dims = [(DIMENSIONS.get(k, (k, k)), x) for k, x in s.dimension_scores().items()]
        findings = by_department(v.graph, result).get(code, [])
    return render(v, "department.html", score=score, dims=dims, findings=findings,
                  status=status, **data)
