"""GraphQL types of the catalog's entities, navigable both ways along their relations.

Every type wraps a :class:`graph.model.Entity` (already filtered and redacted by the access
policy). Scalar fields read the entity's fields; references and back-references go through the
request's DataLoaders, so a nested query costs one query-layer call per level, not per node.
Descriptions are Chinese / English.
"""

# No ``from __future__ import annotations``: the field factories below set real annotations.

from enum import Enum
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from graph.model import Entity

__all__ = [
    "CatalogNode", "Department", "DataElement", "Responsibility", "System", "Resource", "Item",
    "SharingRequest", "Flow", "wrap", "wrap_all", "TYPES", "Kind",
]


@strawberry.enum(description="实体类别 / kind of catalog entity")
class Kind(Enum):
    department = "department"
    element = "element"
    responsibility = "responsibility"
    system = "system"
    resource = "resource"
    item = "item"
    request = "request"
    flow = "flow"


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


@strawberry.type(description="部门 / department or unit")
class Department(CatalogNode):
    parent: Optional["Department"] = _ref("subOrganizationOf", "Department",
                                          "上级部门 / parent department")
    children: list["Department"] = _back("subOrganizationOf", "Department", "department",
                                         "下级部门 / sub-units")
    admin_level: str | None = _scalar("adminLevel", "行政层级 / administrative level")
    region_code: str | None = _scalar("regionCode", "行政区划代码 / region code")
    department_type: str | None = _scalar("departmentType", "部门类型 / kind of unit")
    chief_data_officer: str | None = _scalar(
        "chiefDataOfficer", "首席数据官（个人信息） / chief data officer (personal data)")
    sharing_leader: str | None = _scalar(
        "sharingLeader", "共享负责人（个人信息） / sharing leader (personal data)")
    sharing_clerk: str | None = _scalar(
        "sharingClerk", "共享经办人（个人信息） / sharing clerk (personal data)")
    contact_phone: str | None = _scalar(
        "contactPhone", "联系电话（个人信息） / contact phone (personal data)")
    resources: list["Resource"] = _back("provider", "Resource", "resource",
                                        "提供的数据资源 / resources it provides")
    systems: list["System"] = _back("ownedBy", "System", "system",
                                    "建设的信息系统 / systems it owns")
    responsibilities: list["Responsibility"] = _back(
        "implementedBy", "Responsibility", "responsibility", "实施的职责事项 / responsibilities")
    requests: list["SharingRequest"] = _back("requester", "SharingRequest", "request",
                                             "提出的共享需求 / sharing requests it filed")
    inbound_flows: list["Flow"] = _back("targetDepartment", "Flow", "flow",
                                        "流入本部门的数据流 / flows it consumes")
    authoritative_for: list["DataElement"] = _back(
        "authoritativeDepartment", "DataElement", "element",
        "指定由本部门权威提供的数据元 / data elements it is the designated source of")


@strawberry.type(description="数据元 / data element (the 'one data' of 一数一源)")
class DataElement(CatalogNode):
    synonyms: list[str] = _strings("altLabel", "同义词 / synonyms")
    standard_basis: str | None = _scalar("standardBasis", "标准依据 / standard")
    authoritative_department: Optional["Department"] = _ref(
        "authoritativeDepartment", "Department", "权威部门 / designated authoritative department")
    items: list["Item"] = _back("carries", "Item", "item",
                                "承载本数据元的信息项 / items carrying it")
    needed_by: list["Responsibility"] = _back("needsElement", "Responsibility", "responsibility",
                                              "需要本数据元的职责事项 / responsibilities needing it")


@strawberry.type(description="职责事项 / responsibility")
class Responsibility(CatalogNode):
    responsibility_type: str | None = _scalar("responsibilityType", "事项类型 / kind")
    department: Optional["Department"] = _ref("implementedBy", "Department",
                                              "实施部门 / implementing department")
    legal_basis: str | None = _scalar("legalBasis", "设定依据 / legal basis")
    produces: list["Resource"] = _refs("produces", "Resource",
                                       "产生的数据资源 / resources produced")
    needs_elements: list["DataElement"] = _refs("needsElement", "DataElement",
                                                "所需数据元 / data elements needed")


@strawberry.type(description="信息系统 / information system")
class System(CatalogNode):
    owner: Optional["Department"] = _ref("ownedBy", "Department", "建设部门 / owning department")
    function: str | None = _scalar("function", "系统功能 / function")
    usage_scope: str | None = _scalar("usageScope", "使用范围 / usage scope")
    usage_frequency: str | None = _scalar("usageFrequency", "使用频度 / usage frequency")
    approved_by: Optional["Department"] = _ref("approvedBy", "Department",
                                               "审批部门 / approving department")
    approval_date: str | None = _scalar("approvalDate", "审批时间 / approval date")
    funding: str | None = _scalar("funding", "经费来源 / funding")
    deployment: str | None = _scalar("deployment", "部署方式 / deployment")
    network: str | None = _scalar("network", "网络类型 / network")
    protection_level: str | None = _scalar("protectionLevel", "等保级别 / protection level")
    classified: bool | None = _scalar("classified", "是否涉密 / handles state secrets", bool)
    status: str | None = _scalar("status", "运行状态 / status")
    connected_to_platform: bool | None = _scalar(
        "connectedToPlatform", "接入共享平台 / connected to the sharing platform", bool)
    last_maintained: str | None = _scalar("lastMaintained", "最近运维时间 / last maintenance")
    merged_into: Optional["System"] = _ref("mergedInto", "System", "整合至 / merged into")
    merged_from: list["System"] = _back("mergedInto", "System", "system",
                                        "整合进来的系统 / systems merged into it")
    resources: list["Resource"] = _back("sourceSystem", "Resource", "resource",
                                        "来源于本系统的数据资源 / resources whose data comes from it")
    outbound_flows: list["Flow"] = _back("sourceSystem", "Flow", "flow",
                                         "从本系统流出的数据流 / flows leaving it")
    inbound_flows: list["Flow"] = _back("targetSystem", "Flow", "flow",
                                        "流入本系统的数据流 / flows it consumes")
    requests: list["SharingRequest"] = _back("requestingSystem", "SharingRequest", "request",
                                             "为本系统提出的共享需求 / requests for it")


@strawberry.type(description="数据资源（目录） / data resource (catalog entry)")
class Resource(CatalogNode):
    description: str | None = _scalar("description", "资源摘要 / abstract")
    resource_category: str | None = _scalar("resourceCategory", "资源分类 / category")
    base_database: str | None = _scalar("baseDatabase", "基础库 / base database")
    provider: Optional["Department"] = _ref("provider", "Department",
                                            "提供方部门 / providing department")
    source_system: Optional["System"] = _ref("sourceSystem", "System", "来源系统 / source system")
    scenario: str | None = _scalar("scenario", "应用场景 / scenarios")
    published_on: str | None = _scalar("publishedOn", "提供渠道 / platform")
    sharing_type: str | None = _scalar("sharingType", "共享类型 / sharing type")
    sharing_conditions: str | None = _scalar("sharingConditions", "共享条件 / conditions")
    non_sharing_basis: str | None = _scalar("nonSharingBasis",
                                               "不予共享依据 / basis for not sharing")
    sharing_method: str | None = _scalar("sharingMethod", "共享方式 / sharing method")
    open_type: str | None = _scalar("openType", "开放类型 / open-data type")
    update_frequency: str | None = _scalar("updateFrequency", "更新周期 / update frequency")
    sensitivity: str | None = _scalar("sensitivity", "敏感级别 / classification level")
    classified: bool | None = _scalar("classified", "是否涉密 / contains state secrets", bool)
    issued: str | None = _scalar("issued", "发布日期 / publication date")
    format: str | None = _scalar("format", "数据格式 / format")
    upstream: list["Resource"] = _refs("derivedFrom", "Resource",
                                       "上游资源 / resources it is derived from")
    downstream: list["Resource"] = _back("derivedFrom", "Resource", "resource",
                                         "下游资源 / resources derived from it")
    items: list["Item"] = _back("inResource", "Item", "item", "信息项 / its items")
    flows: list["Flow"] = _back("flowOf", "Flow", "flow", "本资源的数据流 / flows of it")
    inbound_flows: list["Flow"] = _back("targetResource", "Flow", "flow",
                                        "流入本资源的数据流 / flows landing in it")
    requests: list["SharingRequest"] = _back("requestedResource", "SharingRequest", "request",
                                             "对本资源的共享需求 / requests for it")
    produced_by: list["Responsibility"] = _back(
        "produces", "Responsibility", "responsibility", "产生本资源的职责事项 / responsibilities "
        "producing it")


@strawberry.type(description="信息项 / information item (a column of a resource)")
class Item(CatalogNode):
    resource: Optional["Resource"] = _ref("inResource", "Resource", "所属资源 / its resource")
    element: Optional["DataElement"] = _ref("carries", "DataElement",
                                            "承载的数据元 / data element it carries")
    data_type: str | None = _scalar("dataType", "数据类型 / data type")
    length: int | None = _scalar("length", "数据长度 / length", int)
    authoritative: bool | None = _scalar("authoritative", "是否权威来源 / authoritative", bool)
    taken_from: Optional["Resource"] = _ref("takenFrom", "Resource",
                                            "来源资源 / resource it is taken from")
    sensitivity: str | None = _scalar("sensitivity", "敏感级别 / classification level")


@strawberry.type(description="共享需求（供需对接） / sharing request")
class SharingRequest(CatalogNode):
    requester: Optional["Department"] = _ref("requester", "Department",
                                             "需求部门 / requesting department")
    requesting_system: Optional["System"] = _ref("requestingSystem", "System",
                                                 "需求系统 / requesting system")
    resource: Optional["Resource"] = _ref("requestedResource", "Resource",
                                          "所需资源 / requested resource")
    scenario: str | None = _scalar("scenario", "应用场景 / scenario")
    request_basis: str | None = _scalar("requestBasis", "申请依据 / basis of the request")
    requested_at: str | None = _scalar("requestedAt", "申请时间 / filed at")
    status: str | None = _scalar("requestStatus", "状态 / status")
    responded_at: str | None = _scalar("respondedAt", "响应时间 / answered at")
    rejection_reason: str | None = _scalar("rejectionReason", "拒绝理由 / reason for rejection")
    sharing_method: str | None = _scalar("sharingMethod", "共享方式 / method granted")
    satisfaction: int | None = _scalar("satisfaction", "满意度 / satisfaction (1–5)", int)


@strawberry.type(description="数据流 / flow of a resource to a consumer")
class Flow(CatalogNode):
    source: Optional["Resource"] = _ref("flowOf", "Resource", "源资源 / source resource")
    source_system: Optional["System"] = _ref("sourceSystem", "System", "源系统 / source system")
    target_department: Optional["Department"] = _ref("targetDepartment", "Department",
                                                     "目标部门 / consuming department")
    target_system: Optional["System"] = _ref("targetSystem", "System",
                                             "目标系统 / consuming system")
    target_resource: Optional["Resource"] = _ref("targetResource", "Resource",
                                                 "目标资源 / resource it lands in")
    via_platform: str | None = _scalar("viaPlatform", "经由平台 / platform")
    exchange_method: str | None = _scalar("exchangeMethod", "交换方式 / exchange method")
    frequency: str | None = _scalar("frequency", "频率 / frequency")
    return_flow: bool | None = _scalar("returnFlow", "是否回流 / returned from a higher level",
                                          bool)
    monthly_calls: int | None = _scalar("monthlyCalls", "月调用量 / calls last month", int)


TYPES: dict[str, type] = {
    "department": Department, "element": DataElement, "responsibility": Responsibility,
    "system": System, "resource": Resource, "item": Item, "request": SharingRequest, "flow": Flow,
}


def wrap(e: Entity | None) -> Any:
    return TYPES[e.kind](entity=e) if e is not None else None


def wrap_all(entities: list[Entity]) -> list[Any]:
    return [TYPES[e.kind](entity=e) for e in entities]
