"""Property tests of the sharing-request state machine (graph.workflow)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.workflow import (
    TERMINAL,
    TRANSITIONS,
    Action,
    State,
    TransitionError,
    allowed_actions,
    next_state,
    replay,
)

REACHABLE = {t.target for t in TRANSITIONS}
steps = st.lists(st.tuples(st.sampled_from(list(Action)), st.sampled_from(["", "理由 reason"])),
                 max_size=30)


def run(seq, conditional):
    """Apply each action, keeping the accepted ones; every refusal leaves the state unchanged."""
    state, accepted = None, []
    for action, comment in seq:
        try:
            new = next_state(state, action, comment, conditional)
        except TransitionError as e:
            assert e.code in ("ILLEGAL_TRANSITION", "COMMENT_REQUIRED")
            assert (state.zh if state else "尚未提交") in e.zh
            continue
        assert new in REACHABLE
        assert state not in TERMINAL  # nothing leaves a terminal state
        state = new
        accepted.append((action, comment))
    return state, accepted


@settings(max_examples=300, deadline=None)
@given(steps, st.booleans())
def test_random_actions_never_reach_an_illegal_state(seq, conditional):
    state, accepted = run(seq, conditional)
    if accepted:
        assert accepted[0][0] is Action.FILE
        assert state in REACHABLE
    else:
        assert state is None
    if not conditional:
        assert state is not State.COORDINATING


@settings(max_examples=300, deadline=None)
@given(steps, st.booleans())
def test_every_accepted_sequence_is_replayable(seq, conditional):
    state, accepted = run(seq, conditional)
    assert replay(accepted, conditional) == state
    # and replaying a prefix gives the state at that point
    for i in range(len(accepted)):
        prefix_state, _ = run(accepted[: i + 1], conditional)
        assert replay(accepted[: i + 1], conditional) == prefix_state


def test_wrong_transition_names_the_state_in_both_languages():
    with pytest.raises(TransitionError) as e:
        replay([(Action.FILE, ""), (Action.APPROVE, "")])
    assert "待符合性审查" in e.value.zh and "FILED" in e.value.en
    # says what is allowed instead, by the actions' labels, never their codes
    assert "审查通过" in e.value.zh and "Pass review" in e.value.en
    assert not any(re.search(rf"\b{a.value}\b", f"{e.value.zh} {e.value.en}") for a in Action)


def test_refusal_needs_a_reason():
    with pytest.raises(TransitionError) as e:
        replay([(Action.FILE, ""), (Action.PASS, ""), (Action.REFUSE, "  ")])
    assert e.value.code == "COMMENT_REQUIRED"


def test_only_conditional_requests_go_to_coordination():
    refused = [(Action.FILE, ""), (Action.PASS, ""), (Action.REFUSE, "无依据")]
    assert replay(refused + [(Action.ESCALATE, "履职需要")], conditional=True) \
        is State.COORDINATING
    with pytest.raises(TransitionError):
        replay(refused + [(Action.ESCALATE, "履职需要")], conditional=False)
    assert Action.ESCALATE not in allowed_actions(State.REFUSED, conditional=False)


def test_terminal_states_allow_nothing():
    for s in TERMINAL:
        assert allowed_actions(s) == []
