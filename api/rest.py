"""REST routes: health, readiness, catalog export and the admin upload."""

from __future__ import annotations

import re
import threading
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.access import Role
from api.policy import PolicyGraph, visible_triples
from api.workflow_policy import may_read_log

__all__ = ["router", "caller_of", "EXPORT_TYPES", "check_source", "load_serialised", "http_error",
           "policy_for", "SOURCE_NAME", "upload_lock", "uploader"]

router = APIRouter()
upload_lock = threading.Lock()
SOURCE_NAME = re.compile(r"^[\w\-.一-鿿]{1,100}$")

EXPORT_TYPES = {
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "jsonld"),
}


def http_error(status: int, zh: str, en: str, code: str,
               headers: dict | None = None) -> HTTPException:
    """An HTTP error whose body names it in Chinese and English with a stable code."""
    return HTTPException(status, detail={"zh": zh, "en": en, "code": code}, headers=headers)


def caller_of(request: Request) -> tuple[str, Role]:
    """(caller name, role) from ``X-API-Key`` or ``Authorization: Bearer``; 401 otherwise."""
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization")
    if not key and auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise http_error(401, "Authorization 头应为 Bearer <密钥>",
                        "the Authorization header must be 'Bearer <key>'", "UNAUTHORIZED",
                        {"WWW-Authenticate": "Bearer"})
        key = token.strip()
    try:
        return request.app.state.access.role_for(key)
    except PermissionError as e:
        zh, _, en = str(e).partition(" / ")
        raise http_error(401, zh, en, "UNAUTHORIZED", {"WWW-Authenticate": "Bearer"}) from None


def policy_for(request: Request, role: Role) -> PolicyGraph:
    """The caller's view of the catalog (its role's hidden set and masked fields)."""
    state = request.app.state
    return PolicyGraph(state.graph, persons=role.persons, phones=role.phones,
                       classified=state.access.sees_classified(role),
                       restrictions=state.restrictions)


@router.get("/healthz", summary="存活检查 / liveness")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="就绪检查：存储已打开且能应答 / readiness: the store answers")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    try:
        # a cheap question through the layer (counting the store's triples scans all of them)
        page = await run_in_threadpool(state.graph.list, "department", first=1)
    except Exception as e:  # noqa: BLE001 - any failure means not ready
        return JSONResponse({"status": "unavailable", "engine": state.graph.engine,
                             "message": f"存储无应答 / the store does not answer: "
                                        f"{type(e).__name__}"}, status_code=503)
    return JSONResponse({"status": "ready", "engine": state.graph.engine,
                         "departments": page.total})


@router.get("/export", summary="导出目录（RDF） / export the catalog as RDF")
async def export(request: Request,
                 format: str = Query("turtle", description="turtle | ntriples | jsonld")
                 ) -> Response:
    _name, role = caller_of(request)
    fmt = format.lower().replace("-", "")
    if fmt not in EXPORT_TYPES:
        raise http_error(400, f"不支持的格式 {format!r}，可用 turtle、ntriples、jsonld",
                    f"unsupported format {format!r}; use turtle, ntriples or jsonld", "BAD_FORMAT")
    store = request.app.state.store
    if store is None:
        raise http_error(503, "此引擎不提供 RDF 导出", "this engine serves no RDF export", "NO_STORE")
    policy = policy_for(request, role)
    data = await run_in_threadpool(_export, store, policy, fmt, may_read_log(role) is None)
    media, ext = EXPORT_TYPES[fmt]
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="catalog.{ext}"'})


def _export(store, policy: PolicyGraph, fmt: str, with_log: bool = True) -> bytes:
    """The export this caller may see; the write log (source ``writelog``) only for the roles
    that may read it (governance, admin)."""
    from graph.workflow_store import LOG_SOURCE

    has_log = any(s.name == LOG_SOURCE for s in store.sources())
    if not policy.hidden and not policy.dropped_fields and (with_log or not has_log):
        return store.export(fmt)
    from itertools import chain

    from pyoxigraph import RdfFormat, parse

    from graph.store import serialize_triples

    if with_log or not has_log:
        triples = parse(store.export("ntriples"), RdfFormat.N_TRIPLES)
    else:
        triples = chain.from_iterable(
            parse(store.export("ntriples", source=s.name), RdfFormat.N_TRIPLES)
            for s in store.sources() if s.name != LOG_SOURCE)
    return serialize_triples(visible_triples(policy, triples, store), fmt)


@router.post("/admin/upload", summary="上传目录模板（仅管理员） / upload a catalog template "
             "(admin only)")
async def upload(request: Request,
                 file: Annotated[UploadFile, File(description="CSV 文件的 ZIP 包或 XLSX 工作簿 / "
                                                  "a ZIP of CSV files or an XLSX workbook")],
                 source: Annotated[str, Form(description="来源名称，再次上传同名来源将替换 / "
                                             "load source name; the same name replaces it")],
                 ) -> JSONResponse:
    name, state = uploader(request)
    check_source(source)
    data = await file.read()
    report = await run_in_threadpool(_load, state, data, file.filename or "", source, name)
    if isinstance(report, JSONResponse):
        return report
    return JSONResponse({"source": report.source, "kind": report.kind, "rows": report.rows,
                         "triples": report.triples, "seconds": round(report.seconds, 3),
                         "warnings": report.warnings, "encodings": report.encodings})


def _load(state, data: bytes, filename: str, source: str, who: str | None = None):
    from loaders import TemplateError, load_upload

    try:
        return load_serialised(state, lambda: load_upload(state.store, data, filename, source),
                               source, who)
    except TemplateError as e:  # nothing stored, nothing recorded
        return JSONResponse({"error": {
            "code": "TEMPLATE_INVALID", "zh": "导入失败，未写入任何数据",
            "en": "load refused, nothing stored",
            "message": "导入失败，未写入任何数据 / load refused, nothing stored"},
            "total": e.total, "errors": [x.as_dict() for x in e.errors]}, status_code=422)


def uploader(request: Request) -> tuple[str, Any]:
    """(the caller's name, the app's state) for an upload: 403 unless the caller's role may load
    data, 503 when the engine has no store to load into."""
    name, role = caller_of(request)
    if not role.upload:
        raise http_error(403, "仅管理员可导入数据", "only an admin may load data", "FORBIDDEN")
    state = request.app.state
    if state.store is None:
        raise http_error(503, "此引擎不接受导入", "this engine takes no uploads", "NO_STORE")
    return name, state


def check_source(source: str) -> None:
    """400 unless ``source`` is a valid load source name."""
    if not SOURCE_NAME.match(source):
        raise http_error(400, "来源名称应为 1–100 个字母、数字、汉字或 -_.",
                    "the source name must be 1–100 letters, digits, CJK or -_.", "BAD_SOURCE")


def load_serialised(state, load, source: str, who: str | None):
    """Run ``load()`` (which writes ``source``) one writer at a time, then record who loaded it
    and refresh what depends on the store's content."""
    with upload_lock:
        report = load()
        if who:
            state.store.record_loader(source, who)
        state.restrictions.invalidate()
        refresh = getattr(state.graph, "refresh", None)
        if callable(refresh):
            refresh()
        return report
