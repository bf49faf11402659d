"""``GET /dcat`` (the catalog as DCAT-AP 3.0.1, as the caller may see it) and
``POST /admin/harvest`` (another catalog into a load source). Mapping: docs/dcat-ap.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.policy import PolicyGraph, visible_triples
from api.rest import caller_of, check_source, http_error, load_serialised
from graph.dcat import SYNTAXES, CatalogInfo, dcat_ap_view, serialize_dcat

__all__ = ["router"]

router = APIRouter()

_ACCEPT = {"text/turtle": "turtle", "application/x-turtle": "turtle",
           "application/ld+json": "jsonld", "application/json": "jsonld",
           "application/rdf+xml": "rdfxml", "application/xml": "rdfxml",
           "application/n-triples": "ntriples"}


def negotiate(accept: str | None, fmt: str | None) -> str:
    """The syntax asked for: ``?format=`` first, else the best ``Accept`` match, else Turtle."""
    if fmt:
        f = fmt.lower().replace("-", "").replace("+", "")
        f = {"ttl": "turtle", "json": "jsonld", "xml": "rdfxml", "rdf": "rdfxml",
             "nt": "ntriples"}.get(f, f)
        if f not in SYNTAXES:
            raise http_error(400, f"不支持的格式 {fmt!r}，可用 turtle、jsonld、rdfxml、ntriples",
                        f"unsupported format {fmt!r}; use turtle, jsonld, rdfxml or ntriples",
                        "BAD_FORMAT")
        return f
    ranked = []
    for i, part in enumerate((accept or "").split(",")):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in _ACCEPT and q > 0:
            ranked.append((-q, i, _ACCEPT[media.lower()]))
    return min(ranked)[2] if ranked else "turtle"


@router.get("/dcat", summary="DCAT-AP 3.0.1 目录（按角色过滤） / the catalog as DCAT-AP 3.0.1 "
            "(filtered by role)")
async def dcat(request: Request,
               format: str | None = Query(None, description="turtle | jsonld | rdfxml | "
                                                            "ntriples (default: by Accept)"),
               ) -> Response:
    _name, role = caller_of(request)
    syntax = negotiate(request.headers.get("accept"), format)
    state = request.app.state
    if state.store is None:
        raise http_error(503, "此引擎不提供 RDF 导出", "this engine serves no RDF export", "NO_STORE")
    policy = PolicyGraph(state.graph, persons=role.persons, phones=role.phones,
                         classified=state.access.sees_classified(role),
                         restrictions=state.restrictions)
    url = str(request.base_url)
    data = await run_in_threadpool(_dcat, state.store, policy, syntax, url)
    media, ext = SYNTAXES[syntax]
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'inline; filename="catalog-dcat-ap.{ext}"', "Vary": "Accept"})


def _dcat(store, policy: PolicyGraph, syntax: str, url: str) -> bytes:
    triples = visible_triples(policy, store.triples(), store)
    return serialize_dcat(dcat_ap_view(triples, store.base, CatalogInfo(url=url)), syntax)


@router.post("/admin/harvest", summary="汇聚另一个 DCAT-AP 目录（仅管理员） / harvest a DCAT-AP "
             "catalog (admin only)")
async def admin_harvest(request: Request,
                        source: Annotated[str, Form(description="导入来源 / load source")],
                        url: Annotated[str | None, Form(description="目录地址 / catalog URL")] = None,
                        file: Annotated[UploadFile | None, File(description="目录文件 / a catalog "
                                                                "file")] = None) -> JSONResponse:
    from loaders.errors import TemplateError
    from loaders.harvest import fetch_catalog, harvest, syntax_of

    name, role = caller_of(request)
    if not role.upload:
        raise http_error(403, "仅管理员可汇聚目录", "only an admin may harvest a catalog", "FORBIDDEN")
    check_source(source)
    state = request.app.state
    if state.store is None:
        raise http_error(503, "此引擎不接受导入", "this engine takes no loads", "NO_STORE")
    if (url is None) == (file is None):
        raise http_error(400, "请给出 url 或 file 之一", "give exactly one of url or file", "BAD_INPUT")
    try:
        if url is not None:
            data, syntax = await run_in_threadpool(fetch_catalog, url)
            where = url
        else:
            where = file.filename or "catalog"
            syntax = syntax_of(where) or negotiate(file.content_type, None)
            data = await file.read()
        report = await run_in_threadpool(
            load_serialised, state, lambda: harvest(state.store, data, syntax, source, where),
            source, name)
    except TemplateError as e:
        return JSONResponse({"error": {"code": "HARVEST_INVALID", "zh": "汇聚失败，未写入任何数据",
                                       "en": "harvest refused, nothing stored",
                                       "message": "汇聚失败，未写入任何数据 / harvest refused, "
                                                  "nothing stored"},
                             "errors": [x.as_dict() for x in e.errors]}, status_code=422)
    return JSONResponse({"source": report.source, "kind": report.kind, "rows": report.rows,
                         "triples": report.triples, "seconds": round(report.seconds, 3)})
