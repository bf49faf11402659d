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
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad

from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction, ObjectionState
from graph.store import CatalogStore
from graph.workflow import WORKFLOW_KINDS, Action, State, TransitionError, next_state, replay
from graph.workflow_index import note_write
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["WORKFLOW_SOURCE", "LOG_SOURCE", "Step", "Request", "file_request", "act",
           "get_request", "log_write", "read_log", "request_iri", "all_steps", "BEIJING",
           "beijing", "Objection", "ObjectionStep", "raise_objection", "act_on_objection",
           "get_objection", "objection_iri", "log_entries", "LogEntry", "request_quads",
           "step_quads", "recent_case"]

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


BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing(at: dt.datetime) -> dt.datetime:
    """``at`` in Beijing time (a naive time is taken as Beijing time): deadlines count working
    days on Beijing dates, and every stored instant carries its offset."""
    return at.replace(tzinfo=BEIJING) if at.tzinfo is None else at.astimezone(BEIJING)


def _time(at: dt.datetime) -> Literal:
    return Literal(beijing(at).isoformat(timespec="seconds"),
                   datatype=NamedNode(_XSD + "dateTime"))


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
    return beijing(dt.datetime.fromisoformat(str(value)))


_recent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> {IRI: case}
_RECENT_MAX = 10_000


def _remember(store: CatalogStore, case) -> None:
    cache = _recent.get(store)
    if cache is None:
        cache = _recent[store] = OrderedDict()
    cache[case.iri] = case
    cache.move_to_end(case.iri)
    while len(cache) > _RECENT_MAX:
        cache.popitem(last=False)


def recent_case(store: CatalogStore, iri: str, kind: type):
    """The request or objection ``iri`` as this process last wrote or read it, else read from
    the store. It may be behind another process's writes: :func:`act` and
    :func:`act_on_objection` re-check the recorded step count under the lock and re-read then."""
    case = (_recent.get(store) or {}).get(iri)
    if isinstance(case, kind):
        return case
    case = (get_request if kind is Request else get_objection)(store, iri)
    if case is not None:
        _remember(store, case)
    return case


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


@dataclass(frozen=True)
class LogEntry:
    actor: str
    department: str
    at: dt.datetime
    operation: str
    target: str
    outcome: str  # ACCEPTED | DENIED | REFUSED (illegal transition)
    comment: str


def _log_quads(store: CatalogStore, entry: LogEntry) -> list[Quad]:
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
    return q


def log_write(store: CatalogStore, entry: LogEntry) -> None:
    """Append one entry to the write log (source ``writelog``)."""
    store.append(LOG_SOURCE, _log_quads(store, entry))


def _write(store: CatalogStore, quads: list[Quad], log: LogEntry | None) -> None:
    """The case's quads and, when given, its write-log entry, in ONE transaction."""
    parts = {WORKFLOW_SOURCE: quads}
    if log is not None:
        parts[LOG_SOURCE] = _log_quads(store, log)
    store.append_many(parts)
    note_write(store, quads)  # keep the KPI index warm


def _steps_recorded(store: CatalogStore, iri: str) -> int:
    rows = store.select(_query("workflow_step_count"), request=NamedNode(iri))
    return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0


def step_quads(store: CatalogStore, request: NamedNode, step: Step) -> list[Quad]:
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


def request_quads(req: Request) -> list[Quad]:
    """The quads describing a request (not its steps: :func:`step_quads`)."""
    node = NamedNode(req.iri)
    quads = [Quad(node, _RDF_TYPE, _cls("wfrequest")),
             Quad(node, _ys("resource"), NamedNode(req.resource)),
             Quad(node, _ys("requestingDepartment"), NamedNode(req.requester)),
             Quad(node, _ys("providingDepartment"), NamedNode(req.provider)),
             Quad(node, _ys("conditional"),
                  Literal("true" if req.conditional else "false",
                          datatype=NamedNode(_XSD + "boolean"))),
             Quad(node, _ys("filedAt"), _time(req.filed_at))]
    for prop, value in (("items", req.items), ("purpose", req.purpose),
                        ("scenario", req.scenario), ("legalBasis", req.legal_basis),
                        ("applicationSystem", req.system)):
        if value:
            quads.append(Quad(node, _ys(prop), _text(value)))
    return quads


def file_request(store: CatalogStore, *, resource: str, requester: str, actor: str,
                 at: dt.datetime, items: str = "", purpose: str = "", scenario: str = "",
                 legal_basis: str = "", system: str = "", comment: str = "",
                 log: LogEntry | None = None) -> Request:
    """File a request for ``resource`` (IRI) in the name of department ``requester`` (IRI),
    with its write-log entry ``log`` in the same transaction. Raises :class:`TransitionError`
    for an unknown or 不予共享 resource."""
    at = beijing(at)
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
    quads = request_quads(req)
    step = Step(1, Action.FILE, actor, requester, at, comment, state)
    req.steps.append(step)
    with _lock:
        _write(store, quads + step_quads(store, node, step), log)
        _remember(store, req)
    return req


def act(store: CatalogStore, request: Request, action: Action, *, actor: str, department: str,
        at: dt.datetime, comment: str = "", log: LogEntry | None = None) -> Request:
    """Record ``action`` on ``request`` (as read by :func:`get_request`), with its write-log
    entry ``log`` in the same transaction; raises :class:`TransitionError` when it is not
    allowed in the request's state. Under the lock, the number of recorded steps is checked
    (one indexed count) and the request re-read only when another writer moved it since it was
    read, so two callers racing on one request cannot both move it."""
    at = beijing(at)
    with _lock:
        current = request
        if _steps_recorded(store, request.iri) != len(request.steps):
            current = get_request(store, request.iri) or request
        replay(((s.action, s.comment) for s in current.steps), current.conditional)
        state = next_state(current.state, action, comment, current.conditional)
        if current.steps and at < current.steps[-1].at:
            at = current.steps[-1].at  # steps never go back in time
        step = Step(len(current.steps) + 1, action, actor, department, at, comment, state)
        _write(store, step_quads(store, NamedNode(current.iri), step), log)
        current.steps.append(step)
        _remember(store, current)
    return current


# -- objections (数据异议) -------------------------------------------------------------------
def objection_iri(store: CatalogStore, ident: str) -> str:
    """An objection's IRI from its IRI or its id (the last segment)."""
    if ident.startswith(("http://", "https://")):
        return ident
    return f"{store.base}{WORKFLOW_KINDS['objection']['segment']}/{ident}"


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
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def get_objection(store: CatalogStore, iri: str) -> Objection | None:
    rows = store.select(_query("workflow_objection"), objection=NamedNode(iri))
    if not rows:
        return None
    r = rows[0]
    obj = Objection(iri=iri, resource=str(r["resource"]), raiser=str(r["raiser"]),
                    provider=str(r["provider"]), category=Category(str(r["category"])),
                    description=str(r["description"] or ""),
                    raised_at=_parse_time(r["filedAt"]), item=str(r["item"] or ""),
                    evidence=str(r["evidence"] or ""))
    for s in store.select(_query("workflow_steps"), request=NamedNode(iri)):
        obj.steps.append(ObjectionStep(
            seq=int(s["seq"]), action=ObjectionAction(s["action"]),  # type: ignore[arg-type]
            actor=str(s["actor"]), department=str(s["department"]), at=_parse_time(s["at"]),
            comment=str(s["comment"] or ""), state=ObjectionState(s["toState"])))
    return obj


def raise_objection(store: CatalogStore, *, resource: str, raiser: str, actor: str,
                    at: dt.datetime, category: Category, description: str, evidence: str = "",
                    item: str = "", log: LogEntry | None = None) -> Objection:
    """Raise an objection to ``resource`` (IRI), or to its ``item`` (IRI), in the name of
    department ``raiser`` (IRI). Raises :class:`TransitionError` for an unknown resource or
    item, or an empty description."""
    at = beijing(at)
    found = store.select(_query("workflow_resource"), resource=NamedNode(resource))
    if not found:
        raise TransitionError(f"数据资源不存在：{resource}", f"no such data resource: {resource}",
                              "NOT_FOUND")
    provider = found[0]["provider"]
    if provider is None:
        raise TransitionError(f"数据资源没有提供方部门：{resource}",
                              f"the data resource names no providing department: {resource}",
                              "NO_PROVIDER")
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
    node = _mint(store, "objection")
    obj = Objection(iri=node.value, resource=resource, raiser=raiser, provider=str(provider),
                    category=category, description=description, raised_at=at, item=item,
                    evidence=evidence)
    quads = [Quad(node, _RDF_TYPE, _cls("objection")),
             Quad(node, _ys("resource"), NamedNode(resource)),
             Quad(node, _ys("requestingDepartment"), NamedNode(raiser)),
             Quad(node, _ys("providingDepartment"), NamedNode(str(provider))),
             Quad(node, _ys("objectionCategory"), _text(category.value)),
             Quad(node, _ys("objectionDescription"), _text(description)),
             Quad(node, _ys("filedAt"), _time(at))]
    if item:
        quads.append(Quad(node, _ys("objectionItem"), NamedNode(item)))
    if evidence:
        quads.append(Quad(node, _ys("evidence"), _text(evidence)))
    step = ObjectionStep(1, ObjectionAction.RAISE, actor, raiser, at, "", state)
    obj.steps.append(step)
    with _lock:
        _write(store, quads + step_quads(store, node, step), log)  # type: ignore[arg-type]
        _remember(store, obj)
    return obj


def act_on_objection(store: CatalogStore, objection: Objection, action: ObjectionAction, *,
                     actor: str, department: str, at: dt.datetime,
                     comment: str = "", log: LogEntry | None = None) -> Objection:
    """Record ``action`` on ``objection``; raises :class:`TransitionError` when it is not
    allowed in its state (re-read under the lock, like :func:`act`)."""
    at = beijing(at)
    with _lock:
        current = objection
        if _steps_recorded(store, objection.iri) != len(objection.steps):
            current = get_objection(store, objection.iri) or objection
        state = OBJECTION_MACHINE.replay((s.action, s.comment) for s in current.steps)
        state = OBJECTION_MACHINE.next_state(state, action, comment)
        if current.steps and at < current.steps[-1].at:
            at = current.steps[-1].at
        step = ObjectionStep(len(current.steps) + 1, action, actor, department, at, comment,
                             state)
        _write(store, step_quads(store, NamedNode(current.iri), step), log)  # type: ignore[arg-type]
        current.steps.append(step)
        _remember(store, current)
    return current


def read_log(store: CatalogStore, limit: int = 200) -> list[LogEntry]:
    out = []
    for r in store.select(_query("workflow_log"))[:limit]:
        out.append(LogEntry(actor=str(r["actor"]), department=str(r["department"] or ""),
                            at=_parse_time(r["at"]), operation=str(r["operation"]),
                            target=str(r["target"] or ""), outcome=str(r["outcome"]),
                            comment=str(r["comment"] or "")))
    return out


def log_entries(store: CatalogStore, *, actor: str | None = None,
                department: str | None = None, operation: str | None = None,
                since: dt.datetime | None = None) -> list[LogEntry]:
    """The write log, oldest first, narrowed by actor, department IRI, operation and instant
    (each bound as a term in the query, never spliced)."""
    binds: dict[str, object] = {}
    if actor:
        binds["actor"] = Literal(actor)
    if department:
        binds["department"] = NamedNode(department)
    if operation:
        binds["operation"] = Literal(operation)
    if since is not None:
        binds["since"] = _time(since)
    return [LogEntry(actor=str(r["actor"]), department=str(r["department"] or ""),
                     at=_parse_time(r["at"]), operation=str(r["operation"]),
                     target=str(r["target"] or ""), outcome=str(r["outcome"]),
                     comment=str(r["comment"] or ""))
            for r in store.select(_query("workflow_log_page"), **binds)]


def all_steps(store: CatalogStore) -> list[dict[str, object]]:
    """Every recorded step with its request's parties (for KPIs and findings)."""
    return store.select(_query("workflow_all_steps"))
