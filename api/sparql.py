"""``/sparql``: the SPARQL 1.1 Protocol, read-only, over the view of the catalog the caller's
role may see (the same as through GraphQL: :mod:`api.policy`).

- GET ``?query=…``; POST as a form (``query=…``) or with ``Content-Type:
  application/sparql-query``. Updates (``update=``, ``application/sparql-update`` or an update
  sent as a query) are refused with 403, and so is SERVICE (the server would fetch any URL).
- SELECT and ASK as JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples or
  JSON-LD: by ``Accept`` or ``?format=json|xml|csv|tsv|turtle|ntriples|jsonld``.
- Each query runs in a worker process with a time limit (``limits.sparql_seconds``) that kills
  it when passed, and a row limit (``limits.sparql_rows``): clear zh / en errors, and the server
  keeps serving (:mod:`graph.sandbox`).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.rest import caller_of, http_error, policy_for
from api.workflow_policy import may_read_log
from graph.sandbox import FORMATS, QueryRunner, SandboxError, View
from graph.workflow_store import LOG_SOURCE
from ontology.namespaces import YS

__all__ = ["router", "runner_of", "run_query", "close_runner"]

router = APIRouter()
_lock = threading.Lock()
_ACCEPT = [("application/sparql-results+json", "json"), ("application/json", "json"),
           ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
           ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
           ("text/turtle", "turtle"), ("application/n-triples", "ntriples"),
           ("application/ld+json", "jsonld")]
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
# SERVICE would make the server call any URL a caller names (pyoxigraph's federated query):
# refused. Strings, IRIs and comments are blanked out first, so a literal "service" is fine.
_QUOTED = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>'  # an IRI (SPARQL's IRIREF characters)
                     r'|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.I)
_STATUS = {"TIMEOUT": 503, "BUSY": 503, "TOO_MANY_ROWS": 400, "SYNTAX": 400,
           "QUERY_FAILED": 500, "VIEW_FAILED": 503}


def runner_of(request: Request) -> QueryRunner:
    """The app's query runner, started on first use."""
    state = request.app.state
    runner = getattr(state, "sparql_runner", None)
    if runner is None:
        with _lock:
            runner = getattr(state, "sparql_runner", None)
            if runner is None:
                if state.store is None or state.store.path is None:
                    raise http_error(503, "此部署不提供 SPARQL（需要磁盘存储）",
                                "this deployment serves no SPARQL (it needs an on-disk store)",
                                "NO_STORE")
                lim = state.access.limits
                runner = state.sparql_runner = QueryRunner(
                    state.store, seconds=lim.sparql_seconds, rows=lim.sparql_rows)
    return runner


def close_runner(app) -> None:
    """Stop the app's query workers and remove its role views' checkpoints (at shutdown: a
    SIGTERM to ``yishu serve`` left them beside the store until the next start)."""
    runner = getattr(app.state, "sparql_runner", None)
    if runner is not None:
        app.state.sparql_runner = None
        runner.close()


def _format(request: Request) -> str | None:
    asked = request.query_params.get("format")
    if asked:
        fmt = asked.lower().replace("-", "").replace("ttl", "turtle")
        if fmt not in FORMATS:
            raise http_error(400, f"不支持的格式 {asked!r}，可用 " + "、".join(FORMATS),
                        f"unsupported format {asked!r}; use one of " + ", ".join(FORMATS),
                        "BAD_FORMAT")
        return fmt
    accept = request.headers.get("accept", "")
    best: tuple[int, str] | None = None
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        for i, (m, f) in enumerate(_ACCEPT):
            if media == m and (best is None or i < best[0]):
                best = (i, f)
    return best[1] if best else None


def _view(request: Request, role) -> View:
    policy = policy_for(request, role)
    dropped = frozenset(YS + f for f in policy.dropped_fields)
    hidden = policy.hidden
    # the write log (source ``writelog``) is for governance and admin only (issue 13)
    no_log = may_read_log(role) is not None and request.app.state.store is not None
    key = (f"persons={role.persons}/phones={role.phones}/classified={not hidden}"
           f"/log={not no_log}")
    return View(key, hidden=frozenset(hidden), dropped=dropped,
                hidden_sources=frozenset(
                    {request.app.state.store.graph_of(LOG_SOURCE)} if no_log else ()))


async def run_query(request: Request, role, query: str | None, fmt: str | None,
                    update: bool = False) -> tuple[str, bytes]:
    """(format, bytes) of ``query`` over what ``role`` may see; HTTPException (zh / en, code)
    when it is refused or fails. The protocol routes and the web page's query form share it."""
    if update or (query is not None and _UPDATE.match(query)):
        raise http_error(403, "SPARQL 端点只读，不接受更新", "the SPARQL endpoint is read-only; "
                    "updates are refused", "READ_ONLY")
    if not query or not query.strip():
        raise http_error(400, "缺少 query 参数", "the query parameter is missing", "NO_QUERY")
    if _SERVICE.search(_QUOTED.sub(" ", query)):
        raise http_error(403, "不支持联邦查询（SERVICE）：本端点只查询本目录",
                    "federated queries (SERVICE) are refused: this endpoint queries this catalog "
                    "only", "NO_SERVICE")
    runner = runner_of(request)
    view = _view(request, role)
    try:
        return await run_in_threadpool(runner.run, query, view, fmt)
    except SandboxError as e:
        raise http_error(_STATUS.get(e.code, 400), e.zh, e.en, e.code) from None


def _browser(request: Request) -> bool:
    """A browser opening the endpoint's address (it asks for HTML first), not a client."""
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].strip().lower() == "text/html"


async def _answer(request: Request, query: str | None, update: bool) -> Response:
    _name, role = caller_of(request)
    fmt, data = await run_query(request, role, query, _format(request), update)
    return Response(data, media_type=FORMATS[fmt][0])


@router.get("/sparql", summary="SPARQL 1.1 查询（只读） / SPARQL 1.1 query (read-only)")
async def sparql_get(request: Request) -> Response:
    p = request.query_params
    if "query" not in p and "update" not in p and _browser(request):
        return RedirectResponse("/query", status_code=303)  # a person: the SPARQL page
    return await _answer(request, p.get("query"), "update" in p)


@router.post("/sparql", summary="SPARQL 1.1 查询（只读） / SPARQL 1.1 query (read-only)")
async def sparql_post(request: Request) -> Response:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == "application/sparql-update":
        return await _answer(request, None, True)
    if ctype == "application/sparql-query":
        return await _answer(request, body.decode("utf-8", errors="replace"), False)
    if ctype in ("application/x-www-form-urlencoded", ""):
        form = parse_qs(body.decode("utf-8", errors="replace"))
        return await _answer(request, (form.get("query") or [None])[0], "update" in form)
    raise http_error(415, "请以表单或 application/sparql-query 提交查询",
                "send the query as a form or as application/sparql-query", "BAD_CONTENT_TYPE")
