"""Settings read from the environment (and overridden by CLI options)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_BASE_IRI", "base_iri", "store_path", "PROJECT_ROOT", "DEMO_DIR"]

DEFAULT_BASE_IRI = "https://data.yishu.example/"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = PROJECT_ROOT / "examples" / "demo-district"


def base_iri() -> str:
    """Base under which instance IRIs are minted (``YISHU_BASE_IRI``)."""
    base = os.environ.get("YISHU_BASE_IRI", DEFAULT_BASE_IRI)
    return base if base.endswith(("/", "#")) else base + "/"


def store_path() -> Path:
    """On-disk Oxigraph store (``YISHU_STORE``, default ``./yishu-store``)."""
    return Path(os.environ.get("YISHU_STORE", "yishu-store"))
