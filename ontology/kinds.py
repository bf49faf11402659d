"""Every entity kind of the catalog, declared once (pure data; imports nothing outside ``ontology/``).

A kind is its code (``resource``), its class IRI (``ys:DataResource``, also the Neo4j node label),
the path segment of the IRIs minted for it (``…/resource/RES-HJ``) and its labels in Chinese and
English. The graph layer (``graph.iris.KINDS``, ``graph.query.ENTITY_KINDS``/``LINEAGE_KINDS``,
``graph.base.CLASS_OF``), the Neo4j projection's labels and the template layer's class IRIs
(``loaders.spec.FileSpec.cls``) derive from :data:`KINDS`; adding a kind is one entry here."""

from __future__ import annotations

from dataclasses import dataclass

from ontology.namespaces import YS

__all__ = ["Kind", "KINDS", "KIND_CODES", "LINEAGE_KIND_CODES", "kind", "class_iri"]


@dataclass(frozen=True)
class Kind:
    code: str  # the kind's name in the API (``kind:code`` node names, GraphQL ``kind``)
    local: str  # class local name under ys: (the class IRI) and the Neo4j node label
    segment: str  # IRI path segment of entities of this kind
    zh: str
    en: str
    lineage: int | None = None  # position among the kinds a lineage walk may start from
    api: str = ""  # the type's name in the API (GraphQL) when not ``local``
    about: str = ""  # what an entity of this kind is, "zh / en" (the GraphQL type's description)

    @property
    def public(self) -> str:
        """The kind's type name in the API."""
        return self.api or self.local

    @property
    def cls(self) -> str:
        return YS + self.local


KINDS: tuple[Kind, ...] = (
    Kind("department", "Department", "department", "部门", "Department", lineage=4,
         about="部门 / department or unit"),
    Kind("element", "DataElement", "element", "数据元", "Data element",
         about="数据元 / data element (the 'one data' of 一数一源)"),
    Kind("responsibility", "Responsibility", "responsibility", "职责事项", "Responsibility",
         lineage=5, about="职责事项 / responsibility"),
    Kind("system", "InformationSystem", "system", "信息系统", "Information system", lineage=3,
         api="System", about="信息系统 / information system"),
    Kind("resource", "DataResource", "resource", "数据资源", "Data resource", lineage=1,
         api="Resource", about="数据资源（目录） / data resource (catalog entry)"),
    Kind("item", "InformationItem", "item", "信息项", "Information item", lineage=2, api="Item",
         about="信息项 / information item (a column of a resource)"),
    Kind("request", "SharingRequest", "request", "共享需求", "Sharing request",
         about="共享需求（供需对接） / sharing request"),
    Kind("flow", "Flow", "flow", "数据流", "Flow", about="数据流 / flow of a resource to a consumer"),
)

_BY_CODE = {k.code: k for k in KINDS}
KIND_CODES: tuple[str, ...] = tuple(k.code for k in KINDS)
LINEAGE_KIND_CODES: tuple[str, ...] = tuple(
    k.code for k in sorted((k for k in KINDS if k.lineage is not None), key=lambda k: k.lineage or 0))


def kind(code: str) -> Kind:
    """The declared kind ``code``; KeyError names the known kinds."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown kind {code!r} (one of {', '.join(KIND_CODES)})") from None


def class_iri(code: str) -> str:
    return kind(code).cls
