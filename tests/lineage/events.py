"""Fixtures for observed lineage: the small catalog with 物理数据集 declared, events."""

from __future__ import annotations

import copy
import csv
import json
import shutil
from pathlib import Path

import pytest

from graph.store import CatalogStore
from loaders import load_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# the spec's example events, copied unchanged from ../shared/standards/openlineage-2-0-2
# (test_ingest checks the copies while that folder is there)
EXAMPLES = Path(__file__).resolve().parent / "fixtures"
STANDARDS = Path(__file__).resolve().parents[3] / "shared" / "standards" / "openlineage-2-0-2"

# physical datasets the small catalog's resources are published as
HJ = ("postgres://hj.gov:5432", "hj.public.people")  # RES-HJ 户籍人口信息
DB = ("postgres://mz.gov:5432", "mz.public.dibao")  # RES-DB 低保对象信息
STRAY = ("s3://exchange", "tmp/export.csv")  # declared by no resource
DECLARED = {"RES-HJ": [HJ], "RES-DB": [DB]}
SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
PRODUCER = "https://example.gov/exchange/v1"
CL_URL = ("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"
          "#/$defs/ColumnLineageDatasetFacet")


def declared_catalog(dest: Path, declared: dict[str, list[tuple[str, str]]] = DECLARED) -> Path:
    """tests/fixtures/small copied to ``dest`` with the 物理数据集 column filled in."""
    shutil.copytree(FIXTURES / "small", dest)
    path = dest / "catalog.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("物理数据集")
    for r in rows[1:]:
        r.append(";".join(f"{ns}|{name}" for ns, name in declared.get(r[0], [])))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return dest


@pytest.fixture
def lineage_store(tmp_path) -> CatalogStore:
    s = CatalogStore(tmp_path / "store")
    load_path(s, declared_catalog(tmp_path / "small"), "small")
    return s


def run_event(event_type: str, run_id: str, *, time: str = "2026-11-20T08:00:00Z",
              job: str = "hj-to-mz", inputs=(HJ,), outputs=(DB,), columns: int = 2) -> dict:
    """A RunEvent of the exchange job copying ``columns`` columns from the first input to each
    output (with schema and columnLineage facets)."""
    names = [f"col{i}" for i in range(columns)]

    def out(ns: str, name: str) -> dict:
        return {"namespace": ns, "name": name, "facets": {
            "schema": {"_producer": PRODUCER, "_schemaURL": SCHEMA_URL,
                       "fields": [{"name": n, "type": "VARCHAR"} for n in names]},
            "columnLineage": {"_producer": PRODUCER, "_schemaURL": CL_URL, "fields": {
                n: {"inputFields": [{"namespace": inputs[0][0], "name": inputs[0][1], "field": n,
                                     "transformations": [{"type": "DIRECT",
                                                          "subtype": "IDENTITY",
                                                          "masking": False}]}]}
                for n in names}}}}

    return {"eventType": event_type, "eventTime": time, "producer": PRODUCER,
            "schemaURL": SCHEMA_URL, "run": {"runId": run_id},
            "job": {"namespace": "exchange", "name": job},
            "inputs": [{"namespace": ns, "name": n} for ns, n in inputs],
            "outputs": [out(ns, n) for ns, n in outputs] if inputs else []}


def spec_examples() -> list[dict]:
    """The spec's own columnLineage examples, each as the facet of an output in a RunEvent."""
    out = []
    for i, name in enumerate(("example-columnLineage-1.json", "example-columnLineage-2.json")):
        facet = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["columnLineage"]
        facet = {"_producer": PRODUCER, "_schemaURL": CL_URL, **copy.deepcopy(facet)}
        out.append({"eventType": "COMPLETE", "eventTime": "2026-11-21T09:00:00+08:00",
                    "producer": PRODUCER, "schemaURL": SCHEMA_URL,
                    "run": {"runId": f"0176a8c2-fe01-7439-87e6-56a1a1b4029{i}"},
                    "job": {"namespace": "SnowflakeOpenLineage", "name": f"example-{i}"},
                    "inputs": [], "outputs": [{"namespace": "SnowflakeOpenLineage",
                                               "name": f"EXAMPLE_OUT_{i}",
                                               "facets": {"columnLineage": facet}}]})
    return out


EVIDENCE_RUN = "0190f5c4-1111-7aaa-8bbb-000000000001"


def _evidence_event(event_type: str, time: str) -> dict:
    """The exchange job copying HJ's table into DB's with column lineage 身份证号 ← 公民身份号码
    (declared too) and 救助金额 ← 公民身份号码 (declared nowhere); nothing for 姓名."""

    def source(field: str) -> dict:
        return {"inputFields": [{"namespace": HJ[0], "name": HJ[1], "field": field,
                                 "transformations": [{"type": "DIRECT", "subtype": "IDENTITY",
                                                      "masking": False}]}]}

    facets = {"columnLineage": {"_producer": PRODUCER, "_schemaURL": CL_URL, "fields": {
        "身份证号": source("公民身份号码"), "救助金额": source("公民身份号码")}}}
    return {"eventType": event_type, "eventTime": time, "producer": PRODUCER,
            "schemaURL": SCHEMA_URL, "run": {"runId": EVIDENCE_RUN},
            "job": {"namespace": "exchange", "name": "hj-to-mz"},
            "inputs": [{"namespace": HJ[0], "name": HJ[1]}],
            "outputs": [{"namespace": DB[0], "name": DB[1], "facets": facets}]}


def observed_catalog(store: CatalogStore, tmp: Path) -> CatalogStore:
    """``store`` with the small catalog (物理数据集 declared) and one observed run of the exchange
    job (START and COMPLETE): declared, observed-only and declared-and-observed lineage."""
    from loaders.openlineage import ingest

    load_path(store, declared_catalog(tmp / "small"), "small")
    ingest(store, [_evidence_event("START", "2026-11-20T08:00:00Z"),
                   _evidence_event("COMPLETE", "2026-11-20T08:05:00Z")])
    return store
