"""Pages of the other kinds (responsibility, sharing request, flow): every field, references as
links. Registered last so the specific pages win."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.view import PAGE, View, call, field_rows, get_or_404, ref_iris, render

router = APIRouter()
KINDS = ("responsibility", "request", "flow")


def entity_data(v: View, kind: str, code: str) -> dict:
    e = get_or_404(v, kind, code)
    refs = v.graph.get_many(ref_iris([e]))
    return {"e": e, "rows": field_rows(v, e, refs)}


def _page(kind: str):
    async def page(code: str, v: View = PAGE):
        data = await call(entity_data, v, kind, code)
        return render(v, "entity.html", **data)

    return page


for _kind in KINDS:
    router.add_api_route(f"/{_kind}/{{code}}", _page(_kind), methods=["GET"],
                         include_in_schema=False)
