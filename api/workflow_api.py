"""GraphQL mutations for sharing applications (issue 13): file one, act on one.

The caller's department comes from its key (``department:`` in the access config); the rules
are :mod:`api.workflow_policy`; every attempt is written to the write log, denied ones too.
"""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

import datetime as dt

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.context import call
from api.workflow_policy import Denied, check
from graph.iris import code_of, mint
from graph.workflow import Action, Party, TransitionError, who_acts
from graph.workflow_deadlines import DEFAULT_LIMITS, due_date
from graph.workflow_store import (
    LogEntry,
    Request,
    act,
    file_request,
    get_request,
    log_write,
    request_iri,
)

__all__ = ["Mutation"]

WorkflowAction = strawberry.enum(Action, name="WorkflowAction",
                                 description="共享申请办理动作 / an action on a sharing application")


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


def _out(req: Request, base: str) -> SharingApplication:
    last = req.steps[-1]
    due = due_date(req.state, last.at, DEFAULT_LIMITS)
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
             requester: str, provider: str, comment: str, at: dt.datetime) -> None:
    try:
        check(party, info.context.role, department, requester, provider)
    except Denied as e:
        log_write(store, LogEntry(info.context.caller, department or "", at, operation, target,
                                  "DENIED", e.en))
        raise _error(e.zh, e.en, "FORBIDDEN") from None
    log_write(store, LogEntry(info.context.caller, department or "", at, operation, target,
                              "ACCEPTED", comment))


def _file(info: Info, resource: str, items: str, purpose: str, scenario: str,
          legal_basis: str, system: str, comment: str) -> SharingApplication:
    store, dept = _caller(info)
    res = mint("resource", resource, store.base)
    now = dt.datetime.now().replace(microsecond=0)
    _attempt(store, info, dept, "FILE", res, Party.REQUESTER, dept or "", "", comment, now)
    if not info.context.graph.visible(res):  # a hidden resource is not found, as an unknown one
        raise _error(f"数据资源不存在：{res}", f"no such data resource: {res}", "NOT_FOUND")
    try:
        req = file_request(store, resource=res, requester=dept, actor=info.context.caller,
                           at=now, items=items, purpose=purpose, scenario=scenario,
                           legal_basis=legal_basis, system=system, comment=comment)
    except TransitionError as e:
        raise _error(e.zh, e.en, e.code) from None
    return _out(req, store.base)


def _act(info: Info, application: str, action: Action, comment: str) -> SharingApplication:
    store, dept = _caller(info)
    iri = request_iri(store, application)
    req = get_request(store, iri)
    if req is None:
        raise _error(f"共享申请不存在：{application}", f"no such application: {application}",
                     "NOT_FOUND")
    now = dt.datetime.now().replace(microsecond=0)
    try:
        party = who_acts(req.state, action)
    except TransitionError as e:
        raise _error(e.zh, e.en, e.code) from None
    _attempt(store, info, dept, action.value, iri, party, req.requester, req.provider, comment,
             now)
    try:
        req = act(store, req, action, actor=info.context.caller, department=dept or "",
                  at=now, comment=comment)
    except TransitionError as e:
        raise _error(e.zh, e.en, e.code) from None
    return _out(req, store.base)


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
