"""Writing to a Bolt server (Neo4j or FalkorDB) within its limits: auto-commit statements or one
explicit transaction per unit of work (:class:`graph.neo4j.dialect.Dialect`), rows packed into
batches that fit one message, a node too large for one FalkorDB message written a few
properties at a time, deletes drained in bounded steps, relationship endpoints sent as suffixes
of their common prefix, and the schema (constraints, indexes). What is written, and when, is
:class:`graph.neo4j.projection.Neo4jProjection`'s business."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any

from graph.neo4j.dialect import (
    FALKORDB_MAX_MESSAGE,
    Dialect,
    detect_dialect,
    falkor_index,
    message_budget,
    pack,
    packed_size,
    schema_statements,
)
from graph.neo4j.mapping import DEFAULT_BATCH_SIZE, cypher_file

__all__ = ["BoltWriter"]

_UPSERT_NODES = cypher_file("sync_upsert_nodes.cypher")
_SET_PROPS = cypher_file("sync_set_props.cypher")


class BoltWriter:
    """A driver, a database, a batch size and the server's dialect (detected when not given)."""

    def __init__(self, driver, database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 dialect: str | None = None):
        if batch_size < 1:
            raise ValueError("batch_size must be positive / 批大小须为正数")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.dialect = dialect or detect_dialect(driver, database)

    # -- plumbing --
    def _run(self, query: str, **params) -> list[dict[str, Any]]:
        # auto-commit: FalkorDB runs those in graph "falkordb" whatever the database, and
        # explicit transactions in graph "db" (see Dialect), so Yishu only sends auto-commit
        # statements to it
        with self.driver.session(database=self.database) as session:
            return session.run(query, params).data()

    def _batches(self, query: str, rows: list, key: str = "rows",
                 **other: Any) -> Iterable[list]:
        """``rows`` in batches that fit one statement with the ``other`` parameters."""
        budget = message_budget(self.dialect, query)
        if budget is not None:
            budget -= packed_size(key) + packed_size(other)
        return pack(rows, self.batch_size, budget)

    def _upsert(self, tx, label: str, rows: list[dict[str, Any]]) -> Iterable[int]:
        q = _UPSERT_NODES.replace("{label}", label)
        budget = message_budget(self.dialect, q)
        for batch in self._batches(q, rows):
            if budget is not None and len(batch) == 1 and packed_size(batch) > budget:
                self._upsert_large(tx, label, batch[0], budget)
            else:
                tx.run(q, rows=batch).data()
            yield len(batch)

    def _upsert_large(self, tx, label: str, row: dict[str, Any], budget: int) -> None:
        """A node too large for one FalkorDB message: its properties a few at a time."""
        key = {k: row[k] for k in ("iri", "kind", "source")}
        tx.run(_UPSERT_NODES.replace("{label}", label), rows=[key]).data()
        rest = [{k: v} for k, v in row.items() if k not in key]
        for part in pack(rest, len(rest), budget - packed_size(row["iri"])):
            props = {k: v for d in part for k, v in d.items()}
            if packed_size(props) > budget - packed_size(row["iri"]):
                raise ValueError(
                    f"属性 {next(iter(props))} 超出 FalkorDB 的 Bolt 消息上限 / property "
                    f"{next(iter(props))} of {row['iri']} is larger than FalkorDB's Bolt message "
                    f"limit ({FALKORDB_MAX_MESSAGE} bytes)")
            tx.run(_SET_PROPS, iri=row["iri"], props=props).data()

    def _drain(self, tx, query: str, **params) -> int:
        total = 0
        while True:
            n = tx.run(query, limit=self.batch_size * 5, **params).single()["n"]
            total += n
            if n == 0:
                return total

    @contextmanager
    def _transaction(self, session):
        """Neo4j: one explicit transaction, committed at the end (atomic per source).
        FalkorDB: auto-commit statements on the session — its Bolt BEGIN/COMMIT are accepted
        but not transactional, and each costs a delayed-ACK round trip (~45 ms)."""
        if self.dialect == Dialect.FALKORDB:
            yield session
            return
        with session.begin_transaction() as tx:
            yield tx
            tx.commit()

    # -- schema --
    def ensure_schema(self) -> list[str]:
        """Create the constraints and indexes (idempotent); returns the statements run."""
        existing = self._falkordb_indexes() if self.dialect == Dialect.FALKORDB else set()
        done = []
        for stmt in schema_statements(self.dialect):
            if self.dialect == Dialect.FALKORDB:
                # no IF NOT EXISTS, and a duplicate index is an error without a message
                m = falkor_index.search(stmt)
                if m is None or (m["label"] or m["type"], m["prop"]) in existing:
                    continue
            self._run(stmt)
            done.append(stmt)
        return done

    def _falkordb_indexes(self) -> set[tuple[str, str]]:
        return {(r["label"], p) for r in self._run("CALL db.indexes() YIELD label, properties "
                                                    "RETURN label, properties")
                for p in r["properties"]}

    def _rel_rows(self, tx, query: str, pairs: list[tuple[str, str]], source: str) -> None:
        """Run a relationship statement over (start IRI, end IRI) pairs, IRIs sent as suffixes
        of their common prefix (``$prefix``) so that more fit in one message."""
        if not pairs:
            return
        prefix = os.path.commonprefix([x for p in pairs for x in p])
        rows = [{"s": a[len(prefix):], "o": b[len(prefix):]} for a, b in pairs]
        for batch in self._batches(query, rows, prefix=prefix, source=source):
            tx.run(query, rows=batch, prefix=prefix, source=source).data()
