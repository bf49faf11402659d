"""Query depth and cost limits, checked before a query runs, with errors that name the path.

Depth counts field levels (a root field is at depth 1; introspection fields are not counted).
Cost estimates the work a query asks for: every field costs 1, the questions that walk the
graph more (see :func:`own_cost`: a lineage costs in proportion to its depth, thrice at item
granularity; an impact to its depth; a whole-catalog one-source report most), and the cost of
what a field selects is multiplied by how many values it can return: its ``first`` argument
(``MAX_PAGE`` when given as a variable; the argument's default when absent), or
``LIST_ESTIMATE`` for a plain list (a department's resources, a lineage's nodes). Aliases are
separate fields, so thirty aliases of a question cost thirty questions.

Aliases are counted the same way (fragments expanded, in linear time too: Strawberry's
``MaxAliasesLimiter`` expands them without memoising).

Fragments are followed, and each fragment is measured once (memoised per fragment and
context), so the check is linear in the size of the query text however the fragments spread
one another: a 1 KB query whose 24 fragments each spread the next twice is measured in 48
steps, and refused, not expanded to 2^24 fields.

The limit on cost depends on the caller: anonymous callers get ``Limits.max_cost_anonymous``,
callers with a key ``Limits.max_cost``. Strawberry's ``QueryDepthLimiter`` names only the
operation; these errors name the field path, which is what a caller needs to fix the query.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from graph.query import MAX_DEPTH, MAX_PAGE

__all__ = ["LIST_ESTIMATE", "Measure", "measure", "own_cost", "depth_error", "cost_error",
           "alias_error", "MeasureCache"]

LIST_ESTIMATE = 10
CAP = 10**15  # costs are capped here (a fan-out of fragments could make them astronomic)
# base cost of the questions that walk the graph (per level of depth where they have one)
PER_LEVEL = {"lineage": 500, "impact": 500}
FLAT = {"traceSource": 200, "resolveSource": 20, "search": 5}
REPORT_ALL, REPORT_DEPARTMENT = 5000, 1000  # oneSourceReport / audit: the catalog / one department
REPORTS = ("oneSourceReport", "audit")


@dataclass(frozen=True)
class Measure:
    cost: int
    cost_path: tuple[str, ...]  # the costliest chain of fields
    depth: int
    depth_path: tuple[str, ...]  # the deepest chain of fields
    depth_node: FieldNode | None = None  # the field that starts the deepest chain
    aliases: int = 0  # aliased fields, fragments expanded


_EMPTY = Measure(0, (), 0, ())


def _unwrap(t):
    is_list = False
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


def _arg(node: FieldNode, name: str):
    for arg in node.arguments or ():
        if arg.name.value == name:
            return arg.value
    return None


def _first(node: FieldNode, field_def) -> int | None:
    value = _arg(node, "first")
    if isinstance(value, IntValueNode):
        return max(0, int(value.value))
    if isinstance(value, VariableNode):
        return MAX_PAGE
    if value is not None:
        return None  # null: e.g. lineage without pagination
    if field_def is not None and "first" in field_def.args:
        default = field_def.args["first"].default_value
        return default if isinstance(default, int) else None
    return None


def own_cost(node: FieldNode, field_def) -> int:
    """What asking this one field costs, before what it selects."""
    name = node.name.value
    if name in PER_LEVEL:
        value = _arg(node, "depth")
        if isinstance(value, IntValueNode):
            depth = max(1, min(int(value.value), MAX_DEPTH))
        elif value is None and field_def is not None and "depth" in field_def.args:
            default = field_def.args["depth"].default_value
            depth = default if isinstance(default, int) and default > 0 else 1
        else:  # a variable: assume the worst
            depth = MAX_DEPTH
        granularity = _arg(node, "granularity")
        item = (isinstance(granularity, VariableNode) or
                (isinstance(granularity, EnumValueNode) and granularity.value == "ITEM"))
        return PER_LEVEL[name] * depth * (3 if item else 1)
    if name in REPORTS:
        dept = _arg(node, "department")
        return REPORT_ALL if dept is None or isinstance(dept, VariableNode) else REPORT_DEPARTMENT
    return FLAT.get(name, 1)


def _skipped(node) -> bool:
    """``@skip(if: true)`` / ``@include(if: false)`` with a literal: the field is not asked."""
    for d in node.directives or ():
        cond = next((a.value for a in d.arguments or () if a.name.value == "if"), None)
        if isinstance(cond, BooleanValueNode):
            if (d.name.value == "skip" and cond.value) or \
                    (d.name.value == "include" and not cond.value):
                return True
    return False


class _Walker:
    """One pass over an operation; fragments measured once per (fragment, context)."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments
        self.memo: dict[tuple[str, bool], Measure] = {}
        self.active: set[str] = set()  # fragments being measured (a cycle is another error)

    def selection(self, sel: SelectionSetNode | None, parent, connection: bool) -> Measure:
        if sel is None:
            return _EMPTY
        cost, cost_path, worst, aliases = 0, (), -1, 0
        depth, depth_path, depth_node = 0, (), None
        for s in sel.selections:
            if _skipped(s):
                continue
            if isinstance(s, FieldNode):
                m = self.field(s, parent, connection)
                c = m.cost
            elif isinstance(s, InlineFragmentNode):
                t = parent
                if s.type_condition is not None:
                    t = self.schema.get_type(s.type_condition.name.value) or parent
                m = self.selection(s.selection_set, t, connection)
                c = m.cost
            elif isinstance(s, FragmentSpreadNode):
                m = self.spread(s.name.value, parent, connection)
                c = m.cost
            else:  # pragma: no cover - no other selection kinds exist
                continue
            cost = min(CAP, cost + c)
            aliases = min(CAP, aliases + m.aliases)
            if c > worst:
                worst, cost_path = c, m.cost_path
            if m.depth > depth:
                depth, depth_path, depth_node = m.depth, m.depth_path, m.depth_node
        return Measure(cost, cost_path, depth, depth_path, depth_node, aliases)

    def spread(self, name: str, parent, connection: bool) -> Measure:
        key = (name, connection)
        if key in self.memo:
            return self.memo[key]
        frag = self.fragments.get(name)
        if frag is None or name in self.active:
            return _EMPTY  # unknown or cyclic fragments are other rules' errors
        self.active.add(name)
        try:
            t = self.schema.get_type(frag.type_condition.name.value) or parent
            m = self.selection(frag.selection_set, t, connection)
        finally:
            self.active.discard(name)
        self.memo[key] = m
        return m

    def field(self, f: FieldNode, parent, connection: bool) -> Measure:
        name = f.name.value
        if name.startswith("__"):
            return _EMPTY
        label = (f.alias or f.name).value
        fields = getattr(parent, "fields", None)
        fdef = fields.get(name) if fields else None
        own = own_cost(f, fdef)
        below, mult = _EMPTY, 1
        if fdef is not None:
            ftype, is_list = _unwrap(fdef.type)
            first = _first(f, fdef)
            if first is not None:
                mult = first
            elif is_list and not connection:
                mult = LIST_ESTIMATE
            if f.selection_set is not None:
                below = self.selection(f.selection_set, ftype,
                                       ftype.name.endswith("Connection"))
        cost = min(CAP, own + mult * below.cost)
        return Measure(cost, (label, *below.cost_path) if below.cost else (label,),
                       1 + below.depth, (label, *below.depth_path), f,
                       below.aliases + (f.alias is not None))


def measure(schema: GraphQLSchema, document: DocumentNode,
            operation_name: str | None = None) -> list[tuple[OperationDefinitionNode, Measure]]:
    """Depth and cost of each operation of ``document`` (or the one named), in linear time."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    walker = _Walker(schema, fragments)
    out = []
    for d in document.definitions:
        if not isinstance(d, OperationDefinitionNode):
            continue
        if operation_name is not None and (d.name is None or d.name.value != operation_name):
            continue
        root = {"query": schema.query_type, "mutation": schema.mutation_type,
                "subscription": schema.subscription_type}[d.operation.value]
        out.append((d, walker.selection(d.selection_set, root, False)))
    return out


def depth_error(m: Measure, max_depth: int) -> GraphQLError:
    shown = list(m.depth_path[:max_depth + 1])
    return GraphQLError(
        f"查询嵌套过深 / query too deep at {'.'.join(shown)}: 深度 depth {m.depth} > {max_depth}",
        m.depth_node, extensions={"code": "QUERY_TOO_DEEP", "path": shown, "depth": m.depth,
                                  "maxDepth": max_depth})


def alias_error(m: Measure, max_aliases: int) -> GraphQLError:
    return GraphQLError(
        f"别名过多 / too many aliases: {m.aliases} > {max_aliases}（含片段展开 fragments "
        "expanded）", extensions={"code": "TOO_MANY_ALIASES", "aliases": m.aliases,
                                  "maxAliases": max_aliases})


def cost_error(m: Measure, max_cost: int, node, anonymous: bool) -> GraphQLError:
    who = ("匿名调用者 anonymous callers" if anonymous else "此调用者 this caller")
    hint_zh = "请减小 first、depth 或别名个数" + ("，或使用 API 密钥" if anonymous else "")
    hint_en = "lower first, depth or the number of aliases" + (
        ", or use an API key" if anonymous else "")
    return GraphQLError(
        f"查询代价过高 / query too costly: 估算 estimated cost {m.cost} > {max_cost} "
        f"({who}); 最重的路径 costliest path: {'.'.join(m.cost_path)} — {hint_zh} / {hint_en}",
        node, extensions={"code": "QUERY_TOO_COSTLY", "cost": m.cost, "maxCost": max_cost,
                          "path": list(m.cost_path), "anonymous": anonymous})


class MeasureCache:
    """Measures per (query text, operation name), least recently used dropped first."""

    def __init__(self, maxsize: int = 256):
        self.maxsize = maxsize
        self._data: OrderedDict[tuple[str, str | None], list] = OrderedDict()

    def get(self, schema: GraphQLSchema, query: str, document: DocumentNode,
            operation_name: str | None) -> list[tuple[OperationDefinitionNode, Measure]]:
        key = (query, operation_name)
        found = self._data.get(key)
        if found is not None:
            self._data.move_to_end(key)
            return found
        found = measure(schema, document, operation_name)
        self._data[key] = found
        if len(self._data) > self.maxsize:
            self._data.popitem(last=False)
        return found
