"""The figures departments are judged on, computed from the catalog (targets from the seeds).

- 按需共享率 on-demand sharing rate: requests 已批准 or 已交付 over requests not 已撤回 (≥ 95%).
- 分钟级需求满足率: requests answered within 60 s of filing over requests not 已撤回 (≥ 90%);
  the same within a day is shown beside it (no target).
- 接入率: non-涉密 systems 在用 connected to the sharing platform over non-涉密 systems 在用
  (应接尽接 "除涉密…以外", 100%).
- 上云率: non-涉密 systems 在用 on 政务云 or 上级部署 over non-涉密 systems 在用 (100%).
- 职责数据覆盖率: data elements needed by responsibilities that resolve to exactly one source
  (one authoritative item, in the designated department when one is designated) over the
  elements needed (100%). Per department: over the elements its responsibilities need.

Requests count for the department that provides the requested resource (it must answer);
systems for their owner; responsibilities for their implementer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.model import Share

__all__ = ["Figure", "FIGURES", "compute_figures", "resolved_elements", "QUERIES"]

QUERIES = Path(__file__).resolve().parent / "queries"
_CODE = "https://w3id.org/yishu/code/"
APPROVED = {_CODE + "RequestStatus/approved", _CODE + "RequestStatus/delivered"}
WITHDRAWN = _CODE + "RequestStatus/withdrawn"
IN_USE = _CODE + "SystemStatus/in-use"
CLOUD = {_CODE + "Deployment/gov-cloud", _CODE + "Deployment/higher-level"}

# key, zh, en, target (share, or None)
FIGURES: list[tuple[str, str, str, float | None]] = [
    ("on_demand_sharing", "按需共享率", "on-demand sharing rate", 0.95),
    ("answered_within_minute", "分钟级需求满足率", "answered within a minute", 0.90),
    ("answered_within_day", "一日内答复率", "answered within a day", None),
    ("platform_connection", "接入率（应接尽接）", "connected to the platform", 1.0),
    ("cloud_adoption", "上云率（非涉密系统）", "on the government cloud (non-classified)", 1.0),
    ("responsibility_coverage", "职责数据一数一源覆盖率", "needed elements with one source", 1.0),
]


@dataclass
class Figure(Share):
    key: str
    zh: str
    en: str
    numerator: int
    denominator: int
    target: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["value"] = self.value
        d["meets_target"] = self.meets_target
        return d


def _q(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def _rows(store, name: str):
    res = store.query(_q(name))
    names = [v.value for v in res.variables]
    for sol in res:
        yield {n: (sol[n].value if sol[n] is not None else None) for n in names}


def _instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def resolved_elements(store) -> tuple[set[str], set[str]]:
    """(all data elements, those that resolve to exactly one source)."""
    auth: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    designated: dict[str, str | None] = {}
    for r in _rows(store, "sources.rq"):
        designated[r["element"]] = r["designated"]
        if r["item"] is not None:
            auth[r["element"]].add((r["item"], r["provider"]))
    ok = set()
    for e, d in designated.items():
        items = {i for i, _ in auth[e]}
        if len(items) != 1:
            continue
        providers = {p for _, p in auth[e]}
        if d is None or all(p is None or p == d for p in providers):
            ok.add(e)
    return set(designated), ok


def compute_figures(store) -> dict[str | None, dict[str, Figure]]:
    """Figures per department IRI, and for the whole catalog under key ``None``."""
    counts: dict[str | None, dict[str, list[int]]] = defaultdict(
        lambda: {k: [0, 0] for k, *_ in FIGURES})

    def add(dept, key, hit: bool) -> None:
        for d in {None, dept}:
            c = counts[d][key]
            c[0] += int(hit)
            c[1] += 1

    for r in _rows(store, "requests.rq"):
        if r["status"] == WITHDRAWN:
            continue
        add(r["dept"], "on_demand_sharing", r["status"] in APPROVED)
        filed, answered = _instant(r["filed"]), _instant(r["answered"])
        delay = (answered - filed).total_seconds() if filed and answered else None
        add(r["dept"], "answered_within_minute", delay is not None and delay <= 60)
        add(r["dept"], "answered_within_day", delay is not None and delay <= 86400)
    for r in _rows(store, "systems.rq"):
        if r["status"] != IN_USE or r["classified"] == "true":
            continue  # 涉密 systems are exempt from 应接尽接 and from 上云
        add(r["dept"], "platform_connection", r["connected"] == "true")
        add(r["dept"], "cloud_adoption", r["deployment"] in CLOUD)
    _, ok = resolved_elements(store)
    needed: dict[str | None, set[str]] = defaultdict(set)
    for r in _rows(store, "needs.rq"):
        needed[None].add(r["element"])
        if r["dept"] is not None:
            needed[r["dept"]].add(r["element"])
    for d, elements in needed.items():
        counts[d]["responsibility_coverage"] = [len(elements & ok), len(elements)]
    counts[None]  # the catalog row exists even when empty
    out: dict[str | None, dict[str, Figure]] = {}
    for d, c in counts.items():
        out[d] = {k: Figure(k, zh, en, c[k][0], c[k][1], t) for k, zh, en, t in FIGURES}
    return out
