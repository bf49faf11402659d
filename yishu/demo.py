"""Loading the demo district: its catalog (source ``demo-district``) and the usage statistics its
exchange platform reported (``usage/*.csv`` beside it, each its own source; docs/usage.md)."""

from __future__ import annotations

from collections.abc import Callable

from yishu import config

__all__ = ["load_demo", "DEMO_SOURCE"]

DEMO_SOURCE = "demo-district"


def load_demo(store, progress_factory: Callable | None = None) -> tuple:
    """(catalog load report, [usage import reports]); raises TemplateError, nothing half
    loaded within a source."""
    from loaders import load_path
    from loaders.usage import import_usage_file

    report = load_path(store, config.DEMO_DIR, DEMO_SOURCE, progress_factory=progress_factory)
    usage = [import_usage_file(store, path)
             for path in sorted((config.DEMO_DIR / "usage").glob("*.csv"))]
    return report, usage
