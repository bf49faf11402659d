"""The usage section of a resource page (issue 13 step 4, docs/usage.md): calls by consuming
department, system and scenario over a date range, through the caller's policy (records
touching a hidden entry do not count)."""

from __future__ import annotations

import datetime as dt

from api.web.view import View
from graph.model import Entity
from graph.usage import usage_of

__all__ = ["usage_section", "parse_day"]


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter (None when empty); ValueError when malformed."""
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def usage_section(v: View, r: Entity, start: str | None, end: str | None) -> dict:
    store = v.request.app.state.store
    out: dict = {"usage": None, "usage_error": None, "usage_from": start or "",
                 "usage_to": end or "", "usage_refs": {}}
    if store is None:
        return out
    try:
        first, last = parse_day(start), parse_day(end)
    except ValueError:
        out["usage_error"] = v.tr("日期应为 YYYY-MM-DD。", "Dates must be YYYY-MM-DD.")
        first = last = None
    if first and last and first > last:
        out["usage_error"] = v.tr("起始日期晚于截止日期。", "The first day is after the last.")
        first = last = None
    s = usage_of(store, r.iri, first, last, v.graph.hidden)
    iris = sorted({row.key for row in (*s.by_department, *s.by_system) if row.key})
    out["usage"] = s
    out["usage_refs"] = v.graph.get_many(iris)
    return out
