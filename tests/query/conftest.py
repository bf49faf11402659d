"""The fixtures of this folder, from the plain module tests.query.graphs (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.query.graphs import *  # noqa: F401,F403
