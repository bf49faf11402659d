"""Working days on China's official calendar (public holidays and 调休 make-up working days, as
published by the State Council and kept by the ``chinesecalendar`` package).

Dates outside the years the package covers raise :class:`CalendarRangeError`: guessing a
weekday rule there would silently shift every deadline around a holiday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

__all__ = ["CalendarRangeError", "covered_years", "is_working_day", "add_working_days",
           "working_days_between"]


class CalendarRangeError(ValueError):
    """A date outside the years the official calendar data covers (zh / en)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """(first, last) year the installed ``chinesecalendar`` data covers."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]


def _check(day: dt.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarRangeError(
            f"{day.isoformat()} 不在法定节假日数据覆盖的年份（{first}–{last}）内，无法计算工作日；"
            "请升级 chinesecalendar",
            f"{day.isoformat()} is outside the years the official holiday data covers "
            f"({first}–{last}); cannot count working days — upgrade chinesecalendar")


def is_working_day(day: dt.date) -> bool:
    _check(day)
    return chinese_calendar.is_workday(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself not counted): a step received on
    ``start`` with a limit of n working days is due by the end of that day."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    _check(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] — how many working days a step waited."""
    if end <= start:
        return 0
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_working_day(day)
    return n
