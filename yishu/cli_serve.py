"""``yishu serve``: the GraphQL/REST API on the embedded store; ``yishu api-key``: a new key.

Engines are chosen from :data:`ENGINES`, a dict of factories ``(store) -> CatalogGraph``. The
Oxigraph engine is built in; another engine registers itself with :func:`register_engine` from
its own module, as ``yishu/cli_neo4j.py`` does for Neo4j::

    from yishu.cli_serve import register_engine
    register_engine("neo4j", neo4j_engine_factory)  # (store) -> Neo4jGraph.from_settings(...)

``yishu serve --engine neo4j`` then serves it; the choice is checked when the command runs, so
modules imported after this one can still register.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

import click

from yishu import config

# Not imported from yishu.cli: an engine module may import this one first (to register), and
# yishu.cli imports this module while it starts.
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

__all__ = ["COMMANDS", "ENGINES", "register_engine", "EngineFactory", "serve", "api_key"]

SWITCH_INTERVAL = float(os.environ.get("YISHU_SWITCH_INTERVAL", "0.001"))  # seconds
EngineFactory = Callable[..., object]  # (CatalogStore) -> graph.query.CatalogGraph


def _oxigraph(store):
    from graph.oxigraph_engine import OxigraphGraph

    return OxigraphGraph(store)


ENGINES: dict[str, EngineFactory] = {"oxigraph": _oxigraph}
# Modules that may register more engines when imported (absent modules are skipped).
ENGINE_MODULES = ("graph.neo4j.engine", "yishu.cli_neo4j")


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``yishu serve --engine <name>`` build the query layer with ``factory(store)``."""
    ENGINES[name] = factory


def _load_engine_modules() -> None:
    for mod in ENGINE_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


@click.command(context_settings=CONTEXT)
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--access-config", "access_path", type=click.Path(path_type=Path), default=None,
              envvar="YISHU_ACCESS_CONFIG",
              help="YAML file mapping API keys to roles (env YISHU_ACCESS_CONFIG); without it "
                   "every caller is anonymous.")
@click.option("--engine", default="oxigraph", show_default=True,
              help="Query engine: oxigraph, or one another module registered (neo4j).")
@click.option("--demo", is_flag=True, help="Load the demo district into the store first.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--insecure-demo", is_flag=True,
              help="Start even though the access config accepts a published example key "
                   "(admin-demo-key …); for a local demo only.")
def serve(store_path: Path | None, host: str, port: int, access_path: Path | None, engine: str,
          demo: bool, log_level: str, insecure_demo: bool) -> None:
    """Serve the web catalog (pages at /), the GraphQL API (GraphiQL at /graphql) and the REST
    routes.

    REST: /healthz, /readyz, /export?format=turtle|ntriples|jsonld, POST /admin/upload.
    """
    import uvicorn

    from api.access import AccessError, load_access
    from api.app import create_app
    from yishu.cli import fail, open_store

    _load_engine_modules()
    if engine not in ENGINES:
        fail(f"未知引擎 {engine!r} / unknown engine {engine!r}; 可用 available: "
             + ", ".join(sorted(ENGINES)))
    try:
        access = load_access(access_path)
    except AccessError as e:
        fail(str(e))
    check_example_keys(access, insecure_demo)
    store = open_store(store_path)
    if demo:
        from graph.history import HistoryError
        from loaders import TemplateError
        from yishu.demo import load_demo
        from yishu.demo_history import HistoryError as WorkflowHistoryError

        if not config.DEMO_DIR.exists():
            fail(f"示范区数据不存在 / the demo district is missing: {config.DEMO_DIR}")
        try:  # with its history, so the bulletin page has two quarters to compare
            report = load_demo(store, config.DEMO_DIR).report
        except (TemplateError, HistoryError, WorkflowHistoryError) as e:
            fail(str(e))
        click.echo(f"已导入示范区 / loaded the demo district: {report.triples:,} triples", err=True)
    try:
        graph = ENGINES[engine](store)
    except Exception as e:  # noqa: BLE001 - any engine start failure is reported plainly
        fail(f"无法启动引擎 {engine} / cannot start the {engine} engine: {e}")
    app = create_app(graph, store, access)
    app.state.restrictions.hidden()  # compute the 涉密 set once, before the first request
    roles = sorted({r.name for _n, r in access.keys.values()})
    click.echo(f"一数 API on http://{host}:{port}/graphql — engine {engine}, "
               f"{len(access.keys)} key(s) ({', '.join(roles) or 'anonymous only'}), "
               f"classified network: {'yes' if access.classified_network else 'no'}", err=True)
    click.echo(_welcome(f"http://{host}:{port}", demo), err=True)
    # A load runs Python code in a worker thread beside the readers' threads: switch the
    # interpreter lock every 1 ms instead of 5 ms so a short read is not queued behind it.
    sys.setswitchinterval(SWITCH_INTERVAL)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)


def check_example_keys(access, insecure_demo: bool) -> None:
    """Refuse to serve with a published example key, or warn loudly under --insecure-demo."""
    from yishu.cli import fail

    known = access.example_keys()
    if not known:
        return
    listed = ", ".join(f"{k} ({name})" for k, name in known)
    if not insecure_demo:
        fail(f"访问配置接受公开的示例密钥 {listed}，任何人都能用它们访问。请用 yishu api-key 生成新密钥"
             f"替换它们；仅本机演示时可加 --insecure-demo / the access config accepts published "
             f"example key(s) {listed}: anyone can use them. Replace them with keys made by "
             f"`yishu api-key`; for a local demo only, pass --insecure-demo")
    bar = "!" * 78
    click.echo(f"{bar}\n!! 警告 WARNING: 不安全的演示模式 / insecure demo mode\n"
               f"!! 公开的示例密钥可用 / published example keys accepted: {listed}\n"
               f"!! 切勿在本机以外使用 / never use this beyond a local demo\n{bar}", err=True)


def _welcome(url: str, demo: bool) -> str:
    """The web catalog's address, and (for the demo district) three things to try."""
    lines = [f"网页目录 / web catalog: {url}/"]
    if demo:
        lines += [
            "试试 / try:",
            f"  1. {url}/element?q=身份证号  — 身份证号的权威来源是哪个系统（一数一源） / "
            "which system is the one source of the citizen ID number",
            f"  2. {url}/resource/R-MZ-DB#lineage  — 低保数据从哪里来（血缘，可调深度） / "
            "where the minimum-living-allowance data comes from (lineage)",
            f"  3. {url}/dashboard  — 各部门审计得分，最差的在前 / departments ranked by "
            "their audit score, worst first",
        ]
    lines.append("按 Ctrl-C 停止 / Ctrl-C stops it")
    return "\n".join(lines)


@click.command("api-key", context_settings=CONTEXT)
@click.option("--role", required=True,
              type=click.Choice(["analyst", "integrator", "governance", "admin", "lineage"]))
@click.option("--name", required=True, help="Who holds the key (shown in logs and `me`).")
def api_key(role: str, name: str) -> None:
    """Make a new random API key and print the YAML entry (hashed) for the access config."""
    from api.access import hash_key

    key = secrets.token_urlsafe(32)
    click.echo(f"# 密钥只显示一次 / the key is shown once: {key}", err=True)
    click.echo(f"  - name: {name}\n    role: {role}\n    sha256: {hash_key(key)}")


COMMANDS = [serve, api_key]
