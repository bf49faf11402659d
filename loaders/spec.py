"""The catalog import template, declared once: files, sheets, columns, cell kinds, RDF mapping.

This table drives everything about the template: validation and RDF mapping in the loader,
the blank template (headers, notes, drop-downs), the synthetic generator and the docs.
It follows ``shared/catalog-template/README.md`` column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology.kinds import class_iri
from ontology.namespaces import DCTERMS, ORG, RDFS, SKOS, YS

__all__ = ["Column", "FileSpec", "FILES", "FILE_BY_NAME", "FILE_BY_SHEET", "file_spec"]

# Cell kinds:
#   text      free text
#   key       the row's unique code (makes the IRI)
#   ref       one code of another file's entity        (target = file key)
#   refs      a list of such codes
#   enum      one controlled value                      (target = scheme name)
#   bool      是 / 否
#   list      a list of free-text values
#   date      ISO date;  datetime  ISO date-time (Beijing time without offset)
#   int       integer (min/max optional)
#   region    6-digit GB/T 2260 code


@dataclass(frozen=True)
class Column:
    name: str  # Chinese header, exactly
    kind: str
    pred: str | None  # full predicate IRI (None: handled by the mapping itself)
    required: bool = False
    target: str | None = None  # ref/refs: file name of the referenced entity; enum: scheme
    en: str = ""  # English name, for messages and docs
    note: str = ""  # Chinese note for the blank template
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class FileSpec:
    file: str  # CSV file name
    sheet: str  # XLSX sheet name
    kind: str  # entity kind (ontology.kinds.KINDS)
    en: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def cls(self) -> str:
        """The kind's class IRI, from the one declaration (ontology.kinds)."""
        return class_iri(self.kind)

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.kind == "key")


def C(name: str, kind: str, pred: str | None, en: str, *, req: bool = False,
      target: str | None = None, note: str = "", min: int | None = None,
      max: int | None = None) -> Column:
    return Column(name, kind, pred, req, target, en, note, min, max)


Y = YS
LABEL = RDFS + "label"
IDENT = DCTERMS + "identifier"

FILES: tuple[FileSpec, ...] = (
    FileSpec("departments.csv", "部门", "department", "Departments", (
        C("部门编码", "key", IDENT, "department code", req=True, note="唯一编码，如统一社会信用代码"),
        C("部门名称", "text", LABEL, "department name", req=True),
        C("上级部门编码", "ref", ORG + "subOrganizationOf", "parent department",
          target="departments.csv"),
        C("行政层级", "enum", Y + "adminLevel", "administrative level", req=True,
          target="AdminLevel"),
        C("行政区划代码", "region", Y + "regionCode", "region code", note="GB/T 2260，6位数字"),
        C("部门类型", "enum", Y + "departmentType", "kind of unit", target="DepartmentType"),
        C("首席数据官", "text", Y + "chiefDataOfficer", "chief data officer"),
        C("共享负责人", "text", Y + "sharingLeader", "sharing leader"),
        C("共享经办人", "text", Y + "sharingClerk", "sharing clerk"),
        C("联系电话", "text", Y + "contactPhone", "contact phone", note="个人信息，匿名用户不可见"),
    )),
    FileSpec("data_elements.csv", "数据元", "element", "Data elements", (
        C("数据元编码", "key", IDENT, "data element code", req=True),
        C("数据元名称", "text", LABEL, "standard name", req=True, note="标准名称，如公民身份号码"),
        C("同义词", "list", SKOS + "altLabel", "synonyms", note="多个值以;分隔"),
        C("标准依据", "text", Y + "standardBasis", "standard", note="如 GB 11643-1999"),
        C("权威部门编码", "ref", Y + "authoritativeDepartment", "authoritative department",
          target="departments.csv"),
    )),
    FileSpec("responsibilities.csv", "职责事项", "responsibility", "Responsibilities", (
        C("事项编码", "key", IDENT, "responsibility code", req=True),
        C("事项名称", "text", LABEL, "responsibility name", req=True),
        C("事项类型", "enum", Y + "responsibilityType", "kind", req=True,
          target="ResponsibilityType"),
        C("实施部门编码", "ref", Y + "implementedBy", "implementing department", req=True,
          target="departments.csv"),
        C("设定依据", "text", Y + "legalBasis", "legal basis"),
        C("产生资源代码", "refs", Y + "produces", "resources produced", target="catalog.csv"),
        C("所需数据元编码", "refs", Y + "needsElement", "data elements needed",
          target="data_elements.csv"),
    )),
    FileSpec("systems.csv", "信息系统", "system", "Information systems", (
        C("系统编码", "key", IDENT, "system code", req=True),
        C("系统名称", "text", LABEL, "system name", req=True),
        C("建设部门编码", "ref", Y + "ownedBy", "owning department", req=True,
          target="departments.csv"),
        C("系统功能", "text", Y + "function", "function"),
        C("使用范围", "enum", Y + "usageScope", "usage scope", target="UsageScope"),
        C("使用频度", "enum", Y + "usageFrequency", "usage frequency", target="UsageFrequency"),
        C("审批部门编码", "ref", Y + "approvedBy", "approving department",
          target="departments.csv"),
        C("审批时间", "date", Y + "approvalDate", "approval date"),
        C("经费来源", "enum", Y + "funding", "funding", target="Funding"),
        C("部署方式", "enum", Y + "deployment", "deployment", target="Deployment"),
        C("网络类型", "enum", Y + "network", "network", target="Network"),
        C("等保级别", "enum", Y + "protectionLevel", "protection level", target="ProtectionLevel"),
        C("是否涉密", "bool", Y + "classified", "handles state secrets"),
        C("运行状态", "enum", Y + "status", "status", target="SystemStatus"),
        C("接入共享平台", "bool", Y + "connectedToPlatform", "connected to the sharing platform"),
        C("最近运维时间", "date", Y + "lastMaintained", "last maintenance"),
        C("整合至系统编码", "ref", Y + "mergedInto", "merged into", target="systems.csv"),
    )),
    FileSpec("catalog.csv", "数据目录", "resource", "Data resources", (
        C("资源代码", "key", IDENT, "resource code", req=True),
        C("资源名称", "text", LABEL, "resource name", req=True),
        C("资源摘要", "text", DCTERMS + "description", "abstract"),
        C("资源分类", "enum", Y + "resourceCategory", "category", target="ResourceCategory"),
        C("基础库", "enum", Y + "baseDatabase", "base database", target="BaseDatabase"),
        C("提供方部门编码", "ref", Y + "provider", "providing department", req=True,
          target="departments.csv"),
        C("来源系统编码", "ref", Y + "sourceSystem", "source system", target="systems.csv"),
        C("应用场景", "text", Y + "scenario", "scenarios"),
        C("提供渠道", "enum", Y + "publishedOn", "platform", target="Platform"),
        C("共享类型", "enum", Y + "sharingType", "sharing type", req=True, target="SharingType"),
        C("共享条件", "text", Y + "sharingConditions", "sharing conditions",
          note="有条件共享时必填"),
        C("不予共享依据", "text", Y + "nonSharingBasis", "basis for not sharing",
          note="不予共享时必填"),
        C("共享方式", "enum", Y + "sharingMethod", "sharing method", target="SharingMethod"),
        C("开放类型", "enum", Y + "openType", "open-data type", target="OpenType"),
        C("更新周期", "enum", Y + "updateFrequency", "update frequency",
          target="UpdateFrequency"),
        C("敏感级别", "enum", Y + "sensitivity", "classification level",
          target="SensitivityLevel"),
        C("是否涉密", "bool", Y + "classified", "contains state secrets"),
        C("发布日期", "date", DCTERMS + "issued", "publication date"),
        C("数据格式", "text", DCTERMS + "format", "format"),
        C("上游资源代码", "refs", Y + "derivedFrom", "upstream resources", target="catalog.csv"),
        C("物理数据集", "list", Y + "physicalDataset", "physical datasets",
          note="发布为的表或文件，每个写作 命名空间|名称（OpenLineage），多个以;分隔"),
    )),
    FileSpec("items.csv", "信息项", "item", "Information items", (
        C("资源代码", "ref", Y + "inResource", "resource", req=True, target="catalog.csv"),
        C("信息项名称", "text", LABEL, "item name", req=True, note="同一资源内唯一"),
        C("数据元编码", "ref", Y + "carries", "data element", target="data_elements.csv"),
        C("数据类型", "enum", Y + "dataType", "data type", target="DataType"),
        C("数据长度", "int", Y + "length", "length", min=0),
        C("是否权威来源", "bool", Y + "authoritative", "authoritative source"),
        C("来源资源代码", "ref", Y + "takenFrom", "taken from resource", target="catalog.csv"),
        C("敏感级别", "enum", Y + "sensitivity", "classification level",
          target="SensitivityLevel"),
    )),
    FileSpec("sharing.csv", "供需对接", "request", "Sharing requests", (
        C("需求编号", "key", IDENT, "request id", req=True),
        C("需求部门编码", "ref", Y + "requester", "requesting department", req=True,
          target="departments.csv"),
        C("需求系统编码", "ref", Y + "requestingSystem", "requesting system",
          target="systems.csv"),
        C("资源代码", "ref", Y + "requestedResource", "requested resource", req=True,
          target="catalog.csv"),
        C("应用场景", "text", Y + "scenario", "scenario", req=True),
        C("申请依据", "text", Y + "requestBasis", "basis of the request"),
        C("申请时间", "datetime", Y + "requestedAt", "filed at", req=True),
        C("状态", "enum", Y + "requestStatus", "status", req=True, target="RequestStatus"),
        C("响应时间", "datetime", Y + "respondedAt", "answered at"),
        C("拒绝理由", "text", Y + "rejectionReason", "reason for rejection",
          note="已拒绝时必填"),
        C("共享方式", "enum", Y + "sharingMethod", "method granted", target="SharingMethod"),
        C("满意度", "int", Y + "satisfaction", "satisfaction", min=1, max=5),
    )),
    FileSpec("flows.csv", "数据流", "flow", "Flows", (
        C("流编号", "key", IDENT, "flow id", req=True),
        C("源资源代码", "ref", Y + "flowOf", "source resource", req=True, target="catalog.csv"),
        C("源系统编码", "ref", Y + "sourceSystem", "source system", target="systems.csv"),
        C("目标部门编码", "ref", Y + "targetDepartment", "consuming department", req=True,
          target="departments.csv"),
        C("目标系统编码", "ref", Y + "targetSystem", "consuming system", target="systems.csv"),
        C("目标资源代码", "ref", Y + "targetResource", "target resource", target="catalog.csv"),
        C("经由平台", "enum", Y + "viaPlatform", "platform", target="Platform"),
        C("交换方式", "enum", Y + "exchangeMethod", "exchange method", target="SharingMethod"),
        C("频率", "enum", Y + "frequency", "frequency", target="UpdateFrequency"),
        C("是否回流", "bool", Y + "returnFlow", "returned from a higher level (回流)"),
        C("月调用量", "int", Y + "monthlyCalls", "calls last month", min=0),
    )),
)

FILE_BY_NAME = {f.file: f for f in FILES}
FILE_BY_SHEET = {f.sheet: f for f in FILES}


def file_spec(name: str) -> FileSpec:
    return FILE_BY_NAME.get(name) or FILE_BY_SHEET[name]
