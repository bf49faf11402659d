"""A sharing application or data objection as the faces show it (GraphQL types, REST JSON):
codes instead of IRIs, the state's Chinese name and the current step's due date."""

from __future__ import annotations

from graph.iris import code_of
from graph.workflow_deadlines import deployment_limits, due_date, objection_due_date
from graph.workflow_store import Objection, Request
from graph.working_days import CalendarRangeError

__all__ = ["application_view", "objection_view", "camel"]


def _safe_due(fn, *args):
    try:
        return fn(*args)
    except CalendarRangeError:
        return None  # beyond the official calendar's years: no deadline rather than a guess


def _steps(case, base: str) -> list[dict]:
    return [{"seq": s.seq, "action": s.action.value, "actor": s.actor,
             "department": code_of(s.department, base), "at": s.at.isoformat(),
             "comment": s.comment, "state": s.state.value} for s in case.steps]


def application_view(req: Request, base: str) -> dict:
    last = req.steps[-1]
    due = _safe_due(due_date, req.state, last.at, deployment_limits())
    return {"id": req.id, "resource": code_of(req.resource, base),
            "requester": code_of(req.requester, base), "provider": code_of(req.provider, base),
            "conditional": req.conditional, "state": last.state.value,
            "state_zh": last.state.zh, "due_by": due.isoformat() if due else None,
            "steps": _steps(req, base)}


def objection_view(obj: Objection, base: str) -> dict:
    last = obj.steps[-1]
    due = _safe_due(objection_due_date, obj.raised_at, obj.state, deployment_limits())
    return {"id": obj.id, "resource": code_of(obj.resource, base),
            "item": code_of(obj.item, base).split("/", 1)[-1] if obj.item else None,
            "raiser": code_of(obj.raiser, base), "provider": code_of(obj.provider, base),
            "category": obj.category.value, "description": obj.description,
            "evidence": obj.evidence, "state": last.state.value, "state_zh": last.state.zh,
            "due_by": due.isoformat() if due else None, "steps": _steps(obj, base)}


def camel(view: dict) -> dict:
    """The view with GraphQL's field names (``state_zh`` → ``stateZh``), for REST JSON."""
    def name(k: str) -> str:
        head, *rest = k.split("_")
        return head + "".join(w.title() for w in rest)
    return {name(k): v for k, v in view.items()}
