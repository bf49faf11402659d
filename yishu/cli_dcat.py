"""``yishu harvest`` and ``yishu audit --dcat-ap``: DCAT-AP between catalogs (docs/dcat-ap.md)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["COMMANDS", "harvest_command", "dcat_ap_audit"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("harvest", context_settings=CONTEXT)
@click.argument("where", metavar="URL-OR-FILE")
@click.option("--source", required=True, help="Load source to harvest into (again: replaces it).")
@click.option("--timeout", type=float, default=60, show_default=True,
              help="Seconds to wait for a catalog fetched over HTTP.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")
def harvest_command(where: str, source: str, timeout: float, store_path: Path | None) -> None:
    """Harvest a DCAT-AP catalog (Turtle, JSON-LD, RDF/XML, N-Triples; file or URL).

    汇聚：把另一个目录（DCAT-AP）读入一个导入来源。A Yishu export comes back
    exactly; any other DCAT-AP catalog is mapped (datasets → resources,
    publishers → departments). All or nothing.
    """
    from loaders.errors import TemplateError
    from loaders.harvest import fetch_catalog, harvest
    from yishu.cli import fail, open_store

    try:
        data, syntax = fetch_catalog(where, timeout=timeout)
        store = open_store(store_path)
        report = harvest(store, data, syntax, source, where=where)
    except TemplateError as e:
        fail(str(e))
    rows = ", ".join(f"{k} {v}" for k, v in report.rows.items())
    click.echo(f"已汇聚 harvested {where} → {source!r}: {report.triples:,} triples ({rows}) "
               f"in {report.seconds:.2f}s")


def dcat_ap_audit(store, *, check_urls: bool, timeout: float, publisher: str | None,
                  url: str) -> tuple[str, int]:
    """The DCAT-AP conformance and MQA report as text, and the number of Violations."""
    from graph.dcat import CatalogInfo, dcat_ap_view
    from shapes.dcat_ap import validate_dcat_ap
    from shapes.mqa import mqa

    view = dcat_ap_view(store.triples(), store.base, CatalogInfo(publisher=publisher, url=url))
    report = validate_dcat_ap(view)
    checker = _url_checker(timeout) if check_urls else None
    scores = mqa(view, {p.focus for p in report.violations}, checker)
    c = report.counts
    lines = [f"DCAT-AP 3.0.1 官方规则 / official shapes: {c['Violation']} Violation, "
             f"{c['Warning']} Warning"]
    for p in report.violations[:200]:
        lines.append(f"  Violation {p.focus} {p.path or ''}: {p.message}")
    cat = scores.pop("catalog")
    en, zh = cat.rating
    lines.append(f"MQA 元数据质量 / metadata quality: {cat.points:g} / 405 {zh} {en} "
                 f"({cat.datasets} datasets, {cat.distributions} distributions"
                 + ("" if cat.urls_checked else "; 链接未检查 URLs not checked: --check-urls")
                 + ")")
    lines.append("  " + ", ".join(f"{k} {v:g}" for k, v in cat.by_dimension().items()))
    lines.append(f"{'publisher':<48}{'datasets':>9}{'MQA':>8}  rating")
    for scope, s in sorted(scores.items(), key=lambda kv: (-kv[1].points, kv[0])):
        en, zh = s.rating
        lines.append(f"{scope.rsplit('/', 1)[-1]:<48}{s.datasets:>9}{s.points:>8g}  {zh} {en}")
    return "\n".join(lines) + "\n", c["Violation"]


def _url_checker(timeout: float):
    import httpx

    def ok(url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        try:
            return httpx.head(url, timeout=timeout, follow_redirects=True).status_code == 200
        except httpx.HTTPError:
            return False

    return ok


COMMANDS = [harvest_command]
