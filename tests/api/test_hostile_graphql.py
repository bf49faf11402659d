"""Hostile GraphQL (issue 15, item 3): fragment fan-outs measured in linear time and refused,
aliases of heavy questions priced as the work they ask for, a time budget per request, the
event loop and /healthz free during heavy questions, malformed bodies answered 400."""

from __future__ import annotations

import threading

import httpx
import pytest
from fastapi.testclient import TestClient
from graphql import parse

from api.access import AccessConfig
from api.app import create_app
from api.limits import measure
from tests.api.catalog import ACCESS, KEYS


def _fan_out(levels: int, nested: bool) -> str:
    """A small query whose fragments each spread the next twice (2^levels expansions)."""
    frags = []
    for i in range(levels):
        if nested:  # each level also nests two fields deeper, under two aliases
            inner = f"resources {{ provider {{ ...F{i + 1} }} }}"
            frags.append(f"fragment F{i} on Department {{ code a: {inner} b: {inner} }}")
        else:
            frags.append(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}")
    if nested:
        frags.append(f"fragment F{levels} on Department {{ code }}")
        return '{ department(code: "X") { ...F0 } } ' + " ".join(frags)
    frags.append(f"fragment F{levels} on Query {{ departments(first: 1) {{ totalCount }} }}")
    return "{ ...F0 } " + " ".join(frags)


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
def test_fragment_fan_out_is_measured_once_per_fragment(app, nested):
    q = _fan_out(24, nested)
    assert len(q) < 3000
    schema = app.state.graphql_schema._schema
    ((_op, m),) = measure(schema, parse(q))
    if nested:
        assert m.depth > 24  # each fragment two levels deeper
    else:
        assert m.cost >= 2 ** 24  # the expansion is priced, not performed


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
def test_fragment_fan_out_refused_and_server_keeps_serving(live_server, nested):
    q = _fan_out(24, nested)
    # the timeout guards against a hang (before the fix: over 120 s), it is not a benchmark
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        r = c.post("/graphql", json={"query": q})
        assert r.status_code == 200, r.text
        (err,) = r.json()["errors"]
        code = err["extensions"]["code"]
        assert code == ("QUERY_TOO_DEEP" if nested else "QUERY_TOO_COSTLY"), err
        assert " / " in err["message"]
        assert c.get("/healthz").json() == {"status": "ok"}


HEAVY = {
    "lineage": 'lineage(node: "resource:%s") { totalNodes }',
    "impact": 'impact(node: "resource:%s") { truncated }',
    "oneSourceReport": "oneSourceReport { counts { status count } }",
}


def _aliases(question: str, code: str, n: int) -> str:
    text = HEAVY[question] % code if "%s" in HEAVY[question] else HEAVY[question]
    return "{ " + " ".join(f"a{i}: {text}" for i in range(n)) + " }"


@pytest.mark.parametrize("question", list(HEAVY))
def test_thirty_aliases_of_a_heavy_question_refused_for_anonymous(raw, gql, codes, question):
    r = raw(_aliases(question, codes.resource, 30))
    (err,) = r.json()["errors"]
    assert err["extensions"]["code"] == "QUERY_TOO_COSTLY", err
    assert err["extensions"]["anonymous"] is True
    assert "API key" in err["message"] and "使用 API 密钥" in err["message"]
    # one of them is fine for the same caller
    body = gql(_aliases(question, codes.resource, 1))
    assert "errors" not in body, body["errors"]


def test_cost_follows_depth_and_granularity(app):
    schema = app.state.graphql_schema._schema

    def cost(q: str) -> int:
        return measure(schema, parse(q))[0][1].cost

    shallow = cost('{ lineage(node: "resource:X", depth: 1) { totalNodes } }')
    deep = cost('{ lineage(node: "resource:X", depth: 6) { totalNodes } }')
    item = cost('{ lineage(node: "resource:X", depth: 6, granularity: ITEM) { totalNodes } }')
    assert shallow < deep < item
    assert cost('{ oneSourceReport(department: "department:D") { department { code } } }') < \
        cost("{ oneSourceReport { department { code } } }")
    # @skip(if: true) fields are not asked
    assert cost("{ oneSourceReport @skip(if: true) { department { code } } me { role } }") < 10


def test_keyed_callers_get_the_larger_budget(raw, codes):
    """The same 30 lineages an anonymous caller is refused run for a key (not vacuous)."""
    q = _aliases("lineage", codes.resource, 30)
    assert raw(q).json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    body = raw(q, role="analyst").json()
    assert "errors" not in body, body["errors"]
    assert len(body["data"]) == 30


def test_time_budget_answers_a_clear_error(api_graph, api_store):
    access = AccessConfig.from_dict({**ACCESS, "limits": {"max_seconds": 0.001}})
    app = create_app(api_graph, api_store, access)
    with TestClient(app) as c:
        q = "{ " + " ".join(f"a{i}: oneSourceReport {{ counts {{ count }} }}"
                            for i in range(5)) + " }"
        r = c.post("/graphql", json={"query": q}, headers={"X-API-Key": KEYS["admin"]})
        assert r.status_code == 200
        (err,) = r.json()["errors"]
        assert err["extensions"]["code"] == "QUERY_TIMEOUT"
        assert "查询超时" in err["message"] and "time budget" in err["message"]
        assert c.get("/healthz").status_code == 200


def test_healthz_answers_while_heavy_questions_run(live_server, codes):
    """Heavy questions run in worker threads: /healthz answers meanwhile."""
    q = "{ " + " ".join(f'i{i}: impact(node: "resource:{codes.upstream}", depth: 10) '
                        "{ truncated resources { code } }" for i in range(4)) + \
        " r: oneSourceReport { counts { count } } }"
    headers = {"X-API-Key": KEYS["admin"]}
    done: list[int] = []

    def ask() -> None:
        with httpx.Client(base_url=live_server.url, timeout=120) as c:
            done.append(c.post("/graphql", json={"query": q}, headers=headers).status_code)

    workers = [threading.Thread(target=ask) for _ in range(6)]
    for w in workers:
        w.start()
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        answers = [c.get("/healthz").status_code for _ in range(5)]
    for w in workers:
        w.join()
    assert answers == [200] * 5 and done == [200] * 6


BAD_BODIES = [
    ("invalid-utf8", b'{"query": "{ me { role } }", "x": "\xff\xfe"}', "not valid UTF-8"),
    ("bad-json", b'{"query": "{ me { role } }",', "not valid JSON (line 1"),
    ("not-an-object", b'["{ me { role } }"]', "must be a JSON object"),
    ("query-not-a-string", b'{"query": 5}', 'needs a string "query"'),
    ("empty", b"", "not valid JSON"),
]


@pytest.mark.parametrize("name,body,text", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_malformed_bodies_answer_400(client, name, body, text):
    r = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "BAD_BODY" and text in err["en"] and err["zh"]
    assert " / " in err["message"]
