"""Labels of kinds and fields in zh and en, from one place.

``label(kind_or_field, lang)`` is the only entry point the pages use. Today it reads the
vocabulary's ``rdfs:label``s (ontology/yishu.ttl) for classes and properties, keyed by entity kind
(``resource``) or field name (``sharingType``, the predicate's local name as in
:class:`graph.model.Entity`); the template's column names (loaders/spec.py) fill any gap. The kinds and
their order come from the declaration (ontology/kinds.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from loaders.spec import FILES
from ontology.kinds import KIND_CODES

__all__ = ["label", "value_label", "KIND_ORDER"]

_TTL = Path(__file__).resolve().parents[2] / "ontology" / "yishu.ttl"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KIND_ORDER = KIND_CODES  # the declared order (ontology.kinds)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def _labels() -> dict[str, tuple[str, str]]:
    from pyoxigraph import RdfFormat, parse

    by_iri: dict[str, dict[str, str]] = {}
    for t in parse(path=str(_TTL), format=RdfFormat.TURTLE):
        if t.predicate.value == _RDFS_LABEL and getattr(t.object, "language", None):
            by_iri.setdefault(t.subject.value, {})[t.object.language] = t.object.value
    out: dict[str, tuple[str, str]] = {}
    for spec in FILES:  # template columns first, the vocabulary's labels win
        for c in spec.columns:
            if c.pred and c.kind not in ("key",):
                out.setdefault(_local(c.pred), (c.name.removesuffix("编码").removesuffix("代码"),
                                                c.en))
    for iri, langs in by_iri.items():
        if "zh" in langs and "en" in langs:
            out[_local(iri)] = (langs["zh"], langs["en"])
    for spec in FILES:
        names = by_iri.get(spec.cls, {})
        out[spec.kind] = (names.get("zh", spec.sheet), names.get("en", spec.en))
    out["code"] = out.pop("identifier", ("编码", "code"))
    out["label"] = ("名称", "name")
    return out


def label(kind_or_field: str, lang: str = "zh") -> str:
    """The zh or en label of an entity kind or a field; the name itself when unknown."""
    zh_en = _labels().get(kind_or_field)
    if zh_en is None:
        return kind_or_field
    if lang != "en":
        return zh_en[0]
    return zh_en[1][:1].upper() + zh_en[1][1:]


@cache
def _values() -> dict[tuple[str, str], str]:
    """(field name, Chinese value) -> English label, for every code-list field."""
    from graph.base import FIELDS
    from ontology.codelists import SCHEMES

    out: dict[tuple[str, str], str] = {}
    for specs in FIELDS.values():
        for fs in specs:
            if fs.cell == "enum" and fs.target in SCHEMES:
                for zh, _slug, en in SCHEMES[fs.target].values:
                    out[(fs.name, zh)] = en
    return out


def value_label(field: str, value: object, lang: str = "zh") -> str:
    """A code-list value as typed (Chinese), or its English label."""
    if value is None:
        return ""
    if lang == "en":
        return _values().get((field, str(value)), str(value))
    return str(value)
