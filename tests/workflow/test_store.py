"""Requests and steps stored in the graph as source ``workflow`` (real Oxigraph store)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.workflow import Action, State, TransitionError
from graph.workflow_store import (
    LOG_SOURCE,
    WORKFLOW_SOURCE,
    LogEntry,
    act,
    file_request,
    get_request,
    log_write,
    read_log,
)
from tests.workflow.history import BASE, GA, GOV, MZ
from tests.workflow.history import HJ as RES  # provided by D-GA, conditional


def test_request_cycle_is_stored_and_read_back(small_store):
    t0 = dt.datetime(2025, 9, 30, 10)
    req = file_request(small_store, resource=RES, requester=MZ, actor="mz-clerk", at=t0,
                       items="姓名,身份证号", purpose="低保审核", scenario="低保资格核验",
                       legal_basis="社会救助暂行办法", system="低保系统")
    assert req.provider == GA and req.conditional and req.state is State.FILED
    act(small_store, req, Action.PASS, actor="gov", department=GOV, at=t0 + dt.timedelta(hours=2))
    act(small_store, req, Action.REFUSE, actor="ga", department=GA,
        at=t0 + dt.timedelta(days=9), comment="无法律依据")
    back = get_request(small_store, req.iri)
    assert back is not None
    assert [(s.seq, s.action, s.state, s.department) for s in back.steps] == [
        (1, Action.FILE, State.FILED, MZ), (2, Action.PASS, State.FORWARDED, GOV),
        (3, Action.REFUSE, State.REFUSED, GA)]
    assert back.steps[2].comment == "无法律依据" and back.scenario == "低保资格核验"
    assert WORKFLOW_SOURCE in {s.name for s in small_store.sources()}
    with pytest.raises(TransitionError):
        act(small_store, back, Action.APPROVE, actor="ga", department=GA, at=t0)
    assert len(get_request(small_store, req.iri).steps) == 3  # nothing stored by the refusal


def test_unknown_resource_is_refused(small_store):
    with pytest.raises(TransitionError) as e:
        file_request(small_store, resource=BASE + "resource/NOPE", requester=MZ, actor="x",
                     at=dt.datetime(2025, 9, 30))
    assert e.value.code == "NOT_FOUND"


def test_write_log(small_store):
    log_write(small_store, LogEntry("ga", GA, dt.datetime(2025, 10, 9, 9), "REPLY", BASE + "x",
                                    "DENIED", "不是提供部门"))
    entries = read_log(small_store)
    assert [(e.actor, e.outcome, e.department) for e in entries] == [("ga", "DENIED", GA)]
    assert LOG_SOURCE in {s.name for s in small_store.sources()}
