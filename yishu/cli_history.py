"""``yishu versions``, ``yishu diff``, ``yishu compact`` and the ``--catalog-as-of`` option of the
commands that read the catalog (docs/versions.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

__all__ = ["COMMANDS", "parse_instant", "catalog_as_of_option", "catalog_at"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_store_option = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=None,
    help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")


def parse_instant(text: str) -> dt.datetime | dt.date:
    """A date (YYYY-MM-DD: the end of that day, Asia/Shanghai) or an ISO date-time (no zone:
    Asia/Shanghai); exits with a zh/en message otherwise."""
    from graph.history import SHANGHAI
    from yishu.cli import fail

    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        fail(f"时间无效：{text!r}，应为 YYYY-MM-DD 或 ISO 日期时间（如 2026-09-30T18:00+08:00） / "
             f"invalid time {text!r}: use YYYY-MM-DD or an ISO date-time "
             "(e.g. 2026-09-30T18:00+08:00)")
    return when if when.tzinfo is not None else when.replace(tzinfo=SHANGHAI)


catalog_as_of_option = click.option(
    "--catalog-as-of", "catalog_as_of", metavar="DATE|ISO-DATETIME",
    help="Read the catalog as it stood then (a date: the end of that day, Asia/Shanghai), "
         "from the stored versions (yishu versions).")


def catalog_at(store, catalog_as_of: str | None):
    """``store`` itself, or the read-only catalog as of ``catalog_as_of``."""
    if not catalog_as_of:
        return store
    from graph.history import HistoryError
    from yishu.cli import fail

    try:
        return store.as_of(parse_instant(catalog_as_of))
    except HistoryError as e:
        fail(str(e))


@click.command("versions", context_settings=CONTEXT)
@click.option("--source", help="Only the versions of this load source.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@_store_option
def versions_command(source: str | None, fmt: str, store_path: Path | None) -> None:
    """List every stored version (load, upload, harvest, append, removal), oldest first.

    Times are shown in the deployment's zone, Asia/Shanghai (+08:00), whatever zone they were
    recorded in.

    列出每个来源的全部历史版本：时间、操作人、操作、新增与删除的三元组数。
    """
    from graph.history import SHANGHAI
    from yishu.cli import open_store

    rows = open_store(store_path, read_only=True).versions(source)
    if fmt == "json":
        click.echo(json.dumps([{"id": v.id, "source": v.source,
                                "at": v.at.astimezone(SHANGHAI).isoformat(),
                                "actor": v.actor, "operation": v.operation, "added": v.added,
                                "removed": v.removed, "compacted": v.compacted} for v in rows],
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{'time 时间':<27}{'source 来源':<22}{'operation':<10}{'added':>9}{'removed':>9}"
               f"  {'actor 操作人':<14}id")
    for v in rows:
        mark = " (compacted 已压缩)" if v.compacted else ""
        click.echo(f"{v.at.astimezone(SHANGHAI).isoformat(timespec='seconds'):<27}{v.source:<22}{v.operation:<10}"
                   f"{v.added:>9,}{v.removed:>9,}  {v.actor or '-':<14}{v.id[:12]}{mark}")


@click.command("compact", context_settings=CONTEXT)
@click.option("--before", required=True, metavar="DATE",
              help="Fold every source's versions older than this date (YYYY-MM-DD, "
                   "Asia/Shanghai) into one; their rows stay listed, marked compacted.")
@_store_option
def compact_command(before: str, store_path: Path | None) -> None:
    """Compact old versions: states before DATE are no longer kept.

    压缩历史：DATE 之前的版本合并为每个来源一个，保留谁在何时导入了什么的记录；DATE 及之后的任何
    历史查询结果不变。
    """
    from graph.history import HistoryError
    from yishu.cli import fail, open_store

    try:
        day = dt.date.fromisoformat(before)
    except ValueError:
        fail(f"--before 须为 YYYY-MM-DD / --before must be a date YYYY-MM-DD: {before!r}")
    store = open_store(store_path)
    try:
        report = store.compact(day)
    except HistoryError as e:
        fail(str(e))
    finally:
        store.close()
    click.echo(f"已压缩 compacted: {report.folded} version(s) before {day}, "
               f"{report.graphs_dropped} delta graph(s), {report.quads_dropped:,} quads freed")


@click.command("diff", context_settings=CONTEXT)
@click.argument("from_", metavar="FROM")
@click.argument("to", metavar="TO")
@click.option("--department", "-d", help="Only what changed for this department (部门编码).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@_store_option
def diff_command(from_: str, to: str, department: str | None, fmt: str,
                 store_path: Path | None) -> None:
    """What changed in the catalog between two dates (or ISO date-times).

    两个时间之间目录的变化：按部门和类别列出新增、删除的实体和字段变化（旧值、新值），新增和删除
    的血缘边，以及一数一源状态的变化。
    """
    from graph.diff import catalog_diff
    from graph.history import HistoryError
    from yishu.cli import fail, open_store

    store = open_store(store_path, read_only=True)
    try:
        d = catalog_diff(store.as_of(parse_instant(from_)), store.as_of(parse_instant(to)),
                         department)
    except HistoryError as e:
        fail(str(e))
    if fmt == "json":
        sys.stdout.write(json.dumps(d.as_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        click.echo(d.as_table())


COMMANDS = [versions_command, diff_command, compact_command]
