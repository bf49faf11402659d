"""A hand-made history of sharing requests and objections on the small catalog
(tests/fixtures/small), across 国庆 2025 and its 调休 days: the fixture of the KPI tests
(tests/workflow/test_kpis.py), the overdue findings and the HTTP reads; its IRIs (BASE, the
departments MZ, GA, GOV, the resources HJ, DB) are those the workflow tests name."""

from __future__ import annotations

import datetime as dt

from graph.objection import Category, ObjectionAction
from graph.workflow import Action
from graph.workflow_store import act, act_on_objection, file_request, raise_objection

__all__ = ["BASE", "MZ", "GA", "GOV", "HJ", "DB", "t", "history"]

BASE = "https://data.yishu.example/"
MZ, GA, GOV = (BASE + f"department/{c}" for c in ("D-MZ", "D-GA", "D-GOV"))
HJ, DB = BASE + "resource/RES-HJ", BASE + "resource/RES-DB"  # provided by D-GA, D-MZ


def t(day: str, hms: str = "09:00:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hms}")  # Beijing time (naive = Beijing)


def history(store) -> None:
    """Requests: r1-r5 to D-GA, r6 to D-MZ; objections o1-o4 to D-GA (limit 5 working days)."""
    def request(res, who, filed, *steps):
        r = file_request(store, resource=res, requester=who, actor="clerk", at=filed)
        for action, dept, at, comment in steps:
            act(store, r, action, actor="x", department=dept, at=at, comment=comment)

    request(HJ, MZ, t("2025-09-29"), (Action.PASS, GOV, t("2025-09-29", "09:00:20"), ""),
            (Action.APPROVE, GA, t("2025-09-29", "09:00:50"), ""))  # r1: within a minute
    request(HJ, MZ, t("2025-09-29", "10:00:00"), (Action.PASS, GOV, t("2025-09-29", "10:30:00"), ""),
            (Action.REFUSE, GA, t("2025-09-29", "15:00:00"), "无依据"))  # r2: refused same day
    request(HJ, MZ, t("2025-09-30", "16:00:00"), (Action.PASS, GOV, t("2025-10-09"), ""),
            (Action.APPROVE_WITH_CONDITIONS, GA, t("2025-10-10", "11:00:00"), "仅限核验"))  # r3
    request(HJ, MZ, t("2025-09-30", "17:00:00"),
            (Action.WITHDRAW, MZ, t("2025-10-09"), ""))  # r4: withdrawn on 10-09
    request(HJ, MZ, t("2025-10-09"), (Action.PASS, GOV, t("2025-10-09", "10:00:00"), ""))  # r5
    request(DB, GA, t("2025-09-29", "11:00:00"), (Action.PASS, GOV, t("2025-09-29", "11:00:10"), ""),
            (Action.APPROVE, MZ, t("2025-09-29", "11:00:40"), ""))  # r6: within a minute

    def objection(raised, *steps):
        o = raise_objection(store, resource=HJ, raiser=MZ, actor="clerk", at=raised,
                            category=Category.INCONSISTENT, description="与民政数据不一致")
        for action, at, comment in steps:
            act_on_objection(store, o, action, actor="ga", department=GA, at=at, comment=comment)

    objection(t("2025-09-30", "10:00:00"), (ObjectionAction.CORRECT, t("2025-10-13"), "已更正"))
    # o2 raised Mon 09-29: due 09-30, 10-09, 10-10, 10-11 (Sat 调休), 10-13 -> rejected 10-14: late
    objection(t("2025-09-29", "10:00:00"), (ObjectionAction.VERIFY, t("2025-10-10"), ""),
              (ObjectionAction.REJECT, t("2025-10-14"), "数据无误"))
    objection(t("2025-10-09"))  # o3: pending
    o4 = raise_objection(store, resource=HJ, raiser=MZ, actor="clerk", at=t("2025-10-09"),
                         category=Category.INCOMPLETE, description="缺项")
    act_on_objection(store, o4, ObjectionAction.WITHDRAW, actor="mz", department=MZ,
                     at=t("2025-10-10"))
