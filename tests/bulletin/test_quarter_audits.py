"""The bulletin's own path (shapes.bulletin_audits): catalogs as of a date that the audit takes
over (graph.asof_owned), the two audits in two processes or one after the other, and audits kept
on disk beside the store for the next process — always the bulletin of the plain computation."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from graph.asof_owned import kept_dir, owned_as_of_many, read_owned
from graph.store import CatalogStore
from shapes import audit_cache, bulletin_audits
from shapes.audit import audit
from shapes.bulletin import build, compare
from shapes.bulletin_audits import bulletin_of, quarter_audits
from shapes.quarter import Quarter

from .catalogs import quarter_history

Q3 = Quarter(2026, 3)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return quarter_history(tmp_path_factory.mktemp("quarter-audits"))


@pytest.fixture(scope="module")
def plain(store):
    """The plain computation: shared as-of stores, each audit copying its catalog."""
    before, now = store.as_of(Q3.previous().end_instant), store.as_of(Q3.end_instant)
    return compare(audit(before, as_of=Q3.previous().end), audit(now, as_of=Q3.end), Q3,
                   district="示范区")


def _forget(store) -> None:
    """What a fresh process has: nothing in memory, nothing on disk."""
    for cache in getattr(store, "history_caches", ()):
        cache.clear()
    if kept_dir(store).exists():
        for f in kept_dir(store).iterdir():
            f.unlink()


@pytest.mark.parametrize("processes", [True, False])
def test_owned_path_gives_the_plain_bulletin(store, plain, processes):
    _forget(store)
    b, qa = bulletin_of(store, Q3, district="示范区", processes=processes)
    assert b.as_dict() == plain.as_dict()
    assert qa.kept == (False, False) and qa.empty == (False, False)
    assert b.movers()["up"] == ["D-MZ"]
    # the district's name read from the catalog then, as build() reads it
    named = build(store.as_of(Q3.previous().end_instant), store.as_of(Q3.end_instant), Q3)
    _forget(store)
    assert bulletin_of(store, Q3, processes=processes)[0].district == named.district != ""


def test_an_owned_audit_equals_the_audit_of_the_shared_store(store):
    past = owned_as_of_many(store, [Q3.end_instant])[0]
    shared = store.as_of(Q3.end_instant)
    assert past.key == shared.key  # one catalog: the audits kept for one serve the other
    read_owned(store, [past])
    mine = audit(past, as_of=Q3.end).as_dict()
    theirs = audit(shared, as_of=Q3.end).as_dict()
    assert {**mine, "seconds": 0} == {**theirs, "seconds": 0}
    with pytest.raises(RuntimeError):  # handed over once; the shared store is untouched
        past.take()
    assert audit(shared, as_of=Q3.end).as_dict()["findings"] == theirs["findings"]


def test_kept_on_disk_for_the_next_process(tmp_path, plain):
    s = quarter_history(tmp_path)
    first, qa = bulletin_of(s, Q3, district="示范区")
    assert qa.kept == (False, False)
    s.close()
    again = CatalogStore(tmp_path / "store", read_only=True)  # another process's store object
    b, qa = bulletin_of(again, Q3, district="示范区")
    assert qa.kept == (True, True)
    assert b.as_dict() == first.as_dict() == plain.as_dict()
    assert quarter_audits(again, Q3).district == first.district  # kept too
    # the audit of the next quarter's "before" is this one's "now": one computed, one kept
    again.audit_results.clear()
    qa = quarter_audits(again, Quarter(2026, 4))
    assert qa.kept == (True, False)
    again.close()


def test_a_changed_rule_or_parameter_is_not_served_what_was_kept(tmp_path, monkeypatch):
    s = quarter_history(tmp_path)
    quarter_audits(s, Q3)
    s.audit_results.clear()
    assert quarter_audits(s, Q3).kept == (True, True)
    s.audit_results.clear()
    assert quarter_audits(s, Q3, pending_days=1).kept == (False, False)
    s.audit_results.clear()
    monkeypatch.setattr(audit_cache, "rules_hash", lambda: "another set of shapes")
    assert quarter_audits(s, Q3).kept == (False, False)


def test_compaction_clears_what_was_kept_on_disk(tmp_path):
    s = quarter_history(tmp_path)
    quarter_audits(s, Q3)
    assert any(kept_dir(s).glob("audit-*.pickle"))
    s.compact(dt.date(2026, 7, 1))
    assert not kept_dir(s).exists()
    assert quarter_audits(s, Q3).kept == (False, False)


def test_a_damaged_file_is_computed_again(tmp_path):
    s = quarter_history(tmp_path)
    quarter_audits(s, Q3)
    for f in kept_dir(s).glob("audit-*.pickle"):
        f.write_bytes(b"not a pickle")
    s.audit_results.clear()
    qa = quarter_audits(s, Q3)
    assert qa.kept == (False, False) and qa.before.findings


def test_an_error_in_the_child_is_raised_in_the_parent(tmp_path, monkeypatch):
    if not bulletin_audits.can_fork():
        pytest.skip("no fork here: the audits run one after the other")
    s = quarter_history(tmp_path)

    compute = bulletin_audits._compute

    def broken_before(past, day, pending_days):  # the earlier audit: the child's
        if day == Q3.previous().end:
            raise ValueError(f"broken audit of {day}")
        return compute(past, day, pending_days)

    monkeypatch.setattr(bulletin_audits, "_compute", broken_before)
    with pytest.raises(ValueError, match="broken audit of 2026-06-30"):
        quarter_audits(s, Q3)

    def broken_now(past, day, pending_days):  # the parent's: the child is not left behind
        if day == Q3.end:
            raise ValueError(f"broken audit of {day}")
        return compute(past, day, pending_days)

    abandon, left = bulletin_audits._abandon, []

    def abandoned(pid, out):
        abandon(pid, out)
        left.append((pid, os.path.exists(out)))

    monkeypatch.setattr(bulletin_audits, "_compute", broken_now)
    monkeypatch.setattr(bulletin_audits, "_abandon", abandoned)
    with pytest.raises(ValueError, match="broken audit of 2026-09-30"):
        quarter_audits(s, Q3)
    assert len(left) == 1 and left[0][1] is False  # the child stopped, its file gone
    with pytest.raises(ChildProcessError):
        os.waitpid(left[0][0], os.WNOHANG)  # and reaped


def test_without_fork_one_after_the_other(tmp_path, monkeypatch, plain):
    s = quarter_history(tmp_path)
    monkeypatch.setattr(bulletin_audits, "can_fork", lambda: False)
    b, qa = bulletin_of(s, Q3, district="示范区")
    assert b.as_dict() == plain.as_dict()


def test_a_child_that_dies_is_computed_here(tmp_path, monkeypatch, plain):
    if not bulletin_audits.can_fork():
        pytest.skip("no fork here: the audits run one after the other")
    s = quarter_history(tmp_path)
    compute, parent = bulletin_audits._compute, os.getpid()

    def dies_in_the_child(past, day, pending_days):
        if os.getpid() != parent:
            os._exit(3)  # killed, say, for want of memory: no answer
        return compute(past, day, pending_days)

    monkeypatch.setattr(bulletin_audits, "_compute", dies_in_the_child)
    b, qa = bulletin_of(s, Q3, district="示范区")
    assert b.as_dict() == plain.as_dict() and qa.kept == (False, False)
