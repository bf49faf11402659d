"""The texts of an audit's findings: each failed shape's message and fix hint (zh, en), the
offending values shown as people read them (a code-list value in Chinese, an entity as
``kind:code（name）``), grouped into one :class:`Finding` per rule and focus node."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode, Store
from rdflib import Graph, Literal, URIRef

from graph.iris import code_of, kind_of
from shapes.audit_result import Finding
from shapes.results import RawResult, to_rdflib
from shapes.rules import SEVERITY_ORDER, SH, Rule
from shapes.working_copy import Entities

__all__ = ["concept_labels", "shape_texts", "findings"]


def concept_labels() -> dict[str, tuple[str, str]]:
    """Code-list concept IRI -> (zh value, en label)."""
    from ontology.codelists import SCHEMES
    from ontology.namespaces import code_iri

    return {code_iri(s.name, slug): (zh, en) for s in SCHEMES.values()
            for zh, slug, en in s.values}


def shape_texts(shapes: Graph, shape: str, rule: Rule) -> tuple[str, str, str, str]:
    """A shape's own message and fix hint (zh, en), else its rule's: a rule with several shapes
    (CAT-001 name / provider / sharing type) says which one failed."""
    from shapes.rules import YS, shape_text

    node = URIRef(shape)
    return (shape_text(shapes, node, SH.message, "zh") or rule.message_zh,
            shape_text(shapes, node, SH.message, "en") or rule.message_en,
            shape_text(shapes, node, YS.fixHint, "zh") or rule.fix_zh,
            shape_text(shapes, node, YS.fixHint, "en") or rule.fix_en)


def findings(raw: list[RawResult], rules: dict[str, Rule], shape_rule: dict[str, str],
              ents: Entities, work: Store, base: str, shapes: Graph) -> list[Finding]:
    labels = concept_labels()
    texts: dict[str, tuple[str, str, str, str]] = {}

    def show(term) -> str:
        s = str(term)
        if s in labels:
            return labels[s][0]
        if isinstance(term, URIRef):
            k = kind_of(s, base)
            if k:
                lab = ents.label.get(s)
                return f"{k}:{code_of(s, base)}" + (f"（{lab}）" if lab else "")
        if isinstance(term, Literal):
            return str(term.toPython()) if term.datatype is None else str(term)
        return s

    grouped: dict[tuple[str, str], list[RawResult]] = defaultdict(list)
    for r in raw:
        rid = shape_rule.get(str(r.shape))
        if rid is None:
            continue
        grouped[(rid, str(r.focus))].append(r)
    out = []
    for (rid, focus), rs in grouped.items():
        rule = rules[rid]
        values: list[str] = []
        for r in rs:
            if r.value is not None and str(r.value) != focus:
                values.append(show(r.value))
        if not values and rule.value_paths:
            for vp in rule.value_paths:
                for q in work.quads_for_pattern(NamedNode(focus), NamedNode(vp), None, None):
                    values.append(show(to_rdflib(q.object)))
        values = sorted(set(values))
        path = next((str(r.path) for r in rs if r.path is not None), None)
        shown = "、".join(values) if values else ""
        for shape in {str(r.shape) for r in rs} - texts.keys():
            texts[shape] = shape_texts(shapes, shape, rule)
        # the texts of the shapes that failed, in shape order, each text once
        parts = [texts[shape] for shape in sorted({str(r.shape) for r in rs})]
        msg_zh, msg_en, fix_zh, fix_en = (
            sep.join(dict.fromkeys(p[i] for p in parts))
            for i, sep in enumerate(("；", "; ", "；", " ")))
        dept = ents.dept.get(focus)
        out.append(Finding(
            rule=rid, severity=rule.severity, dimension=rule.dimension, focus=focus,
            kind=kind_of(focus, base) or ents.cls.get(focus, "entity").lower(),
            code=code_of(focus, base), label=ents.label.get(focus, ""),
            department=code_of(dept, base) if dept else None,
            department_name=ents.label.get(dept) if dept else None,
            message_zh=msg_zh.replace("{?value}", shown),
            message_en=msg_en.replace("{?value}", shown),
            fix_zh=fix_zh, fix_en=fix_en, values=values, path=path))
    out.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.department or "", f.rule, f.code))
    return out
