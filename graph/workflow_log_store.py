"""The write log of the sharing procedure (issue 13): every attempt to write — accepted,
denied by the policy, refused by the procedure — as the append-only source ``writelog``
(readable by governance staff and admins only: :mod:`api.workflow_policy`)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from graph.workflow_model import LogEntry, parse_time
from graph.workflow_quads import log_quads, time_literal
from ontology.namespaces import sparql_prefixes

__all__ = ["LOG_SOURCE", "log_write", "read_log", "log_entries"]

LOG_SOURCE = "writelog"
_QUERIES = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=4)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def log_write(store, entry: LogEntry) -> None:
    """Append one entry to the write log (source ``writelog``) on its own, unqueued (the
    writers use :func:`graph.workflow_commit.submit_log`, which queues it with the writes; an
    accepted write's entry goes with the write itself)."""
    store.append(LOG_SOURCE, log_quads(store, entry))


def _entry(r: dict) -> LogEntry:
    return LogEntry(actor=str(r["actor"]), department=str(r["department"] or ""),
                    at=parse_time(r["at"]), operation=str(r["operation"]),
                    target=str(r["target"] or ""), outcome=str(r["outcome"]),
                    comment=str(r["comment"] or ""))


def read_log(store, limit: int = 200) -> list[LogEntry]:
    return [_entry(r) for r in store.select(_query("workflow_log"))[:limit]]


def log_entries(store, *, actor: str | None = None, department: str | None = None,
                operation: str | None = None, since: dt.datetime | None = None
                ) -> list[LogEntry]:
    """The write log, oldest first, narrowed by actor, department IRI, operation and instant
    (each bound as a term in the query, never spliced)."""
    binds: dict[str, object] = {}
    if actor:
        binds["actor"] = Literal(actor)
    if department:
        binds["department"] = NamedNode(department)
    if operation:
        binds["operation"] = Literal(operation)
    if since is not None:
        binds["since"] = time_literal(since)
    return [_entry(r) for r in store.select(_query("workflow_log_page"), **binds)]
