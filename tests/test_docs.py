"""Docs checked by tests: the CLI page matches the commands' --help, and the README's GraphQL
example answers on the demo district without errors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from graph.oxigraph_engine import OxigraphGraph
from yishu import clidoc, config

README = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_page_matches_help():
    assert clidoc.DOC.read_text(encoding="utf-8") == clidoc.render(), \
        "docs/cli.md is stale: run python -m yishu.clidoc"


def test_readme_opens_with_the_two_commands():
    commands = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()  # type: ignore[union-attr]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]
    ci = (config.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_readme_graphql_example_answers(demo_store):
    query = re.search(r"```graphql\n(.*?)```", README, re.S).group(1)  # type: ignore[union-attr]
    client = TestClient(create_app(OxigraphGraph(demo_store), demo_store))
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body.get("errors")
    data = body["data"]
    assert data["resolveSource"]["status"] == "RESOLVED"
    assert data["resolveSource"]["element"]["name"] == "公民身份号码"
    assert data["traceSource"]["reachedAuthoritative"] is True
    assert len(data["traceSource"]["hops"]) >= 5
    assert data["lineage"]["nodes"][0]["depth"] == 0


def test_readme_links_resolve():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (config.PROJECT_ROOT / target).exists(), target
