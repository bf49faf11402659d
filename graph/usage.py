"""Usage statistics of shared data (issue 13 step 4): who calls which resource, from which
system, for what, how often — as an exchange platform reports it, one record per resource,
consuming department, consuming system, scenario and day.

Records are stored as ``ys:UsageRecord`` in load sources of their own (one per imported file,
``usage-<name>`` by default) through :meth:`CatalogStore.replace_source`, so they are versioned
like everything else and importing the same file again changes nothing. The answers here are
plain aggregations over the records; the caller passes the IRIs its role may not see
(``hidden``) and every record touching one of them is left out, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from graph.store import CatalogStore
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["USAGE_KIND", "UsageRecord", "UsageRow", "UsageSummary", "Zombie", "record_iri",
           "store_usage", "known_entities", "records", "summarise", "usage_of",
           "usage_of_many", "last_called", "zombies", "has_usage", "last_usage_day", "MIN_DAY", "MAX_DAY"]

# ==== USAGE KIND — the one place declaring the kind this module adds (issue 13 step 4) =======
# Move into the schema declaration of issue 9 with WORKFLOW_KINDS. Fields are ys: properties.
USAGE_KIND: dict[str, object] = {
    "class": "ys:UsageRecord", "segment": "usage/record", "zh": "调用统计", "en": "usage record",
    "fields": ["usageOf", "consumerDepartment", "consumerSystem", "usageDate", "calls",
               "failures", "usageScenario"],
}
# ==== end of USAGE KIND =======================================================================

MIN_DAY = dt.date(1900, 1, 1)
MAX_DAY = dt.date(9999, 12, 31)
_QUERIES = Path(__file__).resolve().parent / "queries"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@lru_cache(maxsize=8)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _ys(local: str) -> NamedNode:
    return NamedNode(YS + local)


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=NamedNode(_XSD + "date"))


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=NamedNode(_XSD + "integer"))


@dataclass(frozen=True)
class UsageRecord:
    """One line of an exchange platform's statistics (IRIs for the catalog entities)."""
    resource: str
    department: str
    system: str | None
    day: dt.date
    calls: int
    failures: int = 0
    scenario: str = ""

    @property
    def key(self) -> tuple[str, str, str, dt.date, str]:
        return (self.resource, self.department, self.system or "", self.day, self.scenario)


def record_iri(base: str, source: str, rec: UsageRecord) -> str:
    """A stable IRI per (source, resource, department, system, day, scenario): the same file
    imported again mints the same IRIs."""
    key = "\x1f".join([source, rec.resource, rec.department, rec.system or "",
                       rec.day.isoformat(), rec.scenario])
    return f"{base}{USAGE_KIND['segment']}/{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _triples(base: str, source: str, recs: Iterable[UsageRecord]) -> Iterable[Triple]:
    cls = _ys(str(USAGE_KIND["class"]).removeprefix("ys:"))
    for r in recs:
        node = NamedNode(record_iri(base, source, r))
        yield Triple(node, _RDF_TYPE, cls)
        yield Triple(node, _ys("usageOf"), NamedNode(r.resource))
        yield Triple(node, _ys("consumerDepartment"), NamedNode(r.department))
        if r.system:
            yield Triple(node, _ys("consumerSystem"), NamedNode(r.system))
        yield Triple(node, _ys("usageDate"), _date(r.day))
        yield Triple(node, _ys("calls"), _int(r.calls))
        yield Triple(node, _ys("failures"), _int(r.failures))
        if r.scenario:
            yield Triple(node, _ys("usageScenario"), Literal(r.scenario))


def store_usage(store: CatalogStore, source: str, recs: list[UsageRecord]) -> int:
    """Replace load source ``source`` by these records, atomically; the triple count."""
    return store.replace_source(source, _triples(store.base, source, recs))


def known_entities(store: CatalogStore) -> dict[str, set[str]]:
    """IRIs of the resources, departments and systems in the catalog, by kind."""
    by_class = {YS + "DataResource": "resource", YS + "Department": "department",
                YS + "InformationSystem": "system"}
    out: dict[str, set[str]] = {k: set() for k in by_class.values()}
    for row in store.select(_query("usage_known")):
        out[by_class[str(row["class"])]].add(str(row["entity"]))
    return out


def has_usage(store: CatalogStore) -> bool:
    return bool(store.query(_query("usage_any")))


def last_usage_day(store: CatalogStore) -> dt.date | None:
    """The last day the imported usage statistics cover (None: none imported) — where "the
    last N days" ends for data that stops before today."""
    rows = store.select(_query("usage_last_day"))
    last = rows[0]["last"] if rows else None
    return dt.date.fromisoformat(str(last)) if last is not None else None


def records(store: CatalogStore, resource: str | None = None, start: dt.date | None = None,
            end: dt.date | None = None, hidden: frozenset[str] = frozenset()
            ) -> list[UsageRecord]:
    """The records of ``resource`` (IRI; all resources when None) dated ``start``..``end``
    (inclusive), without those touching a hidden IRI."""
    rows = store.select(_query("usage_records"),
                        resource=NamedNode(resource) if resource else None,
                        **{"from": _date(start or MIN_DAY), "to": _date(end or MAX_DAY)})
    out = []
    for r in rows:
        rec = UsageRecord(resource=str(r["resource"]), department=str(r["department"]),
                          system=str(r["system"]) if r["system"] else None,
                          day=dt.date.fromisoformat(str(r["day"])), calls=int(r["calls"]),  # type: ignore[arg-type]
                          failures=int(r["failures"]), scenario=str(r["scenario"] or ""))  # type: ignore[arg-type]
        if hidden and (rec.resource in hidden or rec.department in hidden
                       or (rec.system is not None and rec.system in hidden)):
            continue
        out.append(rec)
    return out


@dataclass(frozen=True)
class UsageRow:
    """Calls and failures summed over the records sharing one key."""
    key: str  # a department or system IRI, a scenario, or a day (ISO)
    calls: int
    failures: int
    days: int  # distinct days with a record


@dataclass
class UsageSummary:
    start: dt.date | None
    end: dt.date | None
    calls: int = 0
    failures: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    by_department: list[UsageRow] = field(default_factory=list)
    by_system: list[UsageRow] = field(default_factory=list)  # records without a system: key ""
    by_scenario: list[UsageRow] = field(default_factory=list)  # no scenario: key ""
    by_resource: list[UsageRow] = field(default_factory=list)


def _rows(recs: list[UsageRecord], key) -> list[UsageRow]:
    calls: dict[str, int] = defaultdict(int)
    fails: dict[str, int] = defaultdict(int)
    days: dict[str, set[dt.date]] = defaultdict(set)
    for r in recs:
        k = key(r)
        calls[k] += r.calls
        fails[k] += r.failures
        days[k].add(r.day)
    return sorted((UsageRow(k, calls[k], fails[k], len(days[k])) for k in calls),
                  key=lambda row: (-row.calls, row.key))


def summarise(recs: list[UsageRecord], start: dt.date | None = None,
              end: dt.date | None = None) -> UsageSummary:
    s = UsageSummary(start, end)
    if not recs:
        return s
    s.calls = sum(r.calls for r in recs)
    s.failures = sum(r.failures for r in recs)
    s.first_day = min(r.day for r in recs)
    s.last_day = max(r.day for r in recs)
    s.by_department = _rows(recs, lambda r: r.department)
    s.by_system = _rows(recs, lambda r: r.system or "")
    s.by_scenario = _rows(recs, lambda r: r.scenario)
    s.by_resource = _rows(recs, lambda r: r.resource)
    return s


def usage_of(store: CatalogStore, resource: str, start: dt.date | None = None,
             end: dt.date | None = None, hidden: frozenset[str] = frozenset()) -> UsageSummary:
    """Who uses ``resource``, how much and for what, over ``start``..``end``."""
    return summarise(records(store, resource, start, end, hidden), start, end)


def usage_of_many(store: CatalogStore, resources: Iterable[str], start: dt.date | None = None,
                  end: dt.date | None = None, hidden: frozenset[str] = frozenset()
                  ) -> UsageSummary:
    """Calls summed over several resources (a responsibility's: 应用成效)."""
    recs: list[UsageRecord] = []
    for res in sorted(set(resources)):
        recs.extend(records(store, res, start, end, hidden))
    return summarise(recs, start, end)


def last_called(store: CatalogStore, as_of: dt.date, hidden: frozenset[str] = frozenset()
                ) -> dict[str, dt.date]:
    """Resource IRI -> the last day on or before ``as_of`` it was called at least once (by a
    department and system the caller may see)."""
    last: dict[str, dt.date] = {}
    for r in records(store, None, MIN_DAY, as_of, hidden):
        if r.calls > 0 and r.day > last.get(r.resource, MIN_DAY):
            last[r.resource] = r.day
    return last


@dataclass(frozen=True)
class Zombie:
    resource: str
    provider: str | None
    last_called: dt.date | None  # None: never called (in the records on or before as-of)


def zombies(store: CatalogStore, as_of: dt.date, days: int,
            hidden: frozenset[str] = frozenset()) -> list[Zombie]:
    """Shared resources (any sharing type but 不予共享) no one called in the ``days`` days up
    to ``as_of`` (a call on ``as_of - days + 1`` or later keeps a resource alive). Empty when
    there are no usage records at all: without statistics nothing can be called a zombie.
    Calls by hidden departments or systems do not count for a caller who cannot see them."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if not has_usage(store):
        return []
    cutoff = as_of - dt.timedelta(days=days - 1)
    last = last_called(store, as_of, hidden)
    out = []
    for row in store.select(_query("usage_shared_resources")):
        res = str(row["resource"])
        if res in hidden:
            continue
        seen = last.get(res)
        if seen is None or seen < cutoff:
            out.append(Zombie(res, str(row["provider"]) if row["provider"] else None, seen))
    out.sort(key=lambda z: (z.last_called or MIN_DAY, z.resource))
    return out
