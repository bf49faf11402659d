"""API keys travel in a header only (issue 15 item 5).

A key in the query string ends up in access logs, proxy logs and browser history, so a request
carrying one (``?api_key=…``, ``?key=…``, ``?token=…`` …) is refused with 401 and a zh / en error
saying to send ``X-API-Key`` (or ``Authorization: Bearer``) instead — never served, not even as
anonymous. The access log line of such a request shows the value as ``***``
(:class:`RedactKeys`, installed on uvicorn's access logger).
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["KEY_PARAMS", "KeyInQuery", "RedactKeys", "redact", "install_log_redaction"]

# query parameter names (compared in lower case, "-" read as "_") that would carry a key
KEY_PARAMS = frozenset({"key", "api_key", "apikey", "x_api_key", "access_token", "token",
                        "auth", "authorization", "bearer"})
_PAIR = re.compile(r"(?P<sep>[?&;])(?P<name>[^=&;#\s]+)=(?P<value>[^&;#\s\"]*)")


def _is_key(name: str) -> bool:
    return name.strip().lower().replace("-", "_") in KEY_PARAMS


def redact(text: str) -> str:
    """``text`` with the value of every key-like query parameter replaced by ``***``."""
    def one(m: re.Match) -> str:
        if _is_key(m.group("name")):
            return f"{m.group('sep')}{m.group('name')}=***"
        return m.group(0)
    return _PAIR.sub(one, text)


class KeyInQuery:
    """ASGI middleware: 401 for a request with a key-like query parameter."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            qs = scope["query_string"].decode("latin-1")
            names = [n for n, _v in parse_qsl(qs, keep_blank_values=True) if _is_key(n)]
            if names:
                await _refuse(send, names[0])
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, name: str) -> None:
    zh = (f"不接受查询字符串中的 API 密钥（参数 {name}）：密钥会被记入日志。请改用请求头 "
          "X-API-Key: <密钥> 或 Authorization: Bearer <密钥>，并更换已暴露的密钥")
    en = (f"API keys are not accepted in the query string (parameter {name}): they end up in "
          "logs. Send the header X-API-Key: <key> or Authorization: Bearer <key>, and replace "
          "the exposed key")
    body = json.dumps({"error": {"code": "KEY_IN_QUERY", "zh": zh, "en": en,
                                 "message": f"{zh} / {en}", "parameter": name}},
                      ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"www-authenticate", b"Bearer")]})
    await send({"type": "http.response.body", "body": body})


class RedactKeys(logging.Filter):
    """Rewrite a log record's message and string arguments through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install_log_redaction(*loggers: str) -> None:
    """Add one :class:`RedactKeys` to each named logger (default: uvicorn's access and error
    loggers); calling it again adds no second one."""
    for name in loggers or ("uvicorn.access", "uvicorn.error"):
        log = logging.getLogger(name)
        if not any(isinstance(f, RedactKeys) for f in log.filters):
            log.addFilter(RedactKeys())
