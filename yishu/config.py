"""Settings read from the environment (and overridden by CLI options)."""

from __future__ import annotations

import os
from pathlib import Path

from ontology.namespaces import DEFAULT_BASE_IRI, base_iri  # the bottom layer owns it

__all__ = ["DEFAULT_BASE_IRI", "base_iri", "store_path", "PROJECT_ROOT", "DEMO_DIR"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _demo_dir() -> Path:
    """The demo district: ``examples/demo-district`` in a checkout, ``yishu/demo_district`` in an
    installed package (pyproject maps the one onto the other)."""
    checkout = PROJECT_ROOT / "examples" / "demo-district"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "demo_district"


DEMO_DIR = _demo_dir()


def store_path() -> Path:
    """On-disk Oxigraph store (``YISHU_STORE``, default ``./yishu-store``)."""
    return Path(os.environ.get("YISHU_STORE", "yishu-store"))
