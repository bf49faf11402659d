"""Every field of every entity kind, declared once (pure data; imports nothing outside ``ontology/``).

A field is its name (the predicate's local name, the key in ``Entity.fields``, the Neo4j property
and the GraphQL field's source), its predicate IRI, its value type (``text``, ``ref``, ``refs``,
``enum``, ``bool``, ``list``, ``date``, ``datetime``, ``int``, ``region``), whether it holds one
value or many, the kind it references (ref/refs) or the code list of its values (enum), and
whether it is personal data or a phone number (hidden from callers without the right). The code
and the name (``dcterms:identifier``, ``rdfs:label``) are every kind's and not listed here.

``graph.base.FIELDS``, the Neo4j projection's property table and the access policy's personal
and phone fields derive from :data:`FIELDS`; the template layer (``loaders.spec``) adds the
Chinese header, sheet, required flag, note and bounds of each field's column."""

from __future__ import annotations

from dataclasses import dataclass

from ontology.namespaces import DCTERMS, ORG, SKOS, YS

__all__ = ["Field", "FIELDS", "Inverse", "INVERSES", "VALUE_TYPES", "field", "inverses",
           "personal_fields", "phone_fields"]

VALUE_TYPES = ("text", "ref", "refs", "enum", "bool", "list", "date", "datetime", "int", "region")


@dataclass(frozen=True)
class Field:
    name: str  # predicate local name = Entity.fields key = Neo4j property
    pred: str  # full predicate IRI
    value: str  # one of VALUE_TYPES
    target: str | None = None  # ref/refs: the entity kind referenced; enum: the code list
    zh: str = ""  # label, Chinese (the GraphQL field's description, the docs)
    en: str = ""  # label, English
    api: str = ""  # the field's name in the API (GraphQL) when not ``name`` (``parent``)
    personal: bool = False  # personal data (a named person)
    phone: bool = False  # a phone number

    @property
    def public(self) -> str:
        """The field's name in the API."""
        return self.api or self.name

    @property
    def many(self) -> bool:
        """refs and list fields hold several values (a sorted list)."""
        return self.value in ("refs", "list")


F = Field

FIELDS: dict[str, tuple[Field, ...]] = {
    "department": (
        F("subOrganizationOf", ORG + "subOrganizationOf", "ref", "department",
          "上级部门", "parent department", api="parent"),
        F("adminLevel", YS + "adminLevel", "enum", "AdminLevel", "行政层级", "administrative level"),
        F("regionCode", YS + "regionCode", "region", None, "行政区划代码", "region code"),
        F("departmentType", YS + "departmentType", "enum", "DepartmentType", "部门类型", "kind of unit"),
        F("chiefDataOfficer", YS + "chiefDataOfficer", "text", None, "首席数据官", "chief data officer",
          personal=True),
        F("sharingLeader", YS + "sharingLeader", "text", None, "共享负责人", "sharing leader",
          personal=True),
        F("sharingClerk", YS + "sharingClerk", "text", None, "共享经办人", "sharing clerk",
          personal=True),
        F("contactPhone", YS + "contactPhone", "text", None, "联系电话", "contact phone", phone=True),
    ),
    "element": (
        F("altLabel", SKOS + "altLabel", "list", None, "同义词", "synonyms", api="synonyms"),
        F("standardBasis", YS + "standardBasis", "text", None, "标准依据", "standard"),
        F("authoritativeDepartment", YS + "authoritativeDepartment", "ref", "department",
          "权威部门", "designated authoritative department"),
    ),
    "responsibility": (
        F("responsibilityType", YS + "responsibilityType", "enum", "ResponsibilityType",
          "事项类型", "kind"),
        F("implementedBy", YS + "implementedBy", "ref", "department", "实施部门",
          "implementing department", api="department"),
        F("legalBasis", YS + "legalBasis", "text", None, "设定依据", "legal basis"),
        F("produces", YS + "produces", "refs", "resource", "产生的数据资源", "resources produced"),
        F("needsElement", YS + "needsElement", "refs", "element", "所需数据元",
          "data elements needed", api="needsElements"),
    ),
    "system": (
        F("ownedBy", YS + "ownedBy", "ref", "department", "建设部门", "owning department",
          api="owner"),
        F("function", YS + "function", "text", None, "系统功能", "function"),
        F("usageScope", YS + "usageScope", "enum", "UsageScope", "使用范围", "usage scope"),
        F("usageFrequency", YS + "usageFrequency", "enum", "UsageFrequency", "使用频度",
          "usage frequency"),
        F("approvedBy", YS + "approvedBy", "ref", "department", "审批部门", "approving department"),
        F("approvalDate", YS + "approvalDate", "date", None, "审批时间", "approval date"),
        F("funding", YS + "funding", "enum", "Funding", "经费来源", "funding"),
        F("deployment", YS + "deployment", "enum", "Deployment", "部署方式", "deployment"),
        F("network", YS + "network", "enum", "Network", "网络类型", "network"),
        F("protectionLevel", YS + "protectionLevel", "enum", "ProtectionLevel", "等保级别",
          "protection level"),
        F("classified", YS + "classified", "bool", None, "是否涉密", "handles state secrets"),
        F("status", YS + "status", "enum", "SystemStatus", "运行状态", "status"),
        F("connectedToPlatform", YS + "connectedToPlatform", "bool", None, "接入共享平台",
          "connected to the sharing platform"),
        F("lastMaintained", YS + "lastMaintained", "date", None, "最近运维时间", "last maintenance"),
        F("mergedInto", YS + "mergedInto", "ref", "system", "整合至", "merged into"),
    ),
    "resource": (
        F("description", DCTERMS + "description", "text", None, "资源摘要", "abstract"),
        F("resourceCategory", YS + "resourceCategory", "enum", "ResourceCategory", "资源分类",
          "category"),
        F("baseDatabase", YS + "baseDatabase", "enum", "BaseDatabase", "基础库", "base database"),
        F("provider", YS + "provider", "ref", "department", "提供方部门", "providing department"),
        F("sourceSystem", YS + "sourceSystem", "ref", "system", "来源系统", "source system"),
        F("scenario", YS + "scenario", "text", None, "应用场景", "scenarios"),
        F("publishedOn", YS + "publishedOn", "enum", "Platform", "提供渠道", "platform"),
        F("sharingType", YS + "sharingType", "enum", "SharingType", "共享类型", "sharing type"),
        F("sharingConditions", YS + "sharingConditions", "text", None, "共享条件", "conditions"),
        F("nonSharingBasis", YS + "nonSharingBasis", "text", None, "不予共享依据",
          "basis for not sharing"),
        F("sharingMethod", YS + "sharingMethod", "enum", "SharingMethod", "共享方式",
          "sharing method"),
        F("openType", YS + "openType", "enum", "OpenType", "开放类型", "open-data type"),
        F("updateFrequency", YS + "updateFrequency", "enum", "UpdateFrequency", "更新周期",
          "update frequency"),
        F("sensitivity", YS + "sensitivity", "enum", "SensitivityLevel", "敏感级别",
          "classification level"),
        F("classified", YS + "classified", "bool", None, "是否涉密", "contains state secrets"),
        F("issued", DCTERMS + "issued", "date", None, "发布日期", "publication date"),
        F("format", DCTERMS + "format", "text", None, "数据格式", "format"),
        F("derivedFrom", YS + "derivedFrom", "refs", "resource", "上游资源",
          "resources it is derived from", api="upstream"),
        F("physicalDataset", YS + "physicalDataset", "list", None, "物理数据集",
          "physical datasets it is published as (namespace|name)"),
    ),
    "item": (
        F("inResource", YS + "inResource", "ref", "resource", "所属资源", "its resource",
          api="resource"),
        F("carries", YS + "carries", "ref", "element", "承载的数据元", "data element it carries",
          api="element"),
        F("dataType", YS + "dataType", "enum", "DataType", "数据类型", "data type"),
        F("length", YS + "length", "int", None, "数据长度", "length"),
        F("authoritative", YS + "authoritative", "bool", None, "是否权威来源", "authoritative"),
        F("takenFrom", YS + "takenFrom", "ref", "resource", "来源资源", "resource it is taken from"),
        F("sensitivity", YS + "sensitivity", "enum", "SensitivityLevel", "敏感级别",
          "classification level"),
    ),
    "request": (
        F("requester", YS + "requester", "ref", "department", "需求部门", "requesting department"),
        F("requestingSystem", YS + "requestingSystem", "ref", "system", "需求系统",
          "requesting system"),
        F("requestedResource", YS + "requestedResource", "ref", "resource", "所需资源",
          "requested resource", api="resource"),
        F("scenario", YS + "scenario", "text", None, "应用场景", "scenario"),
        F("requestBasis", YS + "requestBasis", "text", None, "申请依据", "basis of the request"),
        F("requestedAt", YS + "requestedAt", "datetime", None, "申请时间", "filed at"),
        F("requestStatus", YS + "requestStatus", "enum", "RequestStatus", "状态", "status",
          api="status"),
        F("respondedAt", YS + "respondedAt", "datetime", None, "响应时间", "answered at"),
        F("rejectionReason", YS + "rejectionReason", "text", None, "拒绝理由",
          "reason for rejection"),
        F("sharingMethod", YS + "sharingMethod", "enum", "SharingMethod", "共享方式",
          "method granted"),
        F("satisfaction", YS + "satisfaction", "int", None, "满意度", "satisfaction (1–5)"),
    ),
    "flow": (
        F("flowOf", YS + "flowOf", "ref", "resource", "源资源", "source resource", api="source"),
        F("sourceSystem", YS + "sourceSystem", "ref", "system", "源系统", "source system"),
        F("targetDepartment", YS + "targetDepartment", "ref", "department", "目标部门",
          "consuming department"),
        F("targetSystem", YS + "targetSystem", "ref", "system", "目标系统", "consuming system"),
        F("targetResource", YS + "targetResource", "ref", "resource", "目标资源",
          "resource it lands in"),
        F("viaPlatform", YS + "viaPlatform", "enum", "Platform", "经由平台", "platform"),
        F("exchangeMethod", YS + "exchangeMethod", "enum", "SharingMethod", "交换方式",
          "exchange method"),
        F("frequency", YS + "frequency", "enum", "UpdateFrequency", "频率", "frequency"),
        F("returnFlow", YS + "returnFlow", "bool", None, "是否回流", "returned from a higher level"),
        F("monthlyCalls", YS + "monthlyCalls", "int", None, "月调用量", "calls last month"),
    ),
}


@dataclass(frozen=True)
class Inverse:
    """A reference seen from the entity it points at: entities of ``kind`` whose field ``field``
    names this one (``Department.children``: departments whose subOrganizationOf is this one)."""
    name: str  # the name in the API (GraphQL field of the target kind's type)
    kind: str  # the kind holding the reference
    field: str  # its ref/refs field pointing here
    zh: str
    en: str


INVERSES: dict[str, tuple[Inverse, ...]] = {  # keyed by the kind pointed at, in API order
    "department": (
        Inverse("children", "department", "subOrganizationOf", "下级部门", "sub-units"),
        Inverse("resources", "resource", "provider", "提供的数据资源", "resources it provides"),
        Inverse("systems", "system", "ownedBy", "建设的信息系统", "systems it owns"),
        Inverse("responsibilities", "responsibility", "implementedBy", "实施的职责事项",
                "responsibilities"),
        Inverse("requests", "request", "requester", "提出的共享需求", "sharing requests it filed"),
        Inverse("inboundFlows", "flow", "targetDepartment", "流入本部门的数据流",
                "flows it consumes"),
        Inverse("authoritativeFor", "element", "authoritativeDepartment",
                "指定由本部门权威提供的数据元", "data elements it is the designated source of"),
    ),
    "element": (
        Inverse("items", "item", "carries", "承载本数据元的信息项", "items carrying it"),
        Inverse("neededBy", "responsibility", "needsElement", "需要本数据元的职责事项",
                "responsibilities needing it"),
    ),
    "system": (
        Inverse("mergedFrom", "system", "mergedInto", "整合进来的系统", "systems merged into it"),
        Inverse("resources", "resource", "sourceSystem", "来源于本系统的数据资源",
                "resources whose data comes from it"),
        Inverse("outboundFlows", "flow", "sourceSystem", "从本系统流出的数据流", "flows leaving it"),
        Inverse("inboundFlows", "flow", "targetSystem", "流入本系统的数据流", "flows it consumes"),
        Inverse("requests", "request", "requestingSystem", "为本系统提出的共享需求",
                "requests for it"),
    ),
    "resource": (
        Inverse("downstream", "resource", "derivedFrom", "下游资源", "resources derived from it"),
        Inverse("items", "item", "inResource", "信息项", "its items"),
        Inverse("flows", "flow", "flowOf", "本资源的数据流", "flows of it"),
        Inverse("inboundFlows", "flow", "targetResource", "流入本资源的数据流",
                "flows landing in it"),
        Inverse("requests", "request", "requestedResource", "对本资源的共享需求", "requests for it"),
        Inverse("producedBy", "responsibility", "produces", "产生本资源的职责事项",
                "responsibilities producing it"),
    ),
}


def field(kind: str, name: str) -> Field:
    """The field ``name`` of ``kind``; KeyError says which."""
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")


def personal_fields() -> tuple[str, ...]:
    """Names of the fields holding personal data, in declaration order, each once."""
    return tuple(dict.fromkeys(f.name for fs in FIELDS.values() for f in fs if f.personal))


def phone_fields() -> tuple[str, ...]:
    """Names of the fields holding phone numbers, in declaration order, each once."""
    return tuple(dict.fromkeys(f.name for fs in FIELDS.values() for f in fs if f.phone))


def inverses(kind: str) -> tuple[Inverse, ...]:
    """The references pointing at ``kind``, as the API shows them (none when not declared)."""
    return INVERSES.get(kind, ())
