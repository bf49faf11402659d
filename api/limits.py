"""Query depth and cost limits, checked before a query runs, with errors that name the path.

Depth counts field levels (a root field is at depth 1; introspection fields are not counted).
Cost estimates how many values a query can produce: every field costs 1 (expensive questions
more, see ``WEIGHTS``) and the cost of what a field selects is multiplied by how many values it
can return: its ``first`` argument (``MAX_PAGE`` when given as a variable; the argument's
default when absent), or ``LIST_ESTIMATE`` for a plain list (a department's resources, a
lineage's nodes). Fragments are followed; the depth is checked before the cost so a hostile
nesting is refused early.

Strawberry's ``QueryDepthLimiter`` names only the operation; this rule names the field path,
which is what a caller needs to fix the query.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
)
from strawberry.extensions import AddValidationRules

from graph.query import MAX_PAGE

__all__ = ["CostAndDepthLimiter", "make_rule", "WEIGHTS", "LIST_ESTIMATE"]

LIST_ESTIMATE = 10
WEIGHTS = {
    "lineage": 50, "impact": 50, "traceSource": 20, "resolveSource": 10,
    "oneSourceReport": 500, "search": 5, "audit": 500,
}


class _TooDeep(Exception):
    def __init__(self, path: list[str], node):
        self.path = path
        self.node = node


@dataclass
class _Cost:
    total: int
    path: list[str]  # the costliest chain below this field


def _unwrap(t):
    is_list = False
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


def _first(node: FieldNode, field_def) -> int | None:
    for arg in node.arguments or ():
        if arg.name.value == "first":
            if isinstance(arg.value, IntValueNode):
                return max(0, int(arg.value.value))
            if isinstance(arg.value, VariableNode):
                return MAX_PAGE
            return None  # null: e.g. lineage without pagination
    if field_def is not None and "first" in field_def.args:
        default = field_def.args["first"].default_value
        return default if isinstance(default, int) else None
    return None


def make_rule(max_depth: int, max_cost: int) -> type[ValidationRule]:
    """The validation rule class (make it once per schema: validation caching keys on it)."""
    class CostAndDepthRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            schema = self.context.schema
            root = {"query": schema.query_type, "mutation": schema.mutation_type,
                    "subscription": schema.subscription_type}[node.operation.value]
            try:
                self._depth(node.selection_set, root, [], set())
            except _TooDeep as e:
                self.report_error(GraphQLError(
                    f"查询嵌套过深 / query too deep at {'.'.join(e.path)}: 深度 depth "
                    f"{len(e.path)} > {max_depth}", e.node,
                    extensions={"code": "QUERY_TOO_DEEP", "path": e.path,
                                "maxDepth": max_depth}))
                return
            cost = self._cost(node.selection_set, root, [], set(), connection=False)
            if cost.total > max_cost:
                self.report_error(GraphQLError(
                    f"查询代价过高 / query too costly: 估算 estimated cost {cost.total} > "
                    f"{max_cost}; 最重的路径 costliest path: {'.'.join(cost.path)} — 请减小 first "
                    "或嵌套 / lower first or the nesting", node,
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost.total,
                                "maxCost": max_cost, "path": cost.path}))

        # -- walking ------------------------------------------------------------------------
        def _fields(self, sel: SelectionSetNode | None, parent, seen: set[str]):
            """(field node, parent type) for every field selected, fragments expanded."""
            if sel is None:
                return
            for s in sel.selections:
                if isinstance(s, FieldNode):
                    yield s, parent
                elif isinstance(s, InlineFragmentNode):
                    t = parent
                    if s.type_condition is not None:
                        t = self.context.schema.get_type(s.type_condition.name.value) or parent
                    yield from self._fields(s.selection_set, t, seen)
                elif isinstance(s, FragmentSpreadNode):
                    name = s.name.value
                    frag = self.context.get_fragment(name)
                    if frag is None or name in seen:
                        continue  # unknown or cyclic fragments are other rules' errors
                    t = self.context.schema.get_type(frag.type_condition.name.value) or parent
                    yield from self._fields(frag.selection_set, t, seen | {name})

        def _field_def(self, parent, name: str):
            fields = getattr(parent, "fields", None)
            return fields.get(name) if fields else None

        def _depth(self, sel, parent, path: list[str], seen: set[str]) -> None:
            for f, ptype in self._fields(sel, parent, seen):
                name = f.name.value
                if name.startswith("__"):
                    continue
                here = path + [(f.alias or f.name).value]
                if len(here) > max_depth:
                    raise _TooDeep(here, f)
                fdef = self._field_def(ptype, name)
                if f.selection_set is not None and fdef is not None:
                    self._depth(f.selection_set, _unwrap(fdef.type)[0], here, seen)

        def _cost(self, sel, parent, path: list[str], seen: set[str], *,
                  connection: bool) -> _Cost:
            total, worst = 0, _Cost(0, path)
            for f, ptype in self._fields(sel, parent, seen):
                name = f.name.value
                if name.startswith("__"):
                    continue
                here = path + [(f.alias or f.name).value]
                fdef = self._field_def(ptype, name)
                own = WEIGHTS.get(name, 1)
                below = _Cost(0, here)
                mult = 1
                if fdef is not None:
                    ftype, is_list = _unwrap(fdef.type)
                    first = _first(f, fdef)
                    if first is not None:
                        mult = first
                    elif is_list and not connection:
                        mult = LIST_ESTIMATE
                    if f.selection_set is not None:
                        below = self._cost(f.selection_set, ftype, here, seen,
                                           connection=ftype.name.endswith("Connection"))
                c = own + mult * below.total
                total += c
                if c > worst.total:
                    worst = _Cost(c, below.path if below.total else here)
            return _Cost(total, worst.path)

    return CostAndDepthRule


class CostAndDepthLimiter(AddValidationRules):
    """Refuse queries nested deeper than ``max_depth`` or estimated to cost over ``max_cost``
    (pass ``rule`` from :func:`make_rule` to share one rule class between requests)."""

    def __init__(self, *, max_depth: int = 10, max_cost: int = 50_000,
                 rule: type[ValidationRule] | None = None):
        super().__init__([rule or make_rule(max_depth, max_cost)])
