"""What the browser tests share: where chromium and axe-core are, ``yishu serve`` on a free
loopback port with an access file of the test's own, and the page guard that refuses (and
notes) any request to a host other than the server."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.servers import free_port, ready

__all__ = ["ROOT", "CHROMIUM", "AXE", "need_chromium", "served", "only_the_server"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "api" / "static" / "vendor" / "axe-core" / "axe.min.js"


def need_chromium() -> None:
    """Skip the test when Debian's chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not installed ({CHROMIUM})")


@contextmanager
def served(home: Path, access: dict, *args: str, timeout: float = 60) -> Iterator[str]:
    """``yishu serve ARGS`` with ``access`` as its access file and its output in
    ``home/serve.log``; yields the URL once /readyz answers 200, then stops it."""
    cfg = home / "access.yaml"
    cfg.write_text(yaml.safe_dump(access, allow_unicode=True), encoding="utf-8")
    port = free_port()
    log = (home / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", *args, "--port", str(port),
                             "--access-config", str(cfg), "--log-level", "warning"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while not ready(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("yishu serve did not start: "
                               + (home / "serve.log").read_text(encoding="utf-8")[-2000:])
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(30)
    log.close()


def only_the_server(pg, url: str, problems: list[str]) -> None:
    """Let ``pg`` reach the server at ``url`` only: any other request is refused and noted."""
    host = urlparse(url).netloc

    def route(r):
        if urlparse(r.request.url).netloc != host:
            problems.append(f"request to another host: {r.request.url}")
            r.abort()
        else:
            r.continue_()

    pg.route("**/*", route)
