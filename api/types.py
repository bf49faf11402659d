"""GraphQL types of the catalog's entities, navigable both ways along their relations.

The types are made from the one declaration of the schema: one type per kind of
``ontology.kinds.KINDS`` (its API name and description), one field per declared field of
``ontology.fields.FIELDS`` (its API name, value type and labels), and one back-reference field
per ``ontology.fields.INVERSES`` entry — the inverse of a reference to the same kind right after
it (``parent``, ``children``), the others after the kind's own fields. A new kind or field
declared there appears here without an edit.

Every type wraps a :class:`graph.model.Entity` (already filtered and redacted by the access
policy). Scalar fields read the entity's fields; references and back-references go through the
request's DataLoaders, so a nested query costs one query-layer call per level, not per node.
Descriptions are Chinese / English.
"""

# No ``from __future__ import annotations``: the field factories below set real annotations.

from enum import Enum
from typing import Any, Optional  # noqa: F401 (resolvers annotate "Optional[Target]")

import strawberry
from strawberry.types import Info

from graph.model import Entity
from ontology.fields import FIELDS, Field, Inverse, inverses
from ontology.kinds import KIND_CODES, KINDS, kind

__all__ = [
    "CatalogNode", "Department", "DataElement", "Responsibility", "System", "Resource", "Item",
    "SharingRequest", "Flow", "wrap", "wrap_all", "TYPES", "Kind", "graphql_type",
]


Kind = strawberry.enum(Enum("Kind", {c: c for c in KIND_CODES}),  # type: ignore[misc]
                       description="实体类别 / kind of catalog entity")


def _scalar(local: str, desc: str, typ: Any = str):
    def resolve(root) -> Any:
        return root.entity.fields.get(local)

    resolve.__annotations__ = {"return": typ | None}
    return strawberry.field(resolver=resolve, description=desc)


def _strings(local: str, desc: str):
    def resolve(root) -> list[str]:
        v = root.entity.fields.get(local)
        return list(v) if isinstance(v, list) else ([v] if v else [])

    return strawberry.field(resolver=resolve, description=desc)


def _ref(local: str, target: str, desc: str):
    """A reference held by this entity (one IRI)."""
    async def resolve(root, info: Info) -> Any:
        v = root.entity.fields.get(local)
        if isinstance(v, list):
            v = v[0] if v else None
        return wrap(await info.context.entity(v))

    resolve.__annotations__ = {"info": Info, "return": f"Optional[{target}]"}
    return strawberry.field(resolver=resolve, description=desc)


def _refs(local: str, target: str, desc: str):
    """References held by this entity (a list of IRIs)."""
    async def resolve(root, info: Info) -> Any:
        v = root.entity.fields.get(local) or []
        return wrap_all(await info.context.entity_list(v if isinstance(v, list) else [v]))

    resolve.__annotations__ = {"info": Info, "return": f"list[{target}]"}
    return strawberry.field(resolver=resolve, description=desc)


def _back(local: str, target: str, kind: str, desc: str):
    """Entities of ``kind`` that point at this one with ``local``."""
    async def resolve(root, info: Info) -> Any:
        iris = await info.context.related(local, True).load(root.entity.iri)
        entities = await info.context.entity_list(iris)
        return wrap_all([e for e in entities if e.kind == kind])

    resolve.__annotations__ = {"info": Info, "return": f"list[{target}]"}
    return strawberry.field(resolver=resolve, description=desc)


@strawberry.interface(description="目录中的实体 / an entity of the catalog")
class CatalogNode:
    entity: strawberry.Private[Entity]

    @strawberry.field(description="IRI（全局唯一标识） / IRI (global id)")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.entity.iri)

    @strawberry.field(description="编码 / code")
    def code(self) -> str:
        return self.entity.code

    @strawberry.field(description="名称 / name")
    def name(self) -> str | None:
        return self.entity.label

    @strawberry.field(description="类别 / kind")
    def kind(self) -> Kind:
        return Kind(self.entity.kind)


_SCALAR = {"bool": bool, "int": int}  # other one-value types read as strings


def _describe(f: Field) -> str:
    if f.personal or f.phone:
        return f"{f.zh}（个人信息） / {f.en} (personal data)"
    return f"{f.zh} / {f.en}"


def _field(f: Field) -> Any:
    """The GraphQL field of a declared field, by its value type."""
    desc = _describe(f)
    if f.value in ("ref", "refs"):
        target = kind(f.target or "").public
        return (_ref if f.value == "ref" else _refs)(f.name, target, desc)
    if f.value == "list":
        return _strings(f.name, desc)
    return _scalar(f.name, desc, _SCALAR.get(f.value, str))


def _inverse(inv: Inverse) -> Any:
    return _back(inv.field, kind(inv.kind).public, inv.kind, f"{inv.zh} / {inv.en}")


def graphql_type(code: str) -> type:
    """The Strawberry type of kind ``code``, made from its declaration (see the module text)."""
    k = kind(code)
    attrs: dict[str, Any] = {"__module__": __name__, "__qualname__": k.public}
    back = list(inverses(code))
    for f in FIELDS[code]:
        attrs[f.public] = _field(f)
        for inv in [i for i in back if i.kind == code and i.field == f.name]:
            attrs[inv.name] = _inverse(inv)
            back.remove(inv)
    for inv in back:
        attrs[inv.name] = _inverse(inv)
    return strawberry.type(type(k.public, (CatalogNode,), attrs), description=k.about)


TYPES: dict[str, type] = {}
for _k in KINDS:
    TYPES[_k.code] = globals()[_k.public] = graphql_type(_k.code)

# the types other modules name (api.schema, api.results)
Department = TYPES["department"]
DataElement = TYPES["element"]
Responsibility = TYPES["responsibility"]
System = TYPES["system"]
Resource = TYPES["resource"]
Item = TYPES["item"]
SharingRequest = TYPES["request"]
Flow = TYPES["flow"]


def wrap(e: Entity | None) -> Any:
    return TYPES[e.kind](entity=e) if e is not None else None


def wrap_all(entities: list[Entity]) -> list[Any]:
    return [TYPES[e.kind](entity=e) for e in entities]
