"""``yishu sync-neo4j``: project the store into Neo4j; and the ``neo4j`` engine for ``yishu serve``.

Connection settings come from the options or the environment: NEO4J_URI, NEO4J_USER,
NEO4J_PASSWORD, NEO4J_DATABASE (docker-compose.yml sets them for the API container).
"""

from __future__ import annotations

from pathlib import Path

import click

from yishu.cli import CONTEXT, fail, open_store, store_option

__all__ = ["COMMANDS", "sync_neo4j", "neo4j_engine_factory"]


def neo4j_engine_factory(store):
    """``yishu serve --engine neo4j``: the query layer answering from the Bolt server named by
    NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE). The store stays the system of
    record (exports, uploads); an upload through the API syncs the difference into Neo4j
    (``refresh``); after a ``yishu load`` run ``yishu sync-neo4j``."""
    from graph.neo4j.engine import Neo4jGraph, settings_from_env, verify

    s = settings_from_env()
    timeout = float(s["connection_timeout"]) if s["connection_timeout"] else None
    graph = Neo4jGraph.from_settings(s["uri"] or "", s["user"], s["password"], s["database"],
                                     store=store, connection_timeout=timeout)
    verify(graph.driver)
    return graph


def _register() -> None:
    try:
        from yishu.cli_serve import register_engine
    except ModuleNotFoundError as e:  # the API engineer's module is optional here
        if e.name != "yishu.cli_serve":
            raise
        return
    register_engine("neo4j", neo4j_engine_factory)


@click.command("sync-neo4j", context_settings=CONTEXT)
@store_option
@click.option("--uri", envvar="NEO4J_URI", default="bolt://localhost:7687", show_default=True,
              help="Bolt URI of Neo4j (env NEO4J_URI), e.g. neo4j+s://xxxx.databases.neo4j.io.")
@click.option("--user", envvar="NEO4J_USER", default=None,
              help="User (env NEO4J_USER); without one no credentials are sent.")
@click.option("--password", envvar="NEO4J_PASSWORD", default=None,
              help="Password (env NEO4J_PASSWORD).")
@click.option("--database", envvar="NEO4J_DATABASE", default=None,
              help="Database (env NEO4J_DATABASE; default: the server's default database).")
@click.option("--connection-timeout", envvar="NEO4J_CONNECTION_TIMEOUT", default=None,
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds to open a connection (env NEO4J_CONNECTION_TIMEOUT; default: the "
                   "driver's, 30).")
@click.option("--source", "sources", multiple=True,
              help="Sync only this load source (repeatable); default: every source, and drop "
                   "the sources the store no longer has.")
@click.option("--rebuild", is_flag=True,
              help="Delete the whole projection, recreate constraints and indexes, sync all.")
@click.option("--batch-size", default=2000, show_default=True, type=click.IntRange(1, 100_000),
              help="Rows per UNWIND batch.")
def sync_neo4j(store_path: Path | None, uri: str, user: str | None, password: str | None,
               database: str | None, connection_timeout: float | None,
               sources: tuple[str, ...], rebuild: bool, batch_size: int) -> None:
    """Project the catalog store into Neo4j (labels, relationships, per-source sync).

    After each `yishu load`, `yishu sync-neo4j --source <name>` replaces that
    source only; `--rebuild` starts from nothing.
    """
    from tqdm import tqdm

    from graph.neo4j.dialect import Dialect, close_driver
    from graph.neo4j.engine import connect, verify
    from graph.neo4j.projection import Neo4jProjection

    if rebuild and sources:
        fail("--rebuild 与 --source 不能同时使用 / --rebuild and --source cannot be combined")
    store = open_store(store_path, read_only=True)
    known = {s.name for s in store.sources()}
    for s in sources:
        if s not in known:
            click.echo(f"存储中没有来源 {s!r}，将从投影中删除 / the store has no source {s!r}; "
                       "it is removed from the projection", err=True)
    try:
        driver = connect(uri, user, password, connection_timeout)
        verify(driver)
    except Exception as e:  # noqa: BLE001 - driver errors vary; report plainly
        fail(f"无法连接 Neo4j {uri} / cannot connect to Neo4j at {uri}: {e}")
    dialect = None
    try:
        proj = Neo4jProjection(driver, database, batch_size=batch_size)
        dialect = proj.dialect
        todo = list(sources) if sources else None
        with tqdm(total=0, desc="sync-neo4j", unit="行", disable=None, leave=False) as bar:

            def plan(n: int) -> None:
                bar.total += n
                bar.refresh()

            if rebuild:
                report = proj.rebuild(store, progress=bar.update, plan=plan)
            else:
                proj.ensure_schema()
                report = proj.sync(store, todo, progress=bar.update, plan=plan)
    except Exception as e:  # noqa: BLE001
        fail(f"同步失败 / sync failed: {e}")
    finally:
        close_driver(driver, dialect or Dialect.NEO4J)
    click.echo(f"已同步 synced {len(report.sources)} source(s) to {uri} ({proj.dialect}): "
               f"{report.nodes:,} nodes, {report.relationships:,} relationships in "
               f"{report.seconds:.2f}s ({report.nodes_per_second:,.0f} nodes/s, "
               f"{report.relationships_per_second:,.0f} rels/s); written 写入 "
               f"{report.written.nodes_written:,} nodes, "
               f"{report.written.relationships_written:,} relationships, deleted 删除 "
               f"{report.written.nodes_deleted:,} nodes, "
               f"{report.written.relationships_deleted:,} relationships"
               + (f"; removed {', '.join(report.removed_sources)}" if report.removed_sources
                  else ""))


_register()

COMMANDS = [sync_neo4j]
