"""Hostile and careless files through every door that takes them (issue 15 item 4): a ZIP bomb,
too many members, a cell over the limit, CR-only line endings, a broken XLSX, not a ZIP, an
archive with no template file, GBK / GB18030 and UTF-8 with BOM. Each is a located zh / en error
(never a traceback from ``yishu load``, never a 500 from POST /admin/upload or the web admin),
and a refused load leaves the store exactly as it was."""

from __future__ import annotations

import html
import io
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import TemplateError, load_path, load_upload
from loaders.readers import ReadLimits, read_zip
from tests.api.catalog import ACCESS, KEYS
from tests.loaders.csvs import SMALL
from tests.web.pages import csrf_of
from yishu.cli import main

ADMIN = {"X-API-Key": KEYS["admin"]}


def _zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _small(encode=lambda text: text.encode("utf-8"), change=None) -> dict[str, bytes]:
    out = {}
    for p in sorted(SMALL.glob("*.csv")):
        text = p.read_text(encoding="utf-8-sig")
        if change is not None:
            text = change(p.name, text)
        out[p.name] = encode(text)
    return out


def _bomb(path: Path, inflated_mib: int = 2048, name: str = "catalog.csv") -> Path:
    """A ZIP of ~2 MB whose one member inflates to ``inflated_mib`` MiB of zeros, with honest
    sizes and CRC: one deflated MiB (after a full flush the compressor repeats itself) written
    ``inflated_mib`` times — built in a second instead of compressing 2 GB."""
    chunk = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert again == c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    data = first + again * (inflated_mib - 1) + c.flush()
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(chunk, crc)
    size, fn = inflated_mib << 20, name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                        len(fn), 0) + fn
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                          len(data), size, len(fn), 0, 0, 0, 0, 0, 0) + fn
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data),
                      0)
    path.write_bytes(local + data + central + end)
    return path


def test_the_bomb_is_a_valid_zip(tmp_path):
    """The same construction, small: a ZIP that Python's zipfile reads back, CRC checked."""
    z = zipfile.ZipFile(_bomb(tmp_path / "b.zip", 8))
    assert z.testzip() is None and z.read("catalog.csv") == bytes(8 << 20)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.zip")


def _long_cell(name: str, text: str) -> str:
    if name != "catalog.csv":
        return text
    lines = text.splitlines()
    head, first = lines[0].split(","), lines[1].split(",")
    first[head.index("资源名称")] = "长" * (200 * 1024)
    return "\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n"


def _broken_xlsx() -> bytes:
    """A workbook whose sheet XML is cut in the middle."""
    import tempfile

    from loaders.writer import write_xlsx_template

    with tempfile.TemporaryDirectory() as d:
        good = zipfile.ZipFile(io.BytesIO(write_xlsx_template(Path(d) / "t.xlsx").read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for m in good.infolist():
            data = good.read(m)
            if m.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            z.writestr(m, data)
    return buf.getvalue()


# name, file name, bytes, what the error says (en), file it names, row it names
HOSTILE = [
    ("long cell", "cat.zip", lambda: _zip_of(_small(change=_long_cell)), "cell too long",
     "catalog.csv", 2),
    ("not a zip", "cat.zip", lambda: b"PK\x03\x04 this is not really a zip", "not a valid ZIP",
     "cat.zip", None),
    ("broken xlsx", "cat.xlsx", _broken_xlsx, "cannot read the sheet", "cat.xlsx:", 1),
    ("no template file", "cat.zip", lambda: _zip_of({"README.txt": b"hello"}),
     "no template file", "cat.zip", None),
    ("too many members", "cat.zip",
     lambda: _zip_of({f"x/{i}.txt": b"" for i in range(1001)}), "too many members", "cat.zip",
     None),
]


@pytest.fixture
def files(tmp_path):
    def write(name: str, data: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(data)
        return p
    return write


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_cli_refuses_with_a_located_error(case, files, tmp_path):
    _, name, make, en, where, row = case
    store = tmp_path / "s"
    ok = CliRunner().invoke(main, ["load", str(SMALL), "--store", str(store), "--source", "x"])
    assert ok.exit_code == 0, (ok.output, ok.exception)
    before = _dump(store)
    r = CliRunner().invoke(main, ["load", str(files(name, make())), "--store", str(store),
                                  "--source", "x"])
    assert r.exit_code == 2, (r.output, r.exception)
    assert "Traceback" not in r.output and en in r.output and where in r.output, r.output
    assert "导入失败" in r.output, r.output
    if row is not None:
        assert f"第{row}行/row {row}" in r.output, r.output
    # the source of the same name is intact
    assert _dump(store) == before


def _dump(path: Path) -> str:
    s = CatalogStore(path, read_only=True)
    try:
        return s.export("nquads").decode()
    finally:
        del s


@pytest.fixture
def upload_app():
    store = CatalogStore()
    load_path(store, SMALL, "small")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, store


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_rest_upload_refuses_with_422_and_keeps_the_source(case, upload_app):
    _, name, make, en, where, row = case
    c, store = upload_app
    before = store.export("nquads")
    r = c.post("/admin/upload", files={"file": (name, make(), "application/zip")},
               data={"source": "small"}, headers=ADMIN)  # the same name as the loaded source
    assert r.status_code == 422, r.text[:500]
    [err] = r.json()["errors"]
    assert en in err["en"] and err["zh"] and err["file"].startswith(where)
    assert err["row"] == row
    assert store.export("nquads") == before


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_web_admin_upload_refuses_with_422(case, upload_app):
    _, name, make, en, where, _row = case
    c, store = upload_app
    form = c.get("/signin?next=/admin")
    c.post("/signin", data={"key": KEYS["admin"], "csrf": csrf_of(form.text), "next": "/admin"})
    before = store.export("nquads")
    token = csrf_of(c.get("/admin").text)
    data = make()
    with pytest.raises(TemplateError) as e:  # the error the page must show
        load_upload(CatalogStore(), data, name, "small")
    r = c.post("/admin/load", data={"source": "small", "csrf": token},
               files={"file": (name, data, "application/zip")})
    assert r.status_code == 422 and 'id="load-errors"' in r.text and where in r.text
    assert html.escape(e.value.errors[0].zh, quote=False) in r.text
    assert store.export("nquads") == before


def test_zip_bomb_is_refused_quickly_in_small_memory(bomb, tmp_path):
    """2 GB inflated from ~2 MB: refused by the compression ratio after a few MB, in a fresh
    process whose peak memory stays small."""
    assert bomb.stat().st_size < 3 << 20
    # the peak of the loading process itself: VmHWM of its own memory after exec (ru_maxrss would
    # also carry the forking pytest worker's size into the child)
    p = subprocess.run([sys.executable, "-c", _PEAK, "load", str(bomb), "--store",
                        str(tmp_path / "s"), "--source", "bomb"], capture_output=True, text=True,
                       timeout=120)
    out = p.stdout + p.stderr
    assert p.returncode == 2, out
    assert "Traceback" not in out and "compression ratio over 100" in out
    assert "bomb.zip:catalog.csv" in out
    peak_kib = int(re.search(r"PEAK_KIB (\d+)", out).group(1))  # type: ignore[union-attr]
    assert peak_kib < 400 * 1024


_PEAK = """import atexit, runpy, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("PEAK_KIB " + line.split()[1] + "\\n")
atexit.register(_peak)
sys.argv = ["yishu"] + sys.argv[1:]
runpy.run_module("yishu", run_name="__main__", alter_sys=True)
"""


def test_zip_bomb_upload_is_refused(bomb, upload_app):
    c, store = upload_app
    before = store.export("nquads")
    r = c.post("/admin/upload", files={"file": ("bomb.zip", bomb.read_bytes(), "application/zip")},
               data={"source": "small"}, headers=ADMIN)
    assert r.status_code == 422 and "compression ratio" in r.json()["errors"][0]["en"]
    assert store.export("nquads") == before


def test_total_inflated_size_counts_every_member():
    """Members each under the ratio limit but together past ``max_inflated``."""
    data = _zip_of({f"{i}.csv": bytes(range(256)) * 4096 for i in range(4)})  # 1 MiB each
    with pytest.raises(TemplateError) as e:
        read_zip(data, "many.zip", ReadLimits(max_inflated=3 << 20))
    assert "inflates past the limit" in e.value.errors[0].en


def _triples(tmp_path, folder_files: dict[str, bytes], sub: str) -> tuple[int, str]:
    folder = tmp_path / sub
    folder.mkdir()
    for n, data in folder_files.items():
        (folder / n).write_bytes(data)
    r = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / f"{sub}.db"),
                                  "--source", "s"])
    assert r.exit_code == 0, r.output
    return int(r.output.split(" triples")[0].rsplit(" ", 1)[-1].replace(",", "")), r.output


def test_cr_only_line_endings_load_as_lf(tmp_path):
    lf, _ = _triples(tmp_path, _small(), "lf")
    cr, _ = _triples(tmp_path, _small(encode=lambda t: t.replace("\n", "\r").encode()), "cr")
    assert cr == lf


@pytest.mark.parametrize("encoding,named", [("gbk", "GB18030"), ("gb18030", "GB18030"),
                                            ("utf-8-sig", "UTF-8 (BOM)")])
def test_gbk_and_bom_load_with_the_encoding_named(encoding, named, tmp_path):
    plain, _ = _triples(tmp_path, _small(), "plain")
    n, out = _triples(tmp_path, _small(encode=lambda t: t.encode(encoding)), "enc")
    assert n == plain
    assert f"catalog.csv {named}" in out  # the CLI's load report


def test_rest_upload_names_the_encoding(upload_app):
    c, _ = upload_app
    files = _small(encode=lambda t: t.encode("gbk"))
    r = c.post("/admin/upload", files={"file": ("gbk.zip", _zip_of(files), "application/zip")},
               data={"source": "small"}, headers=ADMIN)
    assert r.status_code == 200, r.text[:500]
    assert r.json()["encodings"]["catalog.csv"] == "GB18030"


def test_harvest_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    import loaders.harvest as h

    p = tmp_path / "big.ttl"
    p.write_bytes(b"# " + b"x" * 2048 + b"\n")
    monkeypatch.setattr(h, "MAX_HARVEST_BYTES", 1024)
    with pytest.raises(TemplateError) as e:
        h.fetch_catalog(str(p))
    assert "exceeds" in e.value.errors[0].en and e.value.errors[0].file == "big.ttl"
