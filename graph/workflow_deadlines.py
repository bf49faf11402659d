"""Time limits of the sharing procedure, in working days, and when each step is due.

The defaults (2 / 5 / 10 working days) are LABELLED DEFAULTS, not the national regulation's
text: the article text of 《政务数据共享条例》 fixing the limits could not be retrieved while
this was written (docs/workflow.md says what was found). They follow common provincial
practice (e.g. 山西: 符合性审查 2 个工作日, 答复 5 个工作日, 未上架数据 10 个工作日) and every
locality sets its own in the workflow config.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.workflow import State
from graph.working_days import add_working_days

__all__ = ["Limits", "DEFAULT_LIMITS", "due_date"]


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


def due_date(state: State | None, entered: dt.datetime, limits: Limits = DEFAULT_LIMITS
             ) -> dt.date | None:
    """The last day (inclusive) to act on a request that entered ``state`` at ``entered``;
    None when nobody's clock runs in that state."""
    n = limits.for_state(state)
    if n is None:
        return None
    return add_working_days(entered.date(), n)
