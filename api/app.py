"""The FastAPI application: GraphQL (GraphiQL in the browser) at /graphql and a few REST routes.

``create_app(graph, store, access)`` serves one query layer. Every request is resolved to a
caller and a role (:mod:`api.access`); the role decides which policy-wrapped view of the layer
(:mod:`api.policy`) the resolvers get. Errors are JSON with a zh / en message, never a stack
trace.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.access import AccessConfig
from api.audit_api import router as audit_router
from api.consistency import PinnedReads, VersionedRestrictions
from api.context import Context
from api.dcat import router as dcat_router
from api.keys import KeyInQuery, install_log_redaction
from api.middleware import BodyLimit
from api.openlineage import router as openlineage_router
from api.policy import PolicyGraph, Restrictions
from api.rest import caller_of, router
from api.schema import build_schema
from api.sparql import close_runner
from api.sparql import router as sparql_router
from api.usage_rest import router as usage_router
from api.web import install_web
from api.web.offline import LocalGraphQLRouter, install_docs
from api.workflow_rest import router as workflow_router
from graph.query import CatalogGraph
from graph.store import CatalogStore

__all__ = ["create_app", "error_body"]

log = logging.getLogger("yishu.api")


def error_body(zh: str, en: str, code: str, **extra) -> dict:
    return {"error": {"code": code, "message": f"{zh} / {en}", "zh": zh, "en": en, **extra}}


@asynccontextmanager
async def _lifespan(app: FastAPI):
    yield
    close_runner(app)  # uvicorn's graceful shutdown (Ctrl-C, SIGTERM) runs this


def create_app(graph: CatalogGraph, store: CatalogStore | None = None,
               access: AccessConfig | None = None) -> FastAPI:
    access = access or AccessConfig()
    app = FastAPI(
        title="一数 Yishu API",
        description="政务数据目录知识图谱：血缘、溯源、一数一源、影响分析 / Government data "
                    "catalog on a knowledge graph: lineage, source tracing, one data one source, "
                    "impact. GraphQL at /graphql.",
        version="0.1.0",
        docs_url=None, redoc_url=None,  # /docs from local files (api.web.offline)
        lifespan=_lifespan,
    )
    app.state.graph = graph
    app.state.store = store
    app.state.access = access
    # the 涉密 set per store version, ready before a new version goes live (api/consistency.py)
    app.state.restrictions = (VersionedRestrictions(graph, store) if store is not None
                              else Restrictions(graph))

    async def context_getter(request: Request) -> Context:
        name, role = caller_of(request)
        policy = PolicyGraph(graph, persons=role.persons, phones=role.phones,
                             classified=access.sees_classified(role),
                             restrictions=app.state.restrictions)
        return Context(policy, role, name)

    schema = app.state.graphql_schema = build_schema(access.limits)
    app.include_router(LocalGraphQLRouter(schema, context_getter=context_getter,
                                          graphql_ide="graphiql",
                                          multipart_uploads_enabled=False),
                       prefix="/graphql")
    app.include_router(router)
    app.include_router(openlineage_router)
    app.include_router(sparql_router)
    app.include_router(dcat_router)
    app.include_router(audit_router)
    app.include_router(workflow_router)
    app.include_router(usage_router)
    install_web(app)  # the web catalog's pages at /
    install_docs(app)
    app.add_middleware(BodyLimit, max_body=access.limits.max_body,
                       max_upload=access.limits.max_upload,
                       upload_paths=("/admin/upload", "/admin/load", "/admin/harvest",
                                     "/admin/usage", "/admin/usage-file"),
                       json_paths=("/graphql",))
    if store is not None:
        app.add_middleware(PinnedReads, store=store)  # one store version per request
    app.add_middleware(KeyInQuery)  # outermost: a key in the query string is never served
    install_log_redaction()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if isinstance(detail, dict) and "zh" in detail:
            body = error_body(detail["zh"], detail["en"], detail.get("code", str(exc.status_code)),
                              **{k: v for k, v in detail.items() if k not in ("zh", "en", "code")})
        else:
            body = error_body("请求失败", str(detail), str(exc.status_code))
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                    for e in exc.errors()]
        return JSONResponse(error_body("请求参数无效", "invalid request parameters",
                                       "BAD_REQUEST", problems=problems), status_code=422)

    @app.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return JSONResponse(error_body("服务器内部错误，已记录", "internal error (logged)",
                                       "INTERNAL"), status_code=500)

    return app
