"""The web catalog: server-rendered pages over the same query layer and access policy as GraphQL.

``install_web(app)`` adds the pages (one small module per page group) and serves their own CSS
and JS at ``/static/web``. Front-end libraries are the vendored ones at ``/static/vendor``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["install_web"]


def install_web(app: FastAPI) -> None:
    from api.web import (
        admin,
        auth,
        bulletin,
        dashboard,
        department,
        element,
        entity,
        home,
        objections,
        query,
        requests,
        resource,
        search,
        system,
    )
    from api.web.session import Sessions
    from api.web.view import HERE, VENDOR, PageNotFound, SignInRequired, not_found_page

    app.state.web_sessions = Sessions()
    for module in (home, search, auth, department, resource, requests, objections, element,
                   system, dashboard, bulletin, admin, query, entity):
        app.include_router(module.router)
    app.mount("/static/web", StaticFiles(directory=str(HERE / "static")), name="web-static")
    if not any(getattr(r, "path", "") in ("/static", "/static/vendor") for r in app.routes):
        # the vendored front-end libraries (make setup copies them), unless the app serves them
        app.mount("/static/vendor", StaticFiles(directory=str(VENDOR), check_dir=False),
                  name="vendor")

    @app.exception_handler(PageNotFound)
    async def page_not_found(request: Request, exc: PageNotFound):
        return await not_found_page(request, exc)

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, _exc: SignInRequired):
        return RedirectResponse("/signin", status_code=303)
