"""The demo district's short history of sharing applications, replies and data objections
(``examples/demo-district/workflow_history.json``), recorded through the store layer with its
past timestamps by ``yishu demo`` — so the KPIs and the WFL findings have something to show.

All or nothing: every case is checked first (departments and resources exist, every step is
allowed by its procedure, times never go back); only then is anything written. A store that
already records a workflow case keeps it: the history is not loaded twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from graph.iris import item_iri, mint
from graph.objection import OBJECTION_MACHINE, Category, ObjectionAction
from graph.store import CatalogStore
from graph.workflow import REQUEST_MACHINE, Action, Party
from graph.workflow_store import (
    LogEntry,
    act,
    act_on_objection,
    beijing,
    file_request,
    raise_objection,
)

__all__ = ["HISTORY_FILE", "load_history", "HistoryError"]

HISTORY_FILE = "workflow_history.json"
_ANY_CASE = """PREFIX ys: <https://w3id.org/yishu/def#>
ASK { ?c a ?k . FILTER (?k = ys:WorkflowRequest || ?k = ys:DataObjection) }"""
_EXISTS = {cls: f"PREFIX ys: <https://w3id.org/yishu/def#> SELECT ?s WHERE {{ ?s a ys:{cls} }}"
           for cls in ("Department", "DataResource")}


class HistoryError(ValueError):
    """A bad history file: where (JSON path) and what, zh / en."""


def _at(text: str, where: str) -> dt.datetime:
    try:
        return beijing(dt.datetime.fromisoformat(text))
    except (TypeError, ValueError):
        raise HistoryError(f"{where}: 时间无效 {text!r} / invalid instant {text!r}") from None


def _check(store: CatalogStore, data: dict, path: Path) -> None:
    def exists(kind: str, code: str, where: str) -> str:
        iri = mint(kind, code, store.base)
        cls = "Department" if kind == "department" else "DataResource"
        if not store.select(_EXISTS[cls], s=iri):
            raise HistoryError(f"{path}: {where}: 不存在 {kind}:{code} / no {kind} {code!r}")
        return iri

    exists("department", data["authority"], "authority")
    for i, r in enumerate(data.get("requests", [])):
        where = f"requests[{i}]"
        exists("resource", r["resource"], where + ".resource")
        exists("department", r["requester"], where + ".requester")
        last = _at(r["filed"], f"{path}: {where}.filed")
        actions = [(Action.FILE, "")]
        for j, (action, at, comment) in enumerate(r.get("steps", [])):
            t = _at(at, f"{path}: {where}.steps[{j}]")
            if t < last:
                raise HistoryError(f"{path}: {where}.steps[{j}]: 时间早于上一环节 / before the "
                                   "previous step")
            last = t
            try:
                actions.append((Action(action), comment))
            except ValueError:
                raise HistoryError(f"{path}: {where}.steps[{j}]: 未知动作 {action!r} / unknown "
                                   f"action {action!r}") from None
        try:
            REQUEST_MACHINE.replay(actions)
        except ValueError as e:
            raise HistoryError(f"{path}: {where}.steps: {e}") from None
    for i, o in enumerate(data.get("objections", [])):
        where = f"objections[{i}]"
        exists("resource", o["resource"], where + ".resource")
        exists("department", o["raiser"], where + ".raiser")
        _at(o["raised"], f"{path}: {where}.raised")
        try:
            Category(o["category"])
            OBJECTION_MACHINE.replay([(ObjectionAction.RAISE, "")] + [
                (ObjectionAction(a), c) for a, _, c in o.get("steps", [])])
        except ValueError as e:
            raise HistoryError(f"{path}: {where}: {e}") from None


def load_history(store: CatalogStore, folder: Path) -> tuple[int, int] | None:
    """Record the history in ``folder`` (if it has one and the store has no case yet);
    returns (requests, objections) recorded, or None when nothing was loaded."""
    path = Path(folder) / HISTORY_FILE
    if not path.exists() or bool(store.query(_ANY_CASE)):
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        _check(store, data, path)
    except KeyError as e:
        raise HistoryError(f"{path}: 缺少字段 {e} / missing field {e}") from None
    base = store.base
    authority = mint("department", data["authority"], base)

    def log(dept: str, at: dt.datetime, op: str, target: str, comment: str) -> LogEntry:
        return LogEntry("demo-history", dept, at, op, target, "ACCEPTED", comment)

    for r in data.get("requests", []):
        requester = mint("department", r["requester"], base)
        filed = _at(r["filed"], "")
        res = mint("resource", r["resource"], base)
        req = file_request(store, resource=res, requester=requester, actor="demo-history",
                           at=filed, items=r.get("items", ""), purpose=r.get("purpose", ""),
                           scenario=r.get("scenario", ""), legal_basis=r.get("legal_basis", ""),
                           system=r.get("system", ""), log=log(requester, filed, "FILE", res, ""))
        for action, at, comment in r.get("steps", []):
            party = REQUEST_MACHINE.who_acts(req.state, Action(action))
            dept = {Party.REQUESTER: requester, Party.AUTHORITY: authority,
                    Party.PROVIDER: req.provider}[party]
            t = _at(at, "")
            req = act(store, req, Action(action), actor="demo-history", department=dept, at=t,
                      comment=comment, log=log(dept, t, action, req.iri, comment))
    for o in data.get("objections", []):
        raiser = mint("department", o["raiser"], base)
        raised = _at(o["raised"], "")
        res = mint("resource", o["resource"], base)
        obj = raise_objection(store, resource=res, raiser=raiser, actor="demo-history",
                              at=raised, category=Category(o["category"]),
                              description=o["description"], evidence=o.get("evidence", ""),
                              item=item_iri(o["resource"], o["item"], base) if o.get("item")
                              else "",
                              log=log(raiser, raised, "RAISE_OBJECTION", res, ""))
        for action, at, comment in o.get("steps", []):
            t = _at(at, "")
            obj = act_on_objection(store, obj, ObjectionAction(action), actor="demo-history",
                                   department=obj.provider, at=t, comment=comment,
                                   log=log(obj.provider, t, f"OBJECTION_{action}", obj.iri,
                                           comment))
    return len(data.get("requests", [])), len(data.get("objections", []))
