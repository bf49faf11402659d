"""Data objections (数据异议): the state machine (hypothesis), the store, and end to end through
real HTTP with department keys — the provider verifies and corrects or rejects with a reason,
nobody else may, and every attempt is in the write log."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.iris import item_iri
from graph.objection import (
    OBJECTION_MACHINE,
    OBJECTION_TERMINAL,
    Category,
    ObjectionAction,
    ObjectionState,
)
from graph.workflow import TransitionError
from graph.workflow_deadlines import Limits, objection_due_date
from graph.workflow_store import act_on_objection, get_objection, raise_objection, read_log
from tests.workflow.history import BASE, GA, MZ
from tests.workflow.history import HJ as RES  # provided by D-GA
from tests.workflow.served import gql

M = OBJECTION_MACHINE
actions = st.lists(st.tuples(st.sampled_from(list(ObjectionAction)),
                             st.sampled_from(["", "已核对户籍原始记录"])), max_size=20)


def run(seq):
    state, accepted = None, []
    for action, comment in seq:
        try:
            new = M.next_state(state, action, comment)
        except TransitionError as e:
            assert e.code in ("ILLEGAL_TRANSITION", "COMMENT_REQUIRED")
            assert (M.state_zh[state] if state else "尚未提交") in e.zh
            continue
        assert state not in OBJECTION_TERMINAL and new in M.reachable
        state = new
        accepted.append((action, comment))
    return state, accepted


@settings(max_examples=300, deadline=None)
@given(actions)
def test_random_objection_actions_never_reach_an_illegal_state(seq):
    state, accepted = run(seq)
    assert (state is None) == (not accepted)
    if accepted:
        assert accepted[0][0] is ObjectionAction.RAISE
    # every accepted sequence replays to the same state, and so does each prefix
    assert M.replay(accepted) == state
    for i in range(len(accepted)):
        assert M.replay(accepted[: i + 1]) == run(accepted[: i + 1])[0]


def test_rejecting_needs_a_reason_and_handled_objections_are_closed():
    with pytest.raises(TransitionError) as e:
        M.replay([(ObjectionAction.RAISE, ""), (ObjectionAction.REJECT, " ")])
    assert e.value.code == "COMMENT_REQUIRED"
    with pytest.raises(TransitionError) as e:
        M.replay([(ObjectionAction.RAISE, ""), (ObjectionAction.CORRECT, "已更正"),
                  (ObjectionAction.REJECT, "x")])
    assert "已更正" in e.value.zh and "CORRECTED" in e.value.en
    for s in OBJECTION_TERMINAL:
        assert M.allowed_actions(s) == []


def test_objection_deadline_across_national_day():
    # raised Tue 2025-09-30; 5 working days: 10-09, 10-10, 10-11 (Sat, 调休), 10-13, 10-14
    raised = dt.datetime(2025, 9, 30, 15)
    assert objection_due_date(raised, ObjectionState.RAISED) == dt.date(2025, 10, 14)
    assert objection_due_date(raised, ObjectionState.VERIFYING,
                              Limits(objection=2)) == dt.date(2025, 10, 10)
    assert objection_due_date(raised, ObjectionState.CORRECTED) is None


def test_objection_is_stored_and_replayed(small_store):
    t0 = dt.datetime(2025, 10, 9, 9)
    obj = raise_objection(small_store, resource=RES, raiser=MZ, actor="mz", at=t0,
                          category=Category.OUTDATED, description="户籍地址未随迁移更新",
                          evidence="比对 2025-10 迁移登记 12 条不一致",
                          item=item_iri("RES-HJ", "姓名", BASE))
    assert obj.provider == GA and obj.state is ObjectionState.RAISED
    act_on_objection(small_store, obj, ObjectionAction.VERIFY, actor="ga", department=GA,
                     at=t0 + dt.timedelta(days=1))
    act_on_objection(small_store, obj, ObjectionAction.CORRECT, actor="ga", department=GA,
                     at=t0 + dt.timedelta(days=2), comment="已按迁移登记更正 12 条")
    back = get_objection(small_store, obj.iri)
    assert back is not None and back.category is Category.OUTDATED
    assert back.item == item_iri("RES-HJ", "姓名", BASE)
    assert [(s.seq, s.action, s.state) for s in back.steps] == [
        (1, ObjectionAction.RAISE, ObjectionState.RAISED),
        (2, ObjectionAction.VERIFY, ObjectionState.VERIFYING),
        (3, ObjectionAction.CORRECT, ObjectionState.CORRECTED)]
    with pytest.raises(TransitionError):
        act_on_objection(small_store, back, ObjectionAction.REJECT, actor="ga", department=GA,
                         at=t0, comment="x")
    with pytest.raises(TransitionError) as e:
        raise_objection(small_store, resource=RES, raiser=MZ, actor="mz", at=t0,
                        category=Category.INCOMPLETE, description="缺项",
                        item=item_iri("RES-HJ", "no-such-item", BASE))
    assert e.value.code == "NOT_FOUND"


ACCESS = {"keys": [  # served by the fixture `server` (conftest.py)
    {"name": "mz", "role": "analyst", "key": "k-mz", "department": "D-MZ"},
    {"name": "ga", "role": "analyst", "key": "k-ga", "department": "D-GA"},
    {"name": "gov", "role": "governance", "key": "k-gov", "department": "D-GOV"},
]}
RAISE = """mutation($r: String!, $i: String!, $c: ObjectionCategory!) {
  raiseDataObjection(resource: $r, item: $i, category: $c, description: "户籍地址过期",
                     evidence: "比对结果 12 条") {
    id resource item raiser provider category state stateZh dueBy } }"""
ACT = """mutation($o: String!, $x: ObjectionAction!, $c: String!) {
  actOnDataObjection(objection: $o, action: $x, comment: $c) {
    state stateZh dueBy steps { seq action department state comment } } }"""


def test_objection_end_to_end_over_http(server):
    srv, store = server
    raised = gql(srv.url, "k-mz", RAISE, r="RES-HJ", i="姓名", c="OUTDATED")
    obj = raised["data"]["raiseDataObjection"]
    assert (obj["provider"], obj["raiser"], obj["item"], obj["state"]) == (
        "D-GA", "D-MZ", "姓名", "RAISED")
    assert obj["dueBy"]
    # the raiser cannot handle its own objection; another department cannot either
    for key in ("k-mz", "k-gov"):
        err = gql(srv.url, key, ACT, o=obj["id"], x="CORRECT", c="自己改")["errors"][0]
        assert err["extensions"]["code"] == "FORBIDDEN"
    # rejecting needs a reason
    err = gql(srv.url, "k-ga", ACT, o=obj["id"], x="REJECT", c="")["errors"][0]
    assert err["extensions"]["code"] == "COMMENT_REQUIRED"
    gql(srv.url, "k-ga", ACT, o=obj["id"], x="VERIFY", c="")
    done = gql(srv.url, "k-ga", ACT, o=obj["id"], x="REJECT", c="经核对原始登记，数据无误")[
        "data"]["actOnDataObjection"]
    assert done["state"] == "REJECTED" and done["dueBy"] is None
    assert [(s["action"], s["department"]) for s in done["steps"]] == [
        ("RAISE", "D-MZ"), ("VERIFY", "D-GA"), ("REJECT", "D-GA")]
    log = [(e.actor, e.operation, e.outcome) for e in read_log(store)
           if e.target.endswith(obj["id"])]
    assert ("mz", "OBJECTION_CORRECT", "DENIED") in log
    assert ("gov", "OBJECTION_CORRECT", "DENIED") in log
    assert ("ga", "OBJECTION_REJECT", "ACCEPTED") in log
    err = gql(srv.url, "k-ga", ACT, o=obj["id"], x="CORRECT", c="x")["errors"][0]
    assert err["extensions"]["code"] == "ILLEGAL_TRANSITION" and "异议不成立" in err["message"]


def test_unknown_item_is_refused_with_its_name(server):
    srv, _ = server
    err = gql(srv.url, "k-mz", RAISE, r="RES-HJ", i="不存在的项", c="INCOMPLETE")["errors"][0]
    assert err["extensions"]["code"] == "NOT_FOUND" and "不存在的项" in err["message"]
