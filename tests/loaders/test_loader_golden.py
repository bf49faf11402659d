"""Golden file: tests/fixtures/small → RDF, compared line by line with the stored N-Triples.

The expected output is ``tests/fixtures/golden/small.nt`` (sorted N-Triples, base IRI
https://data.yishu.example/). After an intended change of the mapping, regenerate it with

    YISHU_REGEN_GOLDEN=1 .venv/bin/pytest tests/loaders/test_loader_golden.py

and review the diff before committing.
"""

from __future__ import annotations

import os

from graph.store import CatalogStore
from loaders import load_path
from tests.loaders.csvs import BASE, FIXTURES, SMALL

GOLDEN = FIXTURES / "golden" / "small.nt"


def small_ntriples() -> str:
    store = CatalogStore(base=BASE)
    load_path(store, SMALL, "small")
    lines = sorted(set(store.export("ntriples").decode("utf-8").splitlines()) - {""})
    return "\n".join(lines) + "\n"


def test_small_fixture_maps_to_the_golden_triples():
    got = small_ntriples()
    if os.environ.get("YISHU_REGEN_GOLDEN") == "1":
        GOLDEN.write_text(got, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    missing = sorted(set(expected.splitlines()) - set(got.splitlines()))
    extra = sorted(set(got.splitlines()) - set(expected.splitlines()))
    assert not missing and not extra, {"missing": missing[:20], "unexpected": extra[:20]}
    assert got == expected


def test_golden_file_shows_the_documented_shape():
    """Spot checks of the RDF shape the brief describes, on the golden file itself."""
    nt = GOLDEN.read_text(encoding="utf-8")
    ys = "https://w3id.org/yishu/def#"
    item = f"<{BASE}item/RES-DB/%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7>"  # RES-DB/身份证号
    assert f'{item} <http://purl.org/dc/terms/identifier> "RES-DB/身份证号" .' in nt
    assert f"{item} <{ys}takenFrom> <{BASE}resource/RES-HJ> ." in nt
    assert (f'<{BASE}request/REQ-1> <{ys}requestedAt> '
            '"2024-03-01T09:00:00+08:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .') in nt
    assert (f"<{BASE}resource/RES-HJ> <{ys}sharingType> "
            "<https://w3id.org/yishu/code/SharingType/conditional> .") in nt
    assert (f'<{BASE}element/DE-SFZ> <http://www.w3.org/2004/02/skos/core#altLabel> '
            '"身份证号码"@zh .') in nt
