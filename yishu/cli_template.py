"""``yishu template``: write a blank catalog template (XLSX workbook or a folder of CSV files)."""

from __future__ import annotations

from pathlib import Path

import click

from yishu.cli import CONTEXT, fail

__all__ = ["COMMANDS", "template"]


@click.command(context_settings=CONTEXT)
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              show_default=True,
              help="xlsx: one workbook (instructions sheet, notes on every header, drop-downs); "
              "csv: a folder of the 8 CSV files (UTF-8 with BOM).")
@click.option("--force", is_flag=True, help="Overwrite existing template files.")
def template(out: Path, fmt: str, force: bool) -> None:
    """Write a blank catalog template to OUT (生成空白导入模板).

    Fill it in and load it with `yishu load OUT`. Headers are the exact
    Chinese column names; controlled columns offer drop-downs in the workbook.
    """
    from loaders.spec import FILES
    from loaders.writer import write_template

    if fmt == "xlsx":
        if out.suffix.lower() != ".xlsx":
            fail(f"XLSX 模板的文件名应以 .xlsx 结尾 / the XLSX template name must end in .xlsx: {out}")
        clash = [out] if out.exists() else []
    else:
        if out.exists() and not out.is_dir():
            fail(f"{out} 已存在且不是文件夹 / {out} exists and is not a folder")
        clash = [out / f.file for f in FILES if (out / f.file).exists()]
    if clash and not force:
        fail("文件已存在，使用 --force 覆盖 / file exists, use --force to overwrite: "
             + ", ".join(str(p) for p in clash))
    try:
        paths = write_template(out, fmt)
    except OSError as e:
        fail(f"无法写入模板 / cannot write the template: {e}")
    where = out if fmt == "xlsx" else f"{out}/ ({len(paths)} 个文件 / files)"
    click.echo(f"已生成空白模板 / wrote a blank template: {where}")


COMMANDS = [template]
