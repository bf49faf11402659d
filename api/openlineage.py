"""OpenLineage ingest (the paths the official client and Marquez use) and the listing of the
datasets it reported.

- ``POST /api/v1/lineage`` — one RunEvent, DatasetEvent or JobEvent (spec 2-0-2): 201.
- ``POST /api/v1/lineage/batch`` — a JSON array of events, all or nothing: 200 with the
  spec's summary.
- ``GET /api/v1/lineage/datasets?registered=false`` — the datasets seen in events, with the
  resources that declare them (none: unregistered).

Writing needs a key whose role may write observed lineage (``lineage`` or ``admin``). A bad
event is answered 400 with the JSON path of each problem, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.rest import caller_of, http_error, policy_for

__all__ = ["router"]

router = APIRouter()

# A request body up to this size whose events the compiled schemas accept is mapped on the
# event loop (≈0.5 ms for an event with 20 columns of columnLineage): a hop to a worker thread and
# back costs about as much CPU, and the interpreter lock would serialise the work anyway. Larger
# bodies (batches) and refused events (the full validation that names every problem) go to a
# worker thread, so they never hold up the other connections.
INLINE_BYTES = 64 * 1024


async def _events(request: Request, batch: bool) -> tuple[list[object], int]:
    _name, role = caller_of(request)
    if not role.lineage:
        raise http_error(403, "此密钥的角色不能写入观测血缘（需要 lineage 或 admin 角色）",
                    "this key's role may not write observed lineage (needs role lineage or "
                    "admin)", "FORBIDDEN")
    if request.app.state.store is None:
        raise http_error(503, "此引擎不接受血缘事件", "this engine takes no lineage events", "NO_STORE")
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HTTPException(400, detail={
            "zh": "请求体不是有效的 JSON", "en": "the request body is not valid JSON",
            "code": "EVENT_INVALID",
            "problems": [{"path": "$", "zh": f"JSON 解析失败：{e}", "en": f"cannot parse: {e}",
                          "message": f"$: JSON 解析失败 / cannot parse: {e}"}]}) from None
    if batch:
        if not isinstance(body, list):
            raise HTTPException(400, detail={
                "zh": "批量接口需要事件数组", "en": "the batch endpoint takes an array of events",
                "code": "EVENT_INVALID",
                "problems": [{"path": "$", "zh": "应为数组", "en": "must be an array",
                              "message": "$: 应为数组 / must be an array"}]})
        return body, len(raw)
    return [body], len(raw)


async def _ingest(request: Request, events: list[object], batch: bool, size: int):
    """Validated and mapped here (a small body) or on a worker thread, then stored by the store's
    writer thread with whatever other requests are waiting, as one append
    (loaders/openlineage_commit.py); answered once stored."""
    from loaders.openlineage import EventError, submit, valid_at_once

    store = request.app.state.store
    try:
        if size <= INLINE_BYTES and valid_at_once(events):
            stored = submit(store, events, batch=batch)
        else:
            stored = await run_in_threadpool(submit, store, events, batch=batch)
    except EventError as e:
        raise HTTPException(400, detail={
            "zh": "事件不符合 OpenLineage 2-0-2，未写入任何数据",
            "en": "events do not follow OpenLineage 2-0-2; nothing stored",
            "code": "EVENT_INVALID", "problems": [p.as_dict() for p in e.problems]}) from None
    return await asyncio.wrap_future(stored)


@router.post("/api/v1/lineage", status_code=201,
             summary="接收一条 OpenLineage 事件 / receive one OpenLineage event")
async def post_event(request: Request) -> JSONResponse:
    events, size = await _events(request, batch=False)
    report = await _ingest(request, events, False, size)
    return JSONResponse({"events": report.events, "triples": report.triples,
                         "datasets": report.datasets}, status_code=201)


@router.post("/api/v1/lineage/batch",
             summary="批量接收 OpenLineage 事件（全部或全不） / receive a batch of events "
                     "(all or nothing)")
async def post_batch(request: Request) -> JSONResponse:
    events, size = await _events(request, batch=True)
    report = await _ingest(request, events, True, size)
    n = report.events
    return JSONResponse({"status": "success",
                         "summary": {"received": n, "successful": n, "failed": 0,
                                     "retriable": 0, "non_retriable": 0},
                         "triples": report.triples})


@router.get("/api/v1/lineage/datasets",
            summary="事件中出现的物理数据集及声明它们的资源 / datasets seen in events and the "
                    "resources declaring them")
async def datasets(request: Request,
                   registered: bool | None = Query(None, description="false: 只列未登记的 / "
                                                   "only unregistered ones")) -> JSONResponse:
    from graph.iris import code_of
    from graph.observed import observed_datasets

    _name, role = caller_of(request)
    store = request.app.state.store
    if store is None:
        raise http_error(503, "此引擎没有观测血缘", "this engine holds no observed lineage", "NO_STORE")
    policy = policy_for(request, role)

    def answer():  # over the caller's view: what goes with a hidden resource is not there
        return observed_datasets(store, registered, without=policy.deleted(store))

    found = await run_in_threadpool(answer)
    out = [{"namespace": d.namespace, "name": d.name, "iri": d.iri, "registered": d.registered,
            "resources": [code_of(r, store.base) for r in d.resources], "runs": d.runs,
            "lastSeen": d.last_seen}
           for d in found]
    return JSONResponse({"datasets": out, "total": len(out)})


@router.get("/api/v1/lineage/edges",
            summary="运行中观测到的血缘边及其依据 / lineage edges seen by running jobs, with "
                    "their evidence")
async def edges(request: Request,
                granularity: str = Query("RESOURCE", description="RESOURCE | ITEM"),
                evidence: str = Query("ANY", description="OBSERVED（仅观测到、未登记） | BOTH "
                                      "（登记且观测到） | ANY")) -> JSONResponse:
    from graph.iris import code_of
    from graph.observed import observed_edges

    _name, role = caller_of(request)
    store = request.app.state.store
    if store is None:
        raise http_error(503, "此引擎没有观测血缘", "this engine holds no observed lineage", "NO_STORE")
    gran, ev = granularity.upper(), evidence.upper()
    if gran not in ("RESOURCE", "ITEM") or ev not in ("OBSERVED", "BOTH", "ANY"):
        raise http_error(400, "granularity 应为 RESOURCE 或 ITEM，evidence 应为 OBSERVED、BOTH 或 ANY",
                    "granularity must be RESOURCE or ITEM, evidence OBSERVED, BOTH or ANY",
                    "BAD_ARGUMENT")
    policy = policy_for(request, role)

    def answer():  # over the caller's view, as GraphQL answers (api.policy.PolicyGraph.deleted)
        return observed_edges(store, items=gran == "ITEM", without=policy.deleted(store))

    found = await run_in_threadpool(answer)
    out = []
    for e in found:
        if ev != "ANY" and e.evidence != ev:
            continue
        row = {"down": code_of(e.down, store.base), "up": code_of(e.up, store.base),
               "evidence": e.evidence, "jobs": [code_of(j, store.base + "lineage/")
                                                for j in e.jobs],
               "lastSeen": e.last_seen}
        if gran == "ITEM":
            row["transformation"] = dict(zip(("type", "subtype", "masking"), e.transformation,
                                             strict=True))
        else:
            row["runs"] = e.runs
        out.append(row)
    return JSONResponse({"edges": out, "total": len(out)})
