"""Sharing requests and their steps stored in the graph, as the append-only source ``workflow``
(and the write log as source ``writelog``), through :meth:`CatalogStore.append` only — so every
write is a version of the store like any other.

A request's state is never stored as a mutable value: it is what replaying its recorded steps
gives (:func:`graph.workflow.replay`); each step also records the state it led to, for queries.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from graph.store import CatalogStore
from graph.workflow import WORKFLOW_KINDS, Action, State, TransitionError, next_state, replay
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["WORKFLOW_SOURCE", "LOG_SOURCE", "Step", "Request", "file_request", "act",
           "get_request", "log_write", "read_log", "request_iri", "all_steps", "LogEntry"]

WORKFLOW_SOURCE = "workflow"
LOG_SOURCE = "writelog"
_QUERIES = Path(__file__).resolve().parent / "queries"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CONDITIONAL = "https://w3id.org/yishu/code/SharingType/conditional"
_NOT_SHARED = "https://w3id.org/yishu/code/SharingType/not-shared"
_lock = threading.Lock()  # one writer of the workflow source at a time (read, replay, append)


@lru_cache(maxsize=8)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _ys(local: str) -> NamedNode:
    return NamedNode(YS + local)


def _cls(kind: str) -> NamedNode:
    return _ys(str(WORKFLOW_KINDS[kind]["class"]).removeprefix("ys:"))


def _mint(store: CatalogStore, kind: str) -> NamedNode:
    return NamedNode(f"{store.base}{WORKFLOW_KINDS[kind]['segment']}/{uuid.uuid4().hex}")


def request_iri(store: CatalogStore, ident: str) -> str:
    """A request's IRI from its IRI or its id (the last segment)."""
    if ident.startswith(("http://", "https://")):
        return ident
    return f"{store.base}{WORKFLOW_KINDS['wfrequest']['segment']}/{ident}"


def _time(at: dt.datetime) -> Literal:
    return Literal(at.isoformat(timespec="seconds"), datatype=NamedNode(_XSD + "dateTime"))


def _text(s: str) -> Literal:
    return Literal(s)


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
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def _parse_time(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def get_request(store: CatalogStore, iri: str) -> Request | None:
    rows = store.select(_query("workflow_request"), request=NamedNode(iri))
    if not rows:
        return None
    r = rows[0]
    req = Request(iri=iri, resource=str(r["resource"]), requester=str(r["requester"]),
                  provider=str(r["provider"]), conditional=r["conditional"] is True,
                  filed_at=_parse_time(r["filedAt"]), items=str(r["items"] or ""),
                  purpose=str(r["purpose"] or ""), scenario=str(r["scenario"] or ""),
                  legal_basis=str(r["legalBasis"] or ""), system=str(r["system"] or ""))
    for s in store.select(_query("workflow_steps"), request=NamedNode(iri)):
        req.steps.append(Step(seq=int(s["seq"]), action=Action(s["action"]),  # type: ignore[arg-type]
                              actor=str(s["actor"]), department=str(s["department"]),
                              at=_parse_time(s["at"]), comment=str(s["comment"] or ""),
                              state=State(s["toState"])))
    return req


def _step_quads(store: CatalogStore, request: NamedNode, step: Step) -> list[Quad]:
    node = _mint(store, "wfstep")
    q = [Quad(node, _RDF_TYPE, _cls("wfstep")), Quad(node, _ys("ofRequest"), request),
         Quad(node, _ys("seq"), Literal(str(step.seq), datatype=NamedNode(_XSD + "integer"))),
         Quad(node, _ys("action"), _text(step.action.value)),
         Quad(node, _ys("actor"), _text(step.actor)),
         Quad(node, _ys("actingDepartment"), NamedNode(step.department)),
         Quad(node, _ys("at"), _time(step.at)),
         Quad(node, _ys("toState"), _text(step.state.value))]
    if step.comment:
        q.append(Quad(node, _ys("comment"), _text(step.comment)))
    return q


def file_request(store: CatalogStore, *, resource: str, requester: str, actor: str,
                 at: dt.datetime, items: str = "", purpose: str = "", scenario: str = "",
                 legal_basis: str = "", system: str = "", comment: str = "") -> Request:
    """File a request for ``resource`` (IRI) in the name of department ``requester`` (IRI).
    Raises :class:`TransitionError` for an unknown or 不予共享 resource."""
    found = store.select(_query("workflow_resource"), resource=NamedNode(resource))
    if not found:
        raise TransitionError(f"数据资源不存在：{resource}", f"no such data resource: {resource}",
                              "NOT_FOUND")
    provider, sharing = found[0]["provider"], found[0]["sharingType"]
    if provider is None:
        raise TransitionError(f"数据资源没有提供方部门：{resource}",
                              f"the data resource names no providing department: {resource}",
                              "NO_PROVIDER")
    if sharing == _NOT_SHARED:
        raise TransitionError(f"数据资源为不予共享，不能申请：{resource}",
                              f"the data resource is not shared; no request can be filed: "
                              f"{resource}", "NOT_SHARED")
    conditional = sharing == _CONDITIONAL
    state = next_state(None, Action.FILE, comment, conditional)
    node = _mint(store, "wfrequest")
    req = Request(iri=node.value, resource=resource, requester=requester, provider=str(provider),
                  conditional=conditional, filed_at=at, items=items, purpose=purpose,
                  scenario=scenario, legal_basis=legal_basis, system=system)
    quads = [Quad(node, _RDF_TYPE, _cls("wfrequest")),
             Quad(node, _ys("resource"), NamedNode(resource)),
             Quad(node, _ys("requestingDepartment"), NamedNode(requester)),
             Quad(node, _ys("providingDepartment"), NamedNode(str(provider))),
             Quad(node, _ys("conditional"),
                  Literal("true" if conditional else "false",
                          datatype=NamedNode(_XSD + "boolean"))),
             Quad(node, _ys("filedAt"), _time(at))]
    for prop, value in (("items", items), ("purpose", purpose), ("scenario", scenario),
                        ("legalBasis", legal_basis), ("applicationSystem", system)):
        if value:
            quads.append(Quad(node, _ys(prop), _text(value)))
    step = Step(1, Action.FILE, actor, requester, at, comment, state)
    req.steps.append(step)
    with _lock:
        store.append(WORKFLOW_SOURCE, quads + _step_quads(store, node, step))
    return req


def act(store: CatalogStore, request: Request, action: Action, *, actor: str, department: str,
        at: dt.datetime, comment: str = "") -> Request:
    """Record ``action`` on ``request`` (as read by :func:`get_request`); raises
    :class:`TransitionError` when it is not allowed in the request's state. The state is
    re-read under the lock, so two callers racing on one request cannot both move it."""
    with _lock:
        current = get_request(store, request.iri) or request
        replay(((s.action, s.comment) for s in current.steps), current.conditional)
        state = next_state(current.state, action, comment, current.conditional)
        if current.steps and at < current.steps[-1].at:
            at = current.steps[-1].at  # steps never go back in time
        step = Step(len(current.steps) + 1, action, actor, department, at, comment, state)
        store.append(WORKFLOW_SOURCE, _step_quads(store, NamedNode(current.iri), step))
    current.steps.append(step)
    return current


@dataclass(frozen=True)
class LogEntry:
    actor: str
    department: str
    at: dt.datetime
    operation: str
    target: str
    outcome: str  # ACCEPTED | DENIED | REFUSED (illegal transition)
    comment: str


def log_write(store: CatalogStore, entry: LogEntry) -> None:
    """Append one entry to the write log (source ``writelog``)."""
    node = _mint(store, "writelog")
    q = [Quad(node, _RDF_TYPE, _cls("writelog")), Quad(node, _ys("actor"), _text(entry.actor)),
         Quad(node, _ys("at"), _time(entry.at)),
         Quad(node, _ys("operation"), _text(entry.operation)),
         Quad(node, _ys("outcome"), _text(entry.outcome))]
    if entry.department:
        q.append(Quad(node, _ys("actingDepartment"), NamedNode(entry.department)))
    if entry.target:
        q.append(Quad(node, _ys("target"), NamedNode(entry.target)))
    if entry.comment:
        q.append(Quad(node, _ys("comment"), _text(entry.comment)))
    store.append(LOG_SOURCE, q)


def read_log(store: CatalogStore, limit: int = 200) -> list[LogEntry]:
    out = []
    for r in store.select(_query("workflow_log"))[:limit]:
        out.append(LogEntry(actor=str(r["actor"]), department=str(r["department"] or ""),
                            at=_parse_time(r["at"]), operation=str(r["operation"]),
                            target=str(r["target"] or ""), outcome=str(r["outcome"]),
                            comment=str(r["comment"] or "")))
    return out


def all_steps(store: CatalogStore) -> list[dict[str, object]]:
    """Every recorded step with its request's parties (for KPIs and findings)."""
    return store.select(_query("workflow_all_steps"))
