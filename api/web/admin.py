"""Admin page: upload an XLSX or ZIP (all or nothing; errors as a table by file, row, column),
import an exchange platform's usage statistics (CSV or JSON, docs/usage.md; same all-or-nothing
rule), download the blank template, the load sources (time, size, who loaded them), replace or
remove a source. Only a role that may load data sees it; every form carries the CSRF token."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from api.rest import SOURCE_NAME, upload_lock
from api.web.session import CsrfError, check_csrf
from api.web.view import PAGE, PageNotFound, View, call, render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin(v: View) -> None:
    if not v.role.upload:
        raise PageNotFound("page", "admin")  # not there for anyone else


def after_change(state) -> None:
    """A load or a removal changed the catalog: recompute what depends on it."""
    state.restrictions.invalidate()
    refresh = getattr(state.graph, "refresh", None)
    if callable(refresh):
        refresh()


def _page(v: View, status: int = 200, **ctx):
    store = v.request.app.state.store
    sources = store.sources() if store is not None else []
    return render(v, "admin.html", http_status=status, sources=sources,
                  has_store=store is not None, **ctx)


async def _refused(v: View, csrf: str, upload: bool = True) -> Response | None:
    """The checks every admin form starts with: a role that may load (else no page), a current
    CSRF token (else the page again, 403) and, for an upload, a store that takes one (else 503).
    None when the form may go on."""
    _admin(v)
    try:
        check_csrf(v.request, csrf)
    except CsrfError:
        return await call(_page, v, 403, error=v.tr("表单已过期，请重试。",
                                                    "The form expired; please try again."))
    if upload and v.request.app.state.store is None:
        return await call(_page, v, 503, error=v.tr("此引擎不接受导入。",
                                                    "This engine takes no uploads."))
    return None


@router.get("/admin", include_in_schema=False)
async def admin_page(v: View = PAGE):
    _admin(v)
    return await call(_page, v)


def _load(v: View, data: bytes, filename: str, source: str):
    from loaders import TemplateError, load_upload

    state = v.request.app.state
    with upload_lock:
        try:
            report = load_upload(state.store, data, filename, source)
        except TemplateError as e:
            return None, e
        state.store.record_loader(source, v.name)
        after_change(state)
    return report, None


@router.post("/admin/load", include_in_schema=False)
async def admin_load(file: Annotated[UploadFile, File()], source: Annotated[str, Form()] = "",
                     csrf: Annotated[str, Form()] = "", v: View = PAGE):
    if (refused := await _refused(v, csrf)) is not None:
        return refused
    source = source.strip()
    if not SOURCE_NAME.match(source):
        return await call(_page, v, 400, error=v.tr(
            "来源名称应为 1–100 个字母、数字、汉字或 -_.",
            "The source name must be 1–100 letters, digits, CJK or -_."))
    data = await file.read()
    report, err = await call(_load, v, data, file.filename or "", source)
    if err is not None:
        return await call(_page, v, 422, errors=err.errors, total=err.total,
                          error=v.tr("导入失败，未写入任何数据。", "Load refused, nothing stored."))
    return await call(_page, v, 200, loaded=report)


def _import_usage(v: View, data: bytes, filename: str, source: str):
    from api.usage_rest import import_usage_upload

    state = v.request.app.state
    report, err = import_usage_upload(state, data, filename, source or None, v.name)
    if err is None:
        after_change(state)
    return report, err


@router.post("/admin/usage-file", include_in_schema=False)
async def admin_usage(file: Annotated[UploadFile, File()], source: Annotated[str, Form()] = "",
                      csrf: Annotated[str, Form()] = "", v: View = PAGE):
    if (refused := await _refused(v, csrf)) is not None:
        return refused
    source = source.strip()
    if source and not (SOURCE_NAME.match(source) and source.startswith("usage")):
        return await call(_page, v, 400, error=v.tr(
            "调用统计的来源名称应以 usage 开头，由字母、数字、汉字或 -_. 组成（至多 100 个）",
            "A usage source name starts with usage and has at most 100 letters, digits, CJK "
            "or -_."))
    data = await file.read()
    report, err = await call(_import_usage, v, data, file.filename or "usage.csv", source)
    if err is not None:
        return await call(_page, v, 422, errors=err.errors, total=err.total,
                          error=v.tr("调用统计导入失败，未写入任何数据。",
                                     "Usage import refused, nothing stored."))
    return await call(_page, v, 200, usage=report)


def _remove(v: View, source: str) -> bool:
    state = v.request.app.state
    with upload_lock:
        removed = state.store.remove_source(source)
        if removed:
            after_change(state)
    return removed


@router.post("/admin/remove", include_in_schema=False)
async def admin_remove(source: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                       v: View = PAGE):
    if (refused := await _refused(v, csrf, upload=False)) is not None:
        return refused
    if v.request.app.state.store is None or not await call(_remove, v, source):
        return await call(_page, v, 404, error=v.tr(f"没有名为 {source} 的来源。",
                                                    f"There is no source named {source}."))
    return await call(_page, v, 200, removed=source)


def _template() -> bytes:
    from loaders.writer import write_xlsx_template

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "template.xlsx"
        write_xlsx_template(path)
        return path.read_bytes()


@router.get("/admin/template.xlsx", include_in_schema=False)
async def blank_template(v: View = PAGE):
    data = await call(_template)
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": "attachment; filename=\"yishu-template.xlsx\"; "
                               "filename*=UTF-8''%E7%9B%AE%E5%BD%95%E6%A8%A1%E6%9D%BF.xlsx"})
