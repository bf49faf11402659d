"""Harvesting a DCAT-AP catalog (汇聚 up, 回流 down) into its own load source.

Two kinds of input, told apart by their content:
- **a Yishu export** (its nodes carry Yishu's own classes): Yishu's triples are taken back
  exactly, the DCAT-AP reading dropped (:func:`graph.dcat.own_triples`) — lossless between two
  Yishu instances;
- **any other DCAT-AP catalog**: each ``dcat:Dataset`` becomes a data resource, its publisher a
  department, its distributions and services a sharing method (mapping in docs/dcat-ap.md).

What a harvested entry lacks (a provider, a source system, items) is not a load error — the
source is external — but shows in the audit as findings against that source. Harvesting the same
source again replaces it. Malformed input is refused with nothing stored.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from graph.dcat import EU_ACCESS_RIGHT, EU_FREQUENCY, FREQUENCY, own_triples
from graph.iris import mint
from graph.store import CatalogStore
from loaders.errors import CellError, TemplateError
from loaders.load import LoadReport
from ontology.namespaces import DCAT, DCTERMS, PROV, RDF, RDFS, YS, code_iri

__all__ = ["harvest", "fetch_catalog", "syntax_of", "HARVEST_FORMATS", "MAX_HARVEST_BYTES",
           "check_size"]

HARVEST_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES,
                   "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML}
_SUFFIX = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld",
           ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml"}
_MEDIA = {"text/turtle": "turtle", "application/n-triples": "ntriples",
          "application/ld+json": "jsonld", "application/json": "jsonld",
          "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml"}
MAX_HARVEST_BYTES = 512 * 1024 * 1024
_T = RDF + "type"
_FREQ_BACK = {v: k for k, v in FREQUENCY.items()}


def syntax_of(filename: str) -> str | None:
    """The RDF syntax a file name's extension says, if any."""
    return _SUFFIX.get(Path(filename).suffix.lower())


def fetch_catalog(where: str, timeout: float = 60) -> tuple[bytes, str]:
    """(bytes, syntax) of a catalog at a URL (content negotiation) or in a file."""
    if where.startswith(("http://", "https://")):
        import httpx

        try:
            with httpx.stream("GET", where, timeout=timeout, follow_redirects=True, headers={
                    "Accept": "text/turtle, application/ld+json;q=0.9, "
                              "application/rdf+xml;q=0.8, application/n-triples;q=0.7"}) as r:
                r.raise_for_status()
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    check_size(size, where)
                    chunks.append(chunk)
                media = r.headers.get("content-type", "").split(";")[0].strip().lower()
        except httpx.HTTPError as e:
            raise _error(where, f"无法获取目录：{e}", f"cannot fetch the catalog: {e}") from None
        syntax = _MEDIA.get(media) or _SUFFIX.get(Path(where.split("?")[0]).suffix.lower())
        if syntax is None:
            raise _error(where, f"无法识别的目录格式（{media}）",
                         f"unrecognised catalog format ({media})")
        return b"".join(chunks), syntax
    path = Path(where)
    if not path.is_file():
        raise _error(where, "文件不存在", "no such file")
    syntax = _SUFFIX.get(path.suffix.lower())
    if syntax is None:
        raise _error(path.name, "不支持的格式（.ttl .nt .jsonld .rdf）",
                     "unsupported format (.ttl .nt .jsonld .rdf)")
    check_size(path.stat().st_size, path.name)
    return path.read_bytes(), syntax


def check_size(size: int, where: str, limit: int | None = None) -> None:
    """Refuse an RDF body over ``limit`` bytes (default :data:`MAX_HARVEST_BYTES`)."""
    limit = MAX_HARVEST_BYTES if limit is None else limit
    if size > limit:
        raise _error(where, f"目录超过 {limit // 2**20} MB（{size} 字节）",
                     f"the catalog exceeds {limit // 2**20} MB ({size} bytes)")


def harvest(store: CatalogStore, data: bytes, syntax: str, source: str,
            where: str = "catalog") -> LoadReport:
    """Replace load source ``source`` by the catalog in ``data``; all or nothing."""
    t0 = time.perf_counter()
    if syntax not in HARVEST_FORMATS:
        raise _error(where, f"不支持的格式 {syntax}", f"unsupported format {syntax}")
    try:
        triples = [Triple(t.subject, t.predicate, t.object)
                   for t in parse(data, HARVEST_FORMATS[syntax], base_iri=store.base)]
    except (SyntaxError, ValueError, OSError) as e:
        raise _error(where, f"RDF 语法错误：{e}", f"RDF syntax error: {e}") from None
    if any(t.predicate.value == _T and t.object.value.startswith(YS) for t in triples):
        mapped, rows = own_triples(triples, store.base), {"yishu": 1}
    else:
        mapped, rows = _from_dcat(triples, store.base, source)
        if not rows["resource"]:
            raise _error(where, "其中没有 dcat:Dataset", "it holds no dcat:Dataset")
    n = store.replace_source(source, mapped)
    return LoadReport(source, "harvest", rows, n, time.perf_counter() - t0)


def _error(where: str, zh: str, en: str) -> TemplateError:
    return TemplateError([CellError(where, None, None, None, zh, en)])


def _slug(text: str) -> str:
    return re.sub(r"[\s/:#?]+", "-", text.strip()).strip("-")[:80] or "x"


def _from_dcat(triples: list[Triple], base: str, source: str
               ) -> tuple[list[Triple], dict[str, int]]:
    by_s: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_s[t.subject][t.predicate.value].append(t.object)

    def typed(cls: str) -> list:
        return sorted((s for s, p in by_s.items() if any(o.value == cls for o in p.get(_T, ()))),
                      key=str)

    def code_of(node, props) -> str:
        for i in props.get(DCTERMS + "identifier", ()):
            if isinstance(i, Literal) and i.value.strip():
                return _slug(i.value)
        if isinstance(node, NamedNode):
            return f"{_slug(source)}-{_slug(unquote(node.value.rstrip('/').rsplit('/', 1)[-1]))}"
        names = props.get("http://xmlns.com/foaf/0.1/name", ())
        return f"{_slug(source)}-{_slug(names[0].value if names else str(node))}"

    out: list[Triple] = []

    def add(s: str, p: str, o) -> None:
        out.append(Triple(NamedNode(s), NamedNode(p), o))

    departments: dict[object, str] = {}
    for ds in typed(DCAT + "Dataset"):
        for pub in by_s[ds].get(DCTERMS + "publisher", ()):
            if pub not in departments:
                props = by_s.get(pub, {})
                code = code_of(pub, props)
                iri = mint("department", code, base)
                departments[pub] = iri
                add(iri, _T, NamedNode(YS + "Department"))
                add(iri, DCTERMS + "identifier", Literal(code))
                for name in props.get("http://xmlns.com/foaf/0.1/name", ()):
                    add(iri, RDFS + "label", name)
                if isinstance(pub, NamedNode):
                    add(iri, RDFS + "seeAlso", pub)
    datasets = typed(DCAT + "Dataset")
    resource_iri = {ds: mint("resource", code_of(ds, by_s[ds]), base) for ds in datasets}
    for ds in datasets:
        props, iri = by_s[ds], resource_iri[ds]
        add(iri, _T, NamedNode(YS + "DataResource"))
        add(iri, DCTERMS + "identifier", Literal(code_of(ds, props)))
        for title in props.get(DCTERMS + "title", ()):
            add(iri, RDFS + "label", title)
        for p in (DCTERMS + "description", DCTERMS + "issued", DCTERMS + "modified"):
            for v in props.get(p, ()):
                add(iri, p, v)
        for pub in props.get(DCTERMS + "publisher", ())[:1]:
            add(iri, YS + "provider", NamedNode(departments[pub]))
        keywords = [k.value for k in props.get(DCAT + "keyword", ())]
        if keywords:
            add(iri, YS + "scenario", Literal("、".join(sorted(keywords))))
        for f in props.get(DCTERMS + "accrualPeriodicity", ()):
            slug = _FREQ_BACK.get(f.value.removeprefix(EU_FREQUENCY))
            if slug:
                add(iri, YS + "updateFrequency", NamedNode(code_iri("UpdateFrequency", slug)))
        for r in props.get(DCTERMS + "accessRights", ()):
            right = r.value.removeprefix(EU_ACCESS_RIGHT) if isinstance(r, NamedNode) else ""
            sharing, open_ = {"PUBLIC": ("unconditional", "open"),
                              "RESTRICTED": ("conditional", "closed"),
                              "NON_PUBLIC": ("not-shared", "closed")}.get(right, (None, None))
            if sharing:
                add(iri, YS + "sharingType", NamedNode(code_iri("SharingType", sharing)))
                add(iri, YS + "openType", NamedNode(code_iri("OpenType", open_)))
        methods = set()
        for dist in props.get(DCAT + "distribution", ()):
            dp = by_s.get(dist, {})
            if dp.get(DCAT + "accessService"):
                methods.add("api")
            elif dp.get(DCAT + "downloadURL"):
                methods.add("file-download")
            else:
                methods.add("table-exchange")
        for m in sorted(methods):
            add(iri, YS + "sharingMethod", NamedNode(code_iri("SharingMethod", m)))
        for p in (PROV + "wasDerivedFrom", DCTERMS + "source"):
            for up in props.get(p, ()):
                if up in resource_iri:
                    add(iri, YS + "derivedFrom", NamedNode(resource_iri[up]))
        if isinstance(ds, NamedNode):
            add(iri, RDFS + "seeAlso", ds)
    return list(dict.fromkeys(out)), {"resource": len(datasets), "department": len(departments)}
