"""The audit every door shows (pages, the dashboard and its downloads, REST ``/audit``, GraphQL
``audit``), computed over what the caller may see — the one place where the access policy meets
the audit (:func:`current`, :func:`dated`).

A role that may not see 涉密 entries gets the audit of the catalog *with those entries deleted*
(``shapes.audit.audit(hidden=…)``: every statement about or naming them left out of the audit's
copy), so its findings, counts, scores and figures are exactly those of the catalog without
them — not the whole catalog's scores with some findings filtered out, which would leak through
the numbers. A role that sees everything gets the audit of the whole catalog. Both are computed
in the background per store version (one at a time: at city scale one audit holds ~2.4 GiB) and
only for the kinds of caller that asked.

:func:`visible_findings` then masks personal values (names, phones) for a role that may not see
them, and — a second line, for a result of an older version shown while the next one is
computed — drops findings about entities hidden in the caller's version.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from fastapi import Request

from api.policy import PolicyGraph
from graph.iris import code_of, kind_of

__all__ = ["current", "dated", "visible_findings", "visible", "by_department", "Status"]

Status = dict[str, Any]
_lock = threading.Lock()
_MASK = "＊＊＊"
_KEEP_DATED = 4


def _version(store) -> tuple:
    return tuple(sorted(store.current_versions().items())) if store is not None else ()


def current(request: Request, policy: PolicyGraph, wait: float = 2.0
            ) -> tuple[Any | None, Status]:
    """(the latest audit result over what ``policy`` may see, or None; its status: state, done,
    total, finished_at).

    While there is no result at all for this kind of caller a page waits up to ``wait`` seconds
    for the first one (a district takes well under one); once there is one, pages show it at once
    (with the progress of the next)."""
    state = request.app.state
    restricted = bool(policy.hidden)
    service = getattr(state, "audits", None)
    if service is not None and not restricted:  # an audit service knows only the whole catalog
        return _from_service(service)
    store = state.store
    if store is None:
        return None, {"state": "unavailable", "done": 0, "total": 0}
    return _runner(request).current(restricted, wait)


def dated(request: Request, policy: PolicyGraph, as_of: dt.date) -> tuple[Any | None, Status]:
    """The audit as of another day over what ``policy`` may see (computed now, kept for the
    last few (version, day, hidden set) asked)."""
    store = request.app.state.store
    if store is None:
        return None, {"state": "unavailable"}
    return (_runner(request).dated(as_of, policy.deleted(store)),
            {"state": "done", "as_of": as_of.isoformat()})


def _runner(request: Request) -> _Runner:
    state = request.app.state
    runner = getattr(state, "web_audit", None)
    if runner is None:
        with _lock:
            runner = getattr(state, "web_audit", None) or _Runner(state.store,
                                                                   state.restrictions)
            state.web_audit = runner
    return runner


@dataclass
class _Done:
    version: tuple
    result: Any | None
    finished_at: str | None
    error: str | None = None


class _Runner:
    """The audits of one app: per kind of caller (``restricted``: may not see 涉密 entries) the
    latest result and the store version it was computed on; one audit at a time."""

    def __init__(self, store, restrictions):
        self.store = store
        self.restrictions = restrictions
        self.results: dict[bool, _Done] = {}
        self.wanted: set[bool] = set()
        self.running: threading.Thread | None = None
        self.done = 0
        self.total = 0
        self.runs = 0  # audits finished so far
        self.cond = threading.Condition()
        self._dated: OrderedDict[tuple, Any] = OrderedDict()
        self._dated_lock = threading.Lock()

    def _hidden(self, restricted: bool) -> frozenset[str]:
        """What a restricted caller's audit is computed without, in the version pinned in this
        context (empty when unrestricted): the hidden entities and what of the observed
        lineage goes with them (the same as api.policy.PolicyGraph.deleted)."""
        if not restricted:
            return frozenset()
        from graph.observed import deleted_with

        return deleted_with(self.store, self.restrictions.hidden())

    def _audit_one(self, restricted: bool) -> None:
        from shapes.audit import audit

        def factory(total: int):
            self.total, self.done = total, 0

            def tick(n: int) -> None:
                self.done += n

            return tick

        with self.store.pinned() as versions:  # one version for the whole audit
            version = tuple(sorted(versions.items()))
            with self.cond:
                have = self.results.get(restricted)
                if have is not None and have.version == version:
                    return
            same = False  # nothing is hidden in this version: one audit serves both kinds
            try:
                same = not self._hidden(True)
                full = self.results.get(False)
                if same and restricted and full is not None and full.version == version:
                    done = replace(full)
                else:
                    result = audit(self.store, progress_factory=factory,
                                   hidden=self._hidden(restricted))
                    done = _Done(version, result,
                                 dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
            except Exception as e:  # noqa: BLE001 - shown on the dashboard
                old = self.results.get(restricted)
                done = _Done(version, old.result if old else None,
                             old.finished_at if old else None, f"{type(e).__name__}: {e}")
        with self.cond:
            self.results[restricted] = done
            if same and done.error is None:
                self.results[not restricted] = done
            if done.error is None:
                self.runs += 1
            self.cond.notify_all()

    def _work(self) -> None:
        while True:
            with self.cond:
                if not self.wanted:
                    self.running = None
                    self.cond.notify_all()
                    return
                restricted = min(self.wanted)  # the whole catalog first: its result may serve both
                self.wanted.discard(restricted)
            self._audit_one(restricted)

    def current(self, restricted: bool, wait: float) -> tuple[Any | None, Status]:
        version = _version(self.store)
        with self.cond:
            have = self.results.get(restricted)
            if have is None or have.version != version:
                self.wanted.add(restricted)
                if self.running is None:
                    self.running = threading.Thread(target=self._work, name="yishu-web-audit",
                                                    daemon=True)
                    self.running.start()
            if wait > 0 and (have is None or have.result is None):
                self.cond.wait_for(lambda: (self.results.get(restricted) is not None
                                            or self.running is None), wait)
            have = self.results.get(restricted)
            state = "running" if self.running is not None else (
                "failed" if have is not None and have.error else "done")
            return (have.result if have else None,
                    {"state": state, "done": self.done, "total": self.total,
                     "finished_at": have.finished_at if have else None,
                     "error": have.error if have else None, "runs": self.runs})

    def dated(self, as_of: dt.date, hidden: frozenset[str]) -> Any:
        """The audit as of ``as_of`` of the version pinned by the caller, without ``hidden``."""
        from shapes.audit import audit

        key = (_version(self.store), as_of, hidden)
        with self._dated_lock:
            found = self._dated.get(key)
            if found is None:
                found = self._dated[key] = audit(self.store, as_of=as_of, hidden=hidden)
                while len(self._dated) > _KEEP_DATED:
                    self._dated.popitem(last=False)
            return found


def _from_service(service) -> tuple[Any | None, Status]:
    result = service.latest() if callable(getattr(service, "latest", None)) else None
    status = service.status() if callable(getattr(service, "status", None)) else {}
    return result, dict(status or {})


_seen: OrderedDict[int, tuple[Any, dict]] = OrderedDict()  # id -> (result, views per caller)
_seen_lock = threading.Lock()
_SEEN = 8


def _views(result) -> dict:
    with _seen_lock:
        got = _seen.get(id(result))
        if got is None or got[0] is not result:
            got = _seen[id(result)] = (result, {})
            while len(_seen) > _SEEN:
                _seen.popitem(last=False)
        return got[1]


def visible(policy: PolicyGraph, result) -> list:
    """``visible_findings`` of an audit result, computed once per result and kind of caller."""
    key = (policy.persons, policy.phones, policy.hidden)  # the hidden set of this store version
    per = _views(result)
    if key not in per:
        per[key] = visible_findings(policy, result.findings)
    return per[key]


def by_department(policy: PolicyGraph, result) -> dict[str | None, list]:
    """The visible findings of a result grouped by department code (cached like ``visible``)."""
    key = ("by-dept", policy.persons, policy.phones, policy.hidden)
    per = _views(result)
    if key not in per:
        groups: dict[str | None, list] = {}
        for f in visible(policy, result):
            groups.setdefault(f.department, []).append(f)
        per[key] = groups
    return per[key]


def visible_findings(policy: PolicyGraph, findings: list) -> list:
    """The findings this caller may see (see the module's docstring)."""
    hidden = policy.hidden
    base = policy.restrictions.base
    hidden_refs = [f"{kind_of(i, base)}:{code_of(i, base)}" for i in hidden]
    drop = set(policy.dropped_fields)
    out = []
    for f in findings:
        if f.focus in hidden:
            continue
        values, zh, en = list(f.values), f.message_zh, f.message_en
        personal = f.path is not None and f.path.rsplit("#", 1)[-1] in drop
        for v in f.values:
            if any(ref in v for ref in hidden_refs):
                values.remove(v)
                zh, en = zh.replace(v, _MASK), en.replace(v, _MASK)
        for ref in hidden_refs:
            zh, en = zh.replace(ref, _MASK), en.replace(ref, _MASK)
        if personal:
            for v in f.values:
                zh, en = zh.replace(v, _MASK), en.replace(v, _MASK)
            values = []
        if (values, zh, en) != (f.values, f.message_zh, f.message_en):
            f = replace(f, values=values, message_zh=zh, message_en=en)
        out.append(f)
    return out
