"""The catalog import template, declared once: files, sheets, columns, cell kinds, RDF mapping.

This table drives everything about the template: validation and RDF mapping in the loader,
the blank template (headers, notes, drop-downs), the synthetic generator and the docs.
It follows ``shared/catalog-template/README.md`` column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology.fields import field as declared_field
from ontology.kinds import class_iri
from ontology.namespaces import DCTERMS, RDFS

__all__ = ["Column", "FileSpec", "FILES", "FILE_BY_NAME", "FILE_BY_SHEET", "FILE_BY_KIND", "file_spec",
           "IDENT", "LABEL"]

# Cell kinds (a column's ``kind``): the declared field's value type (ontology.fields.VALUE_TYPES:
# text, ref, refs, enum, bool, list, date, datetime, int, region), or ``key`` for the row's unique
# code (makes the IRI). ``target``: for ref/refs the entity kind referenced, for enum the code list
# — both from the declaration, never written here.


@dataclass(frozen=True)
class Column:
    name: str  # Chinese header, exactly
    kind: str  # cell kind: the field's value type, or key
    pred: str | None  # full predicate IRI
    required: bool = False
    target: str | None = None  # ref/refs: entity kind referenced; enum: scheme
    en: str = ""  # English name, for messages and docs
    note: str = ""  # Chinese note for the blank template
    min: int | None = None
    max: int | None = None
    field: str | None = None  # the declared field (ontology.fields) this column fills

    def target_or_raise(self) -> str:
        """The target of a ref/refs/enum column (entity kind or code list); ValueError when the
        column has none."""
        if self.target is None:
            raise ValueError(f"列“{self.name}”（{self.kind}）没有目标 / column {self.name} "
                             f"({self.kind}) has no target")
        return self.target


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

    def headers_without(self, *fields: str) -> list[str]:
        """The headers, leaving out the optional columns filling ``fields`` (a writer that does
        not fill them, e.g. the synthetic generator); ValueError for an unknown field or a
        required column."""
        for name in fields:
            cols = [c for c in self.columns if c.field == name]
            if not cols:
                raise ValueError(f"{self.file}: no column fills the field {name!r}")
            if any(c.required for c in cols):
                raise ValueError(f"{self.file}: the column of {name!r} is required")
        return [c.name for c in self.columns if c.field not in fields]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.kind == "key")


LABEL = RDFS + "label"
IDENT = DCTERMS + "identifier"


@dataclass(frozen=True)
class _Cell:
    """A column as the table below writes it: header, field, template details."""
    name: str
    field: str  # a declared field name, or the entity's own code / name (_CODE, _NAME)
    en: str
    req: bool = False
    note: str = ""
    min: int | None = None
    max: int | None = None


_CODE, _NAME = "@code", "@name"


def K(name: str, en: str, *, req: bool = False, note: str = "") -> _Cell:
    """The row's unique code (dcterms:identifier)."""
    return _Cell(name, _CODE, en, req, note)


def L(name: str, en: str, *, req: bool = False, note: str = "") -> _Cell:
    """The entity's name (rdfs:label)."""
    return _Cell(name, _NAME, en, req, note)


def C(name: str, field_name: str, en: str, *, req: bool = False, note: str = "",
      min: int | None = None, max: int | None = None) -> _Cell:
    """A column filling the declared field ``field_name`` of the file's kind."""
    return _Cell(name, field_name, en, req, note, min, max)


def _column(kind: str, c: _Cell) -> Column:
    if c.field == _CODE:
        return Column(c.name, "key", IDENT, c.req, None, c.en, c.note)
    if c.field == _NAME:
        return Column(c.name, "text", LABEL, c.req, None, c.en, c.note)
    f = declared_field(kind, c.field)
    return Column(c.name, f.value, f.pred, c.req, f.target, c.en, c.note, c.min, c.max, f.name)


def _files(*rows: tuple[str, str, str, str, tuple[_Cell, ...]]) -> tuple[FileSpec, ...]:
    return tuple(FileSpec(file, sheet, kind, en, tuple(_column(kind, c) for c in cells))
                 for file, sheet, kind, en, cells in rows)


FILES: tuple[FileSpec, ...] = _files(
    ("departments.csv", "部门", "department", "Departments", (
        K("部门编码", "department code", req=True, note="唯一编码，如统一社会信用代码"),
        L("部门名称", "department name", req=True),
        C("上级部门编码", "subOrganizationOf", "parent department"),
        C("行政层级", "adminLevel", "administrative level", req=True),
        C("行政区划代码", "regionCode", "region code", note="GB/T 2260，6位数字"),
        C("部门类型", "departmentType", "kind of unit"),
        C("首席数据官", "chiefDataOfficer", "chief data officer"),
        C("共享负责人", "sharingLeader", "sharing leader"),
        C("共享经办人", "sharingClerk", "sharing clerk"),
        C("联系电话", "contactPhone", "contact phone", note="个人信息，匿名用户不可见"),
    )),
    ("data_elements.csv", "数据元", "element", "Data elements", (
        K("数据元编码", "data element code", req=True),
        L("数据元名称", "standard name", req=True, note="标准名称，如公民身份号码"),
        C("同义词", "altLabel", "synonyms", note="多个值以;分隔"),
        C("标准依据", "standardBasis", "standard", note="如 GB 11643-1999"),
        C("权威部门编码", "authoritativeDepartment", "authoritative department"),
    )),
    ("responsibilities.csv", "职责事项", "responsibility", "Responsibilities", (
        K("事项编码", "responsibility code", req=True),
        L("事项名称", "responsibility name", req=True),
        C("事项类型", "responsibilityType", "kind", req=True),
        C("实施部门编码", "implementedBy", "implementing department", req=True),
        C("设定依据", "legalBasis", "legal basis"),
        C("产生资源代码", "produces", "resources produced"),
        C("所需数据元编码", "needsElement", "data elements needed"),
    )),
    ("systems.csv", "信息系统", "system", "Information systems", (
        K("系统编码", "system code", req=True),
        L("系统名称", "system name", req=True),
        C("建设部门编码", "ownedBy", "owning department", req=True),
        C("系统功能", "function", "function"),
        C("使用范围", "usageScope", "usage scope"),
        C("使用频度", "usageFrequency", "usage frequency"),
        C("审批部门编码", "approvedBy", "approving department"),
        C("审批时间", "approvalDate", "approval date"),
        C("经费来源", "funding", "funding"),
        C("部署方式", "deployment", "deployment"),
        C("网络类型", "network", "network"),
        C("等保级别", "protectionLevel", "protection level"),
        C("是否涉密", "classified", "handles state secrets"),
        C("运行状态", "status", "status"),
        C("接入共享平台", "connectedToPlatform", "connected to the sharing platform"),
        C("最近运维时间", "lastMaintained", "last maintenance"),
        C("整合至系统编码", "mergedInto", "merged into"),
    )),
    ("catalog.csv", "数据目录", "resource", "Data resources", (
        K("资源代码", "resource code", req=True),
        L("资源名称", "resource name", req=True),
        C("资源摘要", "description", "abstract"),
        C("资源分类", "resourceCategory", "category"),
        C("基础库", "baseDatabase", "base database"),
        C("提供方部门编码", "provider", "providing department", req=True),
        C("来源系统编码", "sourceSystem", "source system"),
        C("应用场景", "scenario", "scenarios"),
        C("提供渠道", "publishedOn", "platform"),
        C("共享类型", "sharingType", "sharing type", req=True),
        C("共享条件", "sharingConditions", "sharing conditions", note="有条件共享时必填"),
        C("不予共享依据", "nonSharingBasis", "basis for not sharing", note="不予共享时必填"),
        C("共享方式", "sharingMethod", "sharing method"),
        C("开放类型", "openType", "open-data type"),
        C("更新周期", "updateFrequency", "update frequency"),
        C("敏感级别", "sensitivity", "classification level"),
        C("是否涉密", "classified", "contains state secrets"),
        C("发布日期", "issued", "publication date"),
        C("数据格式", "format", "format"),
        C("上游资源代码", "derivedFrom", "upstream resources"),
        C("物理数据集", "physicalDataset", "physical datasets",
          note="发布为的表或文件，每个写作 命名空间|名称（OpenLineage），多个以;分隔"),
    )),
    ("items.csv", "信息项", "item", "Information items", (
        C("资源代码", "inResource", "resource", req=True),
        L("信息项名称", "item name", req=True, note="同一资源内唯一"),
        C("数据元编码", "carries", "data element"),
        C("数据类型", "dataType", "data type"),
        C("数据长度", "length", "length", min=0),
        C("是否权威来源", "authoritative", "authoritative source"),
        C("来源资源代码", "takenFrom", "taken from resource"),
        C("敏感级别", "sensitivity", "classification level"),
    )),
    ("sharing.csv", "供需对接", "request", "Sharing requests", (
        K("需求编号", "request id", req=True),
        C("需求部门编码", "requester", "requesting department", req=True),
        C("需求系统编码", "requestingSystem", "requesting system"),
        C("资源代码", "requestedResource", "requested resource", req=True),
        C("应用场景", "scenario", "scenario", req=True),
        C("申请依据", "requestBasis", "basis of the request"),
        C("申请时间", "requestedAt", "filed at", req=True),
        C("状态", "requestStatus", "status", req=True),
        C("响应时间", "respondedAt", "answered at"),
        C("拒绝理由", "rejectionReason", "reason for rejection", note="已拒绝时必填"),
        C("共享方式", "sharingMethod", "method granted"),
        C("满意度", "satisfaction", "satisfaction", min=1, max=5),
    )),
    ("flows.csv", "数据流", "flow", "Flows", (
        K("流编号", "flow id", req=True),
        C("源资源代码", "flowOf", "source resource", req=True),
        C("源系统编码", "sourceSystem", "source system"),
        C("目标部门编码", "targetDepartment", "consuming department", req=True),
        C("目标系统编码", "targetSystem", "consuming system"),
        C("目标资源代码", "targetResource", "target resource"),
        C("经由平台", "viaPlatform", "platform"),
        C("交换方式", "exchangeMethod", "exchange method"),
        C("频率", "frequency", "frequency"),
        C("是否回流", "returnFlow", "returned from a higher level (回流)"),
        C("月调用量", "monthlyCalls", "calls last month", min=0),
    )),
)


FILE_BY_NAME = {f.file: f for f in FILES}
FILE_BY_SHEET = {f.sheet: f for f in FILES}
FILE_BY_KIND = {f.kind: f for f in FILES}  # a reference column's target kind -> its file


def file_spec(name: str) -> FileSpec:
    return FILE_BY_NAME.get(name) or FILE_BY_SHEET[name]
