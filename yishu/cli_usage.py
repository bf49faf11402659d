"""``yishu usage``: import call statistics from an exchange platform and ask who uses what
(docs/usage.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

__all__ = ["COMMANDS", "usage"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_store = click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
                      help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")
_from = click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="First day (YYYY-MM-DD; default: the first record).")
_to = click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
                   help="Last day (YYYY-MM-DD; default: the last record).")


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group("usage", context_settings=CONTEXT)
def usage() -> None:
    """Usage statistics (调用统计): import, who uses a resource, zombie data.

    Imported from the CSV or JSON file a data exchange platform produces
    (format: docs/usage.md); each file is its own load source.
    """


@usage.command("import", context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="Load source name, starting with 'usage' (default: usage-<file "
              "stem>). Importing the same source again replaces it.")
@click.option("--errors", "errors_file", type=click.Path(path_type=Path),
              help="On a refused import, also write every error to this .csv or .xlsx file.")
@_store
def import_command(path: Path, source: str | None, errors_file: Path | None,
                   store_path: Path | None) -> None:
    """Import a usage file (.csv or .json); all or nothing, errors by row and column."""
    from loaders.errors import TemplateError
    from loaders.usage import import_usage_file
    from yishu.cli import open_store, refuse_load

    store = open_store(store_path)
    errors = None
    try:
        report = import_usage_file(store, path, source)
    except TemplateError as e:
        errors = e.errors
    finally:
        store.close()
    if errors is not None:
        refuse_load(errors, errors_file)
    click.echo(f"已导入调用统计 imported usage {report.source!r}: {report.records:,} records, "
               f"{report.calls:,} calls ({report.failures:,} failed), {report.first_day} – "
               f"{report.last_day}, {report.triples:,} triples in {report.seconds:.2f}s")


def _name(graph, iri: str) -> str:
    if not iri:
        return "—"
    e = graph.get_many([iri]).get(iri)
    return f"{e.code} {e.label or ''}".strip() if e is not None else iri


@usage.command("show", context_settings=CONTEXT)
@click.argument("resource")
@_from
@_to
@_store
def show(resource: str, start: dt.datetime | None, end: dt.datetime | None,
         store_path: Path | None) -> None:
    """Who uses RESOURCE (a code), how much and for what."""
    from graph.oxigraph_engine import OxigraphGraph
    from graph.query import QueryError
    from graph.usage import usage_of
    from yishu.cli import fail, open_store

    store = open_store(store_path, read_only=True)
    graph = OxigraphGraph(store)
    try:
        res = graph.get(f"resource:{resource}")
    except QueryError as e:
        fail(str(e))
    s = usage_of(store, res.iri, _day(start), _day(end))
    click.echo(f"{res.code} {res.label or ''}: {s.calls:,} calls, {s.failures:,} failed"
               + (f", {s.first_day} – {s.last_day}" if s.first_day else ""))
    for title, rows, named in (("调用部门 departments", s.by_department, True),
                               ("调用系统 systems", s.by_system, True),
                               ("应用场景 scenarios", s.by_scenario, False)):
        click.echo(title)
        for row in rows:
            who = _name(graph, row.key) if named else (row.key or "—")
            click.echo(f"  {who:<40}{row.calls:>12,}{row.failures:>10,}{row.days:>6} d")


@usage.command("zombies", context_settings=CONTEXT)
@click.option("--days", type=click.IntRange(1, 3650), default=90, show_default=True,
              help="No call in this many days up to --as-of makes a shared resource a zombie.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to count back from (default: the last day of the imported usage "
                   "statistics).")
@_store
def zombies_command(days: int, as_of: dt.datetime | None, store_path: Path | None) -> None:
    """Shared resources no one called in the last N days (zombie data, 僵尸数据), counted back
    from --as-of or from the last day of the imported statistics (not today: statistics end
    when the file an exchange platform produced ends)."""
    from graph.oxigraph_engine import OxigraphGraph
    from graph.usage import has_usage, last_usage_day, zombies
    from yishu.cli import open_store

    store = open_store(store_path, read_only=True)
    if not has_usage(store):
        click.echo("没有调用统计，无法判断 / no usage statistics imported: nothing to judge by")
        return
    graph = OxigraphGraph(store)
    day = _day(as_of)
    basis = ("--as-of", "--as-of")
    if day is None:
        last = last_usage_day(store)
        day, basis = ((last, ("调用统计的最后一天", "the last day of the imported statistics"))
                      if last else (dt.date.today(), ("今天", "today")))
    found = zombies(store, day, days)
    click.echo(f"自 {day}（{basis[0]}）往前数 {days} 天 / counted back {days} days from {day} "
               f"({basis[1]})")
    click.echo(f"{len(found)} shared resource(s) not called in the {days} days up to {day}:")
    for z in found:
        click.echo(f"  {_name(graph, z.resource):<48}{_name(graph, z.provider or ''):<28}"
                   f"{z.last_called or '从未调用 never'}")


COMMANDS = [usage]
