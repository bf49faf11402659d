"""OpenLineage events (already valid) as triples of observed lineage.

Every node has an IRI made from what identifies it (a dataset from its namespace and name, a run
from its runId, an event from its content, a field derivation from its fields, job and
transformation), so the same event twice gives the same triples and events may arrive in any
order:

- datasets (``ys:PhysicalDataset``: namespace, name, ``ys:datasetKey`` "namespace|name"), their
  fields from the ``schema`` facet;
- jobs (``ys:Job``), runs (``ys:Run``, a ``prov:Activity``: runId, job, ``prov:startedAtTime`` from
  START, ``prov:endedAtTime`` from COMPLETE/FAIL/ABORT, ``prov:used`` inputs, ``prov:generated``
  outputs) and the events themselves (type, time, producer) — a run's state is its latest event's;
- from the ``columnLineage`` facet, one ``ys:FieldDerivation`` per (input field, output field,
  transformation) with type, subtype, masking and job, and ``prov:wasDerivedFrom`` between the
  fields; the facets of one dataset as one job reported them are a ``ys:LineageReport``
  (``ys:reportsOn`` the dataset, ``ys:reportsDerivation`` each derivation), and each event that
  reports them again adds only the report's ``ys:seenAt`` time and ``ys:seenInRun`` run — two
  triples per sighting, not two per column (a derivation was last seen when the latest report
  naming it was).

The observed flows of completed runs need what the store already holds of a run:
:mod:`loaders.openlineage_flows`.

A dataset's facets in an event of a job that ran before say again what the store holds
(fields, field derivations with their transformations: ≈300 of the ≈370 triples of an event
with 20 columns of columnLineage). A mapper given ``stored`` (facet blocks whose triples the
observed source's current version holds: :class:`loaders.openlineage_commit.KnownFacets`) maps
such a block to what is new in it — its report's run and time — and
names the block in :attr:`EventMapper.assumed`; the writer maps the events again in full should
that version no longer be the current one when they are stored.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from loaders.openlineage_validation import event_kind, parse_time
from ontology.namespaces import DCTERMS, PROV, RDF, RDFS, XSD, YS

__all__ = ["EventMapper", "Triple3", "FacetBlock", "dataset_iri", "dataset_key", "node_hash",
           "ys", "DERIVED", "USED", "GENERATED", "A"]

_TERMINAL = ("COMPLETE", "FAIL", "ABORT")
Triple3 = tuple[NamedNode, NamedNode, NamedNode | Literal]
# a facet block's datasets (IRIs) and its report (IRI; None when it reports no derivation):
# what its repeats need
FacetBlock = tuple[tuple[str, ...], str | None]


@lru_cache(maxsize=65536)
def _q(s: str) -> str:
    return quote(s, safe="")


def _h(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


_h_cached = lru_cache(maxsize=65536)(_h)  # a job's field derivations come back run after run


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


# what the flows of completed runs (loaders/openlineage_flows.py) write and read
A, DERIVED, USED, GENERATED = _A, _DERIVED, _USED, _GENERATED
ys, node_hash = _y, _h_cached


def _time(value: str) -> Literal:
    t = parse_time(value)
    if t is None:  # validated before; a safety check that holds under python -O
        raise ValueError(f"不是时间 / not a time: {value!r}")
    return Literal(t.isoformat(), datatype=_DATETIME)


class EventMapper:
    """The triples of a batch of valid events (as a set: the same fact twice is one triple)."""

    def __init__(self, base: str, stored: dict[bytes, FacetBlock] | None = None):
        self.base = base
        self.stored = stored or {}  # facet blocks already stored (see the module's docstring)
        self.version: str | None = None  # the observed source's version ``stored`` is about
        self.assumed: set[bytes] = set()  # blocks of ``stored`` mapped to their new triples only
        self.blocks: dict[bytes, FacetBlock] = {}  # blocks mapped in full
        self.events: list[dict] = []
        self._touched: list[NamedNode] = []  # datasets of the block being mapped
        self._derivations: list[NamedNode] = []  # its field derivations
        self.triples: set[tuple[NamedNode, NamedNode, NamedNode | Literal]] = set()
        self.runs: dict[NamedNode, NamedNode | None] = {}  # run -> job
        self.used: dict[NamedNode, set[NamedNode]] = {}
        self.generated: dict[NamedNode, set[NamedNode]] = {}
        self.completed: dict[NamedNode, set[Literal]] = {}
        self.datasets: set[NamedNode] = set()
        self._fields: dict[tuple[NamedNode, str], NamedNode] = {}

    def again(self) -> EventMapper:
        """The same events mapped in full (none of their facet blocks assumed stored)."""
        full = EventMapper(self.base)
        for ev in self.events:
            full.event(ev)
        return full

    def add(self, s, p, o) -> None:
        self.triples.add((s, p, o))

    def dataset(self, ds: dict) -> NamedNode:
        ns, name = ds["namespace"], ds["name"]
        node = _n(dataset_iri(ns, name, self.base))
        self._touched.append(node)
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
        self.events.append(ev)
        kind = event_kind(ev)
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
        mapped = [facets.get("schema"), facets.get("columnLineage")]  # what gives triples
        if mapped == [None, None]:
            return
        key = hashlib.blake2b(json.dumps(
            [ds.value, job.value if job is not None else None, mapped], sort_keys=True,
            ensure_ascii=False).encode(), digest_size=16).digest()
        block = self.stored.get(key)
        if block is not None:  # stored before: only its report's run and time
            self.assumed.add(key)
            self.datasets.update(_n(d) for d in block[0])
            if block[1] is not None:
                self.seen(_n(block[1]), run, when)
            return
        self._touched, self._derivations = [ds], []
        self._facets(ds, facets, job)
        report = None
        if self._derivations:
            report = _n(f"{self.base}lineage/report/{key.hex()}")
            self.add(report, _A, _y("LineageReport"))
            self.add(report, _y("reportsOn"), ds)
            for d in self._derivations:
                self.add(report, _y("reportsDerivation"), d)
            self.seen(report, run, when)
        self.blocks[key] = (tuple(dict.fromkeys(d.value for d in self._touched)),
                            report.value if report is not None else None)

    def seen(self, report: NamedNode, run: NamedNode | None, when: Literal) -> None:
        """A report seen again: when, and in which run."""
        self.add(report, _y("seenAt"), when)
        if run is not None:
            self.add(report, _y("seenInRun"), run)

    def _facets(self, ds: NamedNode, facets: dict, job: NamedNode | None) -> None:
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
                    self.derivation(in_f, out_f, job, t, spec.get("transformationDescription"))

    def derivation(self, in_f: NamedNode, out_f: NamedNode, job: NamedNode | None, t: dict,
                   old_desc: str | None) -> None:
        ttype, sub = t.get("type"), t.get("subtype")
        node = _n(f"{self.base}lineage/field-derivation/"
                  f"{_h_cached(in_f.value, out_f.value, job.value if job else None, ttype, sub)}")
        self._derivations.append(node)
        self.add(node, _A, _y("FieldDerivation"))
        self.add(node, _y("flowInput"), in_f)
        self.add(node, _y("flowOutput"), out_f)
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

    def schema_fields(self, ds: NamedNode, fields: list, parent: str) -> None:
        for f in fields:
            name = parent + f["name"]
            node = self.field(ds, name)
            if f.get("type"):
                self.add(node, _y("fieldType"), Literal(f["type"]))
            if f.get("description"):
                self.add(node, _DESC, Literal(f["description"]))
            self.schema_fields(ds, f.get("fields") or [], name + ".")
