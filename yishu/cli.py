"""The ``yishu`` command line. Commands stay thin: they call the loaders, store and query layer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from yishu import config
from yishu.cli_history import catalog_as_of_option, catalog_at

__all__ = ["main", "open_store", "fail", "CONTEXT", "progress_bar", "refuse_load", "store_option"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = 2) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def open_store(path: Path | None, *, read_only: bool = False):
    """The on-disk store. Read-only opens work beside a running ``yishu serve``; a writer that
    finds the store locked is told what to do instead."""
    from graph.store import CatalogStore

    target = path or config.store_path()
    if read_only and not Path(target).exists():
        fail(f"存储不存在：{target}（先运行 yishu demo 或 yishu load） / "
             f"no store at {target} (run yishu demo or yishu load first)")
    try:
        store = CatalogStore(target, read_only=read_only)
    except OSError as e:
        if not read_only and _is_lock_error(e):
            fail(f"存储 {target} 正被另一个进程（如 yishu serve）使用。请通过运行中的服务器导入："
                 f"yishu load 文件 --server http://127.0.0.1:8000 --key 管理员密钥；"
                 f"或先停止该服务器再导入。 / the store {target} is in use by another process "
                 f"(such as yishu serve). Load through the running server: yishu load FILE "
                 f"--server http://127.0.0.1:8000 --key ADMIN_KEY; or stop that server first.")
        fail(f"无法打开存储 {target} / cannot open the store {target}: {e}")
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # closed when the command ends (flushed; RocksDB's background work
        ctx.call_on_close(store.close)  # done), not when the garbage collector gets to it
    return store


def _is_lock_error(e: OSError) -> bool:
    text = str(e)
    return "LOCK" in text or "Resource temporarily unavailable" in text


def progress_bar(desc: str, unit: str = "行") -> Callable[[int], Callable[[int], None]]:
    """A tqdm bar factory (on stderr, shown on a terminal only): ``factory(total)`` gives an
    ``update(n)``."""
    from tqdm import tqdm

    def factory(total: int) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=desc, unit=unit, disable=None, leave=False)
        return bar.update

    return factory


store_option = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=None,
    help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="yishu")
def main() -> None:
    """一数 Yishu — government data catalog on a knowledge graph.

    Load department catalogs, audit them, trace lineage and resolve the one
    authoritative source of every data element.
    """


def _print_report(report) -> None:
    rows = ", ".join(f"{k} {v}" for k, v in report.rows.items() if v)
    click.echo(f"已导入 loaded {report.source!r}: {report.triples:,} triples "
               f"in {report.seconds:.2f}s ({report.triples_per_second:,.0f}/s)"
               + (f" — {rows}" if rows else ""))
    other = {f: e for f, e in getattr(report, "encodings", {}).items() if e != "UTF-8"}
    if other:
        click.echo("编码 encodings: " + ", ".join(f"{f} {e}" for f, e in sorted(other.items())))


def _print_stats(store) -> None:
    stats = store.stats()
    click.echo(f"{'class':<32}{'count':>10}")
    for cls, n in stats.items():
        click.echo(f"{cls:<32}{n:>10,}")
    click.echo(f"{'triples':<32}{len(store):>10,}")
    for s in store.sources():
        click.echo(f"  source {s.name}: {s.triples:,} triples")


@main.command(context_settings=CONTEXT)
@store_option
def demo(store_path: Path | None) -> None:
    """Load the demo district into the store and print what is in it.

    Its history first (examples/demo-district/history: earlier versions, stamped with their
    dates), then today's files, so `yishu bulletin --quarter 2026Q3` has two quarters.
    """
    from graph.history import HistoryError
    from loaders import TemplateError
    from yishu.demo import load_demo
    from yishu.demo_history import HistoryError as WorkflowHistoryError

    store = open_store(store_path)
    try:
        loaded = load_demo(store, config.DEMO_DIR, progress_factory=progress_bar("demo"),
                           echo=click.echo)
    except (TemplateError, HistoryError, WorkflowHistoryError) as e:
        fail(str(e))
    _print_report(loaded.report)
    for u in loaded.usage:
        click.echo(f"已导入调用统计 imported usage {u.source!r}: {u.records:,} records, "
                   f"{u.calls:,} calls")
    if loaded.workflow:
        click.echo(f"办理记录 workflow history: {loaded.workflow[0]} 件共享申请 requests, "
                   f"{loaded.workflow[1]} 件数据异议 objections")
    _print_stats(store)


@main.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--source", help="Name of the load source (default: the file or folder name). "
              "Loading the same source again replaces it.")
@click.option("--errors", "errors_file", type=click.Path(path_type=Path),
              help="On a refused load, also write every error to this .csv or .xlsx file (file, "
                   "sheet, row, column, value, zh, en) for whoever fixes the workbook.")
@click.option("--server", metavar="URL",
              help="Load through a running `yishu serve` (e.g. http://127.0.0.1:8000) instead of "
                   "opening the store, which that server holds. Needs an admin key.")
@click.option("--key", envvar="YISHU_API_KEY", metavar="KEY",
              help="Admin API key for --server (env YISHU_API_KEY).")
@click.option("--at", "at", metavar="ISO-DATETIME",
              help="Record the version at this time (e.g. 2026-09-30T18:00+08:00; no zone: "
                   "Asia/Shanghai) to build a history; never earlier than the source's latest "
                   "version.")
@click.option("--by", "by", metavar="NAME",
              help="Who loaded this version (kept in its history; default: the OS user).")
@store_option
def load(path: Path, source: str | None, errors_file: Path | None, server: str | None,
         key: str | None, at: str | None, by: str | None, store_path: Path | None) -> None:
    """Load a catalog template (CSV folder, .xlsx, .zip) or RDF (.ttl, .nt, .jsonld).

    All or nothing: on any error nothing is stored and every error is listed
    with its file, row, column and value (all of them; --errors FILE also
    writes them to a spreadsheet).
    """
    from graph.history import HistoryError, stamped
    from loaders import TemplateError, load_path
    from yishu.cli_history import parse_instant

    if server:
        if at or by:
            fail("--at/--by 只用于直接导入存储 / --at and --by apply to a direct load only")
        from yishu.cli_remote import remote_load

        remote_load(server, key, path, source, errors_file)
        return
    when = parse_instant(at) if at else None
    if by is None:
        by = _os_user()
    store = open_store(store_path)
    errors = too_early = None
    try:
        with stamped(when, by):
            report = load_path(store, path, source, progress_factory=progress_bar(path.name))
    except TemplateError as e:
        errors = e.errors
    except HistoryError as e:
        too_early = str(e)  # the text only: the traceback would keep the store open
    finally:
        store.close()  # released now, not when a traceback holding it is collected
    if too_early:
        fail(too_early)
    if errors is not None:
        refuse_load(errors, errors_file)
    _print_report(report)


def _os_user() -> str | None:
    """Who runs this command, recorded as the actor of a load without ``--by``."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry for this uid
        return None


def refuse_load(errors: list, errors_file: Path | None) -> None:
    """Print every error of a refused load (and write them to ``errors_file``); exit 2."""
    from loaders.error_report import write_errors

    lines = [f"导入失败，共 {len(errors)} 个错误，未写入任何数据 / load refused, "
             f"{len(errors)} error(s), nothing stored:"]
    lines += [f"  {e}" for e in errors]
    if errors_file is not None:
        write_errors(errors, errors_file)
        lines.append(f"全部错误已写入 / every error written to: {errors_file}")
    elif len(errors) > 20:
        lines.append("提示：加 --errors 错误.xlsx 可把全部错误写成表格 / "
                     "hint: add --errors errors.xlsx to get them all as a spreadsheet")
    fail("\n".join(lines))


@main.command(context_settings=CONTEXT)
@catalog_as_of_option
@store_option
def stats(catalog_as_of: str | None, store_path: Path | None) -> None:
    """Counts per class and per load source."""
    _print_stats(catalog_at(open_store(store_path, read_only=True), catalog_as_of))


@main.command(context_settings=CONTEXT)
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "ntriples", "jsonld", "nquads", "trig", "dcat-ap"]),
              help="dcat-ap: the catalog as DCAT-AP 3.0.1 (docs/dcat-ap.md), in --syntax.")
@click.option("--syntax", default="turtle", show_default=True,
              type=click.Choice(["turtle", "jsonld", "rdfxml", "ntriples"]),
              help="Syntax of a --format dcat-ap export.")
@click.option("--publisher", metavar="CODE",
              help="DCAT-AP: the department publishing the catalog (数据主管部门; default: the "
                   "department no other sits under).")
@click.option("--url", default="http://127.0.0.1:8000/", show_default=True,
              help="DCAT-AP: where the web catalog is reached (landing and access URLs).")
@click.option("--source", help="Only this load source.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default stdout).")
@catalog_as_of_option
@store_option
def export(fmt: str, syntax: str, publisher: str | None, url: str, source: str | None,
           output: Path | None, catalog_as_of: str | None, store_path: Path | None) -> None:
    """Export the catalog as Turtle, N-Triples, JSON-LD, N-Quads, TriG or DCAT-AP."""
    store = catalog_at(open_store(store_path, read_only=True), catalog_as_of)
    if fmt == "dcat-ap":
        from graph.dcat import CatalogInfo, dcat_ap_view, serialize_dcat

        view = dcat_ap_view(store.triples(source), store.base,
                            CatalogInfo(publisher=publisher, url=url))
        data = serialize_dcat(view, syntax)
    else:
        data = store.export(fmt, source)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


def _register_optional() -> None:
    """Commands that live in their own modules."""
    import importlib

    for mod in ("yishu.cli_template", "yishu.cli_synth", "yishu.cli_audit", "yishu.cli_serve",
                "yishu.cli_neo4j", "yishu.cli_dcat", "yishu.cli_history", "yishu.cli_bulletin",
                "yishu.cli_usage"):
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name == mod:
                continue
            raise
        for cmd in module.COMMANDS:
            main.add_command(cmd)


_register_optional()
