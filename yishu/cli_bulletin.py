"""``yishu bulletin``: the quarterly 通报 — every department's move since the previous quarter,
from the catalog as it stood at the end of each quarter (docs/versions.md, "通报 / Bulletin")."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["COMMANDS", "bulletin_command"]

FORMATS = ["html", "pdf", "json"]


@click.command("bulletin", context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.option("--quarter", "-q", metavar="YYYYQn",
              help="The quarter (e.g. 2026Q3), compared with the one before it; default: the "
                   "last quarter that has ended. Quarter ends are in Asia/Shanghai time.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: one self-contained file; pdf: A4, ready to send; json: the figures.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default stdout; --format pdf needs a file).")
@click.option("--district", help="The district named in the title (default: the top "
                                 "department's name, e.g. 江州市云溪区).")
@click.option("--pending-days", type=click.IntRange(min=0), default=None,
              help="Days a request may stay 待审核 (REQ-002; default 10, from the shapes).")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")
def bulletin_command(quarter: str | None, fmt: str, output: Path | None, district: str | None,
                     pending_days: int | None, store_path: Path | None) -> None:
    """The quarterly bulletin (季通报): scores, ranks, KPIs, findings new and fixed.

    季度通报：以上季度末与本季度末的目录（按历史版本）分别审计，列出各部门得分与排名的变化、
    考核指标与目标、新发现与已整改的问题、重复采集，以及全区汇总；输出 HTML 或可直接印发的 PDF。
    """
    import json

    from graph.history import HistoryError
    from shapes.bulletin_audits import bulletin_of
    from shapes.bulletin_render import to_html, to_pdf
    from shapes.quarter import Quarter, QuarterError
    from yishu.cli import fail, open_store

    if fmt == "pdf" and output is None:
        fail("--format pdf 需要 --output 文件 / --format pdf needs --output FILE")
    try:
        q = Quarter.parse(quarter) if quarter else Quarter.last_ended()
    except QuarterError as e:
        fail(str(e))
    store = open_store(store_path, read_only=True)
    try:
        b, qa = bulletin_of(store, q, district=district, pending_days=pending_days)
    except HistoryError as e:
        fail(str(e))
    for label, empty in zip((q.previous(), q), qa.empty, strict=True):
        if empty:
            click.echo(f"注意：{label.label} 末目录为空（那时尚无任何导入）/ note: the catalog was "
                       f"empty at the end of {label.label} (nothing loaded yet)", err=True)
    click.echo(f"通报 bulletin {q.label} vs {q.previous().label}: {len(b.departments)} "
               f"departments, up {b.summary.up}, down {b.summary.down}, level "
               f"{b.summary.level} ({b.seconds:.1f}s"
               f"{', ' + str(sum(qa.kept)) + ' audit(s) kept' if any(qa.kept) else ''})",
               err=True)
    if fmt == "json":
        data = json.dumps(b.as_dict(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    else:
        html = to_html(b)
        data = to_pdf(b, html=html) if fmt == "pdf" else html.encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


COMMANDS = [bulletin_command]
