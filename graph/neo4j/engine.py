"""The Neo4j engine: the query layer's primitives in Cypher over the projection
(:mod:`graph.neo4j.projection`), through the official ``neo4j`` driver.

Every statement is a named file in ``graph/cypher/``; values always travel as parameters
(``$iris``, ``$text``, ``$v0``…). The only text put into a statement is chosen from constants:
``{anchor}`` (``s`` or ``t``), ``{type}`` (a relationship type of
:data:`graph.neo4j.mapping.REL_TYPES`) and ``{filters}`` (predicates on field names checked
against :data:`graph.base.FIELDS`). The Cypher is the subset Neo4j 5 and FalkorDB both run:
no APOC, no ``EXISTS { }`` subqueries, no ``elementId``; pattern predicates in ``WHERE``.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from typing import Any

import neo4j

from graph.base import FIELDS, REF_PREDICATES, CatalogGraphBase, Hit, ItemRow
from graph.contract import best_rows, element_rows
from graph.model import Edge, Entity
from graph.neo4j.dialect import Dialect, close_driver, detect_dialect, message_budget, pack
from graph.neo4j.mapping import CYPHER_DIR, rel_type
from ontology.codelists import SCHEMES
from ontology.namespaces import base_iri
from ontology.schema import strictest

__all__ = ["Neo4jGraph", "connect", "verify", "settings_from_env", "ENV_VARS"]

ENV_VARS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE",
            "NEO4J_CONNECTION_TIMEOUT")
_CHUNK = 5000
GENERATION_TTL = 0.25  # seconds a read generation token is trusted (another process's sync)
_ZH_VALUES = {zh for s in SCHEMES.values() for zh, _, _ in s.values}
_FIELD_NAMES = {fs.name for specs in FIELDS.values() for fs in specs}
_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@cache
def _cypher(name: str) -> str:
    return (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")


def settings_from_env() -> dict[str, str | None]:
    """Connection settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE and
    NEO4J_CONNECTION_TIMEOUT (seconds to open a connection; the driver's default, 30, when
    unset)."""
    return {
        "uri": os.environ.get("NEO4J_URI", "bolt://localhost:7687"),
        "user": os.environ.get("NEO4J_USER") or None,
        "password": os.environ.get("NEO4J_PASSWORD") or None,
        "database": os.environ.get("NEO4J_DATABASE") or None,
        "connection_timeout": os.environ.get("NEO4J_CONNECTION_TIMEOUT") or None,
    }


def connect(uri: str, user: str | None = None, password: str | None = None,
            connection_timeout: float | None = None):
    """A driver; without a user no credentials are sent (FalkorDB's Bolt refuses any)."""

    from graph.neo4j.handshake import settle_handshake

    auth = neo4j.basic_auth(user, password or "") if user else None
    settle_handshake(uri)
    options = {} if connection_timeout is None else {"connection_timeout": connection_timeout}
    return neo4j.GraphDatabase.driver(uri, auth=auth, **options)


def verify(driver, attempts: int = 3) -> None:
    """``verify_connectivity`` with retries: FalkorDB's Bolt server may leave the first
    handshake after another client's GOODBYE unanswered (see graph.neo4j.dialect.close_driver);
    the next one is answered."""

    for n in range(attempts):
        try:
            driver.verify_connectivity()
            return
        except neo4j.exceptions.ServiceUnavailable:
            if n == attempts - 1:
                raise


class Neo4jGraph(CatalogGraphBase):
    """The query layer over the Neo4j projection."""

    engine = "neo4j"

    def __init__(self, driver, database: str | None = None, *, base: str | None = None,
                 dialect: str | None = None, store=None):
        self.driver = driver
        self.database = database
        self.store = store  # the system of record, when this process also loads (yishu serve)
        self.base = base or (store.base if store is not None else base_iri())
        self._dialect = dialect
        self._token: tuple[float, str] | None = None  # (read at, generation token)

    def refresh(self) -> None:
        """Called by the API after a load into the store: bring the projection in step (only
        what differs is written; sources the store no longer has are dropped)."""
        if self.store is not None:
            from graph.neo4j.projection import Neo4jProjection

            Neo4jProjection(self.driver, self.database, dialect=self.dialect).sync(self.store)
        self._token = None  # read the new generation at once

    @property
    def dialect(self) -> str:
        """``neo4j`` or ``falkordb`` (detected on first use): how large a statement may be."""
        if self._dialect is None:
            self._dialect = detect_dialect(self.driver, self.database)
        return self._dialect

    @classmethod
    def from_settings(cls, uri: str, user: str | None = None, password: str | None = None,
                      database: str | None = None, store=None,
                      connection_timeout: float | None = None) -> Neo4jGraph:
        return cls(connect(uri, user, password, connection_timeout), database, store=store)

    def close(self) -> None:
        close_driver(self.driver, self.dialect)

    # -- helpers --------------------------------------------------------------------------
    def _run(self, query: str, **params) -> list[dict[str, Any]]:
        # An auto-commit read. (``execute_query`` wraps it in BEGIN/COMMIT: two more round
        # trips, which on FalkorDB's Bolt server cost ~45 ms per statement in delayed ACKs.)
        # Neo4j: read access, so that a cluster routes reads to followers and read replicas.
        # FalkorDB: no access mode (with mode "r" it reads another graph).
        # A connection that cannot be opened is tried once more: FalkorDB leaves the first
        # handshake after another client's GOODBYE unanswered (graph.neo4j.handshake.settle_handshake),
        # and a new pooled connection may be that one; a real outage fails the second time too.
        mode = neo4j.READ_ACCESS if self.dialect == Dialect.NEO4J else neo4j.WRITE_ACCESS
        for attempt in (1, 2):
            try:
                with self.driver.session(database=self.database,
                                         default_access_mode=mode) as session:
                    return session.run(query, params).data()
            except neo4j.exceptions.ServiceUnavailable:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _chunks(self, query: str, values: Collection[str]) -> list[list[str]]:
        """Sorted unique values in chunks a statement can carry (FalkorDB: a 4 KiB message)."""
        uniq = sorted({v for v in values if isinstance(v, str)})
        budget = message_budget(self.dialect, query)
        return list(pack(uniq, _CHUNK, budget - 200 if budget is not None else None))

    def _batched(self, query: str, iris: Collection[str], **params) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for chunk in self._chunks(query, iris):
            out.extend(self._run(query, iris=chunk, **params))
        return out

    # -- the projection's version ----------------------------------------------------------
    def _generation(self) -> object | None:
        """The projection's generation token (graph/cypher/generation.cypher), which every
        write of :class:`graph.neo4j.projection.Neo4jProjection` replaces: cursors from before
        a sync are refused as stale, as on Oxigraph. Read at most every ``GENERATION_TTL``
        seconds (a page of 100 edges signs 100 cursors; one round trip each would double a
        listing's cost); this process's own syncs (:meth:`refresh`) are seen at once."""
        now = time.monotonic()
        got = self._token
        if got is None or now - got[0] > GENERATION_TTL:
            rows = self._run(_cypher("generation"))
            got = self._token = (now, str(rows[0]["token"]) if rows else "")
        return ("neo4j", got[1])

    # -- primitives -----------------------------------------------------------------------
    def _entities(self, iris: Collection[str]) -> dict[str, Entity]:
        out = {}
        for row in self._batched(_cypher("entities"), iris):
            ent = _entity(row["props"])
            if ent is not None:
                out[ent.iri] = ent
        return out

    def _find_edges(self, iris: Collection[str], types: list[str], upstream: bool) -> set[Edge]:
        anchor = "t" if upstream else "s"
        out: set[Edge] = set()
        for t in types:
            q = _cypher(f"edge_{t}").replace("{anchor}", anchor)
            for row in self._batched(q, iris):
                out.add(Edge(row["source"], row["target"], t, row["via"]))
        return out

    def _related(self, iris: Collection[str], predicate: str, inverse: bool) -> dict[str, list[str]]:
        rtype = rel_type(predicate)
        if predicate not in REF_PREDICATES or not _SAFE.match(rtype):  # spliced into Cypher
            raise ValueError(f"not a reference predicate: {predicate!r}")
        q = _cypher("related_inverse" if inverse else "related").replace("{type}", rtype)
        out: dict[str, set[str]] = {i: set() for i in iris}
        for row in self._batched(q, iris):
            out.setdefault(row["s"], set()).add(row["o"])
        return {k: sorted(v) for k, v in out.items()}

    def _match(self, kinds: Collection[str], filters: dict[str, object],
               text: str | None) -> list[Hit]:
        specs = {fs.name: fs for k in kinds for fs in FIELDS[k]}
        preds = []
        params: dict[str, Any] = {"kinds": sorted(kinds), "text": text.lower() if text else None}
        for n, (name, value) in enumerate(sorted(filters.items())):
            fs = specs[name]
            if name not in _FIELD_NAMES or not _SAFE.match(name):  # spliced into Cypher
                raise ValueError(f"not a field: {name!r}")
            params[f"v{n}"] = value
            preds.append(f"AND $v{n} IN coalesce(n.{name}, [])" if fs.multi
                         else f"AND n.{name} = $v{n}")
        q = _cypher("match").replace("{filters}", " ".join(preds))
        hits = []
        for r in self._run(q, **params):
            label = _label(r["label"], r["label_en"])
            hits.append(Hit(r["kind"], r["iri"], r["code"], label,
                            tuple(sorted(set(r["synonyms"] or ())))))
        return sorted(hits, key=lambda h: (h.kind, h.code, h.iri))

    def _lookup_element(self, text: str) -> list[tuple[str, str]]:
        order = {"code": 0, "name": 1, "synonym": 2}
        pairs = set()
        for r in self._run(_cypher("lookup_element"), text=text):
            for how in ("code", "name", "synonym"):
                if r[f"by_{how}"]:
                    pairs.add((r["iri"], how))
        return sorted(pairs, key=lambda p: (order[p[1]], p[0]))

    @staticmethod
    def _row(r: dict[str, Any]) -> ItemRow:
        return ItemRow(r["item"], r["resource"], r["element"], r["authoritative"] is True,
                       r["taken_from"], r["provider"])

    def _item_rows(self, items: Collection[str]) -> dict[str, ItemRow]:
        return best_rows(map(self._row, self._batched(_cypher("item_rows"), items)),
                         key=lambda r: r.item)

    def _element_items(self, elements: Collection[str] | None = None,
                       department: str | None = None) -> list[ItemRow]:
        q = _cypher("element_items")
        if elements is None:
            rows = self._run(q, elements=None, dept=department)
        else:
            rows = []
            for chunk in self._chunks(q, elements):
                rows += self._run(q, elements=chunk, dept=department)
        return element_rows(map(self._row, rows))

    def _used_elements(self, department: str | None = None) -> list[str]:
        used = {r["iri"] for r in self._run(_cypher("used_elements"))}
        if department is not None:
            used &= {r["iri"] for r in self._run(_cypher("department_elements"), dept=department)}
        return sorted(used)

    def _sensitivities(self, iris: Collection[str]) -> dict[str, str | None]:
        own: dict[str, set[str]] = {}
        inherited: dict[str, set[str]] = defaultdict(set)
        for r in self._batched(_cypher("sensitivities"), iris):
            s = r["iri"]
            levels = own.setdefault(s, set())  # every existing resource or item gets an answer
            if r["own"] in _ZH_VALUES:
                levels.add(r["own"])
            if r["inherited"] in _ZH_VALUES:
                inherited[s].add(r["inherited"])
        # repeated values (bad data): the strictest known own level, else the resource's
        return {s: strictest(levels) or strictest(inherited[s])  # type: ignore[misc]
                for s, levels in own.items()}


def _label(zh: str | None, en: str | None) -> str | None:
    labels = [x for x in (zh, en) if x is not None]
    return min(labels) if labels else None


def _entity(props: dict[str, Any]) -> Entity | None:
    """An Entity from a node's properties (the projection stores the fields under their
    Entity.fields names; enums also as ``<field>_iri``, which is not a field)."""
    kind = props.get("kind")
    if kind not in FIELDS:
        return None
    fields: dict[str, Any] = {}
    for fs in FIELDS[kind]:
        v = props.get(fs.name)
        if v is None or v == []:
            continue
        if fs.multi:
            fields[fs.name] = sorted(set(v if isinstance(v, list) else [v]), key=str)
        else:
            fields[fs.name] = v
    return Entity(kind, props["iri"], props.get("code") or "",
                  _label(props.get("label"), props.get("label_en")), fields)

