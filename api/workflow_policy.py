"""Who may act on a sharing application or a data objection, and who may read the write log
(issue 13) — the one place these rules live.

- REQUESTER actions (file, resubmit, withdraw, escalate): a key whose department is the
  requesting department; a department files only in its own name.
- PROVIDER actions (approve, refuse, ask for more): a key whose department is the one the
  application is addressed to; a department never replies for another.
- AUTHORITY actions (符合性审查, 协调): a key of role ``governance`` or ``admin``.
- Every writer's key must belong to a department (recorded on each step).
- Data objections: the raiser acts as REQUESTER (raise, withdraw), the providing department of
  the resource as PROVIDER (verify, correct, reject).
- The write log is read by roles ``governance`` and ``admin`` only (:func:`may_read_log`).

Every attempt, accepted or denied, is written to the write log (source ``writelog``) by the
caller of :func:`check` (see :mod:`api.workflow_api`).
"""

from __future__ import annotations

from api.access import Role
from graph.workflow import Party

__all__ = ["Denied", "check", "may_read_log", "LOG_READERS"]


class Denied(PermissionError):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def check(party: Party, role: Role, department: str | None, requester: str, provider: str
          ) -> None:
    """Raise :class:`Denied` unless the caller (role, department IRI) may act as ``party``."""
    if department is None:
        raise Denied("此密钥不属于任何部门，不能办理共享申请",
                     "this key belongs to no department; it cannot act on applications")
    if party is Party.AUTHORITY:
        if role.name not in ("governance", "admin"):
            raise Denied("只有数据主管部门（governance 或 admin 角色）可以审查或协调",
                         "only the data authority (role governance or admin) may review or "
                         "coordinate")
        return
    own = requester if party is Party.REQUESTER else provider
    if department != own:
        what = ("申请部门", "requesting") if party is Party.REQUESTER else ("答复部门", "addressee")
        raise Denied(f"此密钥属于 {department}，不是该申请的{what[0]} {own}",
                     f"this key belongs to {department}, not to the application's {what[1]} "
                     f"department {own}")


LOG_READERS = ("governance", "admin")


def may_read_log(role: Role) -> tuple[str, str] | None:
    """None when ``role`` may read the write log (governance staff and admins), else the
    (zh, en) reason it may not."""
    if role.name in LOG_READERS:
        return None
    return ("只有数据治理人员（governance）或管理员（admin）可以查阅写操作日志",
            "only governance staff (role governance) or admins may read the write log")
