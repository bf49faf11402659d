"""A bulletin built from cached audits is the bulletin of the uncached computation: the audit of
a catalog as of a date is kept per resolved versions (shapes.audit_cache), reused by the next
bulletin, and dropped by compaction."""

from __future__ import annotations

import datetime as dt

import pytest

from shapes.audit import audit
from shapes.audit_cache import audit_as_of
from shapes.bulletin import build, compare
from shapes.quarter import Quarter

from .catalogs import quarter_history

Q3 = Quarter(2026, 3)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return quarter_history(tmp_path_factory.mktemp("bulletin-cache"))


def test_cached_bulletin_equals_the_uncached_computation(store):
    before, now = store.as_of(Q3.previous().end_instant), store.as_of(Q3.end_instant)
    plain = compare(audit(before, as_of=Q3.previous().end), audit(now, as_of=Q3.end), Q3,
                    district="示范区")
    cold = build(before, now, Q3, district="示范区")
    warm = build(store.as_of(Q3.previous().end_instant), store.as_of(Q3.end_instant), Q3,
                 district="示范区", parallel=False)
    assert cold.as_dict() == plain.as_dict() == warm.as_dict()
    assert warm.movers() == {"up": ["D-MZ"], "down": ["D-GA", "D-JY"], "level": ["D-GOV"],
                             "new": [], "gone": []}
    # the next quarter's bulletin reuses the audit of the end of 2026Q3
    again = audit_as_of(store.as_of(Q3.end_instant), as_of=Q3.end)
    assert again is audit_as_of(now, as_of=Q3.end)
    # another audit day, other parameters or a hidden set are other results
    assert audit_as_of(now, as_of=Q3.end, pending_days=1) is not again
    hidden = {again.findings[0].focus}
    assert audit_as_of(now, as_of=Q3.end, hidden=hidden) is not again


def test_compaction_drops_the_kept_audits(tmp_path):
    s = quarter_history(tmp_path)
    first = audit_as_of(s.as_of(Q3.end_instant), as_of=Q3.end)
    assert audit_as_of(s.as_of(Q3.end_instant), as_of=Q3.end) is first
    s.compact(dt.date(2026, 7, 1))
    assert not s.audit_results
    after = audit_as_of(s.as_of(Q3.end_instant), as_of=Q3.end)
    assert after is not first
    assert compare(first, first, Q3).as_dict() == compare(after, after, Q3).as_dict()
