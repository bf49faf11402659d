"""The fixtures of this folder, from the plain module tests.common (tests share helpers through
plain modules, never by importing a conftest)."""

import pytest

# the plain helper modules get pytest's assertion messages too
pytest.register_assert_rewrite("tests.common", "tests.api.catalog", "tests.web.pages",
                               "tests.loaders.csvs", "tests.query.graphs", "tests.lineage.events",
                               "tests.csv_rules", "tests.history.files", "tests.usage.catalog",
                               "tests.workflow.served")

from tests.common import *  # noqa: E402,F401,F403
