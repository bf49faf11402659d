"""A plain (non-editable) install carries the demo district: ``yishu demo`` works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_demo_runs_from_an_installed_wheel(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True, timeout=600, cwd=tmp_path)
    wheel = next(wheels.glob("yishu-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("departments.csv", "catalog.csv", "items.csv", "DEFECTS.md"):
        assert f"yishu/demo_district/{f}" in names
    # its history (the bulletin's two quarters) and the bulletin's templates
    assert "yishu/demo_district/history/manifest.json" in names
    assert "yishu/demo_district/history/2026-08-20/catalog.csv" in names
    assert {"shapes/templates/bulletin.html", "shapes/templates/bulletin.css"} <= set(names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    where = subprocess.run([sys.executable, "-c", "from yishu import config; print(config.DEMO_DIR)"],
                           capture_output=True, text=True, env=env, cwd=elsewhere, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout + where.stderr
    r = subprocess.run([sys.executable, "-m", "yishu", "demo", "--store", "st"],
                       capture_output=True, text=True, env=env, cwd=elsewhere, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "demo-district" in r.stdout and "triples" in r.stdout
