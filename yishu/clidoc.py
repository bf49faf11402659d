"""Writes docs/cli.md from the commands' own ``--help`` (``python -m yishu.clidoc``);
a test keeps the page in step with the code."""

from __future__ import annotations

import sys

import click
from click.testing import CliRunner

from yishu import config
from yishu.cli import main

__all__ = ["render", "DOC"]

DOC = config.PROJECT_ROOT / "docs" / "cli.md"


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="yishu",
                                terminal_width=100)
    return result.output.rstrip()


def render() -> str:
    parts = ["# The `yishu` command line", "",
             "Generated from the commands' own `--help` by `python -m yishu.clidoc`; "
             "a test fails when this page and the code disagree.", "",
             "```text", _help([]), "```", ""]
    ctx = click.Context(main)
    for name in sorted(main.list_commands(ctx)):
        parts += [f"## yishu {name}", "", "```text", _help([name]), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if DOC.read_text(encoding="utf-8") == render() else 1)
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
