"""The fixtures of this folder, from the plain module tests.loaders.csvs (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.loaders.csvs import *  # noqa: F401,F403
