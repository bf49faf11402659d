"""The data-objection procedure (数据异议): a department using shared data flags a resource or
one of its items — inconsistent, incomplete, out of date, not to standard — with its evidence;
the providing department verifies it, then corrects the data or rejects the objection with a
reason, within the objection time limit. One :class:`~graph.workflow_machine.Machine`
declaration; pure (no store, no clock). :mod:`graph.workflow_store` records its steps.

    (none) ─RAISE─▶ RAISED ─VERIFY─▶ VERIFYING ─CORRECT*─▶ CORRECTED
                      │  └──────────CORRECT* / REJECT*───▶ CORRECTED / REJECTED
                      └─WITHDRAW─▶ WITHDRAWN      VERIFYING ─REJECT*─▶ REJECTED

``*`` a comment is required (what was corrected; the reason for rejecting).
"""

from __future__ import annotations

from enum import StrEnum

from graph.workflow_machine import Machine, Party, Transition

__all__ = ["ObjectionState", "ObjectionAction", "Category", "OBJECTION_MACHINE",
           "OBJECTION_TERMINAL"]


class ObjectionState(StrEnum):
    RAISED = "RAISED"  # 已提出，待核实
    VERIFYING = "VERIFYING"  # 提供部门核实中
    CORRECTED = "CORRECTED"  # 已更正
    REJECTED = "REJECTED"  # 异议不成立（已说明理由）
    WITHDRAWN = "WITHDRAWN"  # 提出方撤回

    @property
    def zh(self) -> str:
        return _ZH[self]


_ZH = {ObjectionState.RAISED: "待核实", ObjectionState.VERIFYING: "核实中",
       ObjectionState.CORRECTED: "已更正", ObjectionState.REJECTED: "异议不成立",
       ObjectionState.WITHDRAWN: "已撤回"}


class ObjectionAction(StrEnum):
    RAISE = "RAISE"  # 提出异议
    VERIFY = "VERIFY"  # 受理核实
    CORRECT = "CORRECT"  # 更正（说明更正内容）
    REJECT = "REJECT"  # 不予更正（须说明理由）
    WITHDRAW = "WITHDRAW"  # 撤回


class Category(StrEnum):
    """What is wrong with the data (the seeds: 一致性、完整性、准确性、时效性, and 标准)."""

    INCONSISTENT = "INCONSISTENT"  # 数据不一致
    INCOMPLETE = "INCOMPLETE"  # 数据不完整
    OUTDATED = "OUTDATED"  # 数据不及时（过期）
    NONSTANDARD = "NONSTANDARD"  # 不符合标准规范

    @property
    def zh(self) -> str:
        return {"INCONSISTENT": "数据不一致", "INCOMPLETE": "数据不完整",
                "OUTDATED": "数据过期", "NONSTANDARD": "不符合标准"}[self.value]


S, A = ObjectionState, ObjectionAction
OBJECTION_TERMINAL = frozenset({S.CORRECTED, S.REJECTED, S.WITHDRAWN})

OBJECTION_MACHINE = Machine(
    "objection", "异议",
    (Transition(A.RAISE, None, S.RAISED, Party.REQUESTER, comment_required=False),
     Transition(A.VERIFY, S.RAISED, S.VERIFYING, Party.PROVIDER),
     Transition(A.CORRECT, S.RAISED, S.CORRECTED, Party.PROVIDER, comment_required=True),
     Transition(A.CORRECT, S.VERIFYING, S.CORRECTED, Party.PROVIDER, comment_required=True),
     Transition(A.REJECT, S.RAISED, S.REJECTED, Party.PROVIDER, comment_required=True),
     Transition(A.REJECT, S.VERIFYING, S.REJECTED, Party.PROVIDER, comment_required=True),
     Transition(A.WITHDRAW, S.RAISED, S.WITHDRAWN, Party.REQUESTER)),
    OBJECTION_TERMINAL,
    # the provider's clock runs from the objection being raised until it is handled
    {S.RAISED: Party.PROVIDER, S.VERIFYING: Party.PROVIDER},
    _ZH,
    {A.RAISE: ("提出异议", "Raise"), A.VERIFY: ("受理核实", "Verify"),
     A.CORRECT: ("已更正", "Corrected"), A.REJECT: ("不予更正", "Reject"),
     A.WITHDRAW: ("撤回", "Withdraw")},
)
