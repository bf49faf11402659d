"""GraphiQL and the OpenAPI page come from the server itself: no address outside it."""

from __future__ import annotations

import json
import re

import pytest

from api.web.offline import CDN_TO_LOCAL, EXAMPLE_QUERY, local_ide_html
from api.web.view import VENDOR

EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//')


def test_graphiql_from_local_files(client):
    r = client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "graphiql" in r.text.lower()
    assert "unpkg.com" not in r.text and not EXTERNAL.search(r.text)
    for url in CDN_TO_LOCAL.values():
        assert url in r.text


def test_graphiql_opens_on_a_query_that_answers(client):
    r = client.get("/graphql", headers={"Accept": "text/html"})
    assert json.dumps(EXAMPLE_QUERY) in r.text and "Welcome to GraphiQL" not in r.text
    answer = client.post("/graphql", json={"query": EXAMPLE_QUERY}).json()
    assert "errors" not in answer, answer
    assert answer["data"]["resources"]["totalCount"] > 0


def test_openapi_page_from_local_files(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert not EXTERNAL.search(r.text) and "cdn.jsdelivr" not in r.text
    assert client.get("/redoc").status_code == 404  # ReDoc only exists on a CDN: not offered


def test_an_unknown_cdn_file_is_refused_not_fetched():
    with pytest.raises(ValueError):
        local_ide_html('<script src="https://unpkg.com/left-pad@1.0.0/index.js"></script>')


@pytest.mark.skipif(not (VENDOR / "graphiql").is_dir(), reason="make setup vendors GraphiQL")
def test_vendored_files_are_served(client):
    for url in [*CDN_TO_LOCAL.values(), "/static/vendor/swagger-ui/swagger-ui.css",
                "/static/vendor/cytoscape/cytoscape.min.js"]:
        assert client.get(url).status_code == 200, url
