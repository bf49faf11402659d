"""``yishu usage zombies`` counts back from the last day of the imported statistics (or
``--as-of``), not from today, and says which day it counted from: on the demo district (calls
end 2025-11-17) it lists the six planted zombies, not every shared resource."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.store import CatalogStore
from yishu import config
from yishu.cli import main
from yishu.demo import load_demo

pytestmark = pytest.mark.skipif(not (config.DEMO_DIR / "usage").is_dir(),
                                reason="the demo district's usage file is absent")
PLANTED = ["R-HB-PW", "R-JY-ZZ", "R-SF-TJ", "R-TJ-YD", "R-ZJ-GJJ", "R-ZT-TYJR"]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-usage") / "store"
    store = CatalogStore(path)
    load_demo(store, config.DEMO_DIR)
    store.close()
    return path


def listed(output: str) -> list[str]:
    return sorted(line.split()[0] for line in output.splitlines()[2:] if line.startswith("  "))


def test_zombies_count_back_from_the_end_of_the_statistics(demo_path):
    r = CliRunner().invoke(main, ["usage", "zombies", "--store", str(demo_path)])
    assert r.exit_code == 0, r.output
    first, second = r.output.splitlines()[:2]
    assert "2025-11-17" in first and "调用统计的最后一天" in first and "last day" in first
    assert second.startswith("6 shared resource(s) not called in the 90 days up to 2025-11-17")
    assert listed(r.output) == PLANTED


def test_zombies_as_of_a_given_day(demo_path):
    r = CliRunner().invoke(main, ["usage", "zombies", "--store", str(demo_path),
                                  "--as-of", "2026-12-01"])
    assert r.exit_code == 0, r.output
    assert "2026-12-01" in r.output.splitlines()[0] and "--as-of" in r.output.splitlines()[0]
    assert len(listed(r.output)) > len(PLANTED)  # a year after the data ends: all of them
