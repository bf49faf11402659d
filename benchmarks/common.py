"""What the benchmarks share: where their data goes and how a synthetic dataset is made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["OUT", "ROOT", "dataset", "check", "CheckFailed"]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def dataset(scale: str, seed: int) -> Path:
    """The synthetic catalog at ``scale`` (district, city or a number) made from ``seed``,
    generated into benchmarks/out/ the first time it is asked for."""
    target = OUT / f"synth-{scale}-{seed}"
    if not (target / "catalog.csv").exists():
        subprocess.run([sys.executable, "-m", "yishu", "synth", str(target), "--scale", scale,
                        "--seed", str(seed)], check=True, cwd=ROOT)
    return target


class CheckFailed(RuntimeError):
    """A benchmark's own check failed: its figures would not measure what they claim."""


def check(ok: object, what: object) -> None:
    """Raise :class:`CheckFailed` naming ``what`` unless ``ok`` (an ``assert`` vanishes under
    ``python -O``, and says nothing)."""
    if not ok:
        raise CheckFailed(f"基准自检失败 / benchmark check failed: {what}")
