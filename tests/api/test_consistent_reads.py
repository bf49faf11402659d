"""Reads during an upload (issue 15 item 2), against a real uvicorn server on loopback.

Readers ask, as anonymous, one question that touches a department, its resources and one
resource by code (several calls into the store, through DataLoaders and worker threads) while an
admin uploads, again and again, two versions of that department: version A names everything
``…-A`` and leaves RES-APIX-OPEN open; version B names everything ``…-B`` and marks RES-APIX-OPEN
涉密. Every answer must be wholly A or wholly B, and no answer from B may show RES-APIX-OPEN."""

from __future__ import annotations

import csv
import io
import threading
import zipfile

import httpx

from api.access import AccessConfig
from api.app import create_app
from api.server import ThreadedServer
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS, SECRET, SMALL

N_EXTRA = 150  # more resources in the department: an upload takes long enough to race with
QUERY = """{ department(code: "D-APIX") { name resources { code name } }
  open: resource(code: "RES-APIX-OPEN") { code name } }"""


def _version(tag: str, classified: bool) -> bytes:
    """The secret fixture's department as a ZIP, every name suffixed ``-tag``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted(SECRET.glob("*.csv")):
            rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
            header, body = rows[0], rows[1:]
            if p.name == "departments.csv":
                body[0][header.index("部门名称")] += f"-{tag}"
            if p.name == "catalog.csv":
                name = header.index("资源名称")
                sec = next(r for r in body if r[0] == "RES-APIX-SEC")
                opened = next(r for r in body if r[0] == "RES-APIX-OPEN")
                for r in body:
                    r[name] += f"-{tag}"
                if classified:  # RES-APIX-OPEN takes the 涉密 row's classification columns
                    for col in ("共享类型", "共享条件", "不予共享依据", "共享方式", "应用场景",
                                "提供渠道", "敏感级别", "是否涉密"):
                        opened[header.index(col)] = sec[header.index(col)]
                for i in range(N_EXTRA):
                    extra = list(opened)
                    extra[0] = f"RES-APIX-X{i:03d}"
                    extra[name] = f"附加资源{i:03d}-{tag}"
                    extra[header.index("是否涉密")] = "否"
                    extra[header.index("共享类型")] = "无条件共享"
                    extra[header.index("共享条件")] = ""
                    extra[header.index("不予共享依据")] = ""
                    extra[header.index("共享方式")] = "接口调用"
                    extra[header.index("应用场景")] = "统计分析"
                    extra[header.index("提供渠道")] = "区县级平台"
                    extra[header.index("敏感级别")] = "二级"
                    extra[header.index("上游资源代码")] = ""
                    body.append(extra)
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([header, *body])
            z.writestr(p.name, out.getvalue())
    return buf.getvalue()


def _tags(answer: dict) -> tuple[set[str], bool]:
    """(the version tags seen in one answer, whether RES-APIX-OPEN was shown)."""
    d = answer["data"]
    names = [d["department"]["name"], *(r["name"] for r in d["department"]["resources"])]
    shown = d["open"] is not None
    if shown:
        names.append(d["open"]["name"])
    shown = shown or any(r["code"] == "RES-APIX-OPEN" for r in d["department"]["resources"])
    return {n.rsplit("-", 1)[-1] for n in names}, shown


def test_reads_during_uploads_are_never_mixed():
    a, b = _version("A", classified=False), _version("B", classified=True)
    store = CatalogStore()
    load_path(store, SMALL, "small")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    answers: list[tuple[set[str], bool]] = []
    errors: list[str] = []
    stop = threading.Event()
    with ThreadedServer(app) as srv:
        admin = {"X-API-Key": KEYS["admin"]}

        def upload(data: bytes) -> None:
            r = httpx.post(srv.url + "/admin/upload", headers=admin, timeout=120,
                           files={"file": ("dept.zip", data, "application/zip")},
                           data={"source": "dept"})
            assert r.status_code == 200, r.text[:1000]

        upload(a)

        def read() -> None:
            with httpx.Client(base_url=srv.url, timeout=60) as c:
                while not stop.is_set():
                    r = c.post("/graphql", json={"query": QUERY})
                    body = r.json()
                    # a hidden resource is not found (as if it did not exist): that is no error
                    problems = [e for e in body.get("errors") or []
                                if e.get("extensions", {}).get("code") != "NOT_FOUND"
                                or e.get("path") != ["open"]]
                    if r.status_code != 200 or problems or body.get("data") is None:
                        errors.append(str(body.get("errors"))[:500])
                        continue
                    answers.append(_tags(body))

        readers = [threading.Thread(target=read) for _ in range(4)]
        for t in readers:
            t.start()
        try:
            for data in (b, a, b, a, b, a, b):
                upload(data)
        finally:
            stop.set()
            for t in readers:
                t.join(60)
        # after the last swap (to B), anonymous never sees RES-APIX-OPEN
        for _ in range(5):
            tags, shown = _tags(httpx.post(srv.url + "/graphql", json={"query": QUERY}).json())
            assert tags == {"B"} and not shown
        admin_view = httpx.post(srv.url + "/graphql", json={"query": QUERY}, headers=admin).json()
    assert not errors, errors[:3]
    assert len(answers) >= 10, "the readers did not overlap the uploads"
    mixed = [t for t, _ in answers if len(t) != 1]
    assert not mixed, f"{len(mixed)} of {len(answers)} answers mixed versions: {mixed[:3]}"
    leaked = [1 for t, shown in answers if t == {"B"} and shown]
    assert not leaked, f"{len(leaked)} answers of version B showed the newly 涉密 resource"
    seen = {next(iter(t)) for t, _ in answers}
    assert seen == {"A", "B"}, seen  # both versions were read while they changed
    # the admin (the tests' access config is a classified network) sees it: not vacuous
    assert admin_view["data"]["open"]["name"].endswith("-B")
