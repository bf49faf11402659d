"""``yishu load --server URL``: a load through a running ``yishu serve``, which holds the store.

The template goes to the server's admin upload route (``POST /admin/upload``), so the load is the
same all-or-nothing load as ``yishu load`` on a free store, and the errors come back located.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import click

__all__ = ["remote_load", "template_upload"]


def template_upload(path: Path) -> tuple[str, bytes]:
    """(file name, bytes) to upload: an .xlsx or .zip as it is, a CSV folder zipped."""
    if path.is_dir():
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(path.glob("*.csv")):
                zf.write(f, f.name)
        return f"{path.name}.zip", buf.getvalue()
    if path.suffix.lower() in (".xlsx", ".zip"):
        return path.name, path.read_bytes()
    raise click.UsageError(
        f"经服务器导入只接受 CSV 文件夹、.xlsx 或 .zip：{path.name} / through a server only a CSV "
        f"folder, an .xlsx or a .zip can be loaded: {path.name}")


def remote_load(server: str, key: str | None, path: Path, source: str | None,
                errors_file: Path | None) -> None:
    import httpx

    from loaders.errors import CellError
    from loaders.load import source_name
    from yishu.cli import fail, refuse_load

    if not key:
        fail("经服务器导入需要管理员密钥：--key 或环境变量 YISHU_API_KEY / loading through a "
             "server needs an admin key: --key or the environment variable YISHU_API_KEY")
    name, data = template_upload(path)
    source = source or source_name(path)
    url = server.rstrip("/") + "/admin/upload"
    try:
        r = httpx.post(url, headers={"X-API-Key": key}, data={"source": source},
                       files={"file": (name, data)}, timeout=600)
    except httpx.HTTPError as e:
        fail(f"无法连接服务器 {server} / cannot reach the server {server}: {e}")
    try:
        body = r.json()
    except ValueError:
        body = {}
    if r.status_code == 200:
        click.echo(f"已经服务器导入 loaded through {server} {body['source']!r}: "
                   f"{body['triples']:,} triples in {body['seconds']:.2f}s")
        return
    if r.status_code == 422 and "errors" in body:
        refuse_load([CellError(**e) for e in body["errors"]], errors_file)
    err = body.get("error", {})
    fail(f"服务器拒绝导入（HTTP {r.status_code}） / the server refused the load "
         f"(HTTP {r.status_code}): {err.get('message') or r.text[:500]}")
