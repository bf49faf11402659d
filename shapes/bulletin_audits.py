"""The two audits of a quarterly bulletin made from a store's history, on both cores (issue 14).

What ``yishu bulletin`` does, in one process that opened the store:

1. resolve the end of the previous quarter and of this one to the versions then in force
   (:func:`graph.asof_owned.owned_as_of_many`: the registry only);
2. take each audit that is kept (:mod:`shapes.audit_cache`: in memory, or on disk beside the
   store from an earlier process — the previous quarter's bulletin audited its quarter end);
3. for the others, read the catalog then from disk (each current graph once for both) into an
   :class:`graph.asof_owned.OwnedPast` that the audit takes over (no working copy);
4. with two to compute, fork a process for the earlier one and audit the later one here, so the
   two run on two cores (Oxigraph and the Python parts hold the GIL for much of an audit: two
   threads did not beat one after the other). The child only loads its triples from memory and
   audits them — it never touches the disk store — and hands back the pickled result through a
   file; it leaves with ``os._exit``. Where ``fork`` is not available (or ``processes=False``)
   they run one after the other here. Either way the results are the same (tests).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field

from graph.asof_owned import OwnedPast, owned_as_of_many, read_owned
from shapes.audit import audit
from shapes.audit_cache import keep, kept, kept_value
from shapes.quarter import Quarter

__all__ = ["QuarterAudits", "quarter_audits", "bulletin_of", "can_fork"]


@dataclass
class QuarterAudits:
    before: object  # AuditResult at the end of the previous quarter
    now: object  # AuditResult at the end of the quarter
    district: str  # the district's name in the catalog then ("" when none)
    empty: tuple[bool, bool]  # the catalog had no source then (before, now)
    kept: tuple[bool, bool]  # taken from what was kept (before, now)
    timings: dict[str, float] = field(default_factory=dict)


def can_fork() -> bool:
    return hasattr(os, "fork")


def _compute(past: OwnedPast, day, pending_days: int | None) -> tuple:
    """(audit, district name) of a past catalog: the name is read before the audit takes the
    store (it adds inferred triples)."""
    from shapes.bulletin import district_name

    name = kept_value(past, "district", district_name)
    return audit(past, as_of=day, pending_days=pending_days), name


def _fork(past: OwnedPast, day, pending_days: int | None) -> tuple[int, str]:
    """Start a child computing ``_compute(past, …)``; returns (pid, the file it writes)."""
    fd, out = tempfile.mkstemp(prefix="yishu-audit-", suffix=".pickle")
    os.close(fd)
    pid = os.fork()
    if pid == 0:  # the child: memory only, then out without running any finaliser (the
        code = 1  # parent's on-disk store must not be closed or flushed from here)
        try:
            value = ("ok", _compute(past, day, pending_days))
        except BaseException as e:  # noqa: BLE001 - handed to the parent, raised there
            value = ("error", e)
        try:
            try:
                data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:  # noqa: BLE001 - an exception that does not pickle
                data = pickle.dumps(("error", RuntimeError(f"{value[1]!r} ({e})")))
            with open(out, "wb") as f:
                f.write(data)
            code = 0
        finally:
            os._exit(code)
    return pid, out


def _join(pid: int, out: str) -> tuple | None:
    """The child's (audit, district), its exception raised here; None when it died without
    an answer (killed: the caller computes it here)."""
    _, status = os.waitpid(pid, 0)
    try:
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        with open(out, "rb") as f:
            kind, value = pickle.load(f)
    finally:
        os.unlink(out)
    if kind == "error":
        raise value
    return value


def _abandon(pid: int, out: str) -> None:
    import signal

    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if os.path.exists(out):
        os.unlink(out)


def quarter_audits(store, quarter: Quarter, *, pending_days: int | None = None,
                   processes: bool = True) -> QuarterAudits:
    """The audits at the end of the previous quarter and of ``quarter`` of the on-disk (or
    in-memory) ``store``'s history, each as of its quarter's last day."""
    t0 = time.perf_counter()
    pasts = owned_as_of_many(store, [quarter.previous().end_instant, quarter.end_instant])
    days = (quarter.previous().end, quarter.end)
    results: list = [kept(p, as_of=d, pending_days=pending_days)
                     for p, d in zip(pasts, days, strict=True)]
    names: list = [None, None]
    from_kept = tuple(r is not None for r in results)
    todo = [i for i, r in enumerate(results) if r is None]
    timings: dict[str, float] = {}
    child = None
    shared: dict = {}  # today's graphs, read once for both
    if len(todo) == 2 and processes and can_fork():
        read_owned(store, [pasts[todo[0]]], shared)
        child = (todo[0], *_fork(pasts[todo[0]], days[todo[0]], pending_days))  # it audits
        # while this process reads on
        pasts[todo[0]].drop()  # the child has its own copy of the triples
        todo = todo[1:]
    try:
        read_owned(store, [pasts[i] for i in todo], shared)
        shared.clear()
        timings["read"] = time.perf_counter() - t0
        for i in todo:
            results[i], names[i] = _compute(pasts[i], days[i], pending_days)
    except BaseException:
        if child is not None:  # nobody will want its answer
            _abandon(*child[1:])
        raise
    if child is not None:
        i = child[0]
        got = _join(*child[1:])
        if got is None:  # the child died (e.g. out of memory): computed here after all
            read_owned(store, [pasts[i]])
            got = _compute(pasts[i], days[i], pending_days)
        results[i], names[i] = got
    for i, p in enumerate(pasts):
        if not from_kept[i]:
            keep(p, results[i], as_of=days[i], pending_days=pending_days)
            kept_value(p, "district", lambda _p, n=names[i]: n)
    timings["audits"] = time.perf_counter() - t0
    district = (names[1] if names[1] is not None else _district(pasts[1], store)) or \
        (names[0] if names[0] is not None else _district(pasts[0], store))
    empty = tuple(p.empty for p in pasts)
    return QuarterAudits(results[0], results[1], district, empty, from_kept, timings)


def _district(past: OwnedPast, store) -> str:
    """The district's name of a past whose audit was kept: kept with it (or read)."""
    from shapes.bulletin import district_name

    def compute(p: OwnedPast) -> str:
        if not p.ready:
            read_owned(store, [p])
        return district_name(p)

    return kept_value(past, "district", compute)


def bulletin_of(store, quarter: Quarter, *, district: str | None = None,
                pending_days: int | None = None, processes: bool = True) -> tuple:
    """(the bulletin of ``quarter`` from ``store``'s history, its :class:`QuarterAudits`):
    :func:`quarter_audits`, then :func:`shapes.bulletin.compare`."""
    from shapes.bulletin import compare

    t0 = time.perf_counter()
    qa = quarter_audits(store, quarter, pending_days=pending_days, processes=processes)
    t1 = time.perf_counter()
    b = compare(qa.before, qa.now, quarter, district=district if district is not None
                else qa.district)
    b.timings = {**qa.timings, "compare": time.perf_counter() - t1}
    b.seconds = time.perf_counter() - t0
    return b, qa
