"""The machinery shared by the procedures of 《政务数据共享条例》 (a sharing application, a data
objection): a declared set of transitions between named states, each done by one party, some
needing a reason. Pure: no store, no clock. A procedure is one :class:`Machine` declaration
(:mod:`graph.workflow`, :mod:`graph.objection`); anything it does not declare raises
:class:`TransitionError` naming the state in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Party", "Transition", "TransitionError", "Machine"]


class Party(StrEnum):
    REQUESTER = "REQUESTER"  # 使用部门 (files a request, raises an objection)
    AUTHORITY = "AUTHORITY"  # 政务数据共享主管部门
    PROVIDER = "PROVIDER"  # 提供部门


@dataclass(frozen=True)
class Transition:
    action: StrEnum
    source: StrEnum | None  # None: the case does not exist yet
    target: StrEnum
    party: Party
    comment_required: bool = False
    conditional_only: bool = False  # only for requests of 有条件共享 resources


class TransitionError(ValueError):
    """An action not allowed in a state (zh / en; ``code`` for the API)."""

    def __init__(self, zh: str, en: str, code: str = "ILLEGAL_TRANSITION"):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code = zh, en, code


@dataclass(frozen=True)
class Machine:
    """One procedure: its transitions, terminal states, whose clock runs in which state, the
    Chinese names of its states (``what_zh``: "申请" / "异议", used in messages) and the
    (zh, en) label of each action — what messages and pages show, never the action's code."""

    name: str
    what_zh: str
    transitions: tuple[Transition, ...]
    terminal: frozenset
    awaiting: Mapping[StrEnum, Party]
    state_zh: Mapping[StrEnum, str]
    labels: Mapping[StrEnum, tuple[str, str]]
    _by: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by", {(t.source, t.action): t for t in self.transitions})

    @property
    def reachable(self) -> frozenset:
        return frozenset(t.target for t in self.transitions)

    def _name(self, state: StrEnum | None) -> tuple[str, str]:
        return ("尚未提交", "not filed") if state is None else (self.state_zh[state], state.value)

    def allowed_actions(self, state: StrEnum | None, conditional: bool = True) -> list:
        return [t.action for t in self.transitions
                if t.source == state and (conditional or not t.conditional_only)]

    def label(self, action: StrEnum) -> tuple[str, str]:
        """(zh, en) label of ``action``."""
        return self.labels[action]

    def _illegal(self, state: StrEnum | None, action: StrEnum) -> TransitionError:
        zh, en = self._name(state)
        allowed = self.allowed_actions(state)
        ok_zh = "、".join(f"「{self.labels[a][0]}」" for a in allowed) or "无"
        ok_en = ", ".join(self.labels[a][1] for a in allowed) or "none"
        return TransitionError(
            f"{self.what_zh}状态为「{zh}」，不能执行「{self.labels[action][0]}」（可执行：{ok_zh}）",
            f"the {self.name} is {en}; {self.labels[action][1]} is not allowed "
            f"(allowed: {ok_en})")

    def who_acts(self, state: StrEnum | None, action: StrEnum) -> Party:
        t = self._by.get((state, action))
        if t is None:
            raise self._illegal(state, action)
        return t.party

    def next_state(self, state: StrEnum | None, action: StrEnum, comment: str = "",
                   conditional: bool = True):
        """The state after ``action`` in ``state``; raises :class:`TransitionError`."""
        t = self._by.get((state, action))
        if t is None or (t.conditional_only and not conditional):
            raise self._illegal(state, action)
        if t.comment_required and not comment.strip():
            zh, en = self._name(state)
            raise TransitionError(f"在「{zh}」状态执行「{self.labels[action][0]}」须填写理由或意见",
                                  f"{self.labels[action][1]} in state {en} needs a reason or "
                                  f"comment",
                                  "COMMENT_REQUIRED")
        return t.target

    def replay(self, steps: Iterable[tuple[StrEnum, str]], conditional: bool = True):
        """The state reached by recorded (action, comment) steps, from nothing; raises on the
        first illegal one."""
        state = None
        for action, comment in steps:
            state = self.next_state(state, action, comment, conditional)
        return state
