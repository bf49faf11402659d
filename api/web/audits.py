"""The audit the pages show, behind one function (:func:`current`), and what of it a role may see.

The audit service (``app.state.audits``, computed in the background after each load and cached
per store version) answers when the app has one; otherwise the audit is computed here on first
use and cached per store version, so the pages work with any app.

:func:`visible_findings` applies the access policy to findings: a finding about a hidden entity
is absent, a hidden entity named in a message or in the offending values is removed, and
personal values (names, phones) are masked for a role that may not see them.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from fastapi import Request

from api.policy import PolicyGraph
from graph.iris import code_of, kind_of

__all__ = ["current", "visible_findings", "visible", "by_department", "Status"]

Status = dict[str, Any]
_lock = threading.Lock()
_MASK = "＊＊＊"


def _version(store) -> tuple:
    return tuple(sorted(store.current_versions().items())) if store is not None else ()


def current(request: Request, wait: float = 2.0) -> tuple[Any | None, Status]:
    """(the latest audit result or None, its status: state, done, total, finished_at).

    Without the audit service, the audit of the current store version runs here in a background
    thread. While there is no result at all a page waits up to ``wait`` seconds for the first one
    (a district takes well under one); once there is one, pages show it at once (with the
    progress of the next)."""
    state = request.app.state
    service = getattr(state, "audits", None)
    if service is not None:
        return _from_service(service)
    store = state.store
    if store is None:
        return None, {"state": "unavailable", "done": 0, "total": 0}
    runner = getattr(state, "web_audit", None)
    if runner is None:
        with _lock:
            runner = getattr(state, "web_audit", None) or _Runner(store)
            state.web_audit = runner
    return runner.current(wait)


class _Runner:
    """One audit at a time per app, for the store version it was started on."""

    def __init__(self, store):
        self.store = store
        self.result: Any | None = None
        self.version: tuple | None = None
        self.finished_at: str | None = None
        self.running: threading.Thread | None = None
        self.done = 0
        self.total = 0
        self.error: str | None = None
        self.runs = 0  # audits finished so far
        self.lock = threading.Lock()

    def _run(self, version: tuple) -> None:
        import datetime as dt

        from shapes.audit import audit

        def factory(total: int):
            self.total, self.done = total, 0

            def tick(n: int) -> None:
                self.done += n

            return tick

        try:
            result = audit(self.store, progress_factory=factory)
        except Exception as e:  # noqa: BLE001 - shown on the dashboard
            with self.lock:
                self.error, self.version, self.running = f"{type(e).__name__}: {e}", version, None
            return
        with self.lock:
            self.result, self.version, self.error, self.running = result, version, None, None
            self.runs += 1
            self.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def current(self, wait: float) -> tuple[Any | None, Status]:
        version = _version(self.store)
        with self.lock:
            thread = self.running
            if self.version != version and thread is None:
                thread = self.running = threading.Thread(target=self._run, args=(version,),
                                                         name="yishu-web-audit", daemon=True)
                thread.start()
        if thread is not None and wait > 0 and self.result is None:
            thread.join(wait)
        with self.lock:
            state = "running" if self.running is not None else (
                "failed" if self.error else "done")
            return self.result, {"state": state, "done": self.done, "total": self.total,
                                 "finished_at": self.finished_at, "error": self.error,
                                 "runs": self.runs}


def _from_service(service) -> tuple[Any | None, Status]:
    result = service.latest() if callable(getattr(service, "latest", None)) else None
    status = service.status() if callable(getattr(service, "status", None)) else {}
    return result, dict(status or {})


_seen: list = [None, {}]  # [the latest result asked about, its views per kind of caller]
_seen_lock = threading.Lock()


def _views(result) -> dict:
    with _seen_lock:
        if _seen[0] is not result:
            _seen[0], _seen[1] = result, {}
        return _seen[1]


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
