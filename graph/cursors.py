"""The one cursor codec of the project: opaque, signed, never carrying a code or an IRI.

A cursor is an offset into one answer (a listing, a lineage) plus a short tag of the store
version, signed with HMAC-SHA256 over the offset, the tag and a digest of the question (what was
asked, by which view of the catalog). Nothing in it names an entity; a cursor edited by hand
fails the signature (``BAD_CURSOR``, "无效的游标 / invalid cursor"), a cursor from an older
version of the store is refused as stale ("游标已过期 / stale cursor"; Oxigraph: the sources' version
graphs; the Neo4j engine: the generation token every projection write replaces), a cursor of another
question or of another role's view fails the signature as well.

The secret is random per process unless ``YISHU_CURSOR_SECRET`` is set (several server
processes behind one address must share it); :func:`configure` sets it explicitly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading

from graph.query import QueryError

__all__ = ["encode", "decode", "configure", "question_digest"]

_MAC_BYTES = 16
_lock = threading.Lock()
_secret: bytes = (os.environ.get("YISHU_CURSOR_SECRET", "").encode() or secrets.token_bytes(32))


def configure(secret: str | bytes | None) -> None:
    """Use ``secret`` to sign cursors (None: a new random one). Cursors signed before stop
    verifying."""
    global _secret
    with _lock:
        if secret is None:
            _secret = secrets.token_bytes(32)
        else:
            _secret = secret.encode() if isinstance(secret, str) else bytes(secret)


def question_digest(*parts: object) -> bytes:
    """A digest of what was asked (JSON of ``parts``), bound into a cursor's signature."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str,
                     separators=(",", ":")).encode()
    return hashlib.sha256(raw).digest()


def _version_tag(version: object) -> str:
    if version is None:
        return ""
    d = hmac.new(_secret, repr(version).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(d[:6]).decode()


def _mac(offset: int, tag: str, question: bytes) -> bytes:
    msg = f"{offset}|{tag}|".encode() + question
    return hmac.new(_secret, msg, hashlib.sha256).digest()[:_MAC_BYTES]


def encode(offset: int, question: bytes, version: object) -> str:
    """A cursor for position ``offset`` (how many entries were served) of ``question``."""
    tag = _version_tag(version)
    body = json.dumps([offset, tag], separators=(",", ":")).encode()
    raw = body + b"." + _mac(offset, tag, question)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad(cursor: object) -> QueryError:
    shown = str(cursor)[:80]
    return QueryError(f"无效的分页游标（被修改或不属于此查询）：{shown}",
                      f"invalid cursor (altered, or not from this query): {shown}", "BAD_CURSOR")


def decode(cursor: str, question: bytes, version: object) -> int:
    """The offset a cursor from :func:`encode` carries, verified; QueryError BAD_CURSOR when
    it was altered, belongs to another question or view, or the store changed since."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > 200:
        raise _bad(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body, _, mac = raw.partition(b".")  # the body (JSON, base64 tag) holds no "."
        offset, tag = json.loads(body.decode())
    except (ValueError, UnicodeDecodeError, TypeError):
        raise _bad(cursor) from None
    if (not isinstance(offset, int) or isinstance(offset, bool) or offset < 0
            or not isinstance(tag, str)):
        raise _bad(cursor)
    if not hmac.compare_digest(mac, _mac(offset, tag, question)):
        raise _bad(cursor)
    if version is not None and tag != _version_tag(version):  # None: the engine cannot tell
        raise QueryError("分页游标已过期：目录在翻页期间已更新，请从第一页重新查询",
                         "stale cursor: the catalog changed while paging; start again from the "
                         "first page", "BAD_CURSOR")
    return offset
