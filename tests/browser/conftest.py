"""The fixtures of this folder, from the plain module tests.browser.browsers (tests share helpers through plain
modules, never by importing a conftest)."""

from tests.browser.browsers import *  # noqa: F401,F403
