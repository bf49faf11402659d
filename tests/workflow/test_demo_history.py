"""The demo district's history of requests, replies and objections: loaded once, all or nothing,
KPIs and WFL findings as counted by hand on examples/demo-district/workflow_history.json, and
every other audit answer of the demo unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.store import CatalogStore
from graph.workflow_kpis import sharing_kpis
from loaders import load_path
from shapes.audit import audit
from yishu.config import DEMO_DIR
from yishu.demo_history import HistoryError, load_history

AS_OF = "2025-11-20"  # the demo's audit date (defects.json)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    plain = CatalogStore(tmp_path_factory.mktemp("plain") / "store")
    load_path(plain, DEMO_DIR, "demo-district")
    told = CatalogStore(tmp_path_factory.mktemp("told") / "store")
    load_path(told, DEMO_DIR, "demo-district")
    assert load_history(told, DEMO_DIR) == (8, 2)
    assert load_history(told, DEMO_DIR) is None  # not twice
    return plain, told


def test_kpis_of_the_demo_history(stores):
    _, told = stores
    k = sharing_kpis(told, dt.date.fromisoformat(AS_OF))
    got = {key: (v.numerator, v.denominator, v.pending) for key, v in k[None].items()}
    # 8 requests, 1 withdrawn: approved R-MZ-DB (45 s), R-SJ-SP (30 s), conditional R-CL-RK;
    # refused R-RS-CB (after 3 days); pending R-ZR-BDC, R-GA-JZ, R-YB-CB. Objections: one
    # corrected within its limit, one open.
    assert got == {"on_demand_sharing": (3, 7, 3), "satisfied_within_minute": (2, 7, 3),
                   "answered_within_day": (2, 7, 3), "objections_on_time": (1, 2, 1)}


def test_overdue_findings_and_every_other_answer_unchanged(stores):
    plain, told = stores
    before, after = audit(plain, as_of=AS_OF), audit(told, as_of=AS_OF)
    late = [f for f in after.findings if f.rule.startswith("WFL")]
    # R-ZR-BDC forwarded 11-03 (reply due 11-10), R-GA-JZ filed 11-13 (review due 11-17)
    assert sorted((f.rule, f.department) for f in late) == [("WFL-001", "YX-GA"),
                                                             ("WFL-001", "YX-ZR")]
    assert after.keys() - {(f.rule, f.focus_ref) for f in late} == before.keys()


def test_a_bad_history_is_refused_whole(tmp_path):
    store = CatalogStore()
    load_path(store, DEMO_DIR, "demo-district")
    data = json.loads((DEMO_DIR / "workflow_history.json").read_text(encoding="utf-8"))
    data["requests"][1]["steps"][1][0] = "SETTLE_APPROVE"  # not allowed when FORWARDED
    (tmp_path / "workflow_history.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(HistoryError) as e:
        load_history(store, tmp_path)
    assert "requests[1].steps" in str(e.value) and "FORWARDED" in str(e.value)
    assert not any(s.name == "workflow" for s in store.sources())
