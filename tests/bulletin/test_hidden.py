"""The bulletin's hidden set is the one every door uses (graph.observed.deleted_with): a 涉密
resource and the physical dataset it declares, its fields and the flows touching it, as the
catalog stood then — so a finding about that dataset is not shown to a role that may not see
涉密 entries either."""

from __future__ import annotations

import csv

from api.policy import Restrictions
from api.web.bulletin import _PastSecrets
from graph.observed import deleted_with
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from loaders.openlineage import ingest
from tests.lineage.events import DB, HJ, declared_catalog, run_event

RUN = "0190e6a4-8c1e-7d3b-9f00-00000000b001"


def _secret_hj(folder):
    path = folder / "catalog.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["资源代码"] == "RES-HJ":
            r["是否涉密"] = "是"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return folder


def test_past_secrets_take_the_observed_lineage_of_a_hidden_resource(tmp_path):
    store = CatalogStore(tmp_path / "store")
    load_path(store, _secret_hj(declared_catalog(tmp_path / "small")), "small")
    ingest(store, [run_event("START", RUN, time="2026-11-20T08:00:00Z"),
                   run_event("COMPLETE", RUN, time="2026-11-20T08:05:00Z")])
    secret = Restrictions(OxigraphGraph(store)).hidden()
    assert any(i.endswith("RES-HJ") for i in secret)
    hidden = _PastSecrets(store).hidden()
    assert hidden == deleted_with(store, secret)
    extra = hidden - secret  # the HJ dataset, its fields and the flow reading it
    keys = {str(row["ds"]): str(row["k"]) for row in store.select(
        "SELECT ?ds ?k WHERE { ?ds <https://w3id.org/yishu/def#datasetKey> ?k }")}
    hj = {ds for ds, k in keys.items() if HJ[1] in k}
    db = {ds for ds, k in keys.items() if DB[1] in k}
    assert hj and db
    assert hj <= extra and not db & hidden  # RES-DB is not 涉密: its dataset stays
    assert len(extra) > len(hj)  # the dataset's fields and the flow reading it go too
