"""Who is asking, for the pages: a session made by signing in with an API key, else the API's
own headers, else anonymous; and the CSRF token every form carries.

Sessions live in the server's memory (a random token in an HttpOnly, SameSite=Strict cookie,
Secure behind HTTPS); the key itself is never stored. The CSRF token is a second random cookie
that every form repeats in a hidden field (double submit); a POST whose field does not match is
refused.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import Request, Response

from api.access import ANONYMOUS, Role
from api.policy import PolicyGraph
from api.rest import caller_of

__all__ = ["Sessions", "caller", "policy_for", "csrf_token", "check_csrf", "secure",
           "SESSION_COOKIE", "CSRF_COOKIE", "CsrfError", "sessions", "set_cookies"]

SESSION_COOKIE = "yishu_session"
CSRF_COOKIE = "yishu_csrf"
TTL = 8 * 3600  # seconds a session lives without use


@dataclass
class _Session:
    name: str
    role: Role
    seen: float


class Sessions:
    """Signed-in callers by session token (one per app)."""

    def __init__(self, ttl: float = TTL):
        self.ttl = ttl
        self._by_token: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def open(self, name: str, role: Role) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._by_token = {k: v for k, v in self._by_token.items() if now - v.seen < self.ttl}
            self._by_token[token] = _Session(name, role, now)
        return token

    def get(self, token: str | None) -> tuple[str, Role] | None:
        if not token:
            return None
        with self._lock:
            s = self._by_token.get(token)
            if s is None or time.monotonic() - s.seen >= self.ttl:
                self._by_token.pop(token, None)
                return None
            s.seen = time.monotonic()
            return s.name, s.role

    def close(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)


def sessions(request: Request) -> Sessions:
    return request.app.state.web_sessions


def caller(request: Request) -> tuple[str, Role, bool]:
    """(name, role, signed in through a session). An API key in the headers works too (as for
    GraphQL); a bad one is a 401 like everywhere else."""
    found = sessions(request).get(request.cookies.get(SESSION_COOKIE))
    if found is not None:
        return found[0], found[1], True
    if request.headers.get("x-api-key") or request.headers.get("authorization"):
        name, role = caller_of(request)
        return name, role, False
    return "anonymous", ANONYMOUS, False  # (the pages send to sign-in when that is not allowed)


def policy_for(request: Request, role: Role) -> PolicyGraph:
    """The same policy view of the query layer GraphQL's context gives this role."""
    state = request.app.state
    return PolicyGraph(state.graph, persons=role.persons, phones=role.phones,
                       classified=state.access.sees_classified(role),
                       restrictions=state.restrictions)


def secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip().lower() == "https"


def csrf_token(request: Request) -> str:
    """The caller's CSRF token (made on first use; :func:`set_cookies` sends it)."""
    token = getattr(request.state, "csrf", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf = token
    return token


def set_cookies(request: Request, response: Response) -> Response:
    token = getattr(request.state, "csrf", None)
    if token is not None and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=secure(request), path="/")
    return response


class CsrfError(Exception):
    pass


def check_csrf(request: Request, sent: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise CsrfError()
