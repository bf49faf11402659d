"""Quarters of the governance calendar (季通报): ``2026Q3``, its dates and the one before it.

A quarter ends at the last instant of its last day in Beijing time (Asia/Shanghai, UTC+8 all
year): the catalog "at the end of 2026Q3" is the catalog as of 2026-09-30T23:59:59.999999+08:00.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shapes.rules import BEIJING

__all__ = ["Quarter", "QuarterError"]

_ZH_NUM = {1: "一", 2: "二", 3: "三", 4: "四"}
_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


class QuarterError(ValueError):
    """A malformed quarter (message zh / en)."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q3`` (also ``2026-Q3``, ``2026q3``)."""
        m = _PATTERN.match(text or "")
        if not m:
            raise QuarterError(f"季度须写作 2026Q3 这样的格式 / a quarter is written like 2026Q3: "
                               f"{text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_ended(cls, today: dt.date | None = None) -> Quarter:
        """The last quarter that has ended (today in Beijing time by default)."""
        return cls.of(today or dt.datetime.now(BEIJING).date()).previous()

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def zh(self) -> str:
        return f"{self.year}年第{_ZH_NUM[self.number]}季度"

    @property
    def en(self) -> str:
        return f"Q{self.number} {self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter."""
        return self.next().start - dt.timedelta(days=1)

    @property
    def end_instant(self) -> dt.datetime:
        """The last instant of the quarter, Beijing time."""
        return (dt.datetime.combine(self.next().start, dt.time(0), BEIJING)
                - dt.timedelta(microseconds=1))

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year,
                                                                         self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year,
                                                                         self.number + 1)

    def __str__(self) -> str:
        return self.label
