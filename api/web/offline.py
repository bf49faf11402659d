"""GraphiQL (/graphql) and the OpenAPI page (/docs) from local files: the HTML strawberry and
FastAPI ship asks a public CDN for React, GraphiQL and Swagger UI, which never loads on a network
without internet (电子政务外网). Here the same pages point at the copies ``make setup`` puts in
api/static/vendor (package.json pins the versions)."""

from __future__ import annotations

import json
import re
from functools import cached_property

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

__all__ = ["LocalGraphQLRouter", "install_docs", "local_ide_html", "CDN_TO_LOCAL", "EXAMPLE_QUERY"]

V = "/static/vendor"
CDN_TO_LOCAL = {  # what strawberry's graphiql.html asks unpkg for -> the vendored copy
    "react/umd/react.production.min.js": f"{V}/react/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js": f"{V}/react/react-dom.production.min.js",
    "js-cookie/dist/js.cookie.min.js": f"{V}/js-cookie/js.cookie.min.js",
    "graphiql/graphiql.min.css": f"{V}/graphiql/graphiql.min.css",
    "graphiql/graphiql.min.js": f"{V}/graphiql/graphiql.min.js",
    "@graphiql/plugin-explorer/dist/style.css": f"{V}/graphiql-explorer/style.css",
    "@graphiql/plugin-explorer/dist/index.umd.js": f"{V}/graphiql-explorer/index.umd.js",
}
# the editor's first text: Chinese first, a query that answers on any catalog, and the questions
# users ask most as examples to uncomment (strawberry's welcome text is English only)
EXAMPLE_QUERY = """# 一数 GraphQL · Yishu GraphQL
# Ctrl-Enter 运行 / run · Ctrl-Space 补全 / complete · 左侧 Explorer 可点选字段 / pick fields
# 右上 Docs 是完整的模式说明（中英文）/ the Docs pane has the whole schema, zh / en.
# 带密钥调用：下方 Headers 填 {"X-API-Key": "…"} / with a key: Headers {"X-API-Key": "…"}

{
  resources(first: 5) {
    totalCount
    edges { node { code name provider { code name } } }
  }
}

# 这条数据从哪里来？Where does an item come from? (替换为您的编码 / use your codes)
# { traceSource(node: "item:资源代码/信息项名称") { reachedAuthoritative breakReason
#     hops { item { code } resource { name } department { name } } } }
#
# 一数一源：同义词解析到哪个权威来源？Which source does a data element resolve to?
# { resolveSource(element: "身份证号") { status element { code name }
#     designatedDepartment { name } } }
#
# 上游五层血缘 / five hops of upstream lineage
# { lineage(node: "resource:资源代码", depth: 5) { totalNodes
#     nodes { depth node { code name kind } } edges { sourceId targetId type } } }
"""
_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.S)
_UNPKG = re.compile(r'https://unpkg\.com/(@?[\w.-]+(?:/[\w.-]+)?)@[\w.-]+/([^"\s]+)')
_SRI = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin(?:="[^"]*")?)')


def local_ide_html(html: str) -> str:
    """``html`` with every unpkg URL replaced by its vendored copy; ValueError for one that has
    none (a newer strawberry asking for something else must not fall back to the internet)."""
    def local(m: re.Match) -> str:
        key = f"{m.group(1)}/{m.group(2)}"
        if key not in CDN_TO_LOCAL:
            raise ValueError(f"no vendored copy of {m.group(0)}")
        return CDN_TO_LOCAL[key]

    html = _EXAMPLE.sub(lambda _m: "const EXAMPLE_QUERY = " + json.dumps(EXAMPLE_QUERY) + ";",
                        html, count=1)
    return _SRI.sub("", _UNPKG.sub(local, html))


class LocalGraphQLRouter(GraphQLRouter):
    """strawberry's GraphQL router, its GraphiQL page served from local files."""

    @cached_property
    def _local_ide(self) -> str:
        return local_ide_html(self.graphql_ide_html)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self._local_ide)


def install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) from the vendored copy; the app must be made with docs_url=None."""

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                                   title=f"{app.title} — OpenAPI",
                                   swagger_js_url=f"{V}/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url=f"{V}/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url=f"{V}/swagger-ui/favicon-32x32.png")
