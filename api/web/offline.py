"""GraphiQL (/graphql) and the OpenAPI page (/docs) from local files: the HTML strawberry and
FastAPI ship asks a public CDN for React, GraphiQL and Swagger UI, which never loads on a network
without internet (电子政务外网). Here the same pages point at the copies ``make setup`` puts in
api/static/vendor (package.json pins the versions)."""

from __future__ import annotations

import re
from functools import cached_property

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

__all__ = ["LocalGraphQLRouter", "install_docs", "local_ide_html", "CDN_TO_LOCAL"]

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
