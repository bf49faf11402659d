"""OpenLineage ingest into the store: validation with JSON paths, idempotence, matching, flows."""

from __future__ import annotations

import copy

import pytest
from pyoxigraph import NamedNode

from graph.observed import observed_datasets
from loaders import load_path
from loaders.openlineage import SOURCE, SPEC_DIR, EventError, dataset_iri, ingest
from ontology.namespaces import PROV, YS, sparql_prefixes
from tests.lineage.events import (
    DB,
    EXAMPLES,
    HJ,
    STANDARDS,
    STRAY,
    declared_catalog,
    run_event,
    spec_examples,
)

RUN = "3f5e83fa-3480-44ff-99c5-ff943904e5e8"


def _observed(store) -> int:
    return next(s.triples for s in store.sources() if s.name == SOURCE)


@pytest.mark.skipif(not STANDARDS.exists(), reason="../shared/standards is not here")
def test_the_spec_copies_are_unchanged():
    for copy_dir, names in ((SPEC_DIR, ("OpenLineage.json", "SchemaDatasetFacet.json",
                                        "ColumnLineageDatasetFacet.json")),
                            (EXAMPLES, ("example-columnLineage-1.json",
                                        "example-columnLineage-2.json"))):
        for n in names:
            assert (copy_dir / n).read_bytes() == (STANDARDS / n).read_bytes(), n


def test_start_and_complete_give_a_run_a_flow_and_field_derivations(lineage_store):
    s = lineage_store
    before = len(s)
    r1 = ingest(s, [run_event("START", RUN, time="2026-11-20T08:00:00Z")])
    r2 = ingest(s, [run_event("COMPLETE", RUN, time="2026-11-20T08:05:00Z")])
    assert r1.triples > 0 and r2.triples > 0 and len(s) == before + r1.triples + r2.triples
    row = s.select(sparql_prefixes() + """
        SELECT ?start ?end ?job WHERE { ?run a ys:Run ; ys:runId ?id ; prov:startedAtTime ?start ;
          prov:endedAtTime ?end ; ys:ofJob/ys:datasetName ?job }""")
    assert row == [{"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T08:05:00Z",
                    "job": "hj-to-mz"}]
    flows = s.select(sparql_prefixes() + """
        SELECT ?in ?out ?seen WHERE { ?f a ys:ObservedFlow ; ys:flowInput ?in ;
          ys:flowOutput ?out ; ys:seenAt ?seen }""")
    assert flows == [{"in": dataset_iri(*HJ, s.base), "out": dataset_iri(*DB, s.base),
                      "seen": "2026-11-20T08:05:00Z"}]
    fields = s.select(sparql_prefixes() + """
        SELECT ?out ?in ?type ?sub ?masking WHERE { ?d a ys:FieldDerivation ;
          ys:flowOutput/rdfs:label ?out ; ys:flowInput/rdfs:label ?in ;
          ys:transformationType ?type ; ys:transformationSubtype ?sub ; ys:masking ?masking }
        ORDER BY ?out""")
    assert fields == [{"out": f"col{i}", "in": f"col{i}", "type": "DIRECT", "sub": "IDENTITY",
                       "masking": False} for i in range(2)]


def test_the_same_event_twice_changes_nothing_in_any_order(lineage_store, tmp_path):
    s = lineage_store
    events = [run_event("START", RUN), run_event("COMPLETE", RUN, time="2026-11-20T09:00:00Z")]
    ingest(s, events)
    n = len(s)
    dump = s.export("nquads")
    for ev in events:
        assert ingest(s, [copy.deepcopy(ev)]).triples == 0
    assert ingest(s, list(reversed(events)), batch=True).triples == 0
    assert len(s) == n and s.export("nquads") == dump
    # the other order into a fresh store gives the same triples
    other = type(s)(tmp_path / "other")
    load_path(other, declared_catalog(tmp_path / "small2"), "small")
    ingest(other, [events[1]])
    ingest(other, [events[0]])
    assert _observed(other) == _observed(s)


def test_reloading_the_template_keeps_what_was_observed(lineage_store, tmp_path):
    s = lineage_store
    ingest(s, [run_event("START", RUN), run_event("COMPLETE", RUN)])
    n = _observed(s)
    load_path(s, declared_catalog(tmp_path / "again"), "small")
    assert _observed(s) == n
    assert bool(s.query(sparql_prefixes() + "ASK { ?f a ys:ObservedFlow }"))


def test_declared_datasets_match_and_unregistered_ones_are_listed(lineage_store):
    s = lineage_store
    ingest(s, [run_event("START", RUN, outputs=(DB, STRAY)),
               run_event("COMPLETE", RUN, outputs=(DB, STRAY))])
    found = {(d.namespace, d.name): d for d in observed_datasets(s)}
    assert set(found) == {HJ, DB, STRAY}
    assert found[HJ].resources == (s.base + "resource/RES-HJ",)
    assert found[DB].resources == (s.base + "resource/RES-DB",)
    assert not found[STRAY].registered and found[STRAY].runs == 1
    assert [(d.namespace, d.name) for d in observed_datasets(s, registered=False)] == [STRAY]


def test_the_spec_examples_are_accepted(lineage_store):
    s = lineage_store
    report = ingest(s, spec_examples(), batch=True)
    assert report.events == 2 and report.triples > 0
    rows = s.select(sparql_prefixes() + """
        SELECT ?sub ?desc WHERE { ?d a ys:FieldDerivation ; ys:flowOutput ?o ;
          ys:transformationSubtype ?sub ; dcterms:description ?desc .
          ?ds ys:hasField ?o ; ys:datasetName "EXAMPLE_OUT_0" }""")
    assert {"sub": "JOIN", "desc": "ON (DISCOUNTS.CUSTOMERS_ID=CUSTOMERS.ID)"} in rows


def test_dataset_and_job_events(lineage_store):
    s = lineage_store
    ds_event = {"eventTime": "2026-11-20T08:00:00Z", "producer": "https://example.gov/p",
                "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/"
                             "DatasetEvent",
                "dataset": {"namespace": STRAY[0], "name": STRAY[1], "facets": {"schema": {
                    "_producer": "https://example.gov/p", "_schemaURL": "https://x.example/s",
                    "fields": [{"name": "a", "type": "INT"}]}}}}
    job_event = {"eventTime": "2026-11-20T08:00:00Z", "producer": "https://example.gov/p",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
                 "job": {"namespace": "exchange", "name": "planned"},
                 "inputs": [{"namespace": HJ[0], "name": HJ[1]}],
                 "outputs": [{"namespace": STRAY[0], "name": STRAY[1]}]}
    ingest(s, [ds_event, job_event], batch=True)
    assert bool(s.query(sparql_prefixes() + """ASK { ?j a ys:Job ; ys:jobInput ?i ;
        ys:jobOutput ?o . ?o ys:hasField/ys:fieldType "INT" }"""))
    assert not bool(s.query(sparql_prefixes() + "ASK { ?f a ys:ObservedFlow }"))


def _refused(store, events, batch=False) -> list[dict]:
    n, dump = len(store), store.export("nquads")
    with pytest.raises(EventError) as e:
        ingest(store, events, batch=batch)
    assert len(store) == n and store.export("nquads") == dump  # nothing stored
    return [p.as_dict() for p in e.value.problems]


def test_malformed_events_name_each_json_path_and_store_nothing(lineage_store):
    s = lineage_store
    good = run_event("START", RUN)
    no_run_id = copy.deepcopy(good)
    del no_run_id["run"]["runId"]
    bad_time = dict(copy.deepcopy(good), eventTime="2026-13-45 25:00")
    bad_facet = copy.deepcopy(good)
    bad_facet["outputs"][0]["facets"]["columnLineage"]["fields"] = ["col0"]
    bad_schema = copy.deepcopy(good)
    bad_schema["outputs"][0]["facets"]["schema"]["fields"] = [{"type": "INT"}]
    assert [p["path"] for p in _refused(s, [no_run_id])] == ["$.run.runId"]
    assert [p["path"] for p in _refused(s, [bad_time])] == ["$.eventTime"]
    assert [p["path"] for p in _refused(s, [bad_facet])] == \
        ["$.outputs[0].facets.columnLineage.fields"]
    assert [p["path"] for p in _refused(s, [bad_schema])] == \
        ["$.outputs[0].facets.schema.fields[0].name"]
    problems = _refused(s, [good, bad_time, no_run_id], batch=True)
    assert [p["path"] for p in problems] == ["$[1].eventTime", "$[2].run.runId"]
    assert all(p["zh"] and p["en"] for p in problems)
    # a facet found valid before is remembered, a changed one is checked again
    assert [p["path"] for p in _refused(s, [bad_facet])] == \
        ["$.outputs[0].facets.columnLineage.fields"]
    bad_type = dict(copy.deepcopy(good), eventType="DONE")
    assert "START" in _refused(s, [bad_type])[0]["zh"]
    assert _refused(s, ["not an event"])[0]["path"] == "$"
    assert SOURCE not in [x.name for x in s.sources()]


def test_observed_datasets_are_not_a_template_source(lineage_store):
    """The observed source is only ever appended to: its version graph stays the same."""
    s = lineage_store
    ingest(s, [run_event("START", RUN)])
    ver = s.current_versions()[s.graph_of(SOURCE)]
    ingest(s, [run_event("COMPLETE", RUN)])
    assert s.current_versions()[s.graph_of(SOURCE)] == ver
    assert any(True for _ in s.store.quads_for_pattern(
        None, NamedNode(PROV + "generated"), None, NamedNode(ver)))
    assert any(True for _ in s.store.quads_for_pattern(
        None, NamedNode(YS + "endedAtTime"), None, NamedNode(ver))) is False


def _with_columns(event: dict, columns: list[tuple[str, str, bool]]) -> dict:
    """``event`` with its columnLineage set to (input field, output field, masking)."""
    ev = copy.deepcopy(event)
    facet = ev["outputs"][0]["facets"]["columnLineage"]
    facet["fields"] = {}
    for src, dst, masking in columns:
        facet["fields"].setdefault(dst, {"inputFields": []})["inputFields"].append(
            {"namespace": HJ[0], "name": HJ[1], "field": src,
             "transformations": [{"type": "DIRECT", "subtype": "TRANSFORMATION" if masking
                                  else "IDENTITY", "masking": masking}]})
    return ev


def test_observed_edges_between_resources_and_items_with_their_evidence(lineage_store):
    from graph.iris import code_of
    from graph.observed import observed_edges

    s = lineage_store
    cols = [("公民身份号码", "身份证号", False), ("姓名", "姓名", False), ("姓名", "救助金额", True)]
    ingest(s, [_with_columns(run_event("START", RUN), cols),
               _with_columns(run_event("COMPLETE", RUN, time="2026-11-20T08:09:00Z"), cols)])
    (edge,) = observed_edges(s)
    assert (edge.down, edge.up) == (s.base + "resource/RES-DB", s.base + "resource/RES-HJ")
    assert edge.evidence == "BOTH" and edge.runs == 1 and edge.last_seen == "2026-11-20T08:09:00Z"
    assert edge.jobs == (s.base + "lineage/job/exchange/hj-to-mz",)
    items = {(code_of(e.down, s.base), code_of(e.up, s.base)): e
             for e in observed_edges(s, items=True)}
    assert set(items) == {("RES-DB/身份证号", "RES-HJ/公民身份号码"), ("RES-DB/姓名", "RES-HJ/姓名"),
                          ("RES-DB/救助金额", "RES-HJ/姓名")}
    masked = items[("RES-DB/救助金额", "RES-HJ/姓名")]
    assert masked.evidence == "OBSERVED"  # 救助金额 declares no 来源资源代码
    assert masked.transformation == ("DIRECT", "TRANSFORMATION", True)
    assert items[("RES-DB/姓名", "RES-HJ/姓名")].evidence == "BOTH"


def test_no_load_may_replace_the_observed_source(lineage_store, tmp_path):
    from loaders.errors import TemplateError

    s = lineage_store
    ingest(s, [run_event("START", RUN)])
    n = _observed(s)
    for path in (declared_catalog(tmp_path / "again"), tmp_path / "x.ttl"):
        if path.suffix == ".ttl":
            path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            load_path(s, path, SOURCE)
        assert "reserved for observed lineage" in str(e.value)
    assert _observed(s) == n
