"""OpenLineage events (spec 2-0-2) as observed lineage in the store.

An event is validated against the spec's own JSON Schema (``openlineage_spec/``, unchanged copies
of the published files), the ``schema`` and ``columnLineage`` dataset facets against theirs; every
problem is reported with the JSON path where it is (``$.run.runId``), and a batch with any bad
event stores nothing.

What an event says is kept in the load source :data:`SOURCE` (its own named graph, so reloading a
department's template never touches it). That source only grows, and every node has an IRI made
from what identifies it (a dataset from its namespace and name, a run from its runId, an event
from its content), so the same event twice adds nothing and events may arrive in any order:

- datasets (``ys:PhysicalDataset``: namespace, name, ``ys:datasetKey`` "namespace|name"), their
  fields from the ``schema`` facet;
- jobs (``ys:Job``), runs (``ys:Run``, a ``prov:Activity``: runId, job, ``prov:startedAtTime`` from
  START, ``prov:endedAtTime`` from COMPLETE/FAIL/ABORT, ``prov:used`` inputs, ``prov:generated``
  outputs) and the events themselves (type, time, producer) — a run's state is its latest event's;
- for a run that COMPLETEd, one ``ys:ObservedFlow`` per (input, output) with the job and each
  time it was seen, and ``output prov:wasDerivedFrom input``;
- from the ``columnLineage`` facet, one ``ys:FieldDerivation`` per (input field, output field,
  transformation) with type, subtype, masking, job, run and time, and ``prov:wasDerivedFrom``
  between the fields.

A resource declares the datasets it is published as (template column 物理数据集,
``ys:physicalDataset`` "namespace|name"); a dataset that no resource declares stays in the store
as an unregistered dataset (:mod:`graph.observed` lists them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from pyoxigraph import Literal, NamedNode
from referencing import Registry, Resource

from graph.store import CatalogStore
from ontology.namespaces import DCTERMS, PROV, RDF, RDFS, XSD, YS

__all__ = ["SOURCE", "EventProblem", "EventError", "IngestReport", "ingest", "validate",
           "dataset_iri", "dataset_key", "SPEC_DIR"]

SOURCE = "openlineage"
SPEC_DIR = Path(__file__).resolve().parent / "openlineage_spec"
_OL = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
_FACETS = {
    "schema": "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json"
              "#/$defs/SchemaDatasetFacet",
    "columnLineage": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"
                     "#/$defs/ColumnLineageDatasetFacet",
}
_TERMINAL = ("COMPLETE", "FAIL", "ABORT")
_lock = threading.Lock()


# -- validation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventProblem:
    path: str  # JSON path, e.g. $.run.runId or $[3].eventTime in a batch
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "zh": self.zh, "en": self.en,
                "message": f"{self.path}: {self.zh} / {self.en}"}


class EventError(ValueError):
    """Events refused (nothing stored), with every problem found."""

    def __init__(self, problems: list[EventProblem]):
        super().__init__("; ".join(p.as_dict()["message"] for p in problems[:5]))
        self.problems = problems


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_RFC3339.match(value)) and _parse_time(value) is not None


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return len(value) == 36 and str(uuid.UUID(value)) == value.lower()


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def _parse_time(value: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for name in ("OpenLineage.json", "SchemaDatasetFacet.json", "ColumnLineageDatasetFacet.json"):
        schema = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=8)
def _validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": ref}, registry=_registry(), format_checker=_FORMATS)


def _path(parts: Iterable[object], prefix: str) -> str:
    out = prefix
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(p)):
            out += f".{p}"
        else:
            out += "[" + json.dumps(str(p), ensure_ascii=False) + "]"
    return out


def _short(value: object) -> str:
    s = json.dumps(value, ensure_ascii=False, default=str)
    return s if len(s) <= 80 else s[:77] + "…"


_TYPE_ZH = {"string": "字符串", "object": "对象", "array": "数组", "boolean": "布尔值",
            "integer": "整数", "number": "数字"}


def _problems(err: ValidationError, prefix: str) -> list[EventProblem]:
    """Leaf problems of one error (anyOf/oneOf errors give their branches' problems)."""
    if err.context:
        out: list[EventProblem] = []
        for sub in err.context:
            out += [p for p in _problems(sub, prefix) if p not in out]
        return out
    path = _path(err.absolute_path, prefix)
    v, want = err.validator, err.validator_value
    if v == "required":
        m = re.match(r"^'(.+)' is a required property$", err.message)
        name = m.group(1) if m else str(want)
        return [EventProblem(_path([name], path), "缺少必填字段",
                             "required property missing")]
    if v == "type":
        kinds = want if isinstance(want, list) else [want]
        zh = "或".join(_TYPE_ZH.get(k, k) for k in kinds)
        return [EventProblem(path, f"类型应为{zh}，实为 {_short(err.instance)}",
                             f"must be of type {' or '.join(kinds)}, got {_short(err.instance)}")]
    if v == "format":
        return [EventProblem(path, f"格式应为 {want}，实为 {_short(err.instance)}",
                             f"must be a {want}, got {_short(err.instance)}")]
    if v == "enum":
        allowed = "、".join(map(str, want))
        return [EventProblem(path, f"取值应为 {allowed} 之一，实为 {_short(err.instance)}",
                             f"must be one of {', '.join(map(str, want))}, got "
                             f"{_short(err.instance)}")]
    if v == "not":
        return [EventProblem(path, "含有此类事件不允许的字段（DatasetEvent 不含 job、run；JobEvent "
                             "不含 run）", "has a field this kind of event must not have "
                             "(a DatasetEvent has no job or run; a JobEvent no run)")]
    return [EventProblem(path, "不符合 OpenLineage 2-0-2 规范", err.message[:200])]


def _kind(event: dict) -> str:
    if "run" in event or "eventType" in event:
        return "RunEvent"
    if "dataset" in event:
        return "DatasetEvent"
    return "JobEvent"


def _dataset_places(event: dict) -> Iterable[tuple[list[object], dict]]:
    for key in ("inputs", "outputs"):
        for i, ds in enumerate(event.get(key) or []):
            if isinstance(ds, dict):
                yield [key, i], ds
    if isinstance(event.get("dataset"), dict):
        yield ["dataset"], event["dataset"]


def validate(event: object, prefix: str = "$", *, fast: bool = True) -> list[EventProblem]:
    """Every problem of one event (empty when it is a valid RunEvent, DatasetEvent or JobEvent
    of spec 2-0-2 whose ``schema`` and ``columnLineage`` facets follow their schemas).

    An event is first checked by the same schemas compiled once by ``jsonschema-rs`` (with the
    same three format checks); only when that finds a problem — or ``fast`` is False — does the
    full ``jsonschema`` validation run, which names every problem with its path. The fast check
    may be stricter (it checks formats the full one leaves alone), never laxer: an event it
    refuses gets exactly the full validation's answer."""
    if fast and isinstance(event, dict) and _fast_valid(event):
        return []
    if not isinstance(event, dict):
        return [EventProblem(prefix, f"事件应为 JSON 对象，实为 {_short(event)}",
                             f"an event must be a JSON object, got {_short(event)}")]
    problems: list[EventProblem] = []
    for err in _validator(f"{_OL}#/$defs/{_kind(event)}").iter_errors(event):
        problems += [p for p in _problems(err, prefix) if p not in problems]
    for where, ds in _dataset_places(event):
        facets = ds.get("facets")
        if not isinstance(facets, dict):
            continue
        for name, ref in _FACETS.items():
            if name in facets:
                at = _path([*where, "facets", name], prefix)
                found = [p for err in _validator(ref).iter_errors(facets[name])
                         for p in _problems(err, at)]
                problems += [p for p in found if p not in problems]
    return problems


def _checked(check):
    """A format check for jsonschema-rs: False where the jsonschema check raises."""
    def run(value: object) -> bool:
        try:
            return bool(check(value))
        except ValueError:
            return False
    return run


@lru_cache(maxsize=8)
def _fast_validator(ref: str):
    import jsonschema_rs

    resources = []
    for name in ("OpenLineage.json", "SchemaDatasetFacet.json", "ColumnLineageDatasetFacet.json"):
        schema = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
        resources.append((schema["$id"], schema))
    return jsonschema_rs.Draft202012Validator(
        {"$ref": ref}, registry=jsonschema_rs.Registry(resources), validate_formats=True,
        formats={"date-time": _checked(_is_datetime), "uuid": _checked(_is_uuid),
                 "uri": _checked(_is_uri)})


def _fast_valid(event: dict) -> bool:
    try:
        if not _fast_validator(f"{_OL}#/$defs/{_kind(event)}").is_valid(event):
            return False
        for _where, ds in _dataset_places(event):
            facets = ds.get("facets")
            if isinstance(facets, dict):
                for name, ref in _FACETS.items():
                    if name in facets and not _fast_validator(ref).is_valid(facets[name]):
                        return False
    except Exception:  # noqa: BLE001 - anything unexpected: the full validation decides
        return False
    return True


# -- mapping ------------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _q(s: str) -> str:
    return quote(s, safe="")


def _h(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def dataset_key(namespace: str, name: str) -> str:
    """How a template cell (物理数据集) names a dataset: ``namespace|name``."""
    return f"{namespace}|{name}"


def dataset_iri(namespace: str, name: str, base: str) -> str:
    return f"{base}lineage/dataset/{_q(namespace)}/{_q(name)}"


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


_A = _n(RDF + "type")
_LABEL = _n(RDFS + "label")
_DESC = _n(DCTERMS + "description")
_DERIVED = _n(PROV + "wasDerivedFrom")
_USED = _n(PROV + "used")
_GENERATED = _n(PROV + "generated")
_STARTED = _n(PROV + "startedAtTime")
_ENDED = _n(PROV + "endedAtTime")
_DATETIME = _n(XSD + "dateTime")
_BOOL = _n(XSD + "boolean")
_URI_T = _n(XSD + "anyURI")


@lru_cache(maxsize=256)
def _y(local: str) -> NamedNode:
    return _n(YS + local)


def _time(value: str) -> Literal:
    t = _parse_time(value)
    if t is None:  # validated before; a safety check that holds under python -O
        raise ValueError(f"不是时间 / not a time: {value!r}")
    return Literal(t.isoformat(), datatype=_DATETIME)


class _Mapper:
    """The triples of a batch of valid events (as a set: the same fact twice is one triple)."""

    def __init__(self, base: str):
        self.base = base
        self.triples: set[tuple[NamedNode, NamedNode, NamedNode | Literal]] = set()
        self.runs: dict[NamedNode, NamedNode | None] = {}  # run -> job
        self.used: dict[NamedNode, set[NamedNode]] = {}
        self.generated: dict[NamedNode, set[NamedNode]] = {}
        self.completed: dict[NamedNode, set[Literal]] = {}
        self.datasets: set[NamedNode] = set()
        self._fields: dict[tuple[NamedNode, str], NamedNode] = {}

    def add(self, s, p, o) -> None:
        self.triples.add((s, p, o))

    def dataset(self, ds: dict) -> NamedNode:
        ns, name = ds["namespace"], ds["name"]
        node = _n(dataset_iri(ns, name, self.base))
        if node not in self.datasets:
            self.datasets.add(node)
            self.add(node, _A, _y("PhysicalDataset"))
            self.add(node, _y("datasetNamespace"), Literal(ns))
            self.add(node, _y("datasetName"), Literal(name))
            self.add(node, _y("datasetKey"), Literal(dataset_key(ns, name)))
            self.add(node, _LABEL, Literal(name))
        return node

    def field(self, ds: NamedNode, name: str) -> NamedNode:
        f = self._fields.get((ds, name))
        if f is None:  # a field's three triples once per batch
            f = self._fields[ds, name] = _n(f"{ds.value}/field/{_q(name)}")
            self.add(ds, _y("hasField"), f)
            self.add(f, _A, _y("DatasetField"))
            self.add(f, _LABEL, Literal(name))
        return f

    def job(self, job: dict) -> NamedNode:
        node = _n(f"{self.base}lineage/job/{_q(job['namespace'])}/{_q(job['name'])}")
        self.add(node, _A, _y("Job"))
        self.add(node, _y("datasetNamespace"), Literal(job["namespace"]))
        self.add(node, _y("datasetName"), Literal(job["name"]))
        self.add(node, _LABEL, Literal(job["name"]))
        return node

    def event(self, ev: dict) -> None:
        kind = _kind(ev)
        canonical = json.dumps(ev, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        node = _n(f"{self.base}lineage/event/{_h(canonical)}")
        when = _time(ev["eventTime"])
        etype = ev.get("eventType") or ("DATASET" if kind == "DatasetEvent" else
                                        "JOB" if kind == "JobEvent" else "OTHER")
        self.add(node, _A, _y("LineageEvent"))
        self.add(node, _y("eventType"), Literal(etype))
        self.add(node, _y("eventTime"), when)
        self.add(node, _y("producer"), Literal(ev["producer"], datatype=_URI_T))
        job = self.job(ev["job"]) if isinstance(ev.get("job"), dict) else None
        if job is not None:
            self.add(node, _y("ofJob"), job)
        run = None
        if kind == "RunEvent":
            run_id = ev["run"]["runId"].lower()
            run = _n(f"{self.base}lineage/run/{_q(run_id)}")
            self.runs.setdefault(run, job)
            self.add(run, _A, _y("Run"))
            self.add(run, _y("runId"), Literal(run_id))
            self.add(node, _y("ofRun"), run)
            if job is not None:
                self.add(run, _y("ofJob"), job)
            if etype == "START":
                self.add(run, _STARTED, when)
            elif etype in _TERMINAL:
                self.add(run, _ENDED, when)
            if etype == "COMPLETE":
                self.completed.setdefault(run, set()).add(when)
        for key, rel in (("inputs", "in"), ("outputs", "out")):
            for ds in ev.get(key) or []:
                d = self.dataset(ds)
                if run is not None:
                    self.add(run, _USED if rel == "in" else _GENERATED, d)
                    (self.used if rel == "in" else self.generated).setdefault(run, set()).add(d)
                elif job is not None:
                    self.add(job, _y("jobInput" if rel == "in" else "jobOutput"), d)
                self.facets(d, ds.get("facets") or {}, job, run, when)
        if kind == "DatasetEvent":
            d = self.dataset(ev["dataset"])
            self.facets(d, ev["dataset"].get("facets") or {}, None, None, when)

    def facets(self, ds: NamedNode, facets: dict, job: NamedNode | None, run: NamedNode | None,
               when: Literal) -> None:
        schema = facets.get("schema")
        if isinstance(schema, dict) and not schema.get("_deleted"):
            self.schema_fields(ds, schema.get("fields") or [], "")
        lineage = facets.get("columnLineage")
        if not isinstance(lineage, dict) or lineage.get("_deleted"):
            return
        for out_name, spec in (lineage.get("fields") or {}).items():
            out_f = self.field(ds, out_name)
            for inp in spec.get("inputFields") or []:
                in_ds = self.dataset(inp)
                in_f = self.field(in_ds, inp["field"])
                self.add(out_f, _DERIVED, in_f)
                transformations = inp.get("transformations") or [{}]
                for t in transformations:
                    self.derivation(in_f, out_f, job, run, when, t,
                                    spec.get("transformationDescription"))

    def derivation(self, in_f: NamedNode, out_f: NamedNode, job: NamedNode | None,
                   run: NamedNode | None, when: Literal, t: dict, old_desc: str | None) -> None:
        ttype, sub = t.get("type"), t.get("subtype")
        node = _n(f"{self.base}lineage/field-derivation/"
                  f"{_h(in_f.value, out_f.value, job.value if job else None, ttype, sub)}")
        self.add(node, _A, _y("FieldDerivation"))
        self.add(node, _y("flowInput"), in_f)
        self.add(node, _y("flowOutput"), out_f)
        self.add(node, _y("seenAt"), when)
        if ttype:
            self.add(node, _y("transformationType"), Literal(ttype))
        if sub:
            self.add(node, _y("transformationSubtype"), Literal(sub))
        if "masking" in t:
            self.add(node, _y("masking"), Literal("true" if t["masking"] else "false",
                                                  datatype=_BOOL))
        desc = t.get("description") or old_desc
        if desc:
            self.add(node, _DESC, Literal(desc))
        if job is not None:
            self.add(node, _y("observedBy"), job)
        if run is not None:
            self.add(node, _y("seenInRun"), run)

    def schema_fields(self, ds: NamedNode, fields: list, parent: str) -> None:
        for f in fields:
            name = parent + f["name"]
            node = self.field(ds, name)
            if f.get("type"):
                self.add(node, _y("fieldType"), Literal(f["type"]))
            if f.get("description"):
                self.add(node, _DESC, Literal(f["description"]))
            self.schema_fields(ds, f.get("fields") or [], name + ".")

    def flows(self, store: CatalogStore, graph: NamedNode | None) -> None:
        """Observed flows of every run of the batch that completed (in this batch or before),
        from all its inputs and outputs (in this batch or before)."""
        for run, job in self.runs.items():
            done = set(self.completed.get(run, ()))
            used, generated = set(self.used.get(run, ())), set(self.generated.get(run, ()))
            if graph is not None:
                done |= _stored_completions(store, run, graph)
                used |= _objects(store, run, _USED, graph)
                generated |= _objects(store, run, _GENERATED, graph)
                if job is None:
                    job = next(iter(_objects(store, run, _y("ofJob"), graph)), None)
            if not done:
                continue
            for i in used:
                for o in generated:
                    if i == o:
                        continue
                    node = _n(f"{self.base}lineage/flow/"
                              f"{_h(i.value, o.value, job.value if job else None)}")
                    self.add(node, _A, _y("ObservedFlow"))
                    self.add(node, _y("flowInput"), i)
                    self.add(node, _y("flowOutput"), o)
                    self.add(node, _y("seenInRun"), run)
                    if job is not None:
                        self.add(node, _y("observedBy"), job)
                    for when in done:
                        self.add(node, _y("seenAt"), when)
                    self.add(o, _DERIVED, i)


def _objects(store: CatalogStore, s: NamedNode, p: NamedNode, g: NamedNode) -> set:
    return {q.object for q in store.match(s, p, None, graphs=[g])}


def _stored_completions(store: CatalogStore, run: NamedNode, g: NamedNode) -> set[Literal]:
    out = set()
    for q in store.match(None, _y("ofRun"), run, graphs=[g]):
        ev = q.subject
        if any(True for _ in store.match(ev, _y("eventType"), Literal("COMPLETE"), graphs=[g])):
            out |= {x.object for x in store.match(ev, _y("eventTime"), None, graphs=[g])}
    return out


# -- ingest -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IngestReport:
    events: int
    triples: int  # new triples stored (0 when every event was already known)
    datasets: int  # datasets the events named


def ingest(store: CatalogStore, events: list[object], *, batch: bool = False) -> IngestReport:
    """Validate and store ``events``: all or nothing. Raises :class:`EventError` naming every
    problem (paths ``$.…`` for one event, ``$[i].…`` in a batch)."""
    problems: list[EventProblem] = []
    for i, ev in enumerate(events):
        problems += validate(ev, f"$[{i}]" if batch else "$")
    if problems:
        raise EventError(problems)
    mapper = _Mapper(store.base)
    for ev in events:
        mapper.event(ev)  # type: ignore[arg-type]
    with _lock:
        graph = store.current_versions().get(store.graph_of(SOURCE))
        mapper.flows(store, NamedNode(graph) if graph else None)
        n = store.append(SOURCE, mapper.triples)
    return IngestReport(len(events), n, len(mapper.datasets))
