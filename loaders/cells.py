"""Parsing one template cell by its kind. Each parser returns a value or raises CellProblem."""

from __future__ import annotations

import datetime as dt
import re

from ontology.codelists import SCHEMES

__all__ = ["CellProblem", "parse_cell", "split_list", "BEIJING"]

BEIJING = dt.timezone(dt.timedelta(hours=8))
_LIST_SEP = re.compile(r"[;；、]")
_REGION = re.compile(r"^\d{6}$")


class CellProblem(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def split_list(text: str) -> list[str]:
    return [p.strip() for p in _LIST_SEP.split(text) if p.strip()]


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _date(v: object) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v)
    try:
        return dt.date.fromisoformat(s[:10]) if len(s) == 10 else dt.datetime.fromisoformat(s).date()
    except ValueError:
        raise CellProblem("日期格式错误，应为 ISO 8601，如 2023-03-31",
                          "not an ISO 8601 date, e.g. 2023-03-31") from None


def _datetime(v: object) -> dt.datetime:
    if isinstance(v, dt.datetime):
        d = v
    elif isinstance(v, dt.date):
        d = dt.datetime(v.year, v.month, v.day)
    else:
        try:
            d = dt.datetime.fromisoformat(_text(v))
        except ValueError:
            raise CellProblem("日期时间格式错误，应为 ISO 8601，如 2023-03-31T09:30:00+08:00",
                              "not an ISO 8601 date-time, e.g. 2023-03-31T09:30:00+08:00") from None
    return d if d.tzinfo else d.replace(tzinfo=BEIJING)


def _bool(v: object) -> bool:
    s = _text(v)
    if s == "是":
        return True
    if s == "否":
        return False
    raise CellProblem("应为“是”或“否”", "must be 是 (yes) or 否 (no)")


def _int(v: object, lo: int | None, hi: int | None) -> int:
    s = _text(v)
    if not re.fullmatch(r"[+-]?\d+", s):
        raise CellProblem("应为整数", "must be an integer")
    n = int(s)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        rng = f"{lo if lo is not None else '…'}–{hi if hi is not None else '…'}"
        raise CellProblem(f"超出范围 {rng}", f"out of range {rng}")
    return n


def _enum(v: object, scheme: str) -> str:
    s = _text(v)
    sch = SCHEMES[scheme]
    slug = sch.slug(s)
    if slug is None:
        allowed = "、".join(sch.zh_values)
        raise CellProblem(f"不是{sch.zh}的取值，可选：{allowed}",
                          f"not a value of {sch.en}; allowed: {allowed}")
    return slug


def parse_cell(kind: str, raw: object, *, target: str | None = None, lo: int | None = None,
               hi: int | None = None) -> object:
    """Parse a non-empty cell. Returns str, list[str], bool, int, date, datetime or enum slug."""
    if kind in ("text", "key", "ref"):
        return _text(raw)
    if kind in ("refs", "list"):
        return split_list(_text(raw))
    if kind == "enum":
        if target is None:
            raise ValueError("代码表字段缺少代码表 / an enum cell needs its code list")
        return _enum(raw, target)
    if kind == "bool":
        return _bool(raw)
    if kind == "int":
        return _int(raw, lo, hi)
    if kind == "date":
        return _date(raw)
    if kind == "datetime":
        return _datetime(raw)
    if kind == "region":
        s = _text(raw)
        if not _REGION.match(s):
            raise CellProblem("行政区划代码应为6位数字", "region code must be 6 digits")
        return s
    raise ValueError(f"unknown cell kind {kind!r}")
