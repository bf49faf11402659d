"""``yishu audit``: run the completeness audit (SHACL shapes) over the store."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from yishu.cli_history import catalog_as_of_option, catalog_at

__all__ = ["COMMANDS", "audit_command"]

FORMATS = ["table", "json", "csv", "xlsx", "html", "ttl"]


@click.command("audit", context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="On-disk store folder (env YISHU_STORE, default ./yishu-store).")
@click.option("--department", "-d", help="Audit one department (by 部门编码).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default stdout).")
@click.option("--as-of", "as_of", help="Audit date YYYY-MM-DD (default: today, Beijing time).")
@click.option("--pending-days", type=click.IntRange(min=0), default=None,
              help="Days a request may stay 待审核 (default 10, from the shapes).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default=None,
              help="Exit with status 1 when a finding at this level (or worse) exists.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast",
              show_default=True, help="fast: SPARQL on Oxigraph; pyshacl: the reference.")
@click.option("--dcat-ap", "dcat_ap", is_flag=True,
              help="Instead: the DCAT-AP 3.0.1 export against the official shapes, and the EU "
                   "MQA score per publisher (docs/dcat-ap.md).")
@click.option("--check-urls", is_flag=True,
              help="With --dcat-ap: check that the catalog's access URLs answer 200.")
@catalog_as_of_option
def audit_command(store_path: Path | None, department: str | None, fmt: str,
                  output: Path | None, as_of: str | None, pending_days: int | None,
                  fail_on: str | None, engine: str, dcat_ap: bool, check_urls: bool,
                  catalog_as_of: str | None) -> None:
    """Audit the catalog against the rules of docs/audit-rules.md.

    审计目录的完整性与合规性（SHACL 规则），输出评分、考核指标和问题清单。
    """
    from loaders.error_report import neutralise_formula
    from shapes.audit import audit
    from shapes.render import to_csv, to_html, to_json, to_table, to_xlsx
    from yishu.cli import fail, open_store, progress_bar

    if fmt == "xlsx" and output is None:
        fail("--format xlsx 需要 --output 文件 / --format xlsx needs --output FILE")

    if as_of is not None:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of 须为 YYYY-MM-DD 格式的日期 / --as-of must be a date YYYY-MM-DD: {as_of!r}")
    store = catalog_at(open_store(store_path, read_only=True), catalog_as_of)
    if catalog_as_of and as_of is None:  # deadlines as of the catalog's own date
        as_of = store.at.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    if dcat_ap:
        from yishu.cli_dcat import dcat_ap_audit

        text, violations = dcat_ap_audit(store, check_urls=check_urls, timeout=10,
                                         publisher=None, url="http://127.0.0.1:8000/")
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        if fail_on and violations:
            sys.exit(1)
        return
    try:
        result = audit(store, department=department, as_of=as_of, engine=engine,
                       pending_days=pending_days,
                       progress_factory=progress_bar("审计 audit", unit="步 steps"))
    except LookupError as e:
        fail(str(e.args[0] if e.args else e))
    finally:
        del store  # read-only: nothing to flush (CatalogStore.close flushes, refused read-only)
    if fmt == "xlsx":
        if output is None:  # checked above; kept so that it holds under python -O too
            fail("--format xlsx 需要 --output 文件 / --format xlsx needs --output FILE")
        output.write_bytes(to_xlsx(result, cell=neutralise_formula))
    render = {"table": to_table, "json": to_json, "html": to_html, "xlsx": lambda r: "",
              "csv": lambda r: to_csv(r, cell=neutralise_formula),
              "ttl": lambda r: r.turtle()}[fmt]
    text = render(result)
    if output:
        if fmt != "xlsx":
            output.write_text(text, encoding="utf-8")
        click.echo(f"已写入 wrote {output} — 违规 Violations {result.count('Violation')}, "
                   f"警告 Warnings {result.count('Warning')}, 提示 Info {result.count('Info')}",
                   err=True)
    else:
        sys.stdout.write(text)
    if fail_on and result.reached(fail_on):
        sys.exit(1)


COMMANDS = [audit_command]
