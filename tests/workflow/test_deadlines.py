"""Deadlines in working days across real holidays and 调休 make-up days, counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.workflow import State
from graph.workflow_deadlines import Limits, due_date
from graph.working_days import (
    CalendarRangeError,
    add_working_days,
    covered_years,
    is_working_day,
    working_days_between,
)


def test_filed_the_working_day_before_national_day_2025():
    # 2025 国庆+中秋: 10-01..10-08 off; 09-28 (Sun) and 10-11 (Sat) are make-up working days.
    # Filed Tue 09-30; review limit 2: Thu 10-09 (1), Fri 10-10 (2).
    filed = dt.datetime(2025, 9, 30, 16, 0)
    assert due_date(State.FILED, filed) == dt.date(2025, 10, 10)
    # reply limit 5: 10-09, 10-10, 10-11 (Sat, 调休), 10-13, 10-14
    assert due_date(State.FORWARDED, filed) == dt.date(2025, 10, 14)


def test_filed_on_a_make_up_saturday():
    # Sat 2025-10-11 is a working day; Sun 10-12 is not: 2 working days → Mon 10-13, Tue 10-14.
    assert is_working_day(dt.date(2025, 10, 11))
    assert not is_working_day(dt.date(2025, 10, 12))
    assert due_date(State.FILED, dt.datetime(2025, 10, 11, 9)) == dt.date(2025, 10, 14)


def test_make_up_sunday_counts_and_holidays_do_not():
    # Sun 2025-09-28 is a 调休 working day: filed Fri 09-26, 2 days → 09-28 (Sun), 09-29 (Mon).
    assert add_working_days(dt.date(2025, 9, 26), 2) == dt.date(2025, 9, 29)
    # spring festival 2025: 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) make-up days
    assert add_working_days(dt.date(2025, 1, 27), 1) == dt.date(2025, 2, 5)
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 11)) == 3


def test_local_limits():
    local = Limits.from_dict({"review": 1, "reply": 10})
    assert due_date(State.FILED, dt.datetime(2025, 9, 30), local) == dt.date(2025, 10, 9)
    assert due_date(State.RETURNED, dt.datetime(2025, 9, 30), local) is None
    with pytest.raises(ValueError, match="review"):
        Limits.from_dict({"review": -1})
    with pytest.raises(ValueError, match="unknown"):
        Limits.from_dict({"answer": 3})


def test_outside_the_calendar_data_fails_loudly():
    first, last = covered_years()
    with pytest.raises(CalendarRangeError) as e:
        is_working_day(dt.date(last + 1, 3, 2))
    assert str(last + 1) in e.value.zh and "outside" in e.value.en
    with pytest.raises(CalendarRangeError):
        add_working_days(dt.date(last, 12, 30), 5)


def test_the_limits_file_of_a_deployment(tmp_path, monkeypatch):
    from graph.workflow_deadlines import (
        DEFAULT_LIMITS,
        DEFAULT_LIMITS_FILE,
        LIMITS_ENV,
        deployment_limits,
        load_limits,
    )

    assert load_limits(DEFAULT_LIMITS_FILE) == DEFAULT_LIMITS  # the shipped file = the defaults
    f = tmp_path / "limits.yaml"
    f.write_text("limits:\n  review: 1\n  reply: 10\n", encoding="utf-8")
    monkeypatch.setenv(LIMITS_ENV, str(f))
    local = deployment_limits()
    assert (local.review, local.reply, local.coordinate) == (1, 10, 10)
    # filed the working day before 国庆 2025: 1 working day → Thu 10-09
    assert due_date(State.FILED, dt.datetime(2025, 9, 30, 16), local) == dt.date(2025, 10, 9)
    f.write_text("limits:\n  reply: -2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="limits.yaml: limits.*reply"):
        load_limits(f)
    f.write_text("limits: [1, 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"limits.yaml:\d+:\d+"):
        load_limits(f)
    f.write_text("reply: 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping limits"):
        load_limits(f)
