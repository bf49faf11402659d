"""Generate ``ontology/codelists.ttl`` (SKOS code lists) and ``ontology/context.jsonld``.

``python -m ontology.build`` rewrites both files; ``python -m ontology.build --check`` exits 1
when a committed file differs from what this module generates (the tests do the same check).

Sources: :mod:`ontology.codelists` (values, slugs, English labels), :mod:`loaders.spec` (which
template columns use each code list, and which columns are lists) and ``ontology/yishu.ttl``
(property kinds and ranges, for the JSON-LD context).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ontology.codelists import SCHEMES, Scheme
from ontology.namespaces import CODE, OWL, PREFIXES, XSD, YS, code_iri

__all__ = ["CODELISTS_TTL", "CONTEXT_JSONLD", "ONTOLOGY_TTL", "RANKED", "render_codelists",
           "render_context", "scheme_iri", "main"]

HERE = Path(__file__).resolve().parent
CODELISTS_TTL = HERE / "codelists.ttl"
CONTEXT_JSONLD = HERE / "context.jsonld"
ONTOLOGY_TTL = HERE / "yishu.ttl"

# Ordered code lists: ys:rank, larger = stricter.
RANKED: dict[str, dict[str, int]] = {
    "SensitivityLevel": {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4},
    "ProtectionLevel": {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4},
}

# What each code list is about (zh, en). Where it is used is added from loaders.spec.
SCHEME_DEFINITIONS: dict[str, tuple[str, str]] = {
    "AdminLevel": ("部门所在的行政层级，从国家级到村社区。",
                   "The administrative level of a department, from national to village."),
    "DepartmentType": ("部门或单位的机构类型。", "The kind of organisation a department or unit is."),
    "ResponsibilityType": ("权责清单中职责事项的类别（行政权力事项和公共服务事项）。",
                           "The category of an item of the list of powers and responsibilities "
                           "(administrative powers and public services)."),
    "UsageScope": ("信息系统的使用者范围。", "Who uses an information system."),
    "UsageFrequency": ("信息系统实际被使用的频度，“很少”是僵尸系统的信号之一。",
                       "How often an information system is actually used; rarely is one sign "
                       "of a zombie system."),
    "Funding": ("信息系统建设和运维经费的来源。",
                "Where the money to build and run an information system comes from."),
    "Deployment": ("信息系统的部署位置，用于统计上云率。",
                   "Where an information system runs, the basis of the cloud adoption rate."),
    "Network": ("信息系统所在的网络。涉密系统不得位于电子政务外网或互联网。",
                "The network an information system runs on. Classified systems never sit on the "
                "e-government extranet or the internet."),
    "ProtectionLevel": ("网络安全等级保护（等保）定级，一级至四级，越高越严格。",
                        "The classified-protection (MLPS) grade, level 1 to 4, higher being "
                        "stricter."),
    "SystemStatus": ("信息系统的运行状态。", "The life-cycle status of an information system."),
    "ResourceCategory": ("《政务信息资源目录编制指南》中的信息资源分类。",
                         "The information resource category of the national catalog guide."),
    "BaseDatabase": ("数据资源所属的基础数据库。", "The base database a data resource belongs to."),
    "Platform": ("各级政务数据共享交换平台。它们都运行在电子政务外网上，是非涉密平台。",
                 "The government data sharing-exchange platforms of each level. All run on the "
                 "e-government extranet and are not classified."),
    "SharingType": ("政务数据的共享类型：共享为原则，不共享为例外。",
                    "The sharing type of government data: sharing is the rule, not sharing the "
                    "exception."),
    "SharingMethod": ("数据共享或交换的技术方式。", "The technical way data is shared or exchanged."),
    "OpenType": ("公共数据向社会开放的类型。", "Whether and how public data is open to society."),
    "UpdateFrequency": ("数据更新或交换的周期。", "How often data is updated or exchanged."),
    "SensitivityLevel": ("数据分类分级中的敏感级别，一级（公开）至四级（最敏感）；ys:rank 给出顺序。",
                         "The data classification level, level 1 (public) to level 4 (most "
                         "sensitive); ys:rank gives the order."),
    "DataType": ("信息项的数据类型。", "The data type of an information item."),
    "RequestStatus": ("供需对接中共享申请的处理状态。",
                      "The processing status of a sharing request on the supply-demand list."),
}

# Concepts whose meaning deserves more than their label (zh, en).
CONCEPT_DEFINITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("SharingType", "unconditional"): ("可提供给所有政务部门共享使用的政务数据。",
                                       "Government data that may be shared with every government "
                                       "department."),
    ("SharingType", "conditional"): ("可提供给相关政务部门共享使用，或仅部分内容可共享的政务数据；须写明共享条件。",
                                     "Government data that may be shared with the departments "
                                     "concerned, or only in part; the conditions must be stated."),
    ("SharingType", "not-shared"): ("不宜提供给其他政务部门的政务数据；须有法律、法规或政策依据。",
                                    "Government data not to be given to other departments; a "
                                    "legal or policy basis must be stated."),
    ("SensitivityLevel", "level-1"): ("一级：可公开或敏感程度最低的数据。",
                                      "Level 1: public data, or data of the lowest sensitivity."),
    ("SensitivityLevel", "level-2"): ("二级：仅限政务内部使用、泄露影响较小的数据。",
                                      "Level 2: data for internal government use whose leak "
                                      "would do limited harm."),
    ("SensitivityLevel", "level-3"): ("三级：泄露会对个人、组织或公共利益造成较大影响的数据，不得无条件共享。",
                                      "Level 3: data whose leak would seriously harm persons, "
                                      "organisations or the public interest; never shared "
                                      "unconditionally."),
    ("SensitivityLevel", "level-4"): ("四级：最敏感的数据，不得无条件共享。",
                                      "Level 4: the most sensitive data; never shared "
                                      "unconditionally."),
}

_HEADER = """\
# Yishu (一数) code lists: SKOS concept schemes of the catalog template's controlled values.
# GENERATED by `python -m ontology.build` from ontology/codelists.py — do not edit by hand.
"""


def scheme_iri(name: str) -> str:
    return CODE + name


def _lit(text: str, lang: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{esc}"' + (f"@{lang}" if lang else "")


def _usage() -> dict[str, list[tuple[str, str, str]]]:
    """scheme -> [(sheet, column, file)] of the template columns that take its values."""
    from loaders.spec import FILES

    out: dict[str, list[tuple[str, str, str]]] = {}
    for f in FILES:
        for c in f.columns:
            if c.kind == "enum" and c.target:
                out.setdefault(c.target, []).append((f.sheet, c.name, f.file))
    return out


def _scheme_block(s: Scheme, used: list[tuple[str, str, str]]) -> str:
    zh_def, en_def = SCHEME_DEFINITIONS[s.name]
    if used:
        zh_def += "模板中用于：" + "、".join(f"{sheet}.{col}" for sheet, col, _ in used) + "。"
        en_def += " Used in the template by: " + ", ".join(
            f"{file} {col}" for _, col, file in used) + "."
    tops = " ,\n        ".join(f"<{code_iri(s.name, slug)}>" for _, slug, _ in s.values)
    return (
        f"<{scheme_iri(s.name)}> a skos:ConceptScheme ;\n"
        f"    skos:prefLabel {_lit(s.zh, 'zh')} , {_lit(s.en, 'en')} ;\n"
        f"    rdfs:label {_lit(s.zh, 'zh')} , {_lit(s.en, 'en')} ;\n"
        f"    skos:definition {_lit(zh_def, 'zh')} ,\n        {_lit(en_def, 'en')} ;\n"
        f"    skos:notation {_lit(s.name)} ;\n"
        f"    skos:hasTopConcept {tops} .\n"
    )


def _concept_block(s: Scheme, zh: str, slug: str, en: str) -> str:
    types = "skos:Concept , ys:Platform" if s.name == "Platform" else "skos:Concept"
    zh_def, en_def = CONCEPT_DEFINITIONS.get((s.name, slug), (
        f"代码表“{s.zh}”的取值“{zh}”，模板中按此原文填写。",
        f"The value {en} of the code list {s.en}, written {zh} in the template."))
    lines = [
        f"<{code_iri(s.name, slug)}> a {types} ;",
        f"    skos:inScheme <{scheme_iri(s.name)}> ;",
        f"    skos:topConceptOf <{scheme_iri(s.name)}> ;",
        f"    skos:prefLabel {_lit(zh, 'zh')} , {_lit(en, 'en')} ;",
        f"    skos:notation {_lit(slug)} ;",
        f"    skos:definition {_lit(zh_def, 'zh')} ,\n        {_lit(en_def, 'en')}",
    ]
    rank = RANKED.get(s.name, {}).get(slug)
    if rank is not None:
        lines[-1] += " ;"
        lines.append(f"    ys:rank {rank}")
    if s.name == "Platform":
        lines[-1] += " ;"
        lines.append("    ys:classifiedNetwork false")
    return "\n".join(lines) + " .\n"


def render_codelists() -> str:
    """The Turtle text of ``codelists.ttl``: deterministic, one block per scheme and concept."""
    usage = _usage()
    parts = [_HEADER]
    for p in ("ys", "code", "owl", "rdfs", "skos", "dcterms"):
        parts.append(f"@prefix {p}: <{PREFIXES[p]}> .\n")
    parts.append(
        f"\n<{CODE}> a owl:Ontology ;\n"
        f"    rdfs:label {_lit('一数代码表', 'zh')} , {_lit('Yishu code lists', 'en')} ;\n"
        f"    rdfs:comment {_lit('政务数据目录导入模板中受控取值的 SKOS 代码表。', 'zh')} ,\n"
        f"        {_lit('SKOS code lists of the controlled values of the catalog import template.', 'en')} ;\n"
        f"    dcterms:source <https://w3id.org/yishu/def> ;\n"
        f"    owl:versionInfo {_lit('0.1.0')} .\n"
    )
    for s in SCHEMES.values():
        parts.append(f"\n# {s.name} · {s.zh}\n")
        parts.append(_scheme_block(s, usage.get(s.name, [])))
        for zh, slug, en in s.values:
            parts.append("\n" + _concept_block(s, zh, slug, en))
    return "".join(parts)


def render_context() -> str:
    """The JSON text of ``context.jsonld``: every class and property of ``yishu.ttl`` as a term."""
    import rdflib

    from loaders.spec import FILES

    g = rdflib.Graph().parse(ONTOLOGY_TTL, format="turtle")
    a = rdflib.RDF.type
    list_preds = {c.pred for f in FILES for c in f.columns if c.kind in ("refs", "list")}
    ctx: dict[str, object] = {p: PREFIXES[p] for p in
                              ("ys", "code", "dcterms", "org", "prov", "skos", "dcat", "dqv",
                               "rdfs", "xsd")}
    ctx["id"] = "@id"
    ctx["type"] = "@type"

    def curie(iri: str) -> str:
        for p in ("ys", "dcterms", "org", "skos", "rdfs"):
            if iri.startswith(PREFIXES[p]):
                return f"{p}:{iri[len(PREFIXES[p]):]}"
        return iri

    terms: dict[str, object] = {}
    for cls in sorted(str(c) for c in g.subjects(a, rdflib.OWL.Class) if str(c).startswith(YS)):
        terms[cls[len(YS):]] = curie(cls)
    # W3C properties the loader fills, named by their local names
    terms["label"] = {"@id": "rdfs:label", "@language": "zh"}
    terms["altLabel"] = {"@id": "skos:altLabel", "@language": "zh", "@container": "@set"}
    terms["identifier"] = {"@id": "dcterms:identifier"}
    terms["description"] = {"@id": "dcterms:description"}
    terms["issued"] = {"@id": "dcterms:issued", "@type": "xsd:date"}
    terms["format"] = {"@id": "dcterms:format"}
    terms["subOrganizationOf"] = {"@id": "org:subOrganizationOf", "@type": "@id"}
    kinds = {OWL + "ObjectProperty": "@id", OWL + "DatatypeProperty": None}
    for prop in sorted({str(s) for k in kinds for s in g.subjects(a, rdflib.URIRef(k))
                        if str(s).startswith(YS)}):
        is_object = (rdflib.URIRef(prop), a, rdflib.OWL.ObjectProperty) in g
        term: dict[str, object] = {"@id": curie(prop)}
        if is_object:
            term["@type"] = "@id"
        else:
            rng = g.value(rdflib.URIRef(prop), rdflib.RDFS.range)
            if rng is not None and str(rng) != XSD + "string":
                term["@type"] = "xsd:" + str(rng)[len(XSD):]
        if prop in list_preds:
            term["@container"] = "@set"
        terms[prop[len(YS):]] = term
    for name in sorted(terms):
        ctx[name] = terms[name]
    return json.dumps({"@context": ctx}, ensure_ascii=False, indent=2) + "\n"


def _outputs() -> dict[Path, str]:
    return {CODELISTS_TTL: render_codelists(), CONTEXT_JSONLD: render_context()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    stale = []
    for path, text in _outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("过期，请运行 python -m ontology.build / out of date, run python -m ontology.build: "
              + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
