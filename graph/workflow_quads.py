"""The triples a case of the sharing procedure is stored as (issue 13): a sharing application
(``ys:WorkflowRequest``), a data objection (``ys:DataObjection``), their steps
(``ys:WorkflowStep``) and write-log entries (``ys:WriteLogEntry``); instants typed
``xsd:dateTime`` in Beijing time. Fresh nodes get fresh IRIs under the store's base."""

from __future__ import annotations

import datetime as dt
import uuid

from pyoxigraph import Literal, NamedNode, Quad

from graph.workflow import WORKFLOW_KINDS
from graph.workflow_model import LogEntry, Objection, Request, beijing
from ontology.namespaces import YS

__all__ = ["mint", "time_literal", "request_quads", "step_quads", "objection_quads",
           "log_quads"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _ys(local: str) -> NamedNode:
    return NamedNode(YS + local)


def _cls(kind: str) -> NamedNode:
    return _ys(str(WORKFLOW_KINDS[kind]["class"]).removeprefix("ys:"))


def mint(store, kind: str) -> NamedNode:
    """A fresh IRI for a case, step or log entry (``kind`` of ``WORKFLOW_KINDS``)."""
    return NamedNode(f"{store.base}{WORKFLOW_KINDS[kind]['segment']}/{uuid.uuid4().hex}")


def time_literal(at: dt.datetime) -> Literal:
    return Literal(beijing(at).isoformat(timespec="seconds"),
                   datatype=NamedNode(_XSD + "dateTime"))


def _text(s: str) -> Literal:
    return Literal(s)


def log_quads(store, entry: LogEntry) -> list[Quad]:
    node = mint(store, "writelog")
    q = [Quad(node, _RDF_TYPE, _cls("writelog")), Quad(node, _ys("actor"), _text(entry.actor)),
         Quad(node, _ys("at"), time_literal(entry.at)),
         Quad(node, _ys("operation"), _text(entry.operation)),
         Quad(node, _ys("outcome"), _text(entry.outcome))]
    if entry.department:
        q.append(Quad(node, _ys("actingDepartment"), NamedNode(entry.department)))
    if entry.target:
        q.append(Quad(node, _ys("target"), NamedNode(entry.target)))
    if entry.comment:
        q.append(Quad(node, _ys("comment"), _text(entry.comment)))
    return q


def step_quads(store, case: NamedNode, step) -> list[Quad]:
    """A step (:class:`~graph.workflow_model.Step` or ``ObjectionStep``) of ``case``."""
    node = mint(store, "wfstep")
    q = [Quad(node, _RDF_TYPE, _cls("wfstep")), Quad(node, _ys("ofRequest"), case),
         Quad(node, _ys("seq"), Literal(str(step.seq), datatype=NamedNode(_XSD + "integer"))),
         Quad(node, _ys("action"), _text(step.action.value)),
         Quad(node, _ys("actor"), _text(step.actor)),
         Quad(node, _ys("actingDepartment"), NamedNode(step.department)),
         Quad(node, _ys("at"), time_literal(step.at)),
         Quad(node, _ys("toState"), _text(step.state.value))]
    if step.comment:
        q.append(Quad(node, _ys("comment"), _text(step.comment)))
    return q


def request_quads(req: Request) -> list[Quad]:
    """The quads describing a request (not its steps: :func:`step_quads`)."""
    node = NamedNode(req.iri)
    quads = [Quad(node, _RDF_TYPE, _cls("wfrequest")),
             Quad(node, _ys("resource"), NamedNode(req.resource)),
             Quad(node, _ys("requestingDepartment"), NamedNode(req.requester)),
             Quad(node, _ys("providingDepartment"), NamedNode(req.provider)),
             Quad(node, _ys("conditional"),
                  Literal("true" if req.conditional else "false",
                          datatype=NamedNode(_XSD + "boolean"))),
             Quad(node, _ys("filedAt"), time_literal(req.filed_at))]
    for prop, value in (("items", req.items), ("purpose", req.purpose),
                        ("scenario", req.scenario), ("legalBasis", req.legal_basis),
                        ("applicationSystem", req.system)):
        if value:
            quads.append(Quad(node, _ys(prop), _text(value)))
    return quads


def objection_quads(obj: Objection) -> list[Quad]:
    """The quads describing an objection (not its steps)."""
    node = NamedNode(obj.iri)
    quads = [Quad(node, _RDF_TYPE, _cls("objection")),
             Quad(node, _ys("resource"), NamedNode(obj.resource)),
             Quad(node, _ys("requestingDepartment"), NamedNode(obj.raiser)),
             Quad(node, _ys("providingDepartment"), NamedNode(obj.provider)),
             Quad(node, _ys("objectionCategory"), _text(obj.category.value)),
             Quad(node, _ys("objectionDescription"), _text(obj.description)),
             Quad(node, _ys("filedAt"), time_literal(obj.raised_at))]
    if obj.item:
        quads.append(Quad(node, _ys("objectionItem"), NamedNode(obj.item)))
    if obj.evidence:
        quads.append(Quad(node, _ys("evidence"), _text(obj.evidence)))
    return quads
