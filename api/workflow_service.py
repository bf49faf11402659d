"""The sharing procedure's writes, for every face (issue 13): file or act on a sharing
application, raise or act on a data objection.

GraphQL (:mod:`api.workflow_api`), REST (:mod:`api.workflow_rest`) and the pages
(:mod:`api.web.cases`) are thin faces over these four functions: one policy check
(:mod:`api.workflow_policy`), one write log, the same store calls. Every attempt is logged — an
accepted one in the same transaction as the step it records, a denied or refused one on its
own — and a refusal is raised as :class:`Refused` (zh / en, a code the faces map to their own
errors). The two procedures take the same steps: one path opens a case and one acts on it
(:func:`_open`, :func:`_act`), told apart by a :class:`_Procedure` around each one's
:class:`~graph.workflow_machine.Machine`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from api.access import Role
from api.workflow_policy import Denied, check
from graph.iris import item_iri, mint
from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction
from graph.workflow import REQUEST_MACHINE, Action, Party, TransitionError
from graph.workflow_commit import coming_write
from graph.workflow_machine import Machine
from graph.workflow_store import (
    BEIJING,
    LogEntry,
    Objection,
    Request,
    act,
    act_on_objection,
    file_request,
    log_write,
    objection_iri,
    raise_objection,
    recent_case,
    request_iri,
)

__all__ = ["Caller", "Refused", "file_application", "act_on_application", "raise_data_objection",
           "act_on_data_objection", "STATUS", "caller_for"]

# HTTP status per refusal code (REST and the pages answer with it)
STATUS = {"FORBIDDEN": 403, "NOT_FOUND": 404, "ILLEGAL_TRANSITION": 409,
          "COMMENT_REQUIRED": 400, "NO_PROVIDER": 409, "NOT_SHARED": 409, "NO_STORE": 503,
          "BAD_REQUEST": 400}


class Refused(Exception):
    """A write that did not happen: zh / en and a code (FORBIDDEN, NOT_FOUND,
    ILLEGAL_TRANSITION, COMMENT_REQUIRED, NO_PROVIDER, NOT_SHARED, NO_STORE)."""

    def __init__(self, zh: str, en: str, code: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code = zh, en, code

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)


@dataclass(frozen=True)
class Caller:
    """Who writes: the store, the key holder's name, role and department IRI (None: the key
    belongs to no department), and the caller's policy view (``visible(iri)``)."""

    store: object
    name: str
    role: Role
    department: str | None
    graph: object


def caller_for(app, name: str, role: Role, graph) -> Caller:
    """The caller of a request to ``app`` (its store and access config); refuses when the
    engine takes no writes."""
    store = app.state.store
    if store is None:
        raise Refused("此引擎不接受写入", "this engine takes no writes", "NO_STORE")
    dept = app.state.access.departments.get(name)
    return Caller(store, name, role, mint("department", dept, store.base) if dept else None,
                  graph)


def _announced(fn):
    """Run the write ``fn(caller, …)`` announced to the group commit
    (:func:`graph.workflow_commit.coming_write`): a commit starting while this one checks the
    policy and reads the case waits briefly for it, and they share a transaction."""
    @functools.wraps(fn)
    def write(c: Caller, *args, **kwargs):
        with coming_write(c.store):
            return fn(c, *args, **kwargs)
    return write


def _now() -> dt.datetime:
    return dt.datetime.now(BEIJING).replace(microsecond=0)


def _attempt(c: Caller, operation: str, target: str, party: Party, requester: str,
             provider: str, comment: str, at: dt.datetime) -> LogEntry:
    """The policy check: a denied attempt is logged and refused; an allowed one gives the log
    entry to store with the write itself (one transaction)."""
    try:
        check(party, c.role, c.department, requester, provider)
    except Denied as e:
        log_write(c.store, LogEntry(c.name, c.department or "", at, operation, target,
                                    "DENIED", e.en))
        raise Refused(e.zh, e.en, "FORBIDDEN") from None
    return LogEntry(c.name, c.department or "", at, operation, target, "ACCEPTED", comment)


def _not_found(res: str) -> TransitionError:
    """What :func:`graph.workflow_store.file_request` answers for an unknown resource."""
    return TransitionError(f"数据资源不存在：{res}", f"no such data resource: {res}", "NOT_FOUND")


def _refused(c: Caller, log: LogEntry, e: TransitionError) -> Refused:
    """An allowed caller's write the procedure refused: logged as REFUSED."""
    log_write(c.store, LogEntry(log.actor, log.department, log.at, log.operation, log.target,
                                "REFUSED", e.en))
    return Refused(e.zh, e.en, e.code)


def _wrong_state(c: Caller, operation: str, target: str, comment: str, at: dt.datetime,
                 e: TransitionError) -> Refused:
    """An action the case's state does not allow at all (APPROVE on a withdrawn application):
    no party may take it, so there is no policy to check — logged as REFUSED with the
    caller's name and department, like an allowed caller's refused write."""
    return _refused(c, LogEntry(c.name, c.department or "", at, operation, target, "REFUSED",
                                comment), e)


@dataclass(frozen=True)
class _Procedure:
    """What the writes of one procedure (its :class:`Machine`) need that differs between the
    two: the log operation of its first step and of an action, how a case is named, read and
    acted on (a case's two parties: its ``parties``)."""

    machine: Machine
    opens: str  # the log operation of the step that opens a case
    prefix: str  # before an action's code in the log operation ("OBJECTION_")
    kind: type  # Request / Objection
    what: tuple[str, str]  # (zh, en) name of a case, in "no such …"
    iri: Callable[[object, str], str]  # (store, id or IRI) -> IRI
    act: Callable  # the store's act: (store, case, action, *, actor, department, at, comment, log)


_APPLICATIONS = _Procedure(REQUEST_MACHINE, "FILE", "", Request, ("共享申请", "application"),
                           request_iri, act)
_OBJECTIONS = _Procedure(OBJECTION_MACHINE, "RAISE_OBJECTION", "OBJECTION_", Objection,
                         ("数据异议", "objection"), objection_iri, act_on_objection)


def _open(p: _Procedure, c: Caller, resource: str, note: str,
          write: Callable[[str, dt.datetime, LogEntry], object]):
    """Open a case of ``p`` on the resource ``resource`` (its code) in the caller's
    department's name: ``write(resource IRI, now, log entry)`` stores it."""
    res = mint("resource", resource, c.store.base)
    now = _now()
    log = _attempt(c, p.opens, res, Party.REQUESTER, c.department or "", "", note, now)
    if not c.graph.visible(res):  # a hidden resource is not found, as an unknown one
        raise _refused(c, log, _not_found(res))  # (and logged alike)
    try:
        return write(res, now, log)
    except TransitionError as e:
        raise _refused(c, log, e) from None


def _act(p: _Procedure, c: Caller, ident: str, action: StrEnum, comment: str):
    """Record ``action`` on the case ``ident`` (its id or IRI) of ``p``."""
    iri = p.iri(c.store, ident)
    case = recent_case(c.store, iri, p.kind)
    if case is None:
        raise Refused(f"{p.what[0]}不存在：{ident}", f"no such {p.what[1]}: {ident}", "NOT_FOUND")
    now = _now()
    operation = p.prefix + action.value
    try:
        party = p.machine.who_acts(case.state, action)
    except TransitionError as e:  # no party acts so in this state: refused, and logged
        raise _wrong_state(c, operation, iri, comment, now, e) from None
    log = _attempt(c, operation, iri, party, *case.parties, comment, now)
    try:
        return p.act(c.store, case, action, actor=c.name, department=c.department or "", at=now,
                     comment=comment, log=log)
    except TransitionError as e:
        raise _refused(c, log, e) from None


@_announced
def file_application(c: Caller, resource: str, *, purpose: str, scenario: str, items: str = "",
                     legal_basis: str = "", system: str = "", comment: str = "") -> Request:
    """File a sharing application for the resource ``resource`` (its code) in the caller's
    department's name."""
    return _open(_APPLICATIONS, c, resource, comment, lambda res, now, log: file_request(
        c.store, resource=res, requester=c.department, actor=c.name, at=now, items=items,
        purpose=purpose, scenario=scenario, legal_basis=legal_basis, system=system,
        comment=comment, log=log))


@_announced
def act_on_application(c: Caller, application: str, action: Action,
                       comment: str = "") -> Request:
    """Record ``action`` on the application ``application`` (its id or IRI)."""
    return _act(_APPLICATIONS, c, application, action, comment)


@_announced
def raise_data_objection(c: Caller, resource: str, *, category: Category, description: str,
                         item: str = "", evidence: str = "") -> Objection:
    """Raise an objection to the resource ``resource`` (its code), or to its ``item`` (the
    item's name), in the caller's department's name."""
    flagged = item_iri(resource, item, c.store.base) if item else ""
    return _open(_OBJECTIONS, c, resource, description, lambda res, now, log: raise_objection(
        c.store, resource=res, raiser=c.department, actor=c.name, at=now, category=category,
        description=description, evidence=evidence, item=flagged, log=log))


@_announced
def act_on_data_objection(c: Caller, objection: str, action: ObjectionAction,
                          comment: str = "") -> Objection:
    """Record ``action`` on the objection ``objection`` (its id or IRI)."""
    return _act(_OBJECTIONS, c, objection, action, comment)
