"""GraphQL mutations for sharing applications and data objections (issue 13): file or raise
one, act on one — a thin face over :mod:`api.workflow_service` (REST and the pages call it too).

The caller's department comes from its key (``department:`` in the access config); the rules
are :mod:`api.workflow_policy`; every attempt is written to the write log — an accepted one in
the same transaction as the step it records, denied and refused ones on their own.
"""

# No ``from __future__ import annotations`` (Strawberry reads the annotations).

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.context import call
from api.workflow_service import (
    Caller,
    Refused,
    act_on_application,
    act_on_data_objection,
    caller_for,
    file_application,
    raise_data_objection,
)
from api.workflow_views import application_view, objection_view
from graph.objection import Category, ObjectionAction
from graph.workflow import Action
from graph.workflow_commit import coming_write
from graph.workflow_store import Objection, Request

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


def _application(req: Request, base: str) -> SharingApplication:
    d = application_view(req, base)
    return SharingApplication(**{**d, "steps": [ApplicationStep(**x) for x in d["steps"]]})


def _objection(obj: Objection, base: str) -> DataObjection:
    d = objection_view(obj, base)
    return DataObjection(**{**d, "steps": [ApplicationStep(**x) for x in d["steps"]]})


def _error(zh: str, en: str, code: str) -> GraphQLError:
    return GraphQLError(f"{zh} / {en}", extensions={"code": code, "zh": zh, "en": en})


def _caller(info: Info) -> Caller:
    ctx = info.context
    try:
        return caller_for(ctx.request.app, ctx.caller, ctx.role, ctx.graph)
    except Refused as e:
        raise _error(e.zh, e.en, e.code) from None


def _answer(info: Info, write: Callable, shown: Callable, *args, **kwargs):
    """``write(caller, *args, **kwargs)`` (a write of :mod:`api.workflow_service`), its case as
    ``shown`` gives it; a refusal as a GraphQL error."""
    c = _caller(info)
    try:
        case = write(c, *args, **kwargs)
    except Refused as e:
        raise _error(e.zh, e.en, e.code) from None
    return shown(case, c.store.base)


async def _write(info: Info, write: Callable, shown: Callable, *args, **kwargs):
    """:func:`_answer` in a worker thread, announced to the group commit first
    (:func:`graph.workflow_commit.coming_write`)."""
    store = info.context.request.app.state.store
    if store is None:
        return await call(_answer, info, write, shown, *args, **kwargs)  # refused: no writes
    with coming_write(store):
        return await call(_answer, info, write, shown, *args, **kwargs)


@strawberry.type(description="写操作 / writes")
class Mutation:
    @strawberry.mutation(description="以本部门名义提出共享申请 / file a sharing application in "
                                     "the caller's department's name")
    async def file_sharing_application(
            self, info: Info, resource: str, purpose: str, scenario: str,
            items: str = "", legal_basis: str = "", system: str = "",
            comment: str = "") -> SharingApplication:
        return await _write(info, file_application, _application, resource, purpose=purpose,
                            scenario=scenario, items=items, legal_basis=legal_basis,
                            system=system, comment=comment)

    @strawberry.mutation(description="办理共享申请（审查、答复、撤回、协调） / act on a sharing "
                                     "application (review, reply, withdraw, coordinate)")
    async def act_on_sharing_application(
            self, info: Info, application: str, action: WorkflowAction,
            comment: str = "") -> SharingApplication:
        return await _write(info, act_on_application, _application, application,
                            Action(action), comment)

    @strawberry.mutation(description="以本部门名义对共享数据（资源或其信息项）提出异议，附证据 / "
                                     "raise an objection to shared data (a resource or one of "
                                     "its items) in the caller's department's name, with "
                                     "evidence")
    async def raise_data_objection(
            self, info: Info, resource: str, category: ObjectionCategory, description: str,
            item: str = "", evidence: str = "") -> DataObjection:
        return await _write(info, raise_data_objection, _objection, resource,
                            category=Category(category), description=description, item=item,
                            evidence=evidence)

    @strawberry.mutation(description="办理数据异议（提供部门核实、更正或说明理由不予更正；提出方撤回） "
                                     "/ act on a data objection (the provider verifies, corrects "
                                     "or rejects with a reason; the raiser withdraws)")
    async def act_on_data_objection(
            self, info: Info, objection: str, action: ObjectionActionEnum,
            comment: str = "") -> DataObjection:
        return await _write(info, act_on_data_objection, _objection, objection,
                            ObjectionAction(action), comment)
