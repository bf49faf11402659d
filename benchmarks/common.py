"""What the benchmarks share: where their data goes and how a synthetic dataset is made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["OUT", "ROOT", "dataset"]

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
