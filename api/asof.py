"""``query @asOf(at: DateTime!) { … }``: a whole GraphQL question answered as the catalog stood
at a past instant (issue 14 step 2).

The directive sits on the operation, so it is resolved once per request, before any resolver
runs (:class:`AsOfSelect`, a schema extension): the request's :class:`api.context.Context` gets
a :class:`api.policy.PolicyGraph` over an Oxigraph engine on :meth:`CatalogStore.as_of` — with
the 涉密 set computed *for that version* (an entry classified only then is hidden from a role
that may not see it, exactly as today's are) — and every question of the query (lookups,
listings, search, lineage, traces, one data one source, impact, the audit and its figures, the
diff) reads it. Without the directive nothing changes. The Neo4j engine holds only today's
catalog: a query with ``@asOf`` on it is refused.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Iterator

import strawberry
from graphql import GraphQLError, OperationDefinitionNode, VariableNode, value_from_ast
from strawberry.directive import DirectiveLocation
from strawberry.extensions import SchemaExtension

from api.policy import PolicyGraph, Restrictions
from graph.history import HistoryError
from graph.oxigraph_engine import OxigraphGraph
from graph.store import CatalogStore

__all__ = ["as_of_directive", "AsOfSelect", "graph_as_of", "audit_as_of"]


@strawberry.directive(locations=[DirectiveLocation.QUERY], name="asOf",
                      description="整个查询按目录在该时刻的状态回答（历史版本，docs/versions.md） / "
                                  "answer the whole query as the catalog stood at that instant "
                                  "(stored versions, docs/versions.md)")
def as_of_directive(at: datetime.datetime) -> None:  # resolved by AsOfSelect, not per field
    return None


_engines: weakref.WeakKeyDictionary[CatalogStore, tuple[OxigraphGraph, Restrictions]] = \
    weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _engine(store: CatalogStore) -> tuple[OxigraphGraph, Restrictions]:
    with _lock:
        found = _engines.get(store)
        if found is None:
            engine = OxigraphGraph(store)
            found = _engines[store] = (engine, Restrictions(engine, base=store.base))
        return found


def graph_as_of(app_state, policy: PolicyGraph,
                at: datetime.datetime) -> tuple[PolicyGraph, CatalogStore]:
    """The caller's policy graph over the catalog as of ``at``, and that store."""
    store = getattr(app_state, "store", None)
    if store is None or not isinstance(app_state.graph, OxigraphGraph):
        raise GraphQLError(
            "asOf 仅由 Oxigraph 引擎回答：Neo4j 只保存当前目录 / asOf is answered by the Oxigraph "
            "engine only: Neo4j holds only today's catalog", extensions={"code": "NO_HISTORY"})
    try:
        past = store.as_of(at)
    except HistoryError as e:
        raise GraphQLError(str(e), extensions={"code": e.code}) from None
    engine, restrictions = _engine(past)
    return PolicyGraph(engine, persons=policy.persons, phones=policy.phones,
                       classified=policy.classified, restrictions=restrictions), past


def audit_as_of(store: CatalogStore, day: datetime.date | None,
                hidden: frozenset[str] = frozenset()):
    """The audit of a past catalog (audit date ``day``, default the catalog's own date) without
    ``hidden`` (what the caller may not see in that version: :meth:`PolicyGraph.deleted`) — kept
    with the bulletin's (:mod:`shapes.audit_cache`: per resolved versions, day and hidden set)."""
    from graph.history import SHANGHAI
    from shapes.audit_cache import audit_as_of as kept

    at = getattr(store, "at", None)
    day = day or (at.astimezone(SHANGHAI).date() if at is not None else None)
    return kept(store, as_of=day, hidden=hidden)


def _at(ec) -> datetime.datetime | None:
    doc = ec.graphql_document
    if doc is None:
        return None
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)
           and (ec.operation_name is None or (d.name and d.name.value == ec.operation_name))]
    if len(ops) != 1:
        return None
    node = next((d for d in ops[0].directives or () if d.name.value == "asOf"), None)
    if node is None:
        return None
    arg = next(a for a in node.arguments if a.name.value == "at")
    scalar = ec.schema._schema.get_directive("asOf").args["at"].type.of_type
    try:
        if isinstance(arg.value, VariableNode):
            return scalar.parse_value((ec.variables or {}).get(arg.value.name.value))
        return value_from_ast(arg.value, scalar)
    except Exception as e:  # noqa: BLE001 - any unreadable value: one located error
        raise GraphQLError(f"asOf 的时间无效 / invalid asOf time: {e}", nodes=[node],
                           extensions={"code": "BAD_ARGUMENT"}) from None


class AsOfSelect(SchemaExtension):
    """Resolves ``@asOf`` once per request and points the request's context at that past."""

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        ctx = ec.context
        at = _at(ec)
        if at is not None and hasattr(ctx, "graph") and getattr(ctx, "request", None):
            ctx.graph, ctx.catalog = graph_as_of(ctx.request.app.state, ctx.graph, at)
        yield
