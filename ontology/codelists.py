"""Controlled vocabularies of the catalog template, as SKOS concept schemes.

Each scheme maps the Chinese value a clerk types in the template to a stable ASCII slug
(which makes the concept IRI) and an English label. ``ontology/codelists.ttl`` is generated
from this module (``python -m yishu.build``); a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ontology.namespaces import code_iri

__all__ = ["Scheme", "SCHEMES", "scheme", "CONCEPT_LABELS", "CONCEPT_ZH", "CONCEPT_OF"]


@dataclass(frozen=True)
class Scheme:
    name: str  # CamelCase, used in IRIs
    zh: str
    en: str
    values: tuple[tuple[str, str, str], ...]  # (zh value, slug, en label)

    def slug(self, zh_value: str) -> str | None:
        for zh, slug, _ in self.values:
            if zh == zh_value:
                return slug
        return None

    @property
    def zh_values(self) -> list[str]:
        return [zh for zh, _, _ in self.values]


def _s(name: str, zh: str, en: str, *values: tuple[str, str, str]) -> Scheme:
    return Scheme(name, zh, en, tuple(values))


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in [
        _s(
            "AdminLevel", "行政层级", "Administrative level",
            ("国家级", "national", "National"),
            ("省级", "provincial", "Provincial"),
            ("市级", "municipal", "Municipal"),
            ("区县级", "county", "District or county"),
            ("乡镇街道", "township", "Township or subdistrict"),
            ("村社区", "village", "Village or community"),
        ),
        _s(
            "DepartmentType", "部门类型", "Kind of unit",
            ("党政机关", "government-organ", "Party or government organ"),
            ("垂直管理部门", "vertical", "Vertically managed department"),
            ("乡镇街道", "township", "Township or subdistrict"),
            ("功能区管委会", "zone-committee", "Functional zone committee"),
            ("事业单位", "public-institution", "Public institution"),
            ("公共服务机构", "public-service", "Public service organisation"),
            ("企业", "enterprise", "Enterprise"),
        ),
        _s(
            "ResponsibilityType", "事项类型", "Kind of responsibility",
            ("行政许可", "licensing", "Administrative licensing"),
            ("行政处罚", "penalty", "Administrative penalty"),
            ("行政强制", "coercion", "Administrative coercion"),
            ("行政征收", "levy", "Administrative levy"),
            ("行政给付", "benefit", "Administrative benefit payment"),
            ("行政检查", "inspection", "Administrative inspection"),
            ("行政确认", "confirmation", "Administrative confirmation"),
            ("行政奖励", "reward", "Administrative reward"),
            ("行政裁决", "adjudication", "Administrative adjudication"),
            ("其他行政权力", "other-power", "Other administrative power"),
            ("公共服务", "public-service", "Public service"),
        ),
        _s(
            "UsageScope", "使用范围", "Usage scope",
            ("本部门", "department", "Own department"),
            ("跨部门", "cross-department", "Across departments"),
            ("全区域", "region", "Whole region"),
            ("面向公众", "public", "The public"),
        ),
        _s(
            "UsageFrequency", "使用频度", "Usage frequency",
            ("每日", "daily", "Daily"),
            ("每周", "weekly", "Weekly"),
            ("每月", "monthly", "Monthly"),
            ("每季度", "quarterly", "Quarterly"),
            ("每年", "yearly", "Yearly"),
            ("很少", "rarely", "Rarely"),
        ),
        _s(
            "Funding", "经费来源", "Funding",
            ("财政资金", "fiscal", "Fiscal funds"),
            ("自筹资金", "self-raised", "Self-raised funds"),
            ("上级资金", "higher-level", "Higher-level funds"),
            ("其他", "other", "Other"),
        ),
        _s(
            "Deployment", "部署方式", "Deployment",
            ("政务云", "gov-cloud", "Government cloud"),
            ("自建机房", "own-room", "Own machine room"),
            ("上级部署", "higher-level", "Deployed by a higher level"),
            ("其他", "other", "Other"),
        ),
        _s(
            "Network", "网络类型", "Network",
            ("电子政务外网", "extranet", "E-government extranet"),
            ("电子政务内网", "intranet", "E-government intranet"),
            ("业务专网", "private", "Dedicated business network"),
            ("互联网", "internet", "Internet"),
        ),
        _s(
            "ProtectionLevel", "等保级别", "Classified-protection level",
            ("一级", "level-1", "Level 1"),
            ("二级", "level-2", "Level 2"),
            ("三级", "level-3", "Level 3"),
            ("四级", "level-4", "Level 4"),
            ("未定级", "unrated", "Not rated"),
        ),
        _s(
            "SystemStatus", "运行状态", "System status",
            ("在用", "in-use", "In use"),
            ("停用", "retired", "Retired"),
            ("整合中", "merging", "Being merged"),
            ("已整合", "merged", "Merged"),
        ),
        _s(
            "ResourceCategory", "资源分类", "Resource category",
            ("基础信息资源", "base", "Base information resource"),
            ("主题信息资源", "thematic", "Thematic information resource"),
            ("部门信息资源", "departmental", "Departmental information resource"),
        ),
        _s(
            "BaseDatabase", "基础库", "Base database",
            ("人口", "population", "Population"),
            ("法人", "legal-person", "Legal persons"),
            ("电子证照", "e-licence", "Electronic licences"),
            ("信用", "credit", "Credit"),
            ("自然资源和空间地理", "geospatial", "Natural resources and geospatial"),
            ("宏观经济", "macro-economy", "Macro economy"),
            ("城市部件", "city-parts", "City components"),
        ),
        _s(
            "Platform", "共享平台", "Sharing platform",
            ("国家平台", "national", "National platform"),
            ("省级平台", "provincial", "Provincial platform"),
            ("市级平台", "municipal", "Municipal platform"),
            ("区县级平台", "county", "District platform"),
        ),
        _s(
            "SharingType", "共享类型", "Sharing type",
            ("无条件共享", "unconditional", "Shared unconditionally"),
            ("有条件共享", "conditional", "Shared on conditions"),
            ("不予共享", "not-shared", "Not shared"),
        ),
        _s(
            "SharingMethod", "共享方式", "Sharing method",
            ("接口调用", "api", "API call"),
            ("库表交换", "table-exchange", "Table exchange"),
            ("文件下载", "file-download", "File download"),
        ),
        _s(
            "OpenType", "开放类型", "Open-data type",
            ("无条件开放", "open", "Open unconditionally"),
            ("有条件开放", "conditional", "Open on conditions"),
            ("不予开放", "closed", "Not open"),
        ),
        _s(
            "UpdateFrequency", "更新周期", "Update frequency",
            ("实时", "realtime", "Real time"),
            ("每日", "daily", "Daily"),
            ("每周", "weekly", "Weekly"),
            ("每月", "monthly", "Monthly"),
            ("每季度", "quarterly", "Quarterly"),
            ("每半年", "half-yearly", "Half-yearly"),
            ("每年", "yearly", "Yearly"),
            ("不定期", "irregular", "Irregular"),
        ),
        _s(
            "SensitivityLevel", "敏感级别", "Data classification level",
            ("一级", "level-1", "Level 1 (public)"),
            ("二级", "level-2", "Level 2"),
            ("三级", "level-3", "Level 3"),
            ("四级", "level-4", "Level 4 (most sensitive)"),
        ),
        _s(
            "DataType", "数据类型", "Data type",
            ("字符型", "string", "String"),
            ("数值型", "number", "Number"),
            ("日期型", "date", "Date"),
            ("日期时间型", "datetime", "Date and time"),
            ("布尔型", "boolean", "Boolean"),
            ("二进制", "binary", "Binary"),
        ),
        _s(
            "RequestStatus", "需求状态", "Request status",
            ("待审核", "pending", "Pending review"),
            ("已批准", "approved", "Approved"),
            ("已拒绝", "rejected", "Rejected"),
            ("已交付", "delivered", "Delivered"),
            ("已撤回", "withdrawn", "Withdrawn"),
        ),
    ]
}


def scheme(name: str) -> Scheme:
    return SCHEMES[name]


# The one concept IRI -> label map (engines, projection, audits): IRI -> (Chinese value, English)
CONCEPT_LABELS: dict[str, tuple[str, str]] = {
    code_iri(s.name, slug): (zh, en) for s in SCHEMES.values() for zh, slug, en in s.values}
# concept IRI -> the Chinese value, as typed in the template and answered by the query layer
CONCEPT_ZH: dict[str, str] = {iri: zh for iri, (zh, _) in CONCEPT_LABELS.items()}
# (scheme, Chinese value) -> concept IRI
CONCEPT_OF: dict[tuple[str, str], str] = {
    (s.name, zh): code_iri(s.name, slug) for s in SCHEMES.values() for zh, slug, _ in s.values}
