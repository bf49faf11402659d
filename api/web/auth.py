"""Sign in with an API key (→ a session cookie), sign out. Both forms carry the CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from api.web.session import (
    SESSION_COOKIE,
    CsrfError,
    check_csrf,
    secure,
    sessions,
)
from api.web.view import OPEN, View, render

router = APIRouter()


def _local(target: str | None) -> str:
    """Only a path on this server (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/signin", include_in_schema=False)
async def signin_form(next: str = "/", v: View = OPEN):
    return render(v, "signin.html", next=_local(next), error=None)


@router.post("/signin", include_in_schema=False)
async def signin(key: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                 next: Annotated[str, Form()] = "/", v: View = OPEN):
    request = v.request
    try:
        check_csrf(request, csrf)
    except CsrfError:
        return render(v, "signin.html", http_status=403, next=_local(next),
                      error=v.tr("表单已过期，请重试。", "The form expired; please try again."))
    try:
        name, role = request.app.state.access.role_for(key.strip() or None)
    except PermissionError:
        return render(v, "signin.html", http_status=401, next=_local(next),
                      error=v.tr("API 密钥无效。", "Unknown API key."))
    if role.name == "anonymous":
        return render(v, "signin.html", http_status=401, next=_local(next),
                      error=v.tr("请输入 API 密钥。", "Enter an API key."))
    sessions(request).close(request.cookies.get(SESSION_COOKIE))
    token = sessions(request).open(name, role)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=secure(request), path="/")
    return response


@router.post("/signout", include_in_schema=False)
async def signout(csrf: Annotated[str, Form()] = "", v: View = OPEN):
    request = v.request
    try:
        check_csrf(request, csrf)
    except CsrfError:
        return render(v, "signin.html", http_status=403, next="/",
                      error=v.tr("表单已过期，请重试。", "The form expired; please try again."))
    sessions(request).close(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=secure(request))
    return response
