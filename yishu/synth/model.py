"""The generator's entity model: scales, the reference date, the report of a run, and the
resources and items it builds before writing them as rows."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SCALES", "AS_OF", "PENDING_DAYS", "ZOMBIE_DAYS", "parse_scale", "SynthReport", "Item",
           "Res"]

SCALES = {"district": 1.0, "city": 10.0}
AS_OF = dt.date(2025, 11, 20)
PENDING_DAYS = 10
ZOMBIE_DAYS = 730


def parse_scale(text: str | float) -> float:
    """``district`` → 1, ``city`` → 10, else a positive number (``0.05``, ``3``)."""
    if isinstance(text, (int, float)):
        value = float(text)
    elif text in SCALES:
        value = SCALES[text]
    else:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"规模应为 district、city 或正数 / scale must be district, city or a "
                             f"positive number: {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"规模应为正数 / scale must be positive: {text!r}")
    return value


@dataclass
class SynthReport:
    out: Path
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Item:
    res: str
    name: str
    de: str = ""
    typ: str = "字符型"
    length: int = 50
    auth: bool = False
    src: str = ""
    up: int = -1  # index of the upstream item (generator bookkeeping)
    lvl: int = 0  # own classification (0: none)
    used: int = 0  # how many items take from this one


@dataclass
class Res:
    code: str
    name: str
    provider: str
    system: str
    category: str
    base: str
    level: int
    scenario: str
    platform: str = "区县级平台"
    stype: str = "有条件共享"
    cond: str = ""
    basis: str = ""
    method: str = "接口调用"
    freq: str = "每日"
    secret: bool = False
    issued: str = ""
    up: list[str] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    elems: dict[str, int] = field(default_factory=dict)  # element -> item index
    names: set[str] = field(default_factory=set)
    anc: int = 0  # highest classification among all upstream resources
