"""The /bulletin page and its downloads over a store with a history (the two hand-made quarters
loaded with their dates): the movers, and every role sees exactly the findings it may — a 涉密
resource added in 2026Q3 and its findings are absent for the roles that may not see 涉密
entries, in the page and in the PDF and HTML downloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.access import AccessConfig
from api.app import create_app
from graph.history import stamped
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import ACCESS, KEYS

from .catalogs import quarter_before, quarter_now

SECRET = ("RES-GA-SEC", "公安涉密专案线索")
BJ = dt.timezone(dt.timedelta(hours=8))


def _with_secret():
    c = quarter_now()
    c.add("catalog.csv", 资源代码="RES-GA-SEC", 资源名称="公安涉密专案线索", 资源摘要="涉密专案线索",
          资源分类="部门信息资源", 提供方部门编码="D-GA", 来源系统编码="S-HJ", 共享类型="不予共享",
          不予共享依据="《中华人民共和国保守国家秘密法》", 更新周期="", 敏感级别="四级", 是否涉密="是",
          发布日期="2026-07-01", 数据格式="数据库表")  # CAT-002: no 更新周期
    c.add("items.csv", 资源代码="RES-GA-SEC", 信息项名称="线索编号", 数据类型="字符型", 是否权威来源="否")
    return c


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-bulletin")
    store = CatalogStore(tmp / "store")
    with stamped(dt.datetime(2026, 5, 1, 10, tzinfo=BJ), "测试"):
        load_path(store, quarter_before().write(tmp / "before"), "catalog")
    with stamped(dt.datetime(2026, 8, 1, 10, tzinfo=BJ), "测试"):
        load_path(store, _with_secret().write(tmp / "now"), "catalog")
    app = create_app(OxigraphGraph(store), store, AccessConfig.from_dict(ACCESS))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def get(client, url: str, role: str | None = None):
    return client.get(url, headers={"X-API-Key": KEYS[role]} if role else {})


def test_the_secret_resource_has_a_new_finding(client):
    r = get(client, "/bulletin?quarter=2026Q3", "governance")
    assert r.status_code == 200
    assert "CAT-002" in r.text and "resource:RES-GA-SEC" in r.text
    for code, movement in (("D-MZ", "up"), ("D-GA", "down"), ("D-JY", "down"),
                           ("D-GOV", "level")):
        assert f'data-code="{code}" data-movement="{movement}"' in r.text


@pytest.mark.parametrize("role", [None, "analyst", "integrator"])
def test_roles_without_secrets_do_not_see_it(client, role):
    r = get(client, "/bulletin?quarter=2026Q3", role)
    assert r.status_code == 200
    assert not any(s in r.text for s in SECRET)
    assert 'data-code="D-GA" data-movement="down"' in r.text  # the rest is there
    assert "SHR-003" in r.text and "REQ-002" in r.text
    html = get(client, "/bulletin.html?quarter=2026Q3", role)
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert not any(s in html.text for s in SECRET) and "示范区公安分局" in html.text


def test_pdf_download_honours_the_role(client):
    r = get(client, "/bulletin.pdf?quarter=2026Q3")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "示范区政务数据共享工作季度通报" in text and "示范区公安分局" in text
    assert not any(s in text for s in SECRET)


def test_bad_requests(client):
    r = get(client, "/bulletin?quarter=2026Q7")
    assert r.status_code == 400 and "2026Q3" in r.text
    assert get(client, "/bulletin.pdf?quarter=nope").status_code == 400
    assert get(client, "/bulletin.docx?quarter=2026Q3").status_code == 400


def test_nav_links_the_page(client):
    r = get(client, "/bulletin")  # default: the last quarter that has ended
    assert r.status_code == 200 and '<a href="/bulletin" aria-current="page">' in r.text
