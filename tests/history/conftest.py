"""The fixtures of this folder, from the plain module tests.history.histories (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.history.histories import *  # noqa: F401,F403
