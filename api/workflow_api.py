"""GraphQL mutations for sharing applications and data objections (issue 13): file or raise
one, act on one.

The caller's department comes from its key (``department:`` in the access config); the rules
are :mod:`api.workflow_policy`; every attempt is written to the write log — an accepted one in
the same transaction as the step it records, denied and refused ones on their own.
"""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime as dt

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.context import call
from api.workflow_policy import Denied, check
from graph.iris import code_of, item_iri, mint
from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction
from graph.workflow import Action, Party, TransitionError, who_acts
from graph.workflow_deadlines import deployment_limits, due_date, objection_due_date
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
from graph.working_days import CalendarRangeError

__all__ = ["Mutation"]

WorkflowAction = strawberry.enum(Action, name="WorkflowAction",
                                 description="共享申请办理动作 / an action on a sharing application")
ObjectionActionEnum = strawberry.enum(ObjectionAction, name="ObjectionAction",
                                      description="数据异议办理动作 / an action on a data objection")
ObjectionCategory = strawberry.enum(Category, name="ObjectionCategory",
                                    description="异议类型：不一致、不完整、过期、不符合标准 / what "
                                                "is wrong: inconsistent, incomplete, out of "
                                                "date, not to standard")


@strawberry.type(description="共享申请的一个办理环节 / one step of a sharing application")
class ApplicationStep:
    seq: int
    action: str
    actor: str
    department: str
    at: str
    comment: str
    state: str


@strawberry.type(description="共享申请 / a sharing application")
class SharingApplication:
    id: str
    resource: str
    requester: str
    provider: str
    conditional: bool
    state: str
    state_zh: str
    due_by: str | None
    steps: list[ApplicationStep]


@strawberry.type(description="数据异议 / a data objection")
class DataObjection:
    id: str
    resource: str
    item: str | None
    raiser: str
    provider: str
    category: str
    description: str
    evidence: str
    state: str
    state_zh: str
    due_by: str | None
    steps: list[ApplicationStep]


def _safe_due(fn, *args):
    try:
        return fn(*args)
    except CalendarRangeError:
        return None  # beyond the official calendar's years: no deadline rather than a guess


def _objection_out(obj: Objection, base: str) -> DataObjection:
    last = obj.steps[-1]
    due = _safe_due(objection_due_date, obj.raised_at, obj.state, deployment_limits())
    return DataObjection(
        id=obj.id, resource=code_of(obj.resource, base),
        item=code_of(obj.item, base).split("/", 1)[-1] if obj.item else None, raiser=code_of(obj.raiser, base),
        provider=code_of(obj.provider, base), category=obj.category.value,
        description=obj.description, evidence=obj.evidence, state=last.state.value,
        state_zh=last.state.zh, due_by=due.isoformat() if due else None,
        steps=[ApplicationStep(seq=s.seq, action=s.action.value, actor=s.actor,
                               department=code_of(s.department, base),
                               at=s.at.isoformat(), comment=s.comment, state=s.state.value)
               for s in obj.steps])


def _now() -> dt.datetime:
    return dt.datetime.now(BEIJING).replace(microsecond=0)


def _out(req: Request, base: str) -> SharingApplication:
    last = req.steps[-1]
    due = _safe_due(due_date, req.state, last.at, deployment_limits())
    return SharingApplication(
        id=req.id, resource=code_of(req.resource, base), requester=code_of(req.requester, base),
        provider=code_of(req.provider, base), conditional=req.conditional,
        state=last.state.value, state_zh=last.state.zh,
        due_by=due.isoformat() if due else None,
        steps=[ApplicationStep(seq=s.seq, action=s.action.value, actor=s.actor,
                               department=code_of(s.department, base),
                               at=s.at.isoformat(), comment=s.comment, state=s.state.value)
               for s in req.steps])


def _error(zh: str, en: str, code: str) -> GraphQLError:
    return GraphQLError(f"{zh} / {en}", extensions={"code": code, "zh": zh, "en": en})


def _caller(info: Info):
    app = info.context.request.app
    store = app.state.store
    if store is None:
        raise _error("此引擎不接受写入", "this engine takes no writes", "NO_STORE")
    dept = app.state.access.departments.get(info.context.caller)
    return store, (mint("department", dept, store.base) if dept else None)


def _attempt(store, info: Info, department, operation: str, target: str, party: Party,
             requester: str, provider: str, comment: str, at: dt.datetime) -> LogEntry:
    """The policy check: a denied attempt is logged and raised; an allowed one gives the log
    entry to store with the write itself (one transaction)."""
    try:
        check(party, info.context.role, department, requester, provider)
    except Denied as e:
        log_write(store, LogEntry(info.context.caller, department or "", at, operation, target,
                                  "DENIED", e.en))
        raise _error(e.zh, e.en, "FORBIDDEN") from None
    return LogEntry(info.context.caller, department or "", at, operation, target, "ACCEPTED",
                    comment)


def _not_found(res: str) -> TransitionError:
    """What :func:`graph.workflow_store.file_request` answers for an unknown resource."""
    return TransitionError(f"数据资源不存在：{res}", f"no such data resource: {res}", "NOT_FOUND")


def _refused(store, log: LogEntry, e: TransitionError) -> GraphQLError:
    """An allowed caller's write the procedure refused: logged as REFUSED, answered as an
    error naming the state."""
    log_write(store, LogEntry(log.actor, log.department, log.at, log.operation, log.target,
                              "REFUSED", e.en))
    return _error(e.zh, e.en, e.code)


def _file(info: Info, resource: str, items: str, purpose: str, scenario: str,
          legal_basis: str, system: str, comment: str) -> SharingApplication:
    store, dept = _caller(info)
    res = mint("resource", resource, store.base)
    now = _now()
    log = _attempt(store, info, dept, "FILE", res, Party.REQUESTER, dept or "", "", comment,
                   now)
    if not info.context.graph.visible(res):  # a hidden resource is not found, as an unknown one
        raise _refused(store, log, _not_found(res))  # (and logged alike)
    try:
        req = file_request(store, resource=res, requester=dept, actor=info.context.caller,
                           at=now, items=items, purpose=purpose, scenario=scenario,
                           legal_basis=legal_basis, system=system, comment=comment, log=log)
    except TransitionError as e:
        raise _refused(store, log, e) from None
    return _out(req, store.base)


def _act(info: Info, application: str, action: Action, comment: str) -> SharingApplication:
    store, dept = _caller(info)
    iri = request_iri(store, application)
    req = recent_case(store, iri, Request)
    if req is None:
        raise _error(f"共享申请不存在：{application}", f"no such application: {application}",
                     "NOT_FOUND")
    now = _now()
    try:
        party = who_acts(req.state, action)
    except TransitionError as e:
        raise _error(e.zh, e.en, e.code) from None
    log = _attempt(store, info, dept, action.value, iri, party, req.requester, req.provider,
                   comment, now)
    try:
        req = act(store, req, action, actor=info.context.caller, department=dept or "",
                  at=now, comment=comment, log=log)
    except TransitionError as e:
        raise _refused(store, log, e) from None
    return _out(req, store.base)


def _raise(info: Info, resource: str, item: str, category: Category, description: str,
           evidence: str) -> DataObjection:
    store, dept = _caller(info)
    res = mint("resource", resource, store.base)
    flagged = item_iri(resource, item, store.base) if item else ""
    now = _now()
    log = _attempt(store, info, dept, "RAISE_OBJECTION", res, Party.REQUESTER, dept or "", "",
                   description, now)
    if not info.context.graph.visible(res):  # a hidden resource is not found, as an unknown one
        raise _refused(store, log, _not_found(res))  # (and logged alike)
    try:
        obj = raise_objection(store, resource=res, raiser=dept, actor=info.context.caller,
                              at=now, category=category, description=description,
                              evidence=evidence, item=flagged, log=log)
    except TransitionError as e:
        raise _refused(store, log, e) from None
    return _objection_out(obj, store.base)


def _act_objection(info: Info, objection: str, action: ObjectionAction,
                   comment: str) -> DataObjection:
    store, dept = _caller(info)
    iri = objection_iri(store, objection)
    obj = recent_case(store, iri, Objection)
    if obj is None:
        raise _error(f"数据异议不存在：{objection}", f"no such objection: {objection}",
                     "NOT_FOUND")
    now = _now()
    try:
        party = OBJECTION_MACHINE.who_acts(obj.state, action)
    except TransitionError as e:
        raise _error(e.zh, e.en, e.code) from None
    log = _attempt(store, info, dept, f"OBJECTION_{action.value}", iri, party, obj.raiser,
                   obj.provider, comment, now)
    try:
        obj = act_on_objection(store, obj, action, actor=info.context.caller,
                               department=dept or "", at=now, comment=comment, log=log)
    except TransitionError as e:
        raise _refused(store, log, e) from None
    return _objection_out(obj, store.base)


@strawberry.type(description="写操作 / writes")
class Mutation:
    @strawberry.mutation(description="以本部门名义提出共享申请 / file a sharing application in "
                                     "the caller's department's name")
    async def file_sharing_application(
            self, info: Info, resource: str, purpose: str, scenario: str,
            items: str = "", legal_basis: str = "", system: str = "",
            comment: str = "") -> SharingApplication:
        return await call(_file, info, resource, items, purpose, scenario, legal_basis, system,
                          comment)

    @strawberry.mutation(description="办理共享申请（审查、答复、撤回、协调） / act on a sharing "
                                     "application (review, reply, withdraw, coordinate)")
    async def act_on_sharing_application(
            self, info: Info, application: str, action: WorkflowAction,
            comment: str = "") -> SharingApplication:
        return await call(_act, info, application, Action(action), comment)

    @strawberry.mutation(description="以本部门名义对共享数据（资源或其信息项）提出异议，附证据 / "
                                     "raise an objection to shared data (a resource or one of "
                                     "its items) in the caller's department's name, with "
                                     "evidence")
    async def raise_data_objection(
            self, info: Info, resource: str, category: ObjectionCategory, description: str,
            item: str = "", evidence: str = "") -> DataObjection:
        return await call(_raise, info, resource, item, Category(category), description,
                          evidence)

    @strawberry.mutation(description="办理数据异议（提供部门核实、更正或说明理由不予更正；提出方撤回） "
                                     "/ act on a data objection (the provider verifies, corrects "
                                     "or rejects with a reason; the raiser withdraws)")
    async def act_on_data_objection(
            self, info: Info, objection: str, action: ObjectionActionEnum,
            comment: str = "") -> DataObjection:
        return await call(_act_objection, info, objection, ObjectionAction(action), comment)
