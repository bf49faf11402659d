"""The fixtures of this folder, from the plain module tests.usage.usage_data (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.usage.usage_data import *  # noqa: F401,F403
