"""The audit engine: run the shapes over the catalog (or one department) and score it.

Two engines give the same findings (a test holds them to it):

- ``pyshacl``: the reference — pyshacl (SHACL Core + SHACL-SPARQL + SHACL-AF rules) over an
  rdflib Graph built from the store (N-Triples export → rdflib parse); for one department, over
  that department's slice (its entities plus everything their rules look at).
- ``fast`` (default): the same shapes graph evaluated on an in-memory Oxigraph copy of the
  store (:mod:`shapes.fast`) — each SPARQL constraint runs once, not once per focus node.

The result (:mod:`shapes.audit_result`) carries the standard SHACL validation report, one
:class:`Finding` per rule and focus node (with kind, code, label, department, messages, fix
hint, offending values — :mod:`shapes.finding_texts`), scores per department and overall
(:mod:`shapes.scores`) and the seed figures (:mod:`shapes.figures`). The working copy of the
catalog the shapes run on, and a department's slice, are :mod:`shapes.working_copy`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Collection

from pyoxigraph import Store
from rdflib import Graph, Literal, URIRef

from graph.iris import code_of
from shapes.audit_result import AuditResult, Finding
from shapes.fast import FastValidator
from shapes.figures import compute_figures
from shapes.finding_texts import findings
from shapes.results import RawResult, report_graph, results_from_report
from shapes.rules import SH, load_shapes, rule_catalogue
from shapes.scores import compute_scores
from shapes.working_copy import (
    Entities,
    department_slice,
    rdflib_graph,
    resolve_department,
    working_store,
)

__all__ = ["audit", "ENGINES", "AuditResult", "Finding"]

ENGINES = ("fast", "pyshacl")


# -- the audit ------------------------------------------------------------------------------
def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[Graph, list[RawResult]]:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                    allow_warnings=True, inplace=True)
    return report, results_from_report(report)


def audit(catalog, *, department: str | None = None, as_of: dt.date | str | None = None,
          engine: str = "fast", pending_days: int | None = None,
          max_maintenance_age_days: int | None = None,
          progress_factory: Callable[[int], Callable[[int], None]] | None = None,
          hidden: Collection[str] = ()) -> AuditResult:
    """Audit the catalog (a :class:`graph.store.CatalogStore`), or one department by code.
    ``progress_factory(total)`` gives an ``update(n)`` called as the audit's steps finish
    (copying the store, each shape, scoring). ``hidden``: entity IRIs audited as if deleted
    with every statement naming them (a role that may not see them: api.web.audits) — the
    findings, scores and figures are those of the catalog without them."""
    if engine not in ENGINES:
        raise ValueError(f"未知的审计引擎 {engine!r} / unknown engine {engine!r}: {ENGINES}")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    day = as_of if isinstance(as_of, dt.date) else (
        dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(dt.timezone(
            dt.timedelta(hours=8))).date())
    shapes = load_shapes(day, pending_days=pending_days,
                         max_maintenance_age_days=max_maintenance_age_days)
    rules = rule_catalogue(shapes)
    fast = FastValidator(shapes)
    steps = 2 + (fast.steps() if engine == "fast" else 1)
    tick = progress_factory(steps) if progress_factory is not None else None
    work = working_store(catalog, hidden=hidden)
    if tick is not None:
        tick(1)
    timings["copy"] = time.perf_counter() - t0
    base = catalog.base
    dept_iri = resolve_department(work, department, base) if department else None
    ents = Entities.load(work)
    timings["entities"] = time.perf_counter() - t0 - timings["copy"]

    t1 = time.perf_counter()
    if engine == "fast":
        raw = fast.validate(work, tick)  # also materialises the inferred lineage in ``work``
        report = None
    else:
        data = department_slice(work, dept_iri, ents) if dept_iri else rdflib_graph(work)
        timings["rdflib"] = time.perf_counter() - t1
        report, raw = _run_pyshacl(data, shapes)
        fast.infer(work)  # for focus-node counting below: apply the same rules to ``work``
        if tick is not None:
            tick(1)
    timings["validate"] = time.perf_counter() - t1
    timings.update({f"validate: {k}": v for k, v in fast.timings.items()})

    def in_scope(iri: str) -> bool:
        return dept_iri is None or ents.dept.get(iri) == dept_iri

    raw = [r for r in raw if in_scope(str(r.focus))]
    shape_rule = {s: rid for rid, r in rules.items() for s in r.shapes}
    messages: dict[str, list[Literal]] = {}
    for s in shape_rule:
        messages[s] = [m for m in shapes.objects(URIRef(s), SH.message)]
    if report is None or dept_iri is not None:
        report = report_graph(raw, messages)

    found = findings(raw, rules, shape_rule, ents, work, base, shapes)
    t2 = time.perf_counter()
    # focus nodes per rule (for the scores): union over the rule's shapes
    focus_by_rule: dict[str, set[str]] = defaultdict(set)
    for rid, r in rules.items():
        for s in r.shapes:
            focus_by_rule[rid] |= {str(n) for n in fast.focus_nodes(URIRef(s))
                                   if in_scope(str(n))}
    dept_codes = {iri: code_of(iri, base) for iri, c in ents.cls.items() if c == "Department"}
    scores = compute_scores(rules, found, focus_by_rule, ents.dept, dept_codes)
    figures_all = compute_figures(work)
    figures = {None if k is None else dept_codes.get(k, k): v for k, v in figures_all.items()
               if dept_iri is None or k == dept_iri}
    if dept_iri is not None:
        figures[None] = figures_all.get(dept_iri) or compute_figures(Store()).get(None)
        scores = {k: v for k, v in scores.items() if k in (None, department)}
    departments = {code_of(i, base): ents.label.get(i, "") for i in dept_codes
                   if dept_iri is None or i == dept_iri}
    timings["score"] = time.perf_counter() - t2
    if tick is not None:
        tick(1)
    return AuditResult(engine, day, department, rules, found, report, scores, figures,
                       dict(sorted(departments.items())), time.perf_counter() - t0, timings)


