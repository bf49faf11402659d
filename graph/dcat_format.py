"""The DCAT-AP side of the export, apart from reading Yishu's catalog: the vocabularies and
authority tables the view writes (EU frequency, access rights, file types, CSVW datatypes), the
classes and predicates it may add (:data:`VIEW_CLASSES`, :data:`VIEW_PREDICATES`) and therefore
its inverse (:func:`own_triples`, what a harvesting Yishu keeps), and the serializations
(:func:`serialize_dcat`). :mod:`graph.dcat` builds the view itself."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import RdfFormat, Triple

from ontology.namespaces import CODE, DCAT, DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, YS

__all__ = ["FOAF", "VCARD", "CSVW", "EU", "EU_FREQUENCY", "EU_ACCESS_RIGHT", "EU_FILE_TYPE", "IANA",
           "DCAT_PREFIXES", "FREQUENCY", "FILE_TYPES", "EU_ACCESS_RIGHT_LABELS", "DATATYPES",
           "VIEW_CLASSES", "VIEW_PREDICATES", "own_triples", "SYNTAXES", "serialize_dcat"]

FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
CSVW = "http://www.w3.org/ns/csvw#"
EU = "http://publications.europa.eu/resource/authority/"
EU_FREQUENCY = EU + "frequency/"
EU_ACCESS_RIGHT = EU + "access-right/"
EU_FILE_TYPE = EU + "file-type/"
IANA = "http://www.iana.org/assignments/media-types/"

DCAT_PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "csvw": CSVW,
                 "prov": PROV, "skos": SKOS, "rdfs": RDFS, "xsd": XSD, "org": ORG, "ys": YS,
                 "code": CODE}

# 更新周期 → the EU frequency authority table (realtime is UPDATE_CONT, "continuously updated")
FREQUENCY = {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY",
             "monthly": "MONTHLY", "quarterly": "QUARTERLY", "half-yearly": "ANNUAL_2",
             "yearly": "ANNUAL", "irregular": "IRREG"}
# 数据格式 (free text in the template) → EU file type and IANA media type, where one fits
FILE_TYPES = {"XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              "电子表格": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              "CSV": ("CSV", "text/csv"), "JSON": ("JSON", "application/json"),
              "XML": ("XML", "application/xml"), "PDF": ("PDF", "application/pdf")}
EU_ACCESS_RIGHT_LABELS = {"PUBLIC": ("公开", "public"), "RESTRICTED": ("受限", "restricted"),
                          "NON_PUBLIC": ("不公开", "non-public")}
DATATYPES = {"string": "string", "number": "decimal", "date": "date", "datetime": "dateTime",
             "boolean": "boolean", "binary": "base64Binary"}

_T = RDF + "type"

VIEW_CLASSES = frozenset({
    DCAT + "Catalog", DCAT + "Dataset", DCAT + "Distribution", DCAT + "DataService",
    FOAF + "Organization", VCARD + "Organization", DCTERMS + "RightsStatement",
    DCTERMS + "Frequency", DCTERMS + "MediaTypeOrExtent", DCTERMS + "MediaType",
    DCTERMS + "Standard", DCTERMS + "LinguisticSystem", FOAF + "Document", SKOS + "ConceptScheme", SKOS + "Concept",
    CSVW + "Schema", CSVW + "Column"})
VIEW_PREDICATES = frozenset({
    DCTERMS + "title", DCTERMS + "publisher", DCTERMS + "accessRights",
    DCTERMS + "accrualPeriodicity", DCTERMS + "conformsTo", DCTERMS + "language",
    DCTERMS + "modified", DCTERMS + "type", PROV + "wasDerivedFrom", FOAF + "name",
    DCAT + "keyword", DCAT + "theme", DCAT + "themeTaxonomy", DCAT + "dataset", DCAT + "service",
    DCAT + "distribution", DCAT + "accessURL", DCAT + "accessService", DCAT + "endpointURL",
    DCAT + "servesDataset", DCAT + "mediaType", DCAT + "contactPoint", DCAT + "landingPage",
    VCARD + "fn", VCARD + "hasTelephone", CSVW + "tableSchema", CSVW + "column", FOAF + "homepage",
    CSVW + "name", CSVW + "datatype", CSVW + "propertyUrl", CSVW + "titles"})


def own_triples(triples: Iterable[Triple], base: str) -> list[Triple]:
    """The inverse of :func:`dcat_ap_view` on a Yishu export: Yishu's own triples, the DCAT-AP
    reading removed (nodes minted under ``<base>dcat/``, the view's predicates and classes)."""
    minted = f"{base}dcat/"
    typed_ys: set[str] = set()
    buf = list(triples)
    for t in buf:
        if t.predicate.value == _T and t.object.value.startswith(YS):
            typed_ys.add(t.subject.value)
    keep = []
    for t in buf:
        s = t.subject.value
        if s not in typed_ys or s.startswith(minted):
            continue
        p = t.predicate.value
        if p in VIEW_PREDICATES:
            continue
        if p == _T and t.object.value in VIEW_CLASSES:
            continue
        keep.append(t)
    return keep


SYNTAXES = {"turtle": ("text/turtle", "ttl"), "jsonld": ("application/ld+json", "jsonld"),
            "rdfxml": ("application/rdf+xml", "rdf"), "ntriples": ("application/n-triples", "nt")}


def serialize_dcat(triples: list[Triple], syntax: str = "turtle") -> bytes:
    """Turtle, N-Triples, RDF/XML (pyoxigraph) or JSON-LD compacted with a context of the
    DCAT-AP prefixes (rdflib), sorted for stable output."""
    import io

    from pyoxigraph import serialize

    if syntax not in SYNTAXES:
        raise ValueError(f"unsupported syntax {syntax!r}; use {', '.join(SYNTAXES)}")
    if syntax == "jsonld":
        from rdflib import Graph

        g = Graph()
        g.parse(data=serialize_dcat(triples, "ntriples"), format="nt")
        return g.serialize(format="json-ld", context=dict(DCAT_PREFIXES), indent=1,
                           ensure_ascii=False).encode("utf-8")
    fmt = {"turtle": RdfFormat.TURTLE, "rdfxml": RdfFormat.RDF_XML,
           "ntriples": RdfFormat.N_TRIPLES}[syntax]
    buf = io.BytesIO()
    serialize(sorted(triples, key=str), buf, fmt,
              prefixes=None if fmt is RdfFormat.N_TRIPLES else DCAT_PREFIXES)
    return buf.getvalue()
