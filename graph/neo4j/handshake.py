"""The Bolt handshake probe the Neo4j engine and projection make before connecting (a FalkorDB
quirk, harmless on Neo4j). The FalkorDB test server itself lives in tests/bolt_server.py."""

from __future__ import annotations

import socket

__all__ = ["settle_handshake"]

_BOLT_MAGIC = bytes.fromhex("6060B017")
# Bolt 5.7..5.0, 4.4, 4.3, 4.2 (one range entry), 3
_BOLT_VERSIONS = bytes.fromhex("00070705" "00020404" "00000003" "00000000")


def settle_handshake(uri: str, attempts: int = 5, timeout: float = 1.0) -> bool:
    """Probe a plain ``bolt://host:port`` with a bare Bolt handshake until one is answered.

    FalkorDB 4.16's Bolt server leaves the first handshake after another client's GOODBYE
    unanswered (the neo4j driver says GOODBYE whenever a connection object is closed or garbage
    collected); the driver would then wait for its full connection timeout. A probe that gets no
    answer within ``timeout`` absorbs that lost handshake, closing its socket without GOODBYE.
    Harmless on Neo4j (a version negotiation, then close). Returns whether an answer came;
    other schemes (TLS, routing) are left alone (False)."""
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    if parts.scheme != "bolt" or not parts.hostname:
        return False
    for _ in range(attempts):
        try:
            with socket.create_connection((parts.hostname, parts.port or 7687),
                                          timeout=timeout) as s:
                s.sendall(_BOLT_MAGIC + _BOLT_VERSIONS)
                if len(s.recv(4)) == 4:
                    return True
        except OSError:
            continue
    return False
