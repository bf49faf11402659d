"""The CLI beside a running ``yishu serve`` on the same store: read-only commands work, ``yishu
load`` either goes through the server (``--server URL --key``) or says exactly what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import yishu_serve

SMALL = Path(__file__).resolve().parent / "fixtures" / "small"
BAD = Path(__file__).resolve().parent / "fixtures" / "bad" / "catalog-with-errors"
KEY = "beside-server-admin-key"


def _yishu(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yishu", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("beside")
    store = tmp / "store"
    assert _yishu("load", str(SMALL), "--store", str(store), cwd=tmp).returncode == 0
    cfg = tmp / "access.yaml"
    cfg.write_text(f"keys:\n  - name: clerk\n    role: admin\n    key: {KEY}\n",
                   encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with yishu_serve("--store", str(store), "--access-config", str(cfg), "--log-level",
                     "warning", env=env) as url:
        yield tmp, store, url


def test_read_only_commands_work_while_serving(served):
    tmp, store, _url = served
    stats = _yishu("stats", "--store", str(store), cwd=tmp)
    assert stats.returncode == 0, stats.stderr
    assert "source small" in stats.stdout
    export = _yishu("export", "--store", str(store), "--format", "ntriples", cwd=tmp)
    assert export.returncode == 0 and "RES-HJ" in export.stdout


def test_load_on_a_served_store_says_what_to_do(served):
    tmp, store, _url = served
    r = _yishu("load", str(SMALL), "--store", str(store), "--source", "again", cwd=tmp)
    assert r.returncode == 2
    assert "正被另一个进程" in r.stderr and "--server" in r.stderr and "--key" in r.stderr
    assert "Traceback" not in r.stderr and "LOCK" not in r.stderr


def test_load_through_the_server(served):
    tmp, store, url = served
    # the same source again: a replacement, through the server that holds the store
    r = _yishu("load", str(SMALL), "--server", url, "--key", KEY, "--source", "small", cwd=tmp)
    assert r.returncode == 0, r.stderr
    assert "loaded through" in r.stdout and "'small'" in r.stdout
    bad = _yishu("load", str(BAD), "--server", url, "--key", KEY, "--source", "bad", cwd=tmp)
    assert bad.returncode == 2 and "个错误，未写入任何数据" in bad.stderr
    assert "departments.csv 第4行/row 4 [行政层级]" in bad.stderr
    nokey = _yishu("load", str(SMALL), "--server", url, "--source", "x", cwd=tmp)
    assert nokey.returncode == 2 and "--key" in nokey.stderr
    stats = _yishu("stats", "--store", str(store), cwd=tmp)
    assert "source small" in stats.stdout and "source bad" not in stats.stdout
