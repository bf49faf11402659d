"""Loading the demo district: its history (examples/demo-district/history/), today's catalog
(source ``demo-district``) and the usage statistics its exchange platform reported
(``usage/*.csv`` beside it, each its own source; docs/usage.md).

:func:`load_demo` loads, in date order, each version of the manifest — today's files with the
version's files laid over them, stamped with the version's time and actor — and then today's
files (stamped now). A version not later than what the store already holds of the source is
skipped (versions of a source only move forward), so loading the demo twice works. The usage
files come last.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DemoLoad", "HistoryVersion", "history", "load_demo", "SOURCE", "DEMO_SOURCE"]

SOURCE = DEMO_SOURCE = "demo-district"


@dataclass(frozen=True)
class HistoryVersion:
    at: dt.datetime
    by: str
    source: str
    folder: Path


@dataclass(frozen=True)
class DemoLoad:
    reports: list  # the catalog's load reports, oldest first (today's last)
    usage: list  # the usage import reports
    workflow: tuple[int, int] | None  # (requests, objections) recorded; None: already there

    @property
    def report(self):
        """Today's catalog load report."""
        return self.reports[-1]


def history(demo_dir: Path) -> list[HistoryVersion]:
    """The versions of ``demo_dir/history/manifest.json``, oldest first (none without it)."""
    manifest = demo_dir / "history" / "manifest.json"
    if not manifest.is_file():
        return []
    out = [HistoryVersion(dt.datetime.fromisoformat(v["at"]), v["by"], v["source"],
                          demo_dir / "history" / v["folder"])
           for v in json.loads(manifest.read_text(encoding="utf-8"))]
    return sorted(out, key=lambda v: v.at)


def _overlay(demo_dir: Path, version: HistoryVersion, into: Path) -> Path:
    """Today's CSV files with the version's files laid over them, in a scratch folder."""
    into.mkdir()
    for f in demo_dir.glob("*.csv"):
        shutil.copy(f, into / f.name)
    for f in version.folder.glob("*.csv"):
        shutil.copy(f, into / f.name)
    return into


def _latest(store, source: str) -> dt.datetime | None:
    return max((v.at for v in store.versions(source)), default=None)


def load_demo(store, demo_dir: Path, *, source: str = SOURCE,
              progress_factory: Callable[[int], Callable[[int], None]] | None = None,
              echo: Callable[[str], None] | None = None) -> DemoLoad:
    """Load the demo's history, today's files, the usage statistics and the history of sharing
    applications and objections (:mod:`yishu.demo_history`). Raises
    :class:`loaders.TemplateError`, :class:`graph.history.HistoryError` or
    :class:`yishu.demo_history.HistoryError` (nothing half loaded within a source)."""
    from graph.history import stamped
    from loaders import load_path
    from loaders.usage import import_usage_file
    from yishu.demo_history import load_history

    reports = []
    latest = _latest(store, source)
    with tempfile.TemporaryDirectory(prefix="yishu-demo-") as tmp:
        for i, v in enumerate(history(demo_dir)):
            if latest is not None and v.at <= latest:
                if echo:
                    echo(f"跳过 skipped {v.folder.name}: 存储中已有更新的版本 / the store holds a "
                         "later version")
                continue
            folder = _overlay(demo_dir, v, Path(tmp) / f"v{i}")
            with stamped(v.at, v.by):
                reports.append(load_path(store, folder, v.source or source))
            if echo:
                echo(f"历史版本 history {v.at.isoformat()} ({v.by}): {reports[-1].triples:,} "
                     "triples")
    reports.append(load_path(store, demo_dir, source, progress_factory=progress_factory))
    usage = [import_usage_file(store, path) for path in sorted((demo_dir / "usage").glob("*.csv"))]
    return DemoLoad(reports, usage, load_history(store, demo_dir))
