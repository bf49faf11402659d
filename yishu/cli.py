"""The ``yishu`` command line. Commands stay thin: they call the loaders, store and query layer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from yishu import config

__all__ = ["main", "open_store", "fail"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = 2) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def open_store(path: Path | None, *, read_only: bool = False):
    from graph.store import CatalogStore

    target = path or config.store_path()
    try:
        return CatalogStore(target, read_only=read_only)
    except OSError as e:
        fail(f"无法打开存储 {target} / cannot open the store {target}: {e}")


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
    """Load the demo district into the store and print what is in it."""
    from loaders import TemplateError, load_path

    store = open_store(store_path)
    try:
        report = load_path(store, config.DEMO_DIR, "demo-district",
                           progress_factory=progress_bar("demo"))
    except TemplateError as e:
        fail(str(e))
    _print_report(report)
    _print_stats(store)


@main.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--source", help="Name of the load source (default: the file or folder name). "
              "Loading the same source again replaces it.")
@store_option
def load(path: Path, source: str | None, store_path: Path | None) -> None:
    """Load a catalog template (CSV folder, .xlsx, .zip) or RDF (.ttl, .nt, .jsonld).

    All or nothing: on any error nothing is stored and every error is listed
    with its file, row, column and value.
    """
    from loaders import TemplateError, load_path

    store = open_store(store_path)
    try:
        report = load_path(store, path, source, progress_factory=progress_bar(path.name))
    except TemplateError as e:
        fail(str(e))
    _print_report(report)


@main.command(context_settings=CONTEXT)
@store_option
def stats(store_path: Path | None) -> None:
    """Counts per class and per load source."""
    _print_stats(open_store(store_path))


@main.command(context_settings=CONTEXT)
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "ntriples", "jsonld", "nquads", "trig"]))
@click.option("--source", help="Only this load source.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default stdout).")
@store_option
def export(fmt: str, source: str | None, output: Path | None, store_path: Path | None) -> None:
    """Export the catalog as Turtle, N-Triples, JSON-LD, N-Quads or TriG."""
    data = open_store(store_path).export(fmt, source)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


def _register_optional() -> None:
    """Commands that live in their own modules."""
    import importlib

    for mod in ("yishu.cli_template", "yishu.cli_synth", "yishu.cli_audit", "yishu.cli_serve",
                "yishu.cli_neo4j"):
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name == mod:
                continue
            raise
        for cmd in module.COMMANDS:
            main.add_command(cmd)


_register_optional()
