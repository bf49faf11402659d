"""The fixtures of this folder, from the plain module tests.workflow.served (tests share helpers
through plain modules, never by importing a conftest)."""

from tests.workflow.served import *  # noqa: F401,F403
