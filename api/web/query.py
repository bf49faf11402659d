"""SPARQL page: a query form with example queries (named files in ``sparql_examples/``), the
answer as a table (SELECT, ASK) or as Turtle (CONSTRUCT, DESCRIBE), and links to the same answer
as CSV or JSON from ``/sparql``. It runs through :func:`api.sparql.run_query`, so the caller sees
exactly what its role may see there (and through GraphQL), with the same limits and errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from api.sparql import run_query
from api.web.view import PAGE, View, render
from graph.sandbox import FORMATS
from ontology.namespaces import sparql_prefixes

router = APIRouter()
EXAMPLES = Path(__file__).resolve().parent / "sparql_examples"
SHOWN_ROWS = 500  # rows drawn on the page; the CSV link gives them all (up to the row limit)


@cache
def examples() -> list[dict[str, str]]:
    """Each example: its title (the file's first comment line, "zh / en") and its text."""
    out = []
    for f in sorted(EXAMPLES.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        zh, _, en = text.splitlines()[0].lstrip("# ").partition(" / ")
        out.append({"id": f.stem, "zh": zh, "en": en or zh, "text": text})
    return out


def _table(data: bytes) -> dict:
    answer = json.loads(data)
    if "boolean" in answer:
        return {"boolean": answer["boolean"]}
    heads = answer["head"]["vars"]
    rows = [[b.get(h, {}).get("value", "") for h in heads] for b in answer["results"]["bindings"]]
    return {"heads": heads, "rows": rows[:SHOWN_ROWS], "count": len(rows)}


@router.get("/query", include_in_schema=False)
async def query_page(v: View = PAGE, query: str = "", example: str = "", format: str = ""):
    chosen = next((e for e in examples() if e["id"] == example), None)
    if example == "new":  # a blank query with every prefix of the schema declared
        text = sparql_prefixes() + "SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 20\n"
    else:
        text = query or (chosen["text"] if chosen else examples()[0]["text"])
    ctx: dict = {"query": text, "examples": examples(), "asked": bool(query),
                 "prefixes": sparql_prefixes()}
    if format and format not in FORMATS:
        format = ""  # an unknown download format: show the answer on the page instead
    if query:
        try:
            fmt, data = await run_query(v.request, v.role, query, format or None)
            if format:  # a download: the answer itself, as the signed-in caller sees it
                return Response(data, media_type=FORMATS[fmt][0], headers={
                    "Content-Disposition": f'attachment; filename="yishu-query.{format}"'})
        except HTTPException as e:
            detail = e.detail if isinstance(e.detail, dict) else {"zh": str(e.detail),
                                                                  "en": str(e.detail)}
            return render(v, "query.html", http_status=e.status_code,
                          error=v.tr(detail["zh"], detail["en"]), code=detail.get("code"), **ctx)
        if fmt == "json":
            ctx.update(_table(data))
        else:
            ctx["graph_text"] = data.decode("utf-8")
        ctx["links"] = {f: "/query?" + urlencode({"query": query, "format": f})
                        for f in (("csv", "json") if fmt == "json" else ("turtle", "jsonld"))}
    return render(v, "query.html", shown=SHOWN_ROWS, **ctx)
