"""The GraphQL schema, field by field: root fields, lookups, listings and navigation both ways,
each answer checked against the query layer (the API must say what the layer says)."""

from __future__ import annotations

import pytest

from graph.model import Direction, Granularity


def _data(body: dict) -> dict:
    assert "errors" not in body, body.get("errors")
    return body["data"]


# -- root fields, table style: (name, query template, check(data, graph, codes)) -------------
def _check_lineage(d, g, c):
    lin = g.lineage(f"resource:{c.resource}", Direction.UPSTREAM, 5, Granularity.RESOURCE)
    got = d["lineage"]
    assert got["totalNodes"] == lin.total_nodes
    assert [n["node"]["id"] for n in got["nodes"]] == [n.entity.iri for n in lin.nodes]
    assert [n["depth"] for n in got["nodes"]] == [n.depth for n in lin.nodes]
    assert [(e["sourceId"], e["targetId"], e["type"]) for e in got["edges"]] == \
        [(e.source, e.target, e.type) for e in lin.edges]
    assert got["truncated"] is lin.truncated
    assert any(n["node"]["code"] == c.upstream for n in got["nodes"])


def _check_trace(d, g, c):
    tr = g.trace_source(f"item:{c.item}")
    got = d["traceSource"]
    assert got["reachedAuthoritative"] is tr.reached_authoritative
    assert [h["item"]["code"] for h in got["hops"]] == [h.item.code for h in tr.hops]
    assert got["hops"][0]["item"]["code"] == c.item
    assert [h["department"]["code"] if h["department"] else None for h in got["hops"]] == \
        [h.department.code if h.department else None for h in tr.hops]


def _check_resolve(d, g, c):
    res = g.resolve_source(c.synonym)
    got = d["resolveSource"]
    assert got["status"] == res.status.value
    assert got["matchedBy"] == "synonym"
    assert got["element"]["code"] == c.element
    assert [x["item"]["code"] for x in got["candidates"]] == [x.item.code for x in res.candidates]


def _check_report(d, g, c):
    rep = g.one_source_report(f"department:{c.department}")
    got = d["oneSourceReport"]
    assert got["department"]["code"] == c.department
    assert {x["status"]: x["count"] for x in got["counts"]} == rep.counts
    assert [r["element"]["code"] for r in got["resolutions"]] == \
        [r.element.code for r in rep.resolutions]
    assert [r["item"]["code"] for r in got["recollections"]] == \
        [r.item.code for r in rep.recollections]


def _check_impact(d, g, c):
    imp = g.impact(f"resource:{c.upstream}", 5)
    got = d["impact"]
    for k in ("resources", "items", "systems", "departments", "responsibilities"):
        assert [x["code"] for x in got[k]] == [e.code for e in getattr(imp, k)], k
    assert any(x["code"] == c.resource for x in got["resources"])


def _check_search(d, g, c):
    found = g.search(c.element_name, first=10)
    got = d["search"]
    assert [(x["kind"], x["code"]) for x in got] == [(e.kind, e.code) for e in found]
    assert ("element", c.element) in [(x["kind"], x["code"]) for x in got]


ROOT_CASES = [
    ("lineage", '{ lineage(node: "resource:%(resource)s", depth: 5) { totalNodes truncated '
     'nodes { depth node { id code kind } } edges { sourceId targetId type } } }', _check_lineage),
    ("traceSource", '{ traceSource(node: "item:%(item)s") { reachedAuthoritative hops { '
     'item { code } resource { code } department { code } method platform legalBasis } } }',
     _check_trace),
    ("resolveSource", '{ resolveSource(element: "%(synonym)s") { status matchedBy element { code } '
     'candidates { item { code } department { code } } } }', _check_resolve),
    ("oneSourceReport", '{ oneSourceReport(department: "department:%(department)s") { '
     'department { code } counts { status count } resolutions { element { code } status } '
     'recollections { item { code } authoritativeItem { code } } } }', _check_report),
    ("impact", '{ impact(node: "resource:%(upstream)s") { resources { code } items { code } '
     'systems { code } departments { code } responsibilities { code } truncated } }',
     _check_impact),
    ("search", '{ search(text: "%(element_name)s", first: 10) { kind code name } }',
     _check_search),
]


@pytest.mark.parametrize("name,query,check", ROOT_CASES, ids=[c[0] for c in ROOT_CASES])
def test_root_field(gql, api_graph, codes, name, query, check):
    d = _data(gql(query % codes.__dict__, "admin"))
    check(d, api_graph, codes)


# -- lookups by code ---------------------------------------------------------------------------
LOOKUPS = [
    ("department", "department", lambda c: c.department),
    ("dataElement", "element", lambda c: c.element),
    ("resource", "resource", lambda c: c.resource),
    ("system", "system", lambda c: c.system),
]


@pytest.mark.parametrize("field,kind,code", LOOKUPS, ids=[x[0] for x in LOOKUPS])
def test_lookup_by_code(gql, api_graph, codes, field, kind, code):
    d = _data(gql('{ x: %s(code: "%s") { id code name kind } }' % (field, code(codes)), "admin"))
    e = api_graph.get(f"{kind}:{code(codes)}")
    assert d["x"] == {"id": e.iri, "code": e.code, "name": e.label, "kind": kind}


def test_item_and_node_lookups(gql, api_graph, codes):
    res, name = codes.item.split("/", 1)
    d = _data(gql('{ item(resource: "%s", name: "%s") { code resource { code } element { code } }'
                  ' node(id: "item:%s") { id kind } }' % (res, name, codes.item), "admin"))
    assert d["item"] == {"code": codes.item, "resource": {"code": res},
                         "element": {"code": codes.element}}
    assert d["node"] == {"id": api_graph.get(f"item:{codes.item}").iri, "kind": "item"}


# -- navigation both ways: (type lookup, forward field, inverse field) ---------------------------
NAVIGATIONS = [
    # Resource.provider / Department.resources
    ('resource(code: "%(resource)s") { provider { code resources { code } } }',
     lambda d, c: c.resource in [r["code"] for r in d["resource"]["provider"]["resources"]]),
    # Item.resource / Resource.items
    ('resource(code: "%(resource)s") { items { code resource { code } } }',
     lambda d, c: d["resource"]["items"] and all(
         i["resource"]["code"] == c.resource for i in d["resource"]["items"])
     and c.item in [i["code"] for i in d["resource"]["items"]]),
    # Item.element / DataElement.items
    ('dataElement(code: "%(element)s") { items { code element { code } } }',
     lambda d, c: c.item in [i["code"] for i in d["dataElement"]["items"]] and all(
         i["element"]["code"] == c.element for i in d["dataElement"]["items"])),
    # Resource.sourceSystem / System.resources
    ('resource(code: "%(resource)s") { sourceSystem { code resources { code } } }',
     lambda d, c: d["resource"]["sourceSystem"]["code"] == c.system and c.resource in [
         r["code"] for r in d["resource"]["sourceSystem"]["resources"]]),
    # Department.parent / children, systems / owner, responsibilities / department
    ('department(code: "%(department)s") { systems { owner { code } } responsibilities { '
     'department { code } } }',
     lambda d, c: d["department"]["systems"] and all(
         s["owner"]["code"] == c.department for s in d["department"]["systems"]) and all(
         r["department"]["code"] == c.department for r in d["department"]["responsibilities"])),
]


@pytest.mark.parametrize("query,check", NAVIGATIONS, ids=[
    "provider-resources", "items-resource", "element-items", "system-resources",
    "department-systems"])
def test_navigation(gql, codes, query, check):
    d = _data(gql("{ " + query % codes.__dict__ + " }", "admin"))
    assert check(d, codes), d


def test_upstream_downstream_are_inverse(gql, api_graph):
    d = _data(gql('{ resources(first: 200, where: [{field: "classified", value: "否"}]) { edges '
                  '{ node { code upstream { code downstream { code } } } } } }', "admin"))
    pairs = 0
    for edge in d["resources"]["edges"]:
        node = edge["node"]
        for up in node["upstream"]:
            assert node["code"] in [x["code"] for x in up["downstream"]]
            pairs += 1
    assert pairs > 0


def test_flows_both_ways(gql):
    d = _data(gql('{ flows(first: 200) { totalCount edges { node { code source { code flows '
                  '{ code } } targetDepartment { code inboundFlows { code } } } } } }', "admin"))
    assert d["flows"]["totalCount"] >= 1
    for e in d["flows"]["edges"]:
        f = e["node"]
        assert f["code"] in [x["code"] for x in f["source"]["flows"]]
        assert f["code"] in [x["code"] for x in f["targetDepartment"]["inboundFlows"]]


# -- Relay listings ------------------------------------------------------------------------------
@pytest.mark.parametrize("field,kind", [("departments", "department"), ("resources", "resource"),
                                        ("items", "item"), ("dataElements", "element"),
                                        ("systems", "system"), ("flows", "flow"),
                                        ("sharingRequests", "request"),
                                        ("responsibilities", "responsibility")])
def test_listing_pages_cover_everything(gql, api_graph, field, kind):
    """Walking the pages with endCursor yields exactly the layer's listing, in order."""
    expected = []
    after = None
    while True:
        page = api_graph.list(kind, first=500, after=after)
        expected += [e.code for e in page.items]
        if not page.has_next:
            break
        after = page.end_cursor
    got, cursor, pages = [], None, 0
    size = max(1, len(expected) // 3 + 1)
    while True:
        d = _data(gql('query($after: String) { x: %s(first: %d, after: $after) { totalCount '
                      'edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }'
                      % (field, size), "admin", {"after": cursor}))["x"]
        assert d["totalCount"] == len(expected)
        got += [e["node"]["code"] for e in d["edges"]]
        pages += 1
        if not d["pageInfo"]["hasNextPage"]:
            break
        cursor = d["pageInfo"]["endCursor"]
    assert got == expected and pages >= 2 - (len(expected) <= size)


def test_edge_cursor_resumes_after_that_edge(gql):
    d = _data(gql('{ resources(first: 5) { edges { cursor node { code } } } }', "admin"))
    edges = d["resources"]["edges"]
    d2 = _data(gql('query($a: String) { resources(first: 2, after: $a) { edges { node { code } } } }',
                   "admin", {"a": edges[1]["cursor"]}))
    assert [e["node"]["code"] for e in d2["resources"]["edges"]] == \
        [e["node"]["code"] for e in edges[2:4]]


def test_listing_filters_and_text(gql, api_graph, codes):
    d = _data(gql('{ resources(first: 100, where: [{field: "provider", value: "%s"}]) { '
                  'totalCount edges { node { code provider { code } } } } }' % codes.department,
                  "admin"))["resources"]
    assert d["totalCount"] == api_graph.list("resource", filters={"provider": codes.department},
                                             first=100).total
    assert all(e["node"]["provider"]["code"] == codes.department for e in d["edges"])
    d = _data(gql('{ dataElements(text: "%s") { edges { node { code } } } }' % codes.synonym,
                  "admin"))
    assert codes.element in [e["node"]["code"] for e in d["dataElements"]["edges"]]


def test_me_reports_the_role(gql):
    assert _data(gql("{ me { role seesPhones seesClassified } }"))["me"] == {
        "role": "anonymous", "seesPhones": False, "seesClassified": False}
    assert _data(gql("{ me { role caller seesPhones } }", "integrator"))["me"] == {
        "role": "integrator", "caller": "test-integrator", "seesPhones": True}


# -- errors from the layer -----------------------------------------------------------------------
@pytest.mark.parametrize("query,path,message", [
    ('{ resource(code: "XYZ") { name } }', ["resource"], "未找到 / not found: resource:XYZ"),
    ('{ node(id: "department:NOPE") { id } }', ["node"], "未找到 / not found: department:NOPE"),
    ('{ lineage(node: "resource:XYZ") { totalNodes } }', ["lineage"],
     "未找到 / not found: resource:XYZ"),
    ('{ traceSource(node: "item:XYZ/姓名") { reachedAuthoritative } }', ["traceSource"],
     "未找到 / not found: item:XYZ/姓名"),
    ('{ impact(node: "system:XYZ") { truncated } }', ["impact"], "未找到 / not found: system:XYZ"),
])
def test_unknown_ids(gql, query, path, message):
    body = gql(query, "admin")
    (err,) = body["errors"]
    assert err["message"] == message
    assert err["path"] == path
    assert err["extensions"]["code"] == "NOT_FOUND"
    assert "Traceback" not in str(body)


@pytest.mark.parametrize("query,code", [
    ('{ lineage(node: "resource:X", depth: 99) { totalNodes } }', "BAD_DEPTH"),
    ('{ resources(first: 0) { totalCount } }', "BAD_ARGUMENT"),
    ('{ resources(after: "garbage!") { totalCount } }', "BAD_CURSOR"),
    ('{ resources(where: [{field: "nosuch", value: "x"}]) { totalCount } }', "BAD_FILTER"),
    ('{ node(id: "planet:earth") { id } }', "BAD_KIND"),
])
def test_bad_arguments(gql, query, code):
    body = gql(query, "admin")
    (err,) = body["errors"]
    assert err["extensions"]["code"] == code
    assert " / " in err["message"]  # zh / en
