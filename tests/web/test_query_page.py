"""The SPARQL page (/query): every example runs and draws a table; each role sees what it sees
through /sparql and GraphQL (the access probes, with admin proving them not vacuous); refused and
broken queries are explained on the page; downloads carry the signed-in caller's view."""

from __future__ import annotations

import csv
import io
import re

import pytest

from api.web.query import examples
from tests.api.catalog import KEYS, SECRET_CODES
from tests.web.pages import signin

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), \"APIX\") || " \
      "CONTAINS(STR(?o), \"APIX\")) }"


def _cells(html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", html, flags=re.S)


@pytest.mark.parametrize("example", [e["id"] for e in examples()])
def test_every_example_runs_and_draws_a_table(page, example):
    form = page(f"/query?example={example}&lang=zh")
    assert form.status_code == 200
    text = next(e["text"] for e in examples() if e["id"] == example)
    r = page("/query", params={"query": text})
    assert r.status_code == 200
    assert 'id="answer"' in r.text and _cells(r.text), example
    zh, en = next((e["zh"], e["en"]) for e in examples() if e["id"] == example)
    assert zh in form.text and en and re.match(r"^[\x20-\x7e]+$", en)


def test_the_page_shows_what_each_role_may_see(page):
    anonymous = page("/query", params={"query": ALL})
    admin = page("/query", params={"query": ALL}, role="admin")
    assert anonymous.status_code == admin.status_code == 200
    assert not any(code in anonymous.text for code in SECRET_CODES)
    assert any(code in admin.text for code in SECRET_CODES)  # the probe is not vacuous


def test_downloads_carry_the_signed_in_callers_view(fresh_client):
    c = fresh_client
    before = c.get("/query", params={"query": ALL, "format": "csv"})
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/csv")
    assert not any(code in before.text for code in SECRET_CODES)
    signin(c, KEYS["admin"])
    after = c.get("/query", params={"query": ALL, "format": "csv"})
    rows = list(csv.reader(io.StringIO(after.text)))
    assert rows[0] == ["s", "p", "o"] and len(rows) > 1
    assert any(code in after.text for code in SECRET_CODES)
    assert "attachment" in after.headers["content-disposition"]


@pytest.mark.parametrize("query, status, zh, code", [
    ("DELETE WHERE { ?s ?p ?o }", 403, "只读", "READ_ONLY"),
    ("SELECT * WHERE { ?s ?p", 400, "", "SYNTAX"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403, "联邦查询",
     "NO_SERVICE"),
])
def test_refused_and_broken_queries_are_explained(page, query, status, zh, code):
    r = page("/query", params={"query": query, "lang": "zh"})
    assert r.status_code == status
    box = re.search(r'<p class="error-box" role="alert">(.*?)</p>', r.text, flags=re.S)
    assert box and zh in box.group(1) and code in box.group(1)
    assert query.split()[0] in r.text  # the query stays in the form to be fixed
    en = page("/query", params={"query": query, "lang": "en"})
    assert re.search(r'class="error-box"[^>]*>[\x20-\x7e]', en.text)


def test_construct_shows_turtle_and_ask_a_yes_or_no(page):
    r = page("/query", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"})
    assert r.status_code == 200 and '<pre class="turtle">' in r.text
    ask = page("/query", params={"query": "ASK { ?s ?p ?o }", "lang": "en"})
    assert '<p class="answer">true</p>' in ask.text


def test_a_new_query_has_every_prefix_of_the_schema_declared(page):
    from ontology.namespaces import sparql_prefixes

    form = page("/query?example=new")
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", form.text, flags=re.S).group(1)
    assert "PREFIX ys: &lt;https://w3id.org/yishu/def#&gt;" in text
    import html

    r = page("/query", params={"query": html.unescape(text)})
    assert r.status_code == 200 and len(_cells(r.text)) == 3 * 20
    assert all(line in html.unescape(form.text) for line in sparql_prefixes().splitlines())


def test_the_menu_links_the_page(page):
    assert 'href="/query"' in page("/").text
