"""The catalog as DCAT-AP 3.0.1: Yishu's own triples, plus the DCAT-AP reading of them.

:func:`dcat_ap_view` takes the catalog's triples (already filtered for the caller's role) and
returns them together with the DCAT-AP triples that describe the same nodes: every resource is
also a ``dcat:Dataset``, every department also a ``foaf:Organization``, and the catalog itself a
``dcat:Catalog``. Nothing of Yishu's own is dropped or rewritten, so a second Yishu that harvests
the export gets back exactly what was exported (:func:`own_triples` is the inverse), while any
DCAT-AP harvester reads the ``dcat:``/``dct:`` layer. Field-by-field reasoning: docs/dcat-ap.md.

The view adds only predicates and classes listed in :data:`VIEW_PREDICATES` and
:data:`VIEW_CLASSES`, and only on Yishu's nodes or on nodes it mints under ``<base>dcat/``.
Those tables, the inverse and the serializations are :mod:`graph.dcat_format` (re-exported here).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from graph.dcat_format import (
    CSVW,
    DATATYPES,
    DCAT_PREFIXES,
    EU,
    EU_ACCESS_RIGHT,
    EU_ACCESS_RIGHT_LABELS,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    FILE_TYPES,
    FOAF,
    FREQUENCY,
    IANA,
    SYNTAXES,
    VCARD,
    VIEW_CLASSES,
    VIEW_PREDICATES,
    own_triples,
    serialize_dcat,
)
from ontology.namespaces import CODE, DCAT, DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, YS

__all__ = ["CatalogInfo", "dcat_ap_view", "own_triples", "VIEW_PREDICATES", "VIEW_CLASSES",
           "FOAF", "VCARD", "CSVW", "EU_FREQUENCY", "EU_ACCESS_RIGHT", "EU_FILE_TYPE",
           "DCAT_PREFIXES", "SYNTAXES", "serialize_dcat", "FREQUENCY"]

_T = RDF + "type"
_SPLIT = re.compile(r"[、，,;；/]+")


@dataclass(frozen=True)
class CatalogInfo:
    """The instance's own description. ``publisher`` is a department code (the data authority,
    数据主管部门); None finds the data authority by name (数据局, 大数据, 数据管理), else takes the
    top department with the most departments under it. ``url`` is where the web catalog is reached: each
    dataset's landing page and access URL point at its page there."""

    title_zh: str = "政务数据目录"
    title_en: str = "Government data catalog"
    description_zh: str = "政务数据共享目录：数据资源、提供部门、共享方式与血缘。"
    description_en: str = ("Government data sharing catalog: data resources, providing "
                           "departments, sharing methods and lineage.")
    publisher: str | None = None
    url: str = "http://127.0.0.1:8000/"
    issued: str | None = None  # xsd:date of the catalog; default: the earliest dataset's


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


@cache
def _codelists() -> dict[str, list[Triple]]:
    """The SKOS concepts and schemes of Yishu's code lists, by subject."""
    path = Path(__file__).resolve().parent.parent / "ontology" / "codelists.ttl"
    out: dict[str, list[Triple]] = defaultdict(list)
    for t in parse(path.read_bytes(), RdfFormat.TURTLE):
        out[t.subject.value].append(Triple(t.subject, t.predicate, t.object))
    return dict(out)


def dcat_ap_view(triples: Iterable[Triple], base: str, info: CatalogInfo | None = None
                 ) -> list[Triple]:
    """Yishu's triples with their DCAT-AP reading added (see the module's docstring)."""
    info = info or CatalogInfo()
    own = triples if isinstance(triples, (set, frozenset)) else list(triples)
    # only the predicates the view reads are indexed (testing a NamedNode's membership costs
    # less than reading its IRI into a Python string)
    read = _read_predicates()
    by_s: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in own:
        p = t.predicate
        if p in read:
            by_s[t.subject.value][p.value].append(t.object)
    kinds: dict[str, list[str]] = defaultdict(list)
    for s, props in by_s.items():
        for o in props.get(_T, ()):
            kinds[o.value].append(s)
    out: list[Triple] = []  # what the view adds
    add = out.append
    url = info.url if info.url.endswith("/") else info.url + "/"
    cat = _n(f"{base}dcat/catalog")
    concepts: set[str] = set()

    def typed(node: NamedNode, cls: str) -> None:
        add(Triple(node, _n(_T), _n(cls)))

    # -- departments: publishers and contact points ----------------------------------------
    departments = sorted(kinds.get(YS + "Department", ()))
    for d in departments:
        node, props = _n(d), by_s[d]
        typed(node, FOAF + "Organization")
        for name in props.get(RDFS + "label", ()):
            add(Triple(node, _n(FOAF + "name"), name))
        contact = _n(f"{base}dcat/contact/{quote(_code(props, d), safe='')}")
        typed(contact, VCARD + "Organization")
        for name in props.get(RDFS + "label", ()):
            add(Triple(contact, _n(VCARD + "fn"), name))
        for phone in props.get(YS + "contactPhone", ()):
            add(Triple(contact, _n(VCARD + "hasTelephone"),
                       _n("tel:" + re.sub(r"[^0-9+\-]", "", phone.value))))

    # -- elements' standards, for dct:conformsTo ---------------------------------------------
    element_standard: dict[str, list[NamedNode]] = {}
    for e in kinds.get(YS + "DataElement", ()):
        stds = []
        for basis in by_s[e].get(YS + "standardBasis", ()):
            std = _n(f"{base}dcat/standard/{quote(basis.value, safe='')}")
            stds.append(std)
        element_standard[e] = stds
    columns: dict[str, list[str]] = defaultdict(list)
    for i in kinds.get(YS + "InformationItem", ()):
        for r in by_s[i].get(YS + "inResource", ()):
            columns[r.value].append(i)
    standards: dict[str, str] = {}

    # -- datasets ------------------------------------------------------------------------------
    resources = sorted(kinds.get(YS + "DataResource", ()))
    issued_all: list[str] = []
    for r in resources:
        node, props = _n(r), by_s[r]
        code = _code(props, r)
        typed(node, DCAT + "Dataset")
        add(Triple(cat, _n(DCAT + "dataset"), node))
        for title in props.get(RDFS + "label", ()):
            add(Triple(node, _n(DCTERMS + "title"), title))
        for p in props.get(YS + "provider", ()):
            add(Triple(node, _n(DCTERMS + "publisher"), p))
            if p.value in by_s:
                add(Triple(node, _n(DCAT + "contactPoint"),
                           _n(f"{base}dcat/contact/{quote(_code(by_s[p.value], p.value), safe='')}")))
        for text in props.get(YS + "scenario", ()):
            for kw in _SPLIT.split(text.value):
                if kw.strip():
                    add(Triple(node, _n(DCAT + "keyword"), Literal(kw.strip(), language="zh")))
        for theme in [*props.get(YS + "resourceCategory", ()), *props.get(YS + "baseDatabase", ())]:
            add(Triple(node, _n(DCAT + "theme"), theme))
            concepts.add(theme.value)
        add(Triple(node, _n(DCTERMS + "accessRights"), _n(EU_ACCESS_RIGHT + _access(props))))
        for f in props.get(YS + "updateFrequency", ()):
            slug = f.value.rsplit("/", 1)[-1]
            if slug in FREQUENCY:
                add(Triple(node, _n(DCTERMS + "accrualPeriodicity"),
                           _n(EU_FREQUENCY + FREQUENCY[slug])))
        for up in props.get(YS + "derivedFrom", ()):
            add(Triple(node, _n(PROV + "wasDerivedFrom"), up))
        for i in props.get(DCTERMS + "issued", ()):
            issued_all.append(i.value)
        page = _n(f"{url}resource/{quote(code, safe='')}")
        add(Triple(node, _n(DCAT + "landingPage"), page))
        typed(page, FOAF + "Document")
        # items: a CSVW table schema; the data elements they carry: the standards followed
        if columns.get(r):
            schema = _n(f"{base}dcat/schema/{quote(code, safe='')}")
            typed(schema, CSVW + "Schema")
            add(Triple(node, _n(CSVW + "tableSchema"), schema))
            conforms: set[str] = set()
            for i in sorted(columns[r]):
                col, ip = _n(i), by_s[i]
                typed(col, CSVW + "Column")
                add(Triple(schema, _n(CSVW + "column"), col))
                for name in ip.get(RDFS + "label", ()):
                    add(Triple(col, _n(CSVW + "name"), Literal(name.value)))
                for dt in ip.get(YS + "dataType", ()):
                    xsd = DATATYPES.get(dt.value.rsplit("/", 1)[-1])
                    if xsd:
                        add(Triple(col, _n(CSVW + "datatype"), _n(XSD + xsd)))
                for el in ip.get(YS + "carries", ()):
                    add(Triple(col, _n(CSVW + "propertyUrl"), el))
                    for std in element_standard.get(el.value, ()):
                        conforms.add(std.value)
            for std in sorted(conforms):
                add(Triple(node, _n(DCTERMS + "conformsTo"), _n(std)))
                standards[std] = std
        # 共享方式: a distribution; an API also a data service behind it
        for method in props.get(YS + "sharingMethod", ()):
            slug = method.value.rsplit("/", 1)[-1]
            dist = _n(f"{base}dcat/distribution/{quote(code, safe='')}/{slug}")
            typed(dist, DCAT + "Distribution")
            add(Triple(node, _n(DCAT + "distribution"), dist))
            add(Triple(dist, _n(DCAT + "accessURL"), page))
            add(Triple(dist, _n(DCTERMS + "title"),
                       Literal(f"{_first(props, RDFS + 'label', code)}（{_method_zh(slug)}）",
                               language="zh")))
            for fmt in props.get(DCTERMS + "format", ()):
                ft = FILE_TYPES.get(fmt.value.strip().upper()) or FILE_TYPES.get(fmt.value.strip())
                if ft and slug != "api":
                    add(Triple(dist, _n(DCAT + "mediaType"), _n(IANA + ft[1])))
            if slug == "api":
                svc = _n(f"{base}dcat/service/{quote(code, safe='')}")
                typed(svc, DCAT + "DataService")
                add(Triple(cat, _n(DCAT + "service"), svc))
                add(Triple(dist, _n(DCAT + "accessService"), svc))
                add(Triple(svc, _n(DCAT + "endpointURL"), page))
                add(Triple(svc, _n(DCAT + "servesDataset"), node))
                add(Triple(svc, _n(DCTERMS + "title"),
                           Literal(f"{_first(props, RDFS + 'label', code)}接口", language="zh")))
                for p in props.get(YS + "provider", ()):
                    add(Triple(svc, _n(DCTERMS + "publisher"), p))

    # -- referenced vocabularies: typed so that DCAT-AP's class ranges hold ---------------------
    for std in sorted(standards):
        typed(_n(std), DCTERMS + "Standard")
        from urllib.parse import unquote
        add(Triple(_n(std), _n(RDFS + "label"), Literal(unquote(std.rsplit("/", 1)[-1]))))
    for right, (zh, en) in EU_ACCESS_RIGHT_LABELS.items():
        node = _n(EU_ACCESS_RIGHT + right)
        typed(node, DCTERMS + "RightsStatement")
        add(Triple(node, _n(RDFS + "label"), Literal(zh, language="zh")))
        add(Triple(node, _n(RDFS + "label"), Literal(en, language="en")))
    for slug in sorted(set(FREQUENCY.values())):
        typed(_n(EU_FREQUENCY + slug), DCTERMS + "Frequency")
    for _ft, media in sorted(set(FILE_TYPES.values())):
        typed(_n(IANA + media), DCTERMS + "MediaType")
    lists = _codelists()
    schemes: set[str] = set()
    for c in sorted(concepts):
        out.extend(lists.get(c, ()))
        for t in lists.get(c, ()):
            if t.predicate.value == SKOS + "inScheme":
                schemes.add(t.object.value)
    for s in sorted(schemes):
        node = _n(s)
        typed(node, SKOS + "ConceptScheme")
        for t in lists.get(s, ()):
            if t.predicate.value == SKOS + "prefLabel":
                add(Triple(node, _n(DCTERMS + "title"), t.object))

    # -- the catalog ------------------------------------------------------------------------------
    typed(cat, DCAT + "Catalog")
    for text, lang in ((info.title_zh, "zh"), (info.title_en, "en")):
        add(Triple(cat, _n(DCTERMS + "title"), Literal(text, language=lang)))
    for text, lang in ((info.description_zh, "zh"), (info.description_en, "en")):
        add(Triple(cat, _n(DCTERMS + "description"), Literal(text, language=lang)))
    publisher = _publisher(info, by_s, departments, base)
    if publisher:
        add(Triple(cat, _n(DCTERMS + "publisher"), _n(publisher)))
    zho = _n(EU + "language/ZHO")
    typed(zho, DCTERMS + "LinguisticSystem")
    add(Triple(cat, _n(DCTERMS + "language"), zho))
    add(Triple(cat, _n(DCAT + "themeTaxonomy"), _n(CODE + "ResourceCategory")))
    if (CODE + "ResourceCategory") not in schemes:
        node = _n(CODE + "ResourceCategory")
        typed(node, SKOS + "ConceptScheme")
        for t in lists.get(CODE + "ResourceCategory", ()):
            if t.predicate.value == SKOS + "prefLabel":
                add(Triple(node, _n(DCTERMS + "title"), t.object))
    issued = info.issued or (min(issued_all) if issued_all else None)
    if issued:
        add(Triple(cat, _n(DCTERMS + "issued"), Literal(issued, datatype=_n(XSD + "date"))))
    if issued_all:
        add(Triple(cat, _n(DCTERMS + "modified"),
                   Literal(max(issued_all), datatype=_n(XSD + "date"))))
    add(Triple(cat, _n(FOAF + "homepage"), _n(url)))
    typed(_n(url), FOAF + "Document")
    if isinstance(own, (set, frozenset)):  # unique already: only what the view added is checked
        return [*own, *(t for t in dict.fromkeys(out) if t not in own)]
    return list(dict.fromkeys([*own, *out]))


@cache
def _read_predicates() -> frozenset[NamedNode]:
    """Every predicate :func:`dcat_ap_view` reads from the catalog's triples."""
    return frozenset(_n(p) for p in (
        _T, RDFS + "label", DCTERMS + "identifier", DCTERMS + "issued", DCTERMS + "format",
        ORG + "subOrganizationOf", *(YS + p for p in (
            "contactPhone", "standardBasis", "inResource", "provider", "scenario",
            "resourceCategory", "baseDatabase", "updateFrequency", "derivedFrom", "dataType",
            "carries", "sharingMethod", "sharingType", "openType", "classified"))))


def _code(props: dict, iri: str) -> str:
    ids = props.get(DCTERMS + "identifier")
    return ids[0].value if ids else iri.rstrip("/").rsplit("/", 1)[-1]


def _first(props: dict, predicate: str, default: str) -> str:
    vals = props.get(predicate)
    return vals[0].value if vals else default


def _method_zh(slug: str) -> str:
    return {"api": "接口调用", "table-exchange": "库表交换", "file-download": "文件下载"}.get(
        slug, slug)


def _access(props: dict) -> str:
    """dct:accessRights from 开放类型 and 共享类型 (and 是否涉密): what the public may reach.
    Open data is PUBLIC; data shared between departments but not opened is RESTRICTED; data not
    shared at all, or classified, is NON_PUBLIC."""
    def slug(p: str) -> str:
        vals = props.get(YS + p)
        return vals[0].value.rsplit("/", 1)[-1] if vals else ""

    classified = any(v.value == "true" for v in props.get(YS + "classified", ()))
    if classified or slug("sharingType") == "not-shared":
        return "NON_PUBLIC"
    if slug("openType") == "open":
        return "PUBLIC"
    return "RESTRICTED"


def _publisher(info: CatalogInfo, by_s: dict, departments: list[str], base: str) -> str | None:
    """The configured department; else the data authority (数据主管部门: a name with 数据局,
    大数据 or 数据管理); else the top department with the most departments under it."""
    if info.publisher:
        wanted = [d for d in departments if _code(by_s[d], d) == info.publisher]
        if wanted:
            return wanted[0]
    for d in departments:
        if any(re.search("数据局|大数据|数据管理", n.value) for n in by_s[d].get(RDFS + "label", ())):
            return d
    under: dict[str, int] = defaultdict(int)
    for d in departments:
        for parent in by_s[d].get(ORG + "subOrganizationOf", ()):
            under[parent.value] += 1
    roots = [d for d in departments if not by_s[d].get(ORG + "subOrganizationOf")]
    return min(roots, key=lambda d: (-under[d], d)) if roots else None
