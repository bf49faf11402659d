"""The fixtures of this folder, from the plain module tests.lineage.events (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.lineage.events import *  # noqa: F401,F403
