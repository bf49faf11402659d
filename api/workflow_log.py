"""One page of the write log (GraphQL ``writeLog`` and REST ``/api/v1/write-log`` share it).

Newest first. A cursor is the project's signed cursor (:mod:`graph.cursors`) over the position,
counted from the OLDEST entry, of the next entry to serve: new writes land at the newest end and
never shift a page being read. The question digest binds the filters and the reader's role, so
a cursor of another question fails its signature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph import cursors
from graph.iris import mint
from graph.query import QueryError
from graph.workflow_store import LogEntry, log_entries

__all__ = ["LogPage", "log_page", "MAX_LOG_PAGE", "BadLogRequest"]

MAX_LOG_PAGE = 500


class BadLogRequest(ValueError):
    def __init__(self, zh: str, en: str, code: str = "BAD_REQUEST"):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code = zh, en, code


@dataclass
class LogPage:
    entries: list[LogEntry]
    total: int
    end_cursor: str | None


def log_page(store, *, first: int = 50, after: str | None = None, actor: str | None = None,
             department: str | None = None, operation: str | None = None,
             since: dt.datetime | None = None, role: str = "") -> LogPage:
    if not 1 <= first <= MAX_LOG_PAGE:
        raise BadLogRequest(f"first 应在 1–{MAX_LOG_PAGE} 之间，收到 {first}",
                            f"first must be within 1–{MAX_LOG_PAGE}, got {first}")
    question = cursors.question_digest("write-log", actor, department, operation,
                                       since.isoformat() if since else None, role)
    dept = mint("department", department, store.base) if department else None
    entries = log_entries(store, actor=actor, department=dept, operation=operation, since=since)
    total = len(entries)
    end = total
    if after:
        try:
            end = cursors.decode(after, question, None)
        except QueryError as e:
            raise BadLogRequest(e.zh, e.en, "BAD_CURSOR") from None
        end = min(end, total)
    start = max(0, end - first)
    page = entries[start:end][::-1]
    return LogPage(page, total, cursors.encode(start, question, None) if start > 0 else None)
