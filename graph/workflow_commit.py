"""Group commit of the sharing procedure's writes (issue 13), and what the writer knows about
the cases it wrote.

Writes queue; whoever holds the writer lock commits every write queued by then in ONE store
transaction (the cases' quads and their write-log entries, :meth:`CatalogStore.append_many`),
each checked on its own against the case as it stands, so concurrent writers share a commit
instead of waiting for one each. A write announced as coming (:func:`coming_write`: the service
has begun it — the policy check, reading the case — but not queued it yet) is waited for, a
couple of milliseconds at most, before a batch is taken: the commit, not the checks, is what a
write costs, and several clients at once then share one. A lone writer never waits.

The cases this process wrote or read lately are kept (:func:`remember`, :func:`recent`). One of
them is known to be current without asking the store when every write to the workflow source
since it was confirmed was this process's own commit (:func:`confirmed`): the store's version
log (:attr:`CatalogStore.log`) keeps the source's newest version record in memory, and any
other writer in this process — a bulk append, a load, a compaction — replaces it (one on-disk
store has one writing process). Otherwise the writer counts the case's recorded steps.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from pyoxigraph import Quad

from graph.workflow_index import note_write
from graph.workflow_log_store import LOG_SOURCE
from graph.workflow_quads import log_quads

__all__ = ["WORKFLOW_SOURCE", "submit", "submit_log", "coming_write", "remember", "recent",
           "confirmed", "epoch",
           "WINDOW", "FLUSH_EVERY", "stats", "waiting"]

WORKFLOW_SOURCE = "workflow"
WINDOW = 0.002  # seconds a commit waits at most for writes announced as coming
FLUSH_EVERY = 1000  # commits between flushes of the appended writes (see _commit)
_RECENT_MAX = 10_000
_log = logging.getLogger(__name__)


class _Writer:
    """The write state of one store in this process."""

    def __init__(self):
        self.lock = threading.Lock()  # one committer at a time
        self.cond = threading.Condition(threading.Lock())  # guards queue and coming
        self.queue: list[_Job] = []
        self.coming = 0  # writes begun but not queued yet
        self.recent: OrderedDict[str, tuple[object, int]] = OrderedDict()  # IRI -> (case, epoch)
        self.epoch = 0  # bumped when another writer wrote the workflow source
        self.own = None  # the workflow source's newest version record after our last commit
        self.commits = 0
        self.waiting = False  # a committer waits for announced writes
        self.batches: dict[int, int] = {}  # jobs per commit -> commits (for the benchmark)


_writers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> _Writer
_guard = threading.Lock()


def _writer(store) -> _Writer:
    w = _writers.get(store)
    if w is None:
        with _guard:
            w = _writers.get(store)
            if w is None:
                w = _writers[store] = _Writer()
    return w


def waiting(store) -> bool:
    """True while a commit waits for writes announced as coming."""
    return _writer(store).waiting


def stats(store) -> dict[int, int]:
    """Jobs per commit -> how many commits, in this process (the benchmark prints it)."""
    return dict(_writer(store).batches)


# -- what the writer knows about cases -------------------------------------------------------
def _latest(store):
    return store.log.latest().get(store.graph_of(WORKFLOW_SOURCE))


def epoch(store) -> int:
    """The writer's epoch now: take it before reading a case to :func:`remember` it with."""
    return _writer(store).epoch


def remember(store, case, since: int | None = None) -> None:
    """Keep ``case`` as written now, or as read from the store (``since``: the :func:`epoch`
    taken before reading it — a write by another writer noticed meanwhile makes it suspect)."""
    w = _writer(store)
    with w.cond:
        w.recent[case.iri] = (case, w.epoch if since is None else since)
        w.recent.move_to_end(case.iri)
        while len(w.recent) > _RECENT_MAX:
            w.recent.popitem(last=False)


def recent(store, iri: str):
    """The case ``iri`` as this process last read or wrote it, or None."""
    got = _writer(store).recent.get(iri)
    return got[0] if got is not None else None


def confirmed(store, case) -> bool:
    """True when ``case`` is the one kept and nobody but this process's commits wrote the
    workflow source since it was kept (then its steps are all the recorded ones). Called by a
    committer (under the writer lock)."""
    w = _writer(store)
    got = w.recent.get(case.iri)
    return (got is not None and got[0] is case and got[1] == w.epoch
            and w.own is not None and _latest(store) is w.own)


# -- group commit ----------------------------------------------------------------------------
class _Job:
    """One write waiting for the next commit: ``prepare(pending)`` checks it against the
    cases as they stand (``pending``: IRI -> the case as an earlier job of the same batch
    left it) and answers (the case it moves, the case as moved — a copy —, its quads, its log
    entry), or raises. The case itself takes the new step only once it is stored."""

    def __init__(self, prepare: Callable):
        self.prepare = prepare
        self.done = False
        self.case = None
        self.error: BaseException | None = None

    def result(self):
        if self.error is not None:
            raise self.error
        return self.case


class _Coming:
    """A write announced and not submitted yet."""

    def __init__(self, store):
        self.store = store
        self.pending = True


_coming: ContextVar[_Coming | None] = ContextVar("yishu_coming_write", default=None)


@contextmanager
def coming_write(store):
    """Announce a write about to be submitted in this context (the REST face announces it
    before its worker thread starts, the service before its checks; a nested announcement of
    the same write counts once; the announcement follows the context into worker threads): a
    commit starting meanwhile waits for it (at most :data:`WINDOW`) to share the transaction.
    Leaving without submitting withdraws it."""
    outer = _coming.get()
    if outer is not None and outer.store is store and outer.pending:
        yield
        return
    w = _writer(store)
    mine = _Coming(store)
    with w.cond:
        w.coming += 1
    reset = _coming.set(mine)
    try:
        yield
    finally:
        _coming.reset(reset)
        with w.cond:
            if mine.pending:  # not submitted (refused before)
                mine.pending = False
                w.coming -= 1
                w.cond.notify_all()


def submit(store, prepare: Callable):
    """Queue the write, then take the writer lock; whoever holds it commits every write queued
    by then (after waiting briefly for writes announced as coming) in one transaction. Each
    write is checked on its own: one refused leaves the others of its batch alone."""
    w = _writer(store)
    job = _Job(prepare)
    mine = _coming.get()
    with w.cond:
        w.queue.append(job)
        if mine is not None and mine.store is store and mine.pending:  # announced: it came
            mine.pending = False
            w.coming -= 1
        w.cond.notify_all()
    with w.lock:
        if not job.done:  # else an earlier holder committed it with its batch
            with w.cond:
                deadline = time.monotonic() + WINDOW
                while w.coming > 0:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    w.waiting = True
                    w.cond.wait(left)
                w.waiting = False
                jobs, w.queue = w.queue, []
            _commit(store, w, jobs)
    return job.result()


def submit_log(store, entry) -> None:
    """Store a write-log entry on its own (a denied or refused attempt), queued like a write:
    appends to the log are serialised with the commits, and share one when they meet."""
    submit(store, lambda _pending: (None, None, [], entry))


def _commit(store, w: _Writer, jobs: list[_Job]) -> None:
    if w.own is not None and _latest(store) is not w.own:
        w.epoch += 1  # another writer wrote the workflow source: no case kept is confirmed
    pending: dict[str, object] = {}
    moved: list[tuple[object, object]] = []  # (case, the case as moved)
    quads: list[Quad] = []
    logs: list[Quad] = []
    ok: list[_Job] = []
    for job in jobs:
        try:
            case, after, q, log = job.prepare(pending)
        except Exception as e:  # noqa: BLE001 - handed to the job's own caller
            job.error = e
            continue
        if case is not None:  # (None: a write-log entry alone, :func:`submit_log`)
            pending[case.iri] = after
            moved.append((case, after))
            job.case = case
            quads += q
        if log is not None:
            logs += log_quads(store, log)
        ok.append(job)
    w.batches[len(jobs)] = w.batches.get(len(jobs), 0) + 1
    try:
        if ok:
            parts: dict[str, list[Quad]] = {}
            if quads:
                parts[WORKFLOW_SOURCE] = quads
            if logs:
                parts[LOG_SOURCE] = logs
            store.append_many(parts)  # all of the batch, or none of it
            if quads:
                w.own = _latest(store)
                note_write(store, quads)  # keep the KPI index warm
            for case, after in moved:
                case.steps[:] = after.steps  # type: ignore[attr-defined]
                remember(store, case)
            w.commits += 1
    except Exception as e:  # noqa: BLE001 - every write of the batch failed with it
        for job in ok:
            job.error = e
    finally:
        for job in jobs:
            job.done = True
    # Each append rewrites the sources' triple counts in the registry; until the appended
    # writes are flushed, every registry read steps over the counts written before, so a write
    # costs more with each write since the last flush (docs/workflow.md, Performance). The
    # appender flushes at most every 30 s; a busy writer flushes every FLUSH_EVERY commits.
    if ok and w.commits % FLUSH_EVERY == 0:
        try:
            store.flush_appends()
        except Exception:  # the batch is stored; the next flush (or append) will say why
            _log.warning("flushing the appended workflow writes failed", exc_info=True)
