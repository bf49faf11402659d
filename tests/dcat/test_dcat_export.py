"""DCAT-AP 3.0.1: the export of the demo district and of a synthetic catalog passes the official
shapes with zero Violations; each mapping rule, removed, gives the Violation it exists to prevent;
the three syntaxes are the same graph; MQA counts what it should."""

from __future__ import annotations

from collections import Counter

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Triple
from rdflib.compare import isomorphic

from graph.dcat import DCAT, FOAF, VCARD, CatalogInfo, dcat_ap_view, serialize_dcat
from graph.store import CatalogStore, parse_ntriples
from loaders import load_path
from shapes.dcat_ap import validate_dcat_ap
from shapes.mqa import mqa, rating
from yishu.config import DEMO_DIR
from yishu.synth import generate

DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
T = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
BASE = "https://data.yishu.example/"


@pytest.fixture(scope="module")
def demo_view():
    s = CatalogStore()
    load_path(s, DEMO_DIR, "demo-district")
    return dcat_ap_view(parse_ntriples(s.export("ntriples")), s.base)


def _found(report):
    """What two engines must agree on: each result's severity, focus node and path (blank-node
    paths, whose ids are the parser's, aside)."""
    return Counter((p.severity, p.focus, p.path) for p in report.problems
                   if p.path is None or "://" in p.path)


def _validate(view):
    """The fast engine's report, held to pyshacl's on the same export."""
    fast = validate_dcat_ap(view)
    reference = validate_dcat_ap(serialize_dcat(view, "ntriples"), "ntriples", engine="pyshacl")
    assert _found(fast) == _found(reference), (
        sorted((_found(fast) - _found(reference)).items())[:5],
        sorted((_found(reference) - _found(fast)).items())[:5])
    assert fast.counts == reference.counts and fast.conforms == reference.conforms
    return fast


def test_demo_export_has_no_violation(demo_view):
    report = _validate(demo_view)
    assert report.violations == []
    assert report.counts["Warning"] > 0  # recommended properties Yishu cannot know (licence…)
    types = {(t.subject.value, t.object.value) for t in demo_view if t.predicate.value == T}
    assert sum(1 for _s, o in types if o == DCAT + "Dataset") == 80
    assert (BASE + "dcat/catalog", DCAT + "Catalog") in types


def test_synthetic_export_has_no_violation(tmp_path):
    generate(tmp_path / "synth", 0.05, 7)
    s = CatalogStore()
    load_path(s, tmp_path / "synth", "synth")
    view = dcat_ap_view(parse_ntriples(s.export("ntriples")), s.base)
    report = _validate(view)
    assert report.violations == [], report.violations[:5]


def _drop(view, *, s=None, p=None, o=None):
    def hit(t):
        return ((s is None or s(t.subject.value)) and (p is None or t.predicate.value == p)
                and (o is None or o(t.object.value)))
    kept = [t for t in view if not hit(t)]
    assert len(kept) < len(view), "the rule under test produced nothing to remove"
    return kept


def _res(code: str):
    return lambda v: v == f"{BASE}resource/{code}"


# each mapping rule: what to remove from the view, and the Violation (focus kind, path) it causes
RULES = [
    ("dataset title from 资源名称", dict(s=_res("R-MZ-DB"), p=DCT + "title"),
     "resource/R-MZ-DB", DCT + "title"),
    ("dataset description from 资源摘要", dict(s=_res("R-MZ-DB"), p=DCT + "description"),
     "resource/R-MZ-DB", DCT + "description"),
    ("publisher is a foaf:Organization", dict(p=T, o=lambda v: v == FOAF + "Organization"),
     "resource/", DCT + "publisher"),
    ("publisher's foaf:name", dict(s=lambda v: v.startswith(BASE + "department/"),
                                   p=FOAF + "name"), "department/",
     FOAF + "name"),
    ("contact point is a vcard:Kind", dict(p=T, o=lambda v: v == VCARD + "Organization"),
     "resource/", DCAT + "contactPoint"),
    ("accessRights is a dct:RightsStatement",
     dict(p=T, o=lambda v: v == DCT + "RightsStatement"), "resource/", DCT + "accessRights"),
    ("accrualPeriodicity is a dct:Frequency", dict(p=T, o=lambda v: v == DCT + "Frequency"),
     "resource/", DCT + "accrualPeriodicity"),
    ("conformsTo is a dct:Standard", dict(p=T, o=lambda v: v == DCT + "Standard"),
     "resource/", DCT + "conformsTo"),
    ("landing page is a foaf:Document", dict(p=T, o=lambda v: v == FOAF + "Document"),
     "resource/", DCAT + "landingPage"),
    ("distribution accessURL", dict(p=DCAT + "accessURL"), "dcat/distribution/",
     DCAT + "accessURL"),
    ("data service endpointURL", dict(p=DCAT + "endpointURL"), "dcat/service/",
     DCAT + "endpointURL"),
    ("data service title", dict(s=lambda v: v.startswith(BASE + "dcat/service/"), p=DCT + "title"),
     "dcat/service/", DCT + "title"),
    ("theme concepts carry skos:prefLabel", dict(p=SKOS_PREF, s=lambda v: "/code/" in v and
                                                 v.count("/") > 5), "code/", SKOS_PREF),
    ("theme taxonomy carries dct:title", dict(s=lambda v: v.endswith("/code/ResourceCategory"),
                                              p=DCT + "title"), "code/ResourceCategory",
     DCT + "title"),
    ("catalog title", dict(s=lambda v: v.endswith("dcat/catalog"), p=DCT + "title"),
     "dcat/catalog", DCT + "title"),
    ("catalog publisher", dict(s=lambda v: v.endswith("dcat/catalog"), p=DCT + "publisher"),
     "dcat/catalog", DCT + "publisher"),
]


@pytest.mark.parametrize(("rule", "drop", "focus", "path"), RULES, ids=[r[0] for r in RULES])
def test_each_mapping_rule_prevents_its_violation(demo_view, rule, drop, focus, path):
    report = _validate(_drop(demo_view, **drop))
    hits = [v for v in report.violations if focus in v.focus and v.path == path]
    assert hits, f"{rule}: expected a Violation on {focus} {path}, got " + repr(
        sorted({(v.focus, v.path) for v in report.violations})[:5])


def _retyped(view, subject, predicate, value):
    """The view with every object of ``predicate`` on subjects starting with ``subject``
    replaced by ``value``."""
    return [Triple(t.subject, t.predicate, value) if t.predicate.value == predicate
            and t.subject.value.startswith(BASE + subject) else t for t in view]


BAD = [  # one constraint component each, beyond those the mapping rules exercise
    ("ill-typed date (sh:node, sh:or, sh:datatype)", "dcat/catalog", DCT + "issued",
     Literal("2025-13-45", datatype=NamedNode(XSD + "date")), DCT + "issued"),
    ("date as a plain string (sh:datatype)", "dcat/catalog", DCT + "modified",
     Literal("2025-01-01"), DCT + "modified"),
    ("title as an IRI (sh:nodeKind)", "resource/", DCT + "title", NamedNode(BASE + "x"),
     DCT + "title"),
    ("theme as a literal (sh:nodeKind, sh:class)", "resource/", DCAT + "theme", Literal("x"),
     DCAT + "theme"),
]


@pytest.mark.parametrize(("case", "subject", "predicate", "value", "path"), BAD,
                         ids=[b[0] for b in BAD])
def test_fast_engine_finds_what_pyshacl_finds(demo_view, case, subject, predicate, value, path):
    report = _validate(_retyped(demo_view, subject, predicate, value))
    assert any(v.path == path for v in report.violations), case


def test_fast_engine_reads_every_syntax(demo_view):
    expected = _found(validate_dcat_ap(demo_view))
    for syntax in ("turtle", "ntriples", "rdfxml", "jsonld"):
        assert _found(validate_dcat_ap(serialize_dcat(demo_view, syntax), syntax)) == expected


def test_syntaxes_are_the_same_graph(demo_view):
    graphs = {s: rdflib.Graph().parse(data=serialize_dcat(demo_view, s), format=f)
              for s, f in (("turtle", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml"),
                           ("ntriples", "nt"))}
    assert len(graphs["turtle"]) == len(set(demo_view))
    for s in ("jsonld", "rdfxml", "ntriples"):
        assert isomorphic(graphs["turtle"], graphs[s]), s
    assert b'"@context"' in serialize_dcat(demo_view, "jsonld")


def test_access_rights_and_frequency_follow_the_codes(demo_view):
    def objects(s, p):
        return {t.object.value for t in demo_view if t.subject.value == s and t.predicate.value == p}

    eu = "http://publications.europa.eu/resource/authority/"
    # R-MZ-DB: 有条件共享, 不予开放, 每月
    assert objects(BASE + "resource/R-MZ-DB", DCT + "accessRights") == {
        eu + "access-right/RESTRICTED"}
    assert objects(BASE + "resource/R-MZ-DB", DCT + "accrualPeriodicity") == {
        eu + "frequency/MONTHLY"}
    assert objects(BASE + "resource/R-MZ-DB", "http://www.w3.org/ns/prov#wasDerivedFrom") == {
        BASE + "resource/R-JC-RK"}
    # R-MZ-SHZZ: 无条件开放 → PUBLIC, shared by API → a data service behind its distribution
    assert objects(BASE + "resource/R-MZ-SHZZ", DCT + "accessRights") == {
        eu + "access-right/PUBLIC"}
    (dist,) = objects(BASE + "resource/R-MZ-SHZZ", DCAT + "distribution")
    assert objects(dist, DCAT + "accessService") == {BASE + "dcat/service/R-MZ-SHZZ"}


def test_publisher_is_configurable(demo_view):
    s = CatalogStore()
    load_path(s, DEMO_DIR, "demo-district")
    cat = NamedNode(BASE + "dcat/catalog")

    def publisher(view):
        return {t.object.value for t in view
                if t.subject == cat and t.predicate.value == DCT + "publisher"}

    # by default the data authority (云溪区数据局); configured: the district government
    assert publisher(demo_view) == {BASE + "department/YX-SJJ"}
    view = dcat_ap_view(parse_ntriples(s.export("ntriples")), s.base,
                        CatalogInfo(publisher="YX-ZF", url="https://catalog.example/"))
    assert publisher(view) == {BASE + "department/YX-ZF"}
    assert any(t.object.value == "https://catalog.example/resource/R-MZ-DB" for t in view)


def test_mqa_counts_shares_times_points(demo_view):
    scores = mqa(demo_view)
    cat = scores["catalog"]
    assert cat.datasets == 80 and cat.distributions == 80
    # every dataset has keywords, themes, accessRights from the EU vocabulary, a contact point,
    # a publisher and an issued date; none has spatial, temporal or modified
    for name, pts in (("keyword", 30), ("theme", 30), ("accessRights", 10),
                      ("accessRights from a vocabulary", 5), ("contactPoint", 20),
                      ("publisher", 10), ("issued", 5), ("DCAT-AP compliance", 30)):
        assert cat.indicators[name] == pts, name
    for name in ("spatial", "temporal", "modified", "accessURL answers 200", "licence"):
        assert cat.indicators[name] == 0, name
    # 11 of 80 distributions are XLSX files (media type: machine-readable) — table exchange and
    # file download of 数据库表 have no media type
    xlsx = sum(1 for t in demo_view if t.predicate.value == DCAT + "mediaType")
    assert cat.indicators["machine-readable"] == round(xlsx / 80 * 20, 2)
    assert rating(cat.points) == ("Sufficient", "合格")
    per = [s for k, s in scores.items() if k != "catalog"]
    assert sum(s.datasets for s in per) == 80
    assert rating(351) == ("Excellent", "优秀") and rating(120) == ("Bad", "差")
    violating = mqa(demo_view, {BASE + "resource/R-MZ-DB"})["catalog"]
    assert violating.indicators["DCAT-AP compliance"] == round(79 / 80 * 30, 2)


def test_mqa_checks_urls_only_when_asked(demo_view):
    asked = []
    scores = mqa(demo_view, url_ok=lambda u: asked.append(u) or u.endswith("R-MZ-DB"))
    assert asked and all(u.startswith("http://127.0.0.1:8000/resource/") for u in asked)
    assert len(asked) == len(set(asked))  # each URL checked once
    assert scores["catalog"].indicators["accessURL answers 200"] == round(1 / 80 * 50, 2)
