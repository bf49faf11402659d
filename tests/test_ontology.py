"""The vocabulary (ontology/yishu.ttl), the generated code lists and JSON-LD context, and the
mapping table in docs/ontology.md — all held to loaders/spec.py and ontology/codelists.py."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.compare import isomorphic

from graph.store import CatalogStore
from loaders import load_path
from loaders.spec import FILE_BY_KIND, FILES, LABEL
from ontology.codelists import SCHEMES
from ontology.namespaces import CODE, YS, code_iri
from yishu import build

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
Y = rdflib.Namespace(YS)
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")  # open: pytest probes attributes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own JSON-LD


@cache
def vocab() -> rdflib.Graph:
    return rdflib.Graph().parse(build.ONTOLOGY_TTL, format="turtle")


@cache
def codes() -> rdflib.Graph:
    return rdflib.Graph().parse(build.CODELISTS_TTL, format="turtle")


def _langs(g: rdflib.Graph, s: URIRef, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and str(o).strip()}


def _spec_predicates() -> list[str]:
    return sorted({c.pred for f in FILES for c in f.columns if c.pred})


def _spec_classes() -> list[str]:
    return sorted({f.cls for f in FILES} | {YS + "Platform"})


def _concepts() -> list[str]:
    return [code_iri(s.name, slug) for s in SCHEMES.values() for _, slug, _ in s.values]


# -- every term the loader emits is declared, with labels and comments in zh and en ---------

@pytest.mark.parametrize("iri", _spec_classes())
def test_class_is_declared_with_both_labels(iri):
    g, s = vocab(), URIRef(iri)
    assert (s, RDF.type, OWL.Class) in g
    assert _langs(g, s, RDFS.label) >= {"zh", "en"}
    assert _langs(g, s, RDFS.comment) >= {"zh", "en"}


@pytest.mark.parametrize("iri", _spec_predicates())
def test_predicate_is_declared_with_both_labels(iri):
    g, s = vocab(), URIRef(iri)
    assert _langs(g, s, RDFS.label) >= {"zh", "en"}, iri
    assert _langs(g, s, RDFS.comment) >= {"zh", "en"}, iri
    if iri.startswith(YS):
        assert (s, RDF.type, OWL.ObjectProperty) in g or (s, RDF.type, OWL.DatatypeProperty) in g
        assert g.value(s, RDFS.domain) is not None and g.value(s, RDFS.range) is not None


@pytest.mark.parametrize("iri", _concepts())
def test_concept_is_declared_with_both_labels(iri):
    g, s = codes(), URIRef(iri)
    assert (s, RDF.type, SKOS.Concept) in g
    scheme = URIRef(iri.rsplit("/", 1)[0])
    assert (s, SKOS.inScheme, scheme) in g and (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert _langs(g, s, SKOS.prefLabel) == {"zh", "en"}
    assert _langs(g, s, SKOS.definition) == {"zh", "en"}
    assert str(g.value(s, SKOS.notation)) == iri.rsplit("/", 1)[1]


def test_concept_labels_are_the_template_values():
    g = codes()
    for s in SCHEMES.values():
        scheme = URIRef(CODE + s.name)
        assert _langs(g, scheme, SKOS.prefLabel) == {"zh", "en"}
        assert _langs(g, scheme, SKOS.definition) == {"zh", "en"}
        members = set(g.subjects(SKOS.inScheme, scheme))
        assert members == {URIRef(code_iri(s.name, slug)) for _, slug, _ in s.values}
        for zh, slug, en in s.values:
            c = URIRef(code_iri(s.name, slug))
            assert Literal(zh, lang="zh") in set(g.objects(c, SKOS.prefLabel))
            assert Literal(en, lang="en") in set(g.objects(c, SKOS.prefLabel))


def test_every_ys_term_used_anywhere_is_declared():
    """No typo'd term: every ys: IRI used in either file is declared in yishu.ttl."""
    g = vocab() + codes()
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(YS)}
    declared = {s for s in vocab().subjects(RDF.type, None) if str(s).startswith(YS)}
    assert used - declared == set()
    for s in declared:
        assert _langs(vocab(), s, RDFS.label) >= {"zh", "en"}, s
        assert _langs(vocab(), s, RDFS.comment) >= {"zh", "en"}, s


# -- the vocabulary agrees with the spec: kinds, ranges, code lists --------------------------

_DATATYPE = {"text": XSD.string, "key": XSD.string, "region": XSD.string, "bool": XSD.boolean,
             "list": RDF.langString,
             "int": XSD.integer, "date": XSD.date, "datetime": XSD.dateTime}


@pytest.mark.parametrize("f", FILES, ids=[f.file for f in FILES])
def test_property_kinds_and_ranges_follow_the_spec(f):
    g = vocab()
    for c in f.columns:
        if not c.pred or not c.pred.startswith(YS):
            continue
        p = URIRef(c.pred)
        rng = g.value(p, RDFS.range)
        if c.kind in ("ref", "refs"):
            assert (p, RDF.type, OWL.ObjectProperty) in g
            assert rng == URIRef(FILE_BY_KIND[c.target].cls), c.name
        elif c.kind == "enum":
            assert (p, RDF.type, OWL.ObjectProperty) in g
            assert rng in (SKOS.Concept, Y.Platform), c.name
            assert g.value(p, Y.codeList) == URIRef(CODE + c.target), c.name
        else:
            assert (p, RDF.type, OWL.DatatypeProperty) in g, c.name
            assert rng == _DATATYPE[c.kind], c.name
        if c.kind in ("refs", "list"):
            assert (p, RDF.type, OWL.FunctionalProperty) not in g, c.name
        domain = g.value(p, RDFS.domain)
        classes = set(rdflib.collection.Collection(g, g.value(domain, OWL.unionOf))) \
            if g.value(domain, OWL.unionOf) is not None else {domain}
        assert URIRef(f.cls) in classes, (c.name, classes)


@pytest.mark.parametrize("sub,rel,sup", [
    (Y.Department, RDFS.subClassOf, ORG.Organization),
    (Y.DataResource, RDFS.subClassOf, DCAT.Dataset),
    (Y.Flow, RDFS.subClassOf, PROV.Activity),
    (Y.Responsibility, RDFS.subClassOf, PROV.Plan),
    (Y.InformationSystem, RDFS.subClassOf, PROV.SoftwareAgent),
    (Y.DataElement, RDFS.subClassOf, SKOS.Concept),
    (Y.Platform, RDFS.subClassOf, DCAT.DataService),
    (Y.derivedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (Y.takenFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (Y.provider, RDFS.subPropertyOf, DCT.publisher),
    (Y.updateFrequency, RDFS.subPropertyOf, DCT.accrualPeriodicity),
])
def test_alignment_to_w3c_vocabularies(sub, rel, sup):
    assert (sub, rel, sup) in vocab()


def test_sensitivity_levels_are_ranked_and_platforms_are_not_classified():
    g = codes()
    ranks = {str(g.value(URIRef(code_iri("SensitivityLevel", slug)), SKOS.notation)):
             g.value(URIRef(code_iri("SensitivityLevel", slug)), Y.rank).toPython()
             for _, slug, _ in SCHEMES["SensitivityLevel"].values}
    assert ranks == {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4}
    for _, slug, _ in SCHEMES["Platform"].values:
        p = URIRef(code_iri("Platform", slug))
        assert (p, RDF.type, Y.Platform) in g and (p, RDF.type, SKOS.Concept) in g
        assert g.value(p, Y.classifiedNetwork).toPython() is False


# -- generated files are in step with their sources -----------------------------------------

def test_committed_codelists_equal_the_generated_ones():
    assert build.CODELISTS_TTL.read_text(encoding="utf-8") == build.render_codelists(), \
        "run: python -m yishu.build"


def test_committed_context_equals_the_generated_one():
    assert build.CONTEXT_JSONLD.read_text(encoding="utf-8") == build.render_context(), \
        "run: python -m yishu.build"


def test_mapping_table_in_the_docs_matches_the_spec():
    doc = build.ONTOLOGY_MD.read_text(encoding="utf-8")
    section = doc.split(build.MAPPING_BEGIN, 1)[1].split(build.MAPPING_END, 1)[0]
    assert section.strip() == build.render_mapping_table().strip(), \
        "run: python -m yishu.build"
    rows = [line for line in section.splitlines() if line.startswith("| ") and "·" in line]
    for f in FILES:
        for c in f.columns:
            pred = build.curie(c.pred) if c.pred else None
            assert any(f"| {f.file} · {f.sheet} | {c.name} |" in r and f"`{pred}`" in r
                       for r in rows), (f.file, c.name)


def test_build_check_passes():
    assert build.main(["--check"]) == 0


# -- the files are usable as data --------------------------------------------------------------

def test_ontology_files_load_as_rdf_sources(tmp_path):
    store = CatalogStore(base="https://data.yishu.example/")
    load_path(store, build.ONTOLOGY_TTL, "vocabulary")
    load_path(store, build.CODELISTS_TTL, "codelists")
    load_path(store, SMALL, "small")
    rows = store.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?en WHERE { ?r <https://w3id.org/yishu/def#sharingType> ?t . "
        "?t skos:prefLabel ?en FILTER(lang(?en) = 'en') }")
    assert {r["en"] for r in rows} == {"Shared on conditions"}


def test_context_names_every_term_and_compacts_exports(tmp_path):
    ctx = json.loads(build.CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    ids = set()
    for term in ctx.values():
        iri = term["@id"] if isinstance(term, dict) else term
        prefix, _, local = iri.partition(":")
        ids.add(ctx[prefix] + local if prefix in ctx and isinstance(ctx[prefix], str) else iri)
    assert set(_spec_predicates()) <= ids and set(_spec_classes()) <= ids

    store = CatalogStore(base="https://data.yishu.example/")
    load_path(store, SMALL, "small")
    ds = rdflib.Dataset()
    ds.parse(data=store.export("jsonld"), format="json-ld")
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    compact = g.serialize(format="json-ld", context=ctx, auto_compact=True)
    assert '"sharingType"' in compact and '"provider"' in compact
    back = rdflib.Graph().parse(data=compact, format="json-ld")
    assert isomorphic(back, g)


def test_jsonld_document_written_with_the_context_loads(tmp_path):
    ctx = json.loads(build.CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    base = "https://data.yishu.example/"
    doc = {"@context": ctx, "@graph": [
        {"@id": base + "department/D-JT", "@type": "Department", "identifier": "D-JT",
         "label": "示范区交通运输局", "adminLevel": "code:AdminLevel/county",
         "subOrganizationOf": base + "department/D-GOV", "regionCode": "320612"},
        {"@id": base + "resource/RES-JT", "@type": "DataResource", "identifier": "RES-JT",
         "label": "公交线路", "provider": base + "department/D-JT",
         "sharingType": "code:SharingType/unconditional", "issued": "2024-01-02",
         "classified": "false", "derivedFrom": [base + "resource/RES-HJ"]},
    ]}
    path = tmp_path / "jt.jsonld"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    store = CatalogStore(base=base)
    load_path(store, path)
    nt = set(store.export("ntriples").decode().splitlines())
    assert (f"<{base}department/D-JT> <{LABEL}> \"示范区交通运输局\"@zh .") in nt
    assert (f'<{base}resource/RES-JT> <http://purl.org/dc/terms/issued> '
            '"2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .') in nt
    assert (f'<{base}resource/RES-JT> <{YS}classified> '
            '"false"^^<http://www.w3.org/2001/XMLSchema#boolean> .') in nt
    assert (f"<{base}resource/RES-JT> <{YS}sharingType> "
            f"<{CODE}SharingType/unconditional> .") in nt
    assert store.stats() == {"ys:DataResource": 1, "ys:Department": 1}
