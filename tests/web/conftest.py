"""The fixtures of this folder, from the plain module tests.web.pages (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.web.pages import *  # noqa: F401,F403
