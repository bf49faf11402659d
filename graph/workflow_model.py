"""The cases of the sharing procedure as values (issue 13): a sharing application and a data
objection with their recorded steps, a write-log entry, and the instants they carry (Beijing
time). No store here: :mod:`graph.workflow_store` reads and writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.objection import Category, ObjectionAction, ObjectionState
from graph.workflow import WORKFLOW_KINDS, Action, State

__all__ = ["BEIJING", "beijing", "parse_time", "Step", "Request", "ObjectionStep", "Objection",
           "LogEntry", "request_iri", "objection_iri"]

BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing(at: dt.datetime) -> dt.datetime:
    """``at`` in Beijing time (a naive time is taken as Beijing time): deadlines count working
    days on Beijing dates, and every stored instant carries its offset."""
    return at.replace(tzinfo=BEIJING) if at.tzinfo is None else at.astimezone(BEIJING)


def parse_time(value: object) -> dt.datetime:
    return beijing(dt.datetime.fromisoformat(str(value)))


def _iri(base: str, kind: str, ident: str) -> str:
    if ident.startswith(("http://", "https://")):
        return ident
    return f"{base}{WORKFLOW_KINDS[kind]['segment']}/{ident}"


def request_iri(store, ident: str) -> str:
    """A request's IRI from its IRI or its id (the last segment)."""
    return _iri(store.base, "wfrequest", ident)


def objection_iri(store, ident: str) -> str:
    """An objection's IRI from its IRI or its id (the last segment)."""
    return _iri(store.base, "objection", ident)


@dataclass(frozen=True)
class Step:
    seq: int
    action: Action
    actor: str
    department: str
    at: dt.datetime
    comment: str
    state: State


@dataclass
class Request:
    iri: str
    resource: str
    requester: str
    provider: str
    conditional: bool
    filed_at: dt.datetime
    items: str = ""
    purpose: str = ""
    scenario: str = ""
    legal_basis: str = ""
    system: str = ""
    steps: list[Step] = field(default_factory=list)

    @property
    def state(self) -> State | None:
        return self.steps[-1].state if self.steps else None

    @property
    def parties(self) -> tuple[str, str]:
        """(the department asking, the department providing)."""
        return self.requester, self.provider

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ObjectionStep:
    seq: int
    action: ObjectionAction
    actor: str
    department: str
    at: dt.datetime
    comment: str
    state: ObjectionState


@dataclass
class Objection:
    iri: str
    resource: str
    raiser: str  # the department that raised it
    provider: str  # the resource's providing department, which must handle it
    category: Category
    description: str
    raised_at: dt.datetime
    item: str = ""  # the item's IRI, when one item is flagged
    evidence: str = ""
    steps: list[ObjectionStep] = field(default_factory=list)

    @property
    def state(self) -> ObjectionState | None:
        return self.steps[-1].state if self.steps else None

    @property
    def parties(self) -> tuple[str, str]:
        """(the department that raised it, the department providing the resource)."""
        return self.raiser, self.provider

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class LogEntry:
    actor: str
    department: str
    at: dt.datetime
    operation: str
    target: str
    outcome: str  # ACCEPTED | DENIED | REFUSED (illegal transition)
    comment: str
