"""Request size limits, enforced before the application reads a byte too many, and GraphQL
bodies that are not JSON (or not UTF-8) answered 400 with a zh / en error that says where."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "body_problem"]


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes (``max_upload`` on ``upload_paths``) with
    413 and a JSON error. The declared Content-Length is checked first; a body sent without one
    (chunked) is counted as it arrives and buffered up to the limit."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int,
                 upload_paths: tuple[str, ...] = (), json_paths: tuple[str, ...] = ()):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_paths = upload_paths
        self.json_paths = json_paths  # POSTed JSON bodies checked here (400, never 500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if scope["path"] in self.upload_paths else self.max_body
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > limit:
                    await _too_large(send, limit)
                    return
            except ValueError:
                await _too_large(send, limit)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        if scope["path"] in self.json_paths and scope.get("method") == "POST" and \
                b"json" in dict(scope.get("headers") or []).get(b"content-type", b""):
            problem = body_problem(b"".join(chunks))
            if problem is not None:
                await _send_error(send, 400, "BAD_BODY", *problem)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def body_problem(body: bytes) -> tuple[str, str, dict] | None:
    """(zh, en, where) when ``body`` is not a UTF-8 JSON object; None when it is."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return (f"请求体不是有效的 UTF-8（第 {e.start} 字节）",
                f"the request body is not valid UTF-8 (byte {e.start})", {"byte": e.start})
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return (f"请求体不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列：{e.msg}）",
                f"the request body is not valid JSON (line {e.lineno}, column {e.colno}: "
                f"{e.msg})", {"line": e.lineno, "column": e.colno})
    except RecursionError:
        return ("请求体 JSON 嵌套过深", "the request body's JSON is nested too deeply", {})
    if not isinstance(value, dict):
        return ("请求体应为 JSON 对象 {\"query\": …}",
                'the request body must be a JSON object {"query": …}', {})
    if not isinstance(value.get("query"), str):
        return ("请求体缺少字符串 query", 'the request body needs a string "query"',
                {"field": "query"})
    return None


async def _too_large(send: Send, limit: int) -> None:
    zh, en = f"请求体过大（上限 {limit} 字节）", f"request body too large (limit {limit} bytes)"
    await _send_error(send, 413, "TOO_LARGE", zh, en, {"limit": limit})


async def _send_error(send: Send, status: int, code: str, zh: str, en: str, extra: dict) -> None:
    body = json.dumps({"error": {"code": code, "message": f"{zh} / {en}", "zh": zh,
                                 "en": en, **extra}}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
