"""``POST /admin/usage``: import a usage statistics file (CSV or JSON, docs/usage.md) as an admin;
all or nothing, 422 with every located error otherwise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.rest import check_source, load_serialised, uploader

__all__ = ["router", "import_usage_upload"]

router = APIRouter()


def import_usage_upload(state, data: bytes, filename: str, source: str | None, who: str):
    """Import one usage file through the one-writer-at-a-time path of the uploads; the report,
    or the refused load's :class:`TemplateError`."""
    from loaders import TemplateError
    from loaders.usage import import_usage, usage_source_name

    name = source or usage_source_name(filename)
    try:
        return load_serialised(state, lambda: import_usage(state.store, data, filename, name),
                               name, who), None
    except TemplateError as e:
        return None, e


@router.post("/admin/usage", summary="导入调用统计（仅管理员） / import usage statistics "
             "(admin only)")
async def upload_usage(request: Request,
                       file: Annotated[UploadFile, File(description="交换平台的调用统计 .csv 或 "
                                                        ".json / the exchange platform's "
                                                        "statistics, .csv or .json")],
                       source: Annotated[str, Form(description="来源名称（以 usage 开头；默认 "
                                                   "usage-文件名），同名再次导入将替换 / load "
                                                   "source (starting with usage; default "
                                                   "usage-<file stem>); the same name "
                                                   "replaces it")] = "",
                       ) -> JSONResponse:
    name, state = uploader(request)
    source = source.strip()
    if source:
        check_source(source)
    data = await file.read()
    report, err = await run_in_threadpool(import_usage_upload, state, data,
                                          file.filename or "usage.csv", source or None, name)
    if err is not None:
        return JSONResponse({"error": {
            "code": "USAGE_INVALID", "zh": "导入失败，未写入任何数据",
            "en": "import refused, nothing stored",
            "message": "导入失败，未写入任何数据 / import refused, nothing stored"},
            "total": err.total, "errors": [x.as_dict() for x in err.errors]}, status_code=422)
    return JSONResponse(report.as_dict())
