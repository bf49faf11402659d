"""The sharing-request state machine of 《政务数据共享条例》 (application → 符合性审查 → reply),
pure: no store, no clock. :mod:`graph.workflow_store` records its steps in the graph.

A request is filed by the using department (``requester``), reviewed by the data authority
(``authority``: 政务数据共享主管部门) and answered by the providing department (``provider``).
Only the transitions in :data:`TRANSITIONS` exist; anything else raises
:class:`TransitionError` naming the state, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from graph.workflow_machine import Machine, Party, Transition, TransitionError

__all__ = [
    "ACTION_LABELS", "WORKFLOW_KINDS", "State", "Action", "Party", "TRANSITIONS", "TERMINAL", "TransitionError",
    "Transition", "next_state", "replay", "who_acts", "allowed_actions", "AWAITING",
    "REQUEST_MACHINE",
]

# ==== WORKFLOW KINDS — the ONE place declaring the kinds this module adds (issue 13) ==========
# Move into the schema declaration of issue 9 at merge. Fields are the ys: properties stored.
WORKFLOW_KINDS: dict[str, dict[str, object]] = {
    "wfrequest": {"class": "ys:WorkflowRequest", "segment": "workflow/request",
                  "zh": "共享申请", "en": "sharing application",
                  "fields": ["resource", "requestingDepartment", "providingDepartment",
                             "items", "purpose", "scenario", "legalBasis", "applicationSystem",
                             "conditional", "filedAt"]},
    # a step of a request or of an objection (``ofRequest`` names either)
    "wfstep": {"class": "ys:WorkflowStep", "segment": "workflow/step",
               "zh": "办理环节", "en": "workflow step",
               "fields": ["ofRequest", "seq", "action", "actor", "actingDepartment", "at",
                          "comment", "toState"]},
    "objection": {"class": "ys:DataObjection", "segment": "workflow/objection",
                  "zh": "数据异议", "en": "data objection",
                  "fields": ["resource", "objectionItem", "requestingDepartment",
                             "providingDepartment", "objectionCategory", "objectionDescription",
                             "evidence", "filedAt"]},
    "writelog": {"class": "ys:WriteLogEntry", "segment": "workflow/log",
                 "zh": "写操作日志", "en": "write log entry",
                 "fields": ["actor", "actingDepartment", "at", "operation", "target",
                            "outcome", "comment"]},
}
# ==== end of WORKFLOW KINDS ====================================================================


class State(StrEnum):
    FILED = "FILED"  # 已提交，待符合性审查
    RETURNED = "RETURNED"  # 审查退回
    FORWARDED = "FORWARDED"  # 已转提供部门，待答复
    MORE_INFO = "MORE_INFO"  # 提供部门要求补充材料
    APPROVED = "APPROVED"  # 同意共享
    CONDITIONAL = "CONDITIONAL"  # 有条件同意
    REFUSED = "REFUSED"  # 不予共享
    COORDINATING = "COORDINATING"  # 主管部门协调中
    CLOSED = "CLOSED"  # 协调后维持不予共享
    WITHDRAWN = "WITHDRAWN"  # 申请方撤回

    @property
    def zh(self) -> str:
        return _STATE_ZH[self]


_STATE_ZH = {
    State.FILED: "待符合性审查", State.RETURNED: "审查退回", State.FORWARDED: "待提供部门答复",
    State.MORE_INFO: "待补充材料", State.APPROVED: "同意共享", State.CONDITIONAL: "有条件同意",
    State.REFUSED: "不予共享", State.COORDINATING: "协调中", State.CLOSED: "协调后不予共享",
    State.WITHDRAWN: "已撤回",
}


class Action(StrEnum):
    FILE = "FILE"  # 提出申请
    PASS = "PASS"  # 审查通过，转提供部门
    RETURN = "RETURN"  # 审查退回
    RESUBMIT = "RESUBMIT"  # 修改后重新提交 / 补充材料后提交
    APPROVE = "APPROVE"  # 同意
    APPROVE_WITH_CONDITIONS = "APPROVE_WITH_CONDITIONS"  # 有条件同意（条件写在意见中）
    REFUSE = "REFUSE"  # 不予共享（须说明理由）
    ASK_MORE = "ASK_MORE"  # 要求补充材料
    WITHDRAW = "WITHDRAW"  # 撤回
    ESCALATE = "ESCALATE"  # 申请协调（有条件共享被拒后）
    SETTLE_APPROVE = "SETTLE_APPROVE"  # 协调后同意
    SETTLE_REFUSE = "SETTLE_REFUSE"  # 协调后维持不予共享


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.FILE, None, State.FILED, Party.REQUESTER),
    Transition(Action.PASS, State.FILED, State.FORWARDED, Party.AUTHORITY),
    Transition(Action.RETURN, State.FILED, State.RETURNED, Party.AUTHORITY, comment_required=True),
    Transition(Action.RESUBMIT, State.RETURNED, State.FILED, Party.REQUESTER),
    Transition(Action.RESUBMIT, State.MORE_INFO, State.FORWARDED, Party.REQUESTER),
    Transition(Action.APPROVE, State.FORWARDED, State.APPROVED, Party.PROVIDER),
    Transition(Action.APPROVE_WITH_CONDITIONS, State.FORWARDED, State.CONDITIONAL,
               Party.PROVIDER, comment_required=True),
    Transition(Action.REFUSE, State.FORWARDED, State.REFUSED, Party.PROVIDER,
               comment_required=True),
    Transition(Action.ASK_MORE, State.FORWARDED, State.MORE_INFO, Party.PROVIDER,
               comment_required=True),
    *(Transition(Action.WITHDRAW, s, State.WITHDRAWN, Party.REQUESTER)
      for s in (State.FILED, State.RETURNED, State.FORWARDED, State.MORE_INFO)),
    Transition(Action.ESCALATE, State.REFUSED, State.COORDINATING, Party.REQUESTER,
               comment_required=True, conditional_only=True),
    Transition(Action.SETTLE_APPROVE, State.COORDINATING, State.APPROVED, Party.AUTHORITY),
    Transition(Action.SETTLE_REFUSE, State.COORDINATING, State.CLOSED, Party.AUTHORITY,
               comment_required=True),
)

TERMINAL = frozenset({State.APPROVED, State.CONDITIONAL, State.CLOSED, State.WITHDRAWN})

# Whose turn it is in a state with a deadline (the clock runs against that party).
AWAITING: dict[State, Party] = {
    State.FILED: Party.AUTHORITY, State.FORWARDED: Party.PROVIDER,
    State.COORDINATING: Party.AUTHORITY,
}

ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.FILE: ("提出申请", "File"), Action.PASS: ("审查通过", "Pass review"),
    Action.RETURN: ("退回", "Return"), Action.RESUBMIT: ("重新提交", "Resubmit"),
    Action.APPROVE: ("同意共享", "Approve"),
    Action.APPROVE_WITH_CONDITIONS: ("有条件同意", "Approve with conditions"),
    Action.REFUSE: ("不予共享", "Refuse"), Action.ASK_MORE: ("要求补充材料", "Ask for more"),
    Action.WITHDRAW: ("撤回", "Withdraw"), Action.ESCALATE: ("申请协调", "Ask for coordination"),
    Action.SETTLE_APPROVE: ("协调后同意", "Settle: approve"),
    Action.SETTLE_REFUSE: ("协调后不予共享", "Settle: refuse"),
}

REQUEST_MACHINE = Machine("request", "申请", TRANSITIONS, TERMINAL, AWAITING, _STATE_ZH,
                          ACTION_LABELS)


def who_acts(state: State | None, action: Action) -> Party:
    return REQUEST_MACHINE.who_acts(state, action)


def allowed_actions(state: State | None, conditional: bool = True) -> list[Action]:
    return REQUEST_MACHINE.allowed_actions(state, conditional)


def next_state(state: State | None, action: Action, comment: str = "",
               conditional: bool = True) -> State:
    """The state after ``action`` in ``state``; raises :class:`TransitionError`."""
    return REQUEST_MACHINE.next_state(state, action, comment, conditional)


def replay(steps: Iterable[tuple[Action, str]], conditional: bool = True) -> State | None:
    """The state reached by recorded (action, comment) steps, from nothing; raises on the first
    illegal one."""
    return REQUEST_MACHINE.replay(steps, conditional)
