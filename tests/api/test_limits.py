"""Hostile and broken queries get clear errors (naming the path where it matters) and the server
keeps serving; nested queries cost one query-layer call per level, not per node."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api.access import AccessConfig
from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from tests.api.catalog import ACCESS, KEYS

GOOD = '{ departments(first: 3) { totalCount edges { node { code } } } }'


def _nest(levels: int) -> str:
    """resource → provider → resources → provider → … (a legal but deep query)."""
    inner = "code"
    for name in reversed((["provider", "resources"] * levels)[:levels]):
        inner = f"{name} {{ {inner} }}"
    return '{ resource(code: "X") { %s } }' % inner


def _hostile(levels: int) -> str:
    q = "code"
    for _ in range(levels):
        q = f"upstream {{ {q} }}"
    return '{ resources(first: 500) { edges { node { %s } } } }' % q


CASES = [
    # (name, query, expected code, text the message must contain)
    ("too-deep", _nest(14), "QUERY_TOO_DEEP",
     "query too deep at resource.provider.resources.provider"),
    ("hostile-nesting", _hostile(40), "QUERY_TOO_DEEP", "resources.edges.node.upstream"),
    ("hostile-nesting-parser", _hostile(300), None, "nested too deeply"),
    ("over-cost", '{ resources(first: 500) { edges { node { items { element { items { code '
                  'resource { code } } } } } } } }', "QUERY_TOO_COSTLY",
     "costliest path: resources.edges.node.items.element.items"),
    ("over-cost-lineage", '{ resources(first: 500) { edges { node { code } } } '
                          'a: lineage(node: "resource:X") { totalNodes } '
                          'departments(first: 500) { edges { node { resources { items { '
                          'element { code } } } } } } }',
     "QUERY_TOO_COSTLY", "departments.edges.node.resources.items"),
    ("malformed", "{ resources(first: 5 { edges } }", None, "Syntax Error"),
    ("unknown-field", "{ resources { edges { node { colour } } } }", None,
     "Cannot query field 'colour'"),
    ("too-many-aliases", "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(40)) + " }", None,
     "aliases"),
    ("too-many-tokens", "{ " + "me { role } " * 2000 + "}", None, "token"),
    ("fragment-cycle", "query { resources { ...A } } fragment A on ResourceConnection { "
                       "edges { node { code } } ...B } fragment B on ResourceConnection { ...A }",
     None, "Cannot spread fragment"),
]


@pytest.mark.parametrize("name,query,code,text", CASES, ids=[c[0] for c in CASES])
def test_refused_with_a_clear_error_then_serving(raw, gql, name, query, code, text):
    r = raw(query)
    assert r.status_code in (200, 400), r.text
    body = r.json()
    assert body.get("data") is None
    errors = body["errors"]
    assert any(text in e["message"] for e in errors), errors
    if code:
        assert errors[0]["extensions"]["code"] == code
        assert " / " in errors[0]["message"]  # zh / en
    assert "Traceback" not in r.text and "File \"" not in r.text
    # and the server keeps serving
    assert gql(GOOD)["data"]["departments"]["totalCount"] > 0


def test_depth_limit_counts_fragments(raw):
    frag = ("fragment P on Department { resources { provider { resources { provider { "
            "resources { provider { resources { code } } } } } } } }")
    r = raw('{ departments { edges { node { ...P } } } } ' + frag)
    (err,) = r.json()["errors"]
    assert err["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert err["extensions"]["path"][:4] == ["departments", "edges", "node", "resources"]


def test_query_under_the_limits_runs(gql, codes):
    q = ('{ resource(code: "%s") { provider { resources { provider { resources { provider { '
         'code } } } } } } }' % codes.resource)
    body = gql(q)
    assert "errors" not in body


def test_get_request_and_variables(client):
    r = client.get("/graphql", params={"query": "query($n: Int!) { departments(first: $n) { "
                                                "totalCount } }", "variables": '{"n": 2}'})
    assert r.status_code == 200 and r.json()["data"]["departments"]["totalCount"] > 0


def test_graphiql_page_is_served(client):
    r = client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert "graphiql" in r.text.lower()


def test_internal_errors_are_masked(api_store, raw):
    """An engine failure (not a user error) is answered without its internals."""

    class Broken(Counting):
        def search(self, *a, **k):
            raise RuntimeError("secret internals: /var/lib/store")

    app = create_app(_engine(api_store, Broken), api_store, AccessConfig.from_dict(ACCESS))
    with TestClient(app) as c:
        r = c.post("/graphql", json={"query": '{ search(text: "人口") { code } }'},
                   headers={"X-API-Key": KEYS["admin"]})
    (err,) = r.json()["errors"]
    assert "internal error" in err["message"] and "secret internals" not in r.text
    assert err["path"] == ["search"]


# -- DataLoaders ---------------------------------------------------------------------------------
_PRIMITIVES = ("_entities", "_edges", "_related", "_match", "_codes", "_lookup_element",
               "_item_rows", "_element_items", "_used_elements", "_sensitivities")


class Counting(OxigraphGraph):
    """The real engine, with every engine primitive call counted (a spy, not a mock: answers
    are the engine's). Primitives, because the access policy asks them through its view."""

    def __init__(self, store):
        super().__init__(store)
        self.calls: Counter[str] = Counter()

    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if name in _PRIMITIVES:
            calls = super().__getattribute__("calls")

            def counted(*args, **kwargs):
                calls[name] += 1
                return attr(*args, **kwargs)

            return counted
        return attr


def _engine(store, cls):
    return cls(store)


@pytest.mark.parametrize("role", [None, "admin"], ids=["anonymous", "admin"])
def test_nested_query_batches_calls(api_store, role):
    counting = _engine(api_store, Counting)
    app = create_app(counting, api_store, AccessConfig.from_dict(ACCESS))
    q = ('{ departments(first: 40) { edges { node { code resources { code provider { code } '
         'items { code element { code authoritativeDepartment { code } } } sourceSystem { '
         'code owner { code } } } systems { code } } } } }')
    headers = {"X-API-Key": KEYS[role]} if role else {}
    with TestClient(app) as c:
        c.post("/graphql", json={"query": GOOD}, headers=headers)  # warm the policy's cache
        counting.calls.clear()
        r = c.post("/graphql", json={"query": q}, headers=headers)
    body = r.json()
    assert "errors" not in body, body.get("errors")
    deps = body["data"]["departments"]["edges"]
    resources = [res for d in deps for res in d["node"]["resources"]]
    items = [i for res in resources for i in res["items"]]
    nodes = len(deps) + len(resources) + len(items)
    assert len(deps) >= 3 and len(resources) >= 5 and len(items) >= 10
    total = sum(counting.calls.values())
    # one call per navigation level: list, 3 back-references (resources, items, systems),
    # and entity loads per level — never one per node
    assert total <= 12, counting.calls
    assert total * 10 < nodes, (total, nodes)
