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

__all__ = ["current", "visible_findings", "Status"]

Status = dict[str, Any]
_lock = threading.Lock()
_MASK = "＊＊＊"


def _version(store) -> tuple:
    return tuple(sorted(store.current_versions().items())) if store is not None else ()


def current(request: Request) -> tuple[Any | None, Status]:
    """(the latest audit result or None, its status: state, done, total, finished_at)."""
    state = request.app.state
    service = getattr(state, "audits", None)
    if service is not None:
        return _from_service(service)
    store = state.store
    if store is None:
        return None, {"state": "unavailable", "done": 0, "total": 0}
    version = _version(store)
    cached = getattr(state, "web_audit", None)
    if cached is None or cached[0] != version:
        with _lock:
            cached = getattr(state, "web_audit", None)
            if cached is None or cached[0] != version:
                import datetime as dt

                from shapes.audit import audit

                result = audit(store)
                finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                cached = state.web_audit = (version, result, finished)
    return cached[1], {"state": "done", "done": 1, "total": 1, "finished_at": cached[2]}


def _from_service(service) -> tuple[Any | None, Status]:
    result = service.latest() if callable(getattr(service, "latest", None)) else None
    status = service.status() if callable(getattr(service, "status", None)) else {}
    return result, dict(status or {})


def visible_findings(policy: PolicyGraph, findings: list) -> list:
    """The findings this caller may see (see the module's docstring)."""
    hidden = policy.hidden
    base = policy.restrictions.base
    hidden_refs = [f"{kind_of(i, base)}:{code_of(i, base)}" for i in hidden]
    drop = set(policy._drop)
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
