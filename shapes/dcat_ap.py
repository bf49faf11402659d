"""DCAT-AP 3.0.1 conformance: the official shapes (shapes + range + recommended + deprecated, the
validator's "Full" profile) run with pyshacl over a DCAT-AP export, with a local closure of the
subclass axioms their ``sh:class`` checks need (offline, ``imports.ttl`` cannot be fetched)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

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


def validate_dcat_ap(data: bytes, fmt: str = "turtle") -> DcatApReport:
    """Validate a DCAT-AP document (Turtle, N-Triples, JSON-LD or RDF/XML bytes)."""
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
    for r in results.subjects(SH.resultSeverity, None):
        sev = str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = results.value(r, SH.resultPath)
        problems.append(Problem(sev, str(results.value(r, SH.focusNode)),
                                str(path) if path is not None else None,
                                str(results.value(r, SH.resultMessage) or "")))
    problems.sort(key=lambda p: ({"Violation": 0, "Warning": 1}.get(p.severity, 2), p.focus,
                                 p.path or ""))
    return DcatApReport(bool(conforms), problems)
