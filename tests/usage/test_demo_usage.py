"""The demo district's usage statistics: ``yishu demo``'s loader imports them, they show the six
zombie resources planted by examples/build_usage_demo.py, and they change no other audit answer;
the examples of docs/usage.md import as written."""

from __future__ import annotations

import re

import pytest

from graph.store import CatalogStore
from loaders.usage import import_usage
from yishu import config
from yishu.demo import load_demo

pytestmark = pytest.mark.skipif(not (config.DEMO_DIR / "usage").is_dir(),
                                reason="the demo district's usage file is absent")
DOC = (config.PROJECT_ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
PLANTED = ["resource:R-HB-PW", "resource:R-JY-ZZ", "resource:R-SF-TJ", "resource:R-TJ-YD",
           "resource:R-ZJ-GJJ", "resource:R-ZT-TYJR"]


@pytest.fixture(scope="module")
def demo() -> CatalogStore:
    store = CatalogStore()
    loaded = load_demo(store, config.DEMO_DIR)
    report, usage = loaded.report, loaded.usage
    assert report.source == "demo-district"
    assert [(u.source, u.records) for u in usage] == [("usage-platform-2025", 1230)]
    return store


def test_zombies_of_the_demo_and_nothing_else_changes(demo):
    from shapes.audit import audit

    with_usage = audit(demo, as_of="2025-11-20")
    assert sorted(f.focus_ref for f in with_usage.findings if f.rule == "USE-001") == PLANTED
    assert demo.remove_source("usage-platform-2025")  # the same store without the statistics
    without = audit(demo, as_of="2025-11-20")
    assert not [f for f in without.findings if f.rule == "USE-001"]
    assert with_usage.keys("Violation") == without.keys("Violation")
    assert {k for k in with_usage.keys("Warning", "Info") if k[0] != "USE-001"} == \
        without.keys("Warning", "Info")


@pytest.mark.parametrize(("lang", "name"), [("csv", "doc.csv"), ("json", "doc.json")])
def test_the_examples_of_the_docs_import(demo, lang, name):
    text = re.search(rf"```{lang}\n(.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]
    report = import_usage(demo, text.encode(), name, "usage-docs-example")
    assert report.records == (3 if lang == "csv" else 1)
