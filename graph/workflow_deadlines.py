"""Time limits of the sharing procedure, in working days, and when each step is due.

The defaults (2 / 5 / 10 / 5 working days) are LABELLED DEFAULTS, not the national regulation's
text: the article text of 《政务数据共享条例》 fixing the limits could not be retrieved while
this was written (docs/workflow.md says what was searched and found). They follow common
provincial practice (e.g. 山西: 符合性审查 2 个工作日, 答复 5 个工作日, 未上架数据 10 个工作日).
A deployment sets its own in a limits file (YAML, :func:`load_limits`): the file named by
``YISHU_WORKFLOW_LIMITS``, else the shipped ``graph/workflow_limits.yaml``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from graph.objection import ObjectionState
from graph.workflow import State
from graph.working_days import add_working_days

__all__ = ["Limits", "DEFAULT_LIMITS", "due_date", "objection_due_date", "load_limits",
           "deployment_limits", "LIMITS_ENV", "DEFAULT_LIMITS_FILE", "overdue_entered_by"]

LIMITS_ENV = "YISHU_WORKFLOW_LIMITS"
DEFAULT_LIMITS_FILE = Path(__file__).resolve().parent / "workflow_limits.yaml"


@dataclass(frozen=True)
class Limits:
    review: int = 2  # FILED: the authority's 符合性审查
    reply: int = 5  # FORWARDED: the provider's reply
    coordinate: int = 10  # COORDINATING: the authority's 协调
    objection: int = 5  # an objection's verification and handling

    def for_state(self, state: State | None) -> int | None:
        return {State.FILED: self.review, State.FORWARDED: self.reply,
                State.COORDINATING: self.coordinate}.get(state)  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict | None, origin: str = "config") -> Limits:
        data = data or {}
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{origin}: 未知时限项 / unknown limits: {', '.join(sorted(unknown))}")
        out = {}
        for k, v in data.items():
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise ValueError(f"{origin}: {k} 应为非负整数（工作日） / {k} must be a "
                                 f"non-negative integer (working days), got {v!r}")
            out[k] = v
        return cls(**out)


DEFAULT_LIMITS = Limits()


def load_limits(path: str | Path) -> Limits:
    """The limits of a YAML file: a mapping under ``limits:`` of ``review`` / ``reply`` /
    ``coordinate`` / ``objection`` to working days (missing ones keep the defaults). Errors
    name the file and the key (zh / en)."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"{p}: 无法读取时限文件 / cannot read the limits file: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{p}:{mark.line + 1}:{mark.column + 1}" if mark else str(p)
        raise ValueError(f"{where}: 时限文件不是有效的 YAML / the limits file is not valid "
                         f"YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("limits"), dict):
        raise ValueError(f"{p}: 应有映射 limits: {{review, reply, coordinate, objection}} / "
                         "expected a mapping limits: {review, reply, coordinate, objection}")
    return Limits.from_dict(data["limits"], origin=f"{p}: limits")


_cache: dict[tuple[str, float], Limits] = {}


def deployment_limits() -> Limits:
    """This deployment's limits: the file named by ``YISHU_WORKFLOW_LIMITS``, else the shipped
    defaults file (re-read when the file changes)."""
    p = Path(os.environ.get(LIMITS_ENV) or DEFAULT_LIMITS_FILE)
    try:
        key = (str(p), p.stat().st_mtime)
    except OSError:
        key = (str(p), -1.0)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_limits(p)
    return _cache[key]


def due_date(state: State | None, entered: dt.datetime, limits: Limits = DEFAULT_LIMITS
             ) -> dt.date | None:
    """The last day (inclusive) to act on a request that entered ``state`` at ``entered``;
    None when nobody's clock runs in that state."""
    n = limits.for_state(state)
    if n is None:
        return None
    return _after_working_days(entered.date(), n)


@lru_cache(maxsize=4096)
def _after_working_days(start: dt.date, n: int) -> dt.date:
    """:func:`add_working_days`, kept: every answer of a write names its due date, and the
    dates are few (a failure — a date the calendar does not cover — is not kept)."""
    return add_working_days(start, n)


def objection_due_date(raised: dt.datetime, state: ObjectionState | None,
                       limits: Limits = DEFAULT_LIMITS) -> dt.date | None:
    """The last day to handle an objection raised at ``raised`` (the provider's clock runs from
    the objection being raised, through verification, to correction or rejection); None once
    it is handled or withdrawn."""
    if state not in (ObjectionState.RAISED, ObjectionState.VERIFYING):
        return None
    return _after_working_days(raised.date(), limits.objection)


def overdue_entered_by(as_of: dt.date, n: int) -> dt.date:
    """The last entry day D such that a step entered on D with a limit of ``n`` working days
    is overdue on ``as_of`` (due before ``as_of``): a step entered on or before D and still
    waiting on ``as_of`` is late. Working days only ever move forward, so one walk back."""
    day = as_of - dt.timedelta(days=1)
    for _ in range(800):
        if add_working_days(day, n) < as_of:
            return day
        day -= dt.timedelta(days=1)
    raise ValueError(f"no entry day before {as_of} is overdue with {n} working days")
