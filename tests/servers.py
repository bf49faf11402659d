"""Starting ``yishu serve`` as a real subprocess on a free loopback port, for the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

__all__ = ["free_port", "ready", "yishu_serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(url: str, timeout: float = 5) -> bool:
    """Whether the server at ``url`` answers ``/readyz`` with 200 (False while it cannot be
    reached)."""
    try:
        return httpx.get(url + "/readyz", timeout=timeout).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def yishu_serve(*args: str, env: dict[str, str], timeout: float = 60) -> Iterator[str]:
    """Run ``yishu serve ARGS --port P``; yield its base URL once /readyz answers 200; stop it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "yishu", "serve", *args, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while True:
            try:
                r = httpx.get(url + "/readyz", timeout=2)
                if r.status_code == 200:
                    break
                last = f"/readyz {r.status_code}: {r.text}"
            except httpx.TransportError as e:
                last = f"/readyz: {type(e).__name__}"
            assert proc.poll() is None, proc.stdout.read().decode()  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                proc.terminate()
                out = proc.communicate(timeout=10)[0].decode()
                raise AssertionError(f"yishu serve {' '.join(args)} did not start in {timeout} s "
                                     f"(last: {last}); its output:\n{out}")
            time.sleep(0.2)
        yield url
    except BaseException:
        # the server's own output, to say why a request through it failed (pytest shows it)
        proc.terminate()
        try:
            out = proc.communicate(timeout=10)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0].decode(errors="replace")
        print(f"--- yishu serve {' '.join(args)} output ---\n{out}", file=sys.stderr)
        raise
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
