"""Harvesting between catalogs: a district exported and harvested by a second Yishu gives the
same graph and the same answers; other DCAT-AP catalogs (the DCAT-AP editors' examples) load and
audit; bad input is refused with nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from graph.dcat import dcat_ap_view, serialize_dcat
from graph.model import Direction
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore, parse_ntriples
from loaders import TemplateError, load_path
from loaders.harvest import fetch_catalog, harvest
from shapes.audit import audit
from yishu.cli import main
from yishu.config import DEMO_DIR

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "standards" / "dcat-ap-examples-2.1.1"


def _export(store: CatalogStore, syntax: str = "turtle") -> bytes:
    return serialize_dcat(dcat_ap_view(parse_ntriples(store.export("ntriples")), store.base),
                          syntax)


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> CatalogStore:
    s = CatalogStore(tmp_path_factory.mktemp("district") / "store")
    load_path(s, DEMO_DIR, "demo-district")
    return s


@pytest.fixture(scope="module")
def city(tmp_path_factory, district) -> CatalogStore:
    """A second Yishu (the city's) that harvested the district's DCAT-AP export."""
    s = CatalogStore(tmp_path_factory.mktemp("city") / "store")
    harvest(s, _export(district, "jsonld"), "jsonld", "yunxi")
    return s


@pytest.mark.parametrize("syntax", ["turtle", "jsonld", "rdfxml"])
def test_export_harvest_export_is_isomorphic(district, tmp_path, syntax):
    fmt = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}[syntax]
    first = _export(district, syntax)
    other = CatalogStore(tmp_path / "other")
    report = harvest(other, first, syntax, "yunxi")
    assert report.kind == "harvest" and report.triples == len(district)
    again = _export(other, syntax)
    assert isomorphic(rdflib.Graph().parse(data=first, format=fmt),
                      rdflib.Graph().parse(data=again, format=fmt))


def test_harvested_district_answers_the_same(district, city):
    a, b = OxigraphGraph(district), OxigraphGraph(city)
    for node in ("resource:R-MZ-DB", "department:YX-MZ", "item:R-JD1-MS/身份证号"):
        assert b.get(node) == a.get(node)
        assert b.lineage(node, Direction.BOTH, 3) == a.lineage(node, Direction.BOTH, 3)
    assert b.trace_source("item:R-JD1-MS/身份证号") == a.trace_source("item:R-JD1-MS/身份证号")
    assert b.resolve_source("身份证号") == a.resolve_source("身份证号")
    assert b.one_source_report() == a.one_source_report()
    assert b.impact("resource:R-JC-RK") == a.impact("resource:R-JC-RK")


def test_harvesting_again_replaces(city, district):
    before = len(city)
    harvest(city, _export(district), "turtle", "yunxi")
    assert len(city) == before
    assert [s.name for s in city.sources()] == ["yunxi"]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/standards is not beside the repo")
@pytest.mark.parametrize("example", ["example1.nt", "example2.nt"])
def test_editors_examples_load_and_audit(tmp_path, example):
    data, syntax = fetch_catalog(str(EXAMPLES / example))
    s = CatalogStore(tmp_path / "s")
    report = harvest(s, data, syntax, "eu")
    assert report.rows == {"resource": 1, "department": 1}
    g = OxigraphGraph(s)
    (res,) = g.list("resource").items
    assert res.label == "visitors to the Open Swimming Pool"
    assert g.related([res.iri], "provider")[res.iri]  # its publisher became its provider
    result = audit(s, as_of="2025-11-20")
    rules = {f.rule for f in result.findings if f.focus == res.iri}
    assert {"CAT-002", "CAT-003", "CAT-005"} <= rules  # what a harvested entry lacks: findings


@pytest.mark.parametrize(("data", "syntax", "problem"), [
    (b"@prefix : <x> . this is not turtle", "turtle", "RDF 语法错误"),
    (b'<http://a> <http://b> "c" .', "ntriples", "dcat:Dataset"),
])
def test_bad_catalogs_are_refused_and_nothing_is_stored(district, tmp_path, data, syntax,
                                                        problem):
    s = CatalogStore(tmp_path / "s")
    load_path(s, DEMO_DIR, "demo-district")
    before = len(s)
    with pytest.raises(TemplateError) as e:
        harvest(s, data, syntax, "demo-district")
    assert problem in str(e.value)
    assert len(s) == before


def test_cli_harvest_and_export(tmp_path, district):
    exported = tmp_path / "district.ttl"
    run = CliRunner().invoke
    assert run(main, ["load", str(DEMO_DIR), "--store", str(tmp_path / "a")]).exit_code == 0
    r = run(main, ["export", "--format", "dcat-ap", "--store", str(tmp_path / "a"), "-o",
                   str(exported)])
    assert r.exit_code == 0, r.output
    r = run(main, ["harvest", str(exported), "--source", "yunxi", "--store", str(tmp_path / "b")])
    assert r.exit_code == 0 and "已汇聚 harvested" in r.output
    r = run(main, ["harvest", str(tmp_path / "nope.ttl"), "--source", "x", "--store",
                   str(tmp_path / "b")])
    assert r.exit_code == 2 and "文件不存在" in r.output and "no such file" in r.output
    r = run(main, ["audit", "--dcat-ap", "--store", str(tmp_path / "b")])
    assert r.exit_code == 0, r.output
    assert "0 Violation" in r.output and "MQA" in r.output and "合格 Sufficient" in r.output
