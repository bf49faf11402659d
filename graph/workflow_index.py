"""An in-memory, columnar index of the recorded workflow steps, for the KPIs as of any date.

The KPIs need, per case (sharing application or objection), its kind, providing department and
filing instant, the first instants it was satisfied / answered / handled / withdrawn, and, per
step, its instant and the state it led to. One SPARQL query folding the steps per case
(``workflow_kpi_cases.rq``; :func:`graph.workflow_kpis.sharing_kpis` with ``engine="sparql"``)
costs seconds at 100k steps on the on-disk store. This index reads the workflow source twice
(cases, then steps: two SELECTs serialised as TSV by Oxigraph, parsed line by line) and keeps
append-only columns (numpy arrays made on demand) that answer "as of" with a handful of
vectorised operations.

It is keyed by the workflow source's current version and triple count (the store registry's)
and remembers the last version record of the source it reflects. Writes through the store layer
extend it in place (:func:`note_write`); any other append — another process, a bulk import —
is read from the version records written since (each append's added triples are kept with its
record, :func:`graph.history.delta_triples`), so only those triples are parsed. It is rebuilt from
scratch only when the source's current version graph changed (a load replaced the workflow
source), or a record since removed triples or was compacted away.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Variable

from graph.history import delta_triples
from ontology.namespaces import YS, sparql_prefixes

__all__ = ["Columns", "with_columns", "note_write", "WORKFLOW_SOURCE", "STATE_CODES",
           "index_stats"]

T = TypeVar("T")
WORKFLOW_SOURCE = "workflow"
_QUERIES = Path(__file__).resolve().parent / "queries"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_KINDS = {YS + "WorkflowRequest": 0, YS + "DataObjection": 1}
_STEP = YS + "WorkflowStep"
# every state of both procedures gets a small code (the low 5 bits of a step's key)
STATE_CODES = {s: i for i, s in enumerate((
    "FILED", "RETURNED", "FORWARDED", "MORE_INFO", "APPROVED", "CONDITIONAL", "REFUSED",
    "COORDINATING", "CLOSED", "WITHDRAWN", "RAISED", "VERIFYING", "CORRECTED", "REJECTED"))}
_SATISFIED = {"APPROVED", "CONDITIONAL"}
_ANSWERS = {"APPROVE", "APPROVE_WITH_CONDITIONS", "REFUSE"}
_HANDLED = {"CORRECTED", "REJECTED"}
INF = math.inf


@dataclass
class Columns:
    """Cases and steps as parallel columns (instants as POSIX seconds; ``inf``: never)."""

    case_of: dict[str, int] = field(default_factory=dict)  # case IRI -> row
    providers: list[str] = field(default_factory=list)  # provider IRI per provider id
    provider_of: dict[str, int] = field(default_factory=dict)
    kind: list[int] = field(default_factory=list)  # 0 request, 1 objection
    provider: list[int] = field(default_factory=list)
    filed: list[float] = field(default_factory=list)
    filed_day: list[dt.date] = field(default_factory=list)  # Beijing date filed
    satisfied: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    handled: list[float] = field(default_factory=list)
    step_case: list[int] = field(default_factory=list)
    step_at: list[float] = field(default_factory=list)
    step_key: list[int] = field(default_factory=list)  # seq << 5 | state code
    _arrays: dict[str, np.ndarray] | None = None
    _built: tuple[int, int] = (0, 0)  # (cases, steps) the arrays hold
    _dirty: set[int] = field(default_factory=set)  # rows of built cases changed since

    def add_case(self, iri: str, kind: int, provider: str, filed: dt.datetime) -> None:
        if iri in self.case_of:
            return
        pid = self.provider_of.get(provider)
        if pid is None:
            pid = self.provider_of[provider] = len(self.providers)
            self.providers.append(provider)
        self.case_of[iri] = len(self.kind)
        self.kind.append(kind)
        self.provider.append(pid)
        self.filed.append(filed.timestamp())
        self.filed_day.append(filed.astimezone(_BEIJING).date())
        self.satisfied.append(INF)
        self.answered.append(INF)
        self.handled.append(INF)

    def add_step(self, case: str, seq: int, at: float, action: str, state: str) -> bool:
        row = self.case_of.get(case)
        if row is None:
            return False
        self.step_case.append(row)
        self.step_at.append(at)
        self.step_key.append(seq << 5 | STATE_CODES[state])
        before = (self.satisfied[row], self.answered[row], self.handled[row])
        if state in _SATISFIED and at < self.satisfied[row]:
            self.satisfied[row] = at
        if action in _ANSWERS and at < self.answered[row]:
            self.answered[row] = at
        if state in _HANDLED and at < self.handled[row]:
            self.handled[row] = at
        if row < self._built[0] and before != (self.satisfied[row], self.answered[row],
                                               self.handled[row]):
            self._dirty.add(row)
        return True

    _CASE_COLUMNS = (("kind", np.int8), ("provider", np.int64), ("filed", np.float64),
                     ("satisfied", np.float64), ("answered", np.float64),
                     ("handled", np.float64))
    _STEP_COLUMNS = (("step_case", np.int64), ("step_at", np.float64), ("step_key", np.int64))

    def arrays(self) -> dict[str, np.ndarray]:
        """The columns as numpy arrays. After writes only what they added is converted (and
        the rows of the cases they moved updated), not the whole history again."""
        n_cases, n_steps = len(self.kind), len(self.step_case)
        if self._arrays is not None and ((n_cases, n_steps) != self._built or self._dirty):
            a = self._arrays
            built_cases, built_steps = self._built
            for name, dtype in self._CASE_COLUMNS:
                tail = np.asarray(getattr(self, name)[built_cases:], dtype=dtype)
                a[name] = np.concatenate([a[name], tail])
            for name, dtype in self._STEP_COLUMNS:
                tail = np.asarray(getattr(self, name)[built_steps:], dtype=dtype)
                a[name] = np.concatenate([a[name], tail])
            for row in self._dirty:
                for name in ("satisfied", "answered", "handled"):
                    a[name][row] = getattr(self, name)[row]
            self._dirty.clear()
            self._built = (n_cases, n_steps)
        if self._arrays is None:
            self._built = (n_cases, n_steps)
            self._dirty.clear()
            self._arrays = {name: np.asarray(getattr(self, name), dtype=dtype)
                            for name, dtype in self._CASE_COLUMNS + self._STEP_COLUMNS}
        return self._arrays


_BEIJING = dt.timezone(dt.timedelta(hours=8))


@dataclass
class _Index:
    key: tuple[str, int] | None = None  # (current version graph, triple count) it reflects
    seq: int = 0  # the last version record of the workflow source it reflects
    columns: Columns = field(default_factory=Columns)
    lock: threading.Lock = field(default_factory=threading.Lock)
    builds: int = 0  # full builds (the tests read it)
    deltas: int = 0  # version records read as deltas


_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def _index_of(store) -> _Index:
    with _guard:
        idx = _indexes.get(store)
        if idx is None:
            idx = _indexes[store] = _Index()
        return idx


def _key(store) -> tuple[str, int] | None:
    for s in store.sources():
        if s.name == WORKFLOW_SOURCE:
            return (s.version, s.triples)
    return None


@lru_cache(maxsize=8)
def _query(name: str) -> str:
    return sparql_prefixes() + (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _tsv(store, name: str, version: str):
    """Rows of a SELECT over one graph, as lists of TSV cells (Oxigraph serialises)."""
    res = store.store.query(_query(name), default_graph=NamedNode(version))
    lines = res.serialize(format=QueryResultsFormat.TSV).decode("utf-8").split("\n")
    return (line.split("\t") for line in lines[1:] if line)


def _iri(cell: str) -> str:
    return cell[1:-1]


def _lit(cell: str) -> str:
    """The lexical form of a TSV literal cell (``"…"^^<…>`` or a bare number)."""
    if cell.startswith('"'):
        return cell[1:cell.rindex('"')]
    return cell


def _build(store, version: str) -> Columns:
    cols = Columns()
    for case, kind, provider, filed in _tsv(store, "workflow_index_cases", version):
        cols.add_case(_iri(case), _KINDS[_iri(kind)], _iri(provider),
                      dt.datetime.fromisoformat(_lit(filed)))
    for case, seq, at, action, state in _tsv(store, "workflow_index_steps", version):
        cols.add_step(_iri(case), int(_lit(seq)), dt.datetime.fromisoformat(_lit(at)).timestamp(),
                      _lit(action), _lit(state))
    return cols


def _apply(cols: Columns, quads) -> bool:
    """Add the cases and steps among ``quads`` (appended triples) to ``cols``; False when a step
    names a case the columns do not hold (then the index is rebuilt)."""
    by: dict[str, dict[str, str]] = {}
    for q in quads:
        p = q.predicate.value
        by.setdefault(q.subject.value, {})[
            "type" if p == _RDF_TYPE else p.removeprefix(YS)] = q.object.value
    for iri, d in by.items():
        kind = _KINDS.get(d.get("type", ""))
        if kind is not None:
            cols.add_case(iri, kind, d["providingDepartment"],
                          dt.datetime.fromisoformat(d["filedAt"]))
    for d in by.values():
        if d.get("type") == _STEP and not cols.add_step(
                d["ofRequest"], int(d["seq"]), dt.datetime.fromisoformat(d["at"]).timestamp(),
                d["action"], d["toState"]):
            return False
    return True


def _registry_terms(store) -> dict:
    return {Variable("registry"): store.registry,
            Variable("source"): NamedNode(store.graph_of(WORKFLOW_SOURCE))}


def _last_seq(store) -> int:
    """The last version record of the workflow source, as the store holds it (any process)."""
    for row in store.store.query(_query("workflow_index_last"),
                                 substitutions=_registry_terms(store)):
        if row["last"] is not None:
            return int(row["last"].value)
    return 0


def _own_seq(store) -> int:
    """The last version record of the workflow source this process wrote."""
    rec = store.log.latest().get(store.graph_of(WORKFLOW_SOURCE))
    return rec.info.seq if rec is not None else 0


def _catch_up(store, idx: _Index) -> bool:
    """Apply the appends recorded after ``idx.seq`` from their delta graphs; False when one of
    them cannot be applied that way (the index is then rebuilt)."""
    res = store.store.query(_query("workflow_index_deltas"), substitutions={
        **_registry_terms(store),
        Variable("after"): Literal(str(idx.seq), datatype=NamedNode(_XSD + "integer"))})
    for row in res:
        if row["op"].value != "append" or row["removed"] is not None \
                or row["compacted"] is not None:
            return False
        if row["added"] is not None:
            if not _apply(idx.columns, delta_triples(store.store, row["added"])):
                return False
        idx.seq = int(row["seq"].value)
        idx.deltas += 1
    return True


def with_columns(store, fn: Callable[[Columns], T]) -> T:
    """``fn`` of the current columns, under the index's lock (writers extend them in place;
    ``fn`` must not change them)."""
    idx = _index_of(store)
    with idx.lock:
        key = _key(store)
        if key != idx.key:
            if not (key and idx.key and key[0] == idx.key[0] and _catch_up(store, idx)):
                idx.seq = _last_seq(store)  # before reading: later appends are read again
                idx.columns = _build(store, key[0]) if key else Columns()
                idx.builds += 1
            idx.key = key
        return fn(idx.columns)


def index_stats(store) -> tuple[int, int]:
    """(full builds, version records read as deltas) of the store's index in this process."""
    idx = _index_of(store)
    return idx.builds, idx.deltas


def note_write(store, quads: list[Quad]) -> None:
    """Extend a current index with the quads just appended to the workflow source (called by
    the writer after the append, under its lock); anything unexpected leaves it to catch up
    from the version records on the next question."""
    idx = _index_of(store)
    with idx.lock:
        if idx.key is None:
            return
        key = _key(store)
        if key is None or key[0] != idx.key[0] or key[1] - len(quads) != idx.key[1]:
            return  # another writer too: the next question reads the records since idx.seq
        seq = _own_seq(store)
        if not _apply(idx.columns, quads):
            idx.key = None  # rebuild on the next question
            return
        idx.key, idx.seq = key, seq
