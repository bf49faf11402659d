"""DCAT-AP 3.0.1 conformance: the official shapes (shapes + range + recommended + deprecated, the
validator's "Full" profile) run with pyshacl over a DCAT-AP export, with a local closure of the
subclass axioms their ``sh:class`` checks need (offline, ``imports.ttl`` cannot be fetched)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import Triple

__all__ = ["DcatApReport", "Problem", "validate_dcat_ap", "SHAPE_FILES"]

HERE = Path(__file__).resolve().parent / "dcat_ap_3_0_1"
SHAPE_FILES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl")
_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Problem:
    severity: str  # Violation, Warning, Info
    focus: str
    path: str | None
    message: str


@dataclass
class DcatApReport:
    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(p.severity for p in self.problems)
        return {s: c.get(s, 0) for s in ("Violation", "Warning", "Info")}

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]


@cache
def _shapes():
    from rdflib import Graph

    g = Graph()
    for f in SHAPE_FILES:
        g.parse(HERE / f, format="turtle")
    return g


@cache
def _closure():
    from rdflib import Graph

    return Graph().parse(HERE / "closure.ttl", format="turtle")


def validate_dcat_ap(data: bytes | Iterable[Triple], fmt: str = "turtle", *,
                     engine: str = "fast") -> DcatApReport:
    """Validate a DCAT-AP document (Turtle, N-Triples, JSON-LD or RDF/XML bytes) or a list of
    pyoxigraph triples. ``engine`` "fast" compiles the shapes once and evaluates them in
    Python (:mod:`shapes.dcat_fast`; falls back to pyshacl should a shape use what it does not
    implement); "pyshacl" runs pyshacl, the reference the tests hold the fast engine to."""
    if engine not in ("fast", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}; use fast or pyshacl")
    if engine == "fast":
        from shapes.dcat_fast import UnsupportedShape

        try:
            validator = _fast()
        except UnsupportedShape:
            validator = None
        if validator is not None:
            enabled = gc.isenabled()
            gc.disable()  # millions of small objects alive until the end: nothing to collect
            try:
                triples = _triples(data, fmt) if isinstance(data, bytes) else data
                return _report([Problem(r.severity, r.focus.value, r.path, r.message)
                                for r in validator.validate(triples)])
            finally:
                if enabled:
                    gc.enable()
    if not isinstance(data, bytes):
        from graph.store import serialize_triples

        data, fmt = serialize_triples(data, "ntriples"), "ntriples"
    return _pyshacl(data, fmt)


@cache
def _fast():
    from shapes.dcat_fast import FastDcatValidator

    return FastDcatValidator(_shapes(), _closure())


def _triples(data: bytes, fmt: str) -> list[Triple]:
    from pyoxigraph import RdfFormat, parse

    if fmt == "jsonld":  # through rdflib, as pyshacl reads it
        from rdflib import Graph

        data, fmt = Graph().parse(data=data, format="json-ld").serialize(
            format="nt", encoding="utf-8"), "ntriples"
    rdf_format = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES,
                  "rdfxml": RdfFormat.RDF_XML}[fmt]
    return [Triple(t.subject, t.predicate, t.object) for t in parse(data, rdf_format)]


def _report(problems: list[Problem]) -> DcatApReport:
    problems.sort(key=lambda p: ({"Violation": 0, "Warning": 1}.get(p.severity, 2), p.focus,
                                 p.path or ""))
    return DcatApReport(not any(p.severity == "Violation" for p in problems), problems)


def _pyshacl(data: bytes, fmt: str) -> DcatApReport:
    import pyshacl
    from rdflib import Graph, Namespace

    rdflib_fmt = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld",
                  "rdfxml": "xml"}[fmt]
    g = Graph().parse(data=data, format=rdflib_fmt)
    conforms, results, _text = pyshacl.validate(
        g, shacl_graph=_shapes(), ont_graph=_closure(), inference="none",
        allow_warnings=True, allow_infos=True, advanced=False)
    SH = Namespace(_SH)
    problems = []
    # the report's results (sh:result), not the nested ones pyshacl attaches as sh:detail
    for r in results.objects(None, SH.result):
        sev = str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = results.value(r, SH.resultPath)
        problems.append(Problem(sev, str(results.value(r, SH.focusNode)),
                                str(path) if path is not None else None,
                                str(results.value(r, SH.resultMessage) or "")))
    report = _report(problems)
    report.conforms = bool(conforms)
    return report
