"""The fixtures of this folder, from the plain module tests.api.catalog (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.api.catalog import *  # noqa: F401,F403
