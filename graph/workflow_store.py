"""Sharing applications and data objections stored in the graph, as the append-only source
``workflow`` (their write-log entries in ``writelog``: :mod:`graph.workflow_log_store`), through
:meth:`CatalogStore.append_many` only — so every write is a version of the store like any
other. The values are :mod:`graph.workflow_model`, their triples :mod:`graph.workflow_quads`.

A case's state is never stored as a mutable value: it is what replaying its recorded steps
gives (:func:`graph.workflow.replay`); each step also records the state it led to, for queries.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import NamedNode

from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction, ObjectionState
from graph.store import CatalogStore
from graph.workflow import Action, State, TransitionError, next_state, replay
from graph.workflow_commit import WORKFLOW_SOURCE, confirmed, epoch, recent, remember, submit
from graph.workflow_commit import submit_log as log_write
from graph.workflow_log_store import LOG_SOURCE, log_entries, read_log
from graph.workflow_model import (
    BEIJING,
    LogEntry,
    Objection,
    ObjectionStep,
    Request,
    Step,
    beijing,
    objection_iri,
    parse_time,
    request_iri,
)
from graph.workflow_quads import mint, objection_quads, request_quads, step_quads
from ontology.namespaces import sparql_prefixes

__all__ = ["WORKFLOW_SOURCE", "LOG_SOURCE", "Step", "Request", "file_request", "act",
           "get_request", "log_write", "read_log", "request_iri", "all_steps", "BEIJING",
           "beijing", "Objection", "ObjectionStep", "raise_objection", "act_on_objection",
           "get_objection", "objection_iri", "log_entries", "LogEntry", "request_quads",
           "step_quads", "recent_case"]

_QUERIES = Path(__file__).resolve().parent / "queries"
_CONDITIONAL = "https://w3id.org/yishu/code/SharingType/conditional"
_NOT_SHARED = "https://w3id.org/yishu/code/SharingType/not-shared"


@lru_cache(maxsize=8)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


# -- the cases this process wrote or read lately ----------------------------------------------
def recent_case(store: CatalogStore, iri: str, kind: type):
    """The request or objection ``iri`` as this process last wrote or read it, else read from
    the store. It may be behind another writer: :func:`act` and :func:`act_on_objection`
    check it when they commit (:func:`_current`) and re-read it then."""
    case = recent(store, iri)
    if isinstance(case, kind):
        return case
    since = epoch(store)  # before reading: a write noticed meanwhile makes the copy suspect
    case = (get_request if kind is Request else get_objection)(store, iri)
    if case is not None:
        remember(store, case, since)
    return case


# -- reading ---------------------------------------------------------------------------------
def _steps(store: CatalogStore, iri: str, step_type, action_type, state_type) -> list:
    return [step_type(seq=int(s["seq"]), action=action_type(s["action"]), actor=str(s["actor"]),
                      department=str(s["department"]), at=parse_time(s["at"]),
                      comment=str(s["comment"] or ""), state=state_type(s["toState"]))
            for s in store.select(_query("workflow_steps"), request=NamedNode(iri))]


def get_request(store: CatalogStore, iri: str) -> Request | None:
    rows = store.select(_query("workflow_request"), request=NamedNode(iri))
    if not rows:
        return None
    r = rows[0]
    req = Request(iri=iri, resource=str(r["resource"]), requester=str(r["requester"]),
                  provider=str(r["provider"]), conditional=r["conditional"] is True,
                  filed_at=parse_time(r["filedAt"]), items=str(r["items"] or ""),
                  purpose=str(r["purpose"] or ""), scenario=str(r["scenario"] or ""),
                  legal_basis=str(r["legalBasis"] or ""), system=str(r["system"] or ""))
    req.steps = _steps(store, iri, Step, Action, State)
    return req


def get_objection(store: CatalogStore, iri: str) -> Objection | None:
    rows = store.select(_query("workflow_objection"), objection=NamedNode(iri))
    if not rows:
        return None
    r = rows[0]
    obj = Objection(iri=iri, resource=str(r["resource"]), raiser=str(r["raiser"]),
                    provider=str(r["provider"]), category=Category(str(r["category"])),
                    description=str(r["description"] or ""),
                    raised_at=parse_time(r["filedAt"]), item=str(r["item"] or ""),
                    evidence=str(r["evidence"] or ""))
    obj.steps = _steps(store, iri, ObjectionStep, ObjectionAction, ObjectionState)
    return obj


def all_steps(store: CatalogStore) -> list[dict[str, object]]:
    """Every recorded step with its request's parties (for KPIs and findings)."""
    return store.select(_query("workflow_all_steps"))


# -- writing (group commit: graph.workflow_commit) ------------------------------------------
def _steps_recorded(store: CatalogStore, iri: str) -> int:
    rows = store.select(_query("workflow_step_count"), request=NamedNode(iri))
    return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0


def _current(store: CatalogStore, case, pending: dict, read: Callable):
    """``case`` as it stands: as an earlier write of this batch left it, else as given when
    only this process's commits wrote since it was kept (:func:`confirmed`) or no other writer
    recorded steps since it was read (one indexed count), else read again."""
    if case.iri in pending:
        return pending[case.iri]
    if confirmed(store, case):
        return case
    if _steps_recorded(store, case.iri) != len(case.steps):
        return read(store, case.iri) or case
    return case


_providers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> (versions, {})


def _resource_row(store: CatalogStore, resource: str) -> list:
    """The ``workflow_resource`` answer for ``resource``, kept per set of current versions
    (a load making a new version current asks again; appends keep their version)."""
    versions = tuple(sorted(store.current_versions().items()))
    kept = _providers.get(store)
    if kept is None or kept[0] != versions:
        kept = _providers[store] = (versions, {})
    rows = kept[1].get(resource)
    if rows is None:
        rows = store.select(_query("workflow_resource"), resource=NamedNode(resource))
        if len(kept[1]) >= 50_000:
            kept[1].clear()
        kept[1][resource] = rows
    return rows


def _provider(store: CatalogStore, resource: str):
    """(providing department, sharing type) of ``resource``; refuses an unknown resource and
    one naming no provider."""
    found = _resource_row(store, resource)
    if not found:
        raise TransitionError(f"数据资源不存在：{resource}", f"no such data resource: {resource}",
                              "NOT_FOUND")
    provider, sharing = found[0]["provider"], found[0]["sharingType"]
    if provider is None:
        raise TransitionError(f"数据资源没有提供方部门：{resource}",
                              f"the data resource names no providing department: {resource}",
                              "NO_PROVIDER")
    return str(provider), sharing


def file_request(store: CatalogStore, *, resource: str, requester: str, actor: str,
                 at: dt.datetime, items: str = "", purpose: str = "", scenario: str = "",
                 legal_basis: str = "", system: str = "", comment: str = "",
                 log: LogEntry | None = None) -> Request:
    """File a request for ``resource`` (IRI) in the name of department ``requester`` (IRI),
    with its write-log entry ``log`` in the same transaction. Raises :class:`TransitionError`
    for an unknown or 不予共享 resource."""
    at = beijing(at)
    provider, sharing = _provider(store, resource)
    if sharing == _NOT_SHARED:
        raise TransitionError(f"数据资源为不予共享，不能申请：{resource}",
                              f"the data resource is not shared; no request can be filed: "
                              f"{resource}", "NOT_SHARED")
    conditional = sharing == _CONDITIONAL
    state = next_state(None, Action.FILE, comment, conditional)
    node = mint(store, "wfrequest")
    req = Request(iri=node.value, resource=resource, requester=requester, provider=provider,
                  conditional=conditional, filed_at=at, items=items, purpose=purpose,
                  scenario=scenario, legal_basis=legal_basis, system=system)
    step = Step(1, Action.FILE, actor, requester, at, comment, state)
    quads = request_quads(req) + step_quads(store, node, step)
    return submit(store, lambda pending: (req, replace(req, steps=[step]), quads, log))


def act(store: CatalogStore, request: Request, action: Action, *, actor: str, department: str,
        at: dt.datetime, comment: str = "", log: LogEntry | None = None) -> Request:
    """Record ``action`` on ``request`` (as read by :func:`get_request`), with its write-log
    entry ``log`` in the same transaction; raises :class:`TransitionError` when it is not
    allowed in the request's state. When it is committed, the number of recorded steps is
    checked (one indexed count) and the request re-read only when another writer moved it
    since it was read, so two callers racing on one request cannot both move it."""
    at = beijing(at)

    def prepare(pending):
        current = _current(store, request, pending, get_request)
        replay(((s.action, s.comment) for s in current.steps), current.conditional)
        state = next_state(current.state, action, comment, current.conditional)
        when = max(at, current.steps[-1].at) if current.steps else at  # never back in time
        step = Step(len(current.steps) + 1, action, actor, department, when, comment, state)
        return (current, replace(current, steps=[*current.steps, step]),
                step_quads(store, NamedNode(current.iri), step), log)

    return submit(store, prepare)


def raise_objection(store: CatalogStore, *, resource: str, raiser: str, actor: str,
                    at: dt.datetime, category: Category, description: str, evidence: str = "",
                    item: str = "", log: LogEntry | None = None) -> Objection:
    """Raise an objection to ``resource`` (IRI), or to its ``item`` (IRI), in the name of
    department ``raiser`` (IRI). Raises :class:`TransitionError` for an unknown resource or
    item, or an empty description."""
    at = beijing(at)
    provider, _sharing = _provider(store, resource)
    if item and not store.select(_query("workflow_item"), item=NamedNode(item),
                                 resource=NamedNode(resource)):
        name = unquote(item.rsplit("/", 1)[-1])
        raise TransitionError(f"该数据资源没有此信息项：{name}（{resource}）",
                              f"the data resource has no such item: {name} ({resource})",
                              "NOT_FOUND")
    if not description.strip():
        raise TransitionError("提出异议须说明问题", "an objection needs a description of the "
                              "problem", "COMMENT_REQUIRED")
    state = OBJECTION_MACHINE.next_state(None, ObjectionAction.RAISE, description)
    node = mint(store, "objection")
    obj = Objection(iri=node.value, resource=resource, raiser=raiser, provider=provider,
                    category=category, description=description, raised_at=at, item=item,
                    evidence=evidence)
    step = ObjectionStep(1, ObjectionAction.RAISE, actor, raiser, at, "", state)
    quads = objection_quads(obj) + step_quads(store, node, step)
    return submit(store, lambda pending: (obj, replace(obj, steps=[step]), quads, log))


def act_on_objection(store: CatalogStore, objection: Objection, action: ObjectionAction, *,
                     actor: str, department: str, at: dt.datetime,
                     comment: str = "", log: LogEntry | None = None) -> Objection:
    """Record ``action`` on ``objection``; raises :class:`TransitionError` when it is not
    allowed in its state (checked when committed, like :func:`act`)."""
    at = beijing(at)

    def prepare(pending):
        current = _current(store, objection, pending, get_objection)
        state = OBJECTION_MACHINE.replay((s.action, s.comment) for s in current.steps)
        state = OBJECTION_MACHINE.next_state(state, action, comment)
        when = max(at, current.steps[-1].at) if current.steps else at
        step = ObjectionStep(len(current.steps) + 1, action, actor, department, when, comment,
                             state)
        return (current, replace(current, steps=[*current.steps, step]),
                step_quads(store, NamedNode(current.iri), step), log)

    return submit(store, prepare)
