"""The table of the audit's rules and, for each, a violating and a conforming edit of the tiny
catalog (tests/audit/catalogs.py): shared by tests/audit/test_rules.py (each rule, by itself)
and tests/audit/test_engines.py (the fast path against pyshacl on every case)."""

from __future__ import annotations

OBSERVED_RULES = ["OBS-001", "OBS-002", "OBS-003", "OBS-004", "OBS-005"]
USAGE_RULES = ["USE-001"]

B = "https://data.yishu.example/"
YS = "https://w3id.org/yishu/def#"


def _triple(s: str, p: str, o: str) -> str:
    return f"<{B}{s}> <{YS}{p}> <{B}{o}> ."


# (case id, rule, bad edit, good edit or None for the base, the bad catalog's findings
#  {(rule, focus)} at Violation and Warning — and Info for an Info rule — exactly; the good
#  catalog has no finding of ``rule``)
CASES = [
    ("CAT-001 name", "CAT-001", lambda c: c.drop.append((B + "resource/RES-DB",
                                                          "http://www.w3.org/2000/01/rdf-schema#label")),
     None, {("CAT-001", "resource:RES-DB")}),
    ("CAT-001 provider", "CAT-001", lambda c: c.drop.append((B + "resource/RES-DB", YS + "provider")),
     None, {("CAT-001", "resource:RES-DB")}),
    ("CAT-001 sharing type", "CAT-001",
     lambda c: c.drop.append((B + "resource/RES-DB", YS + "sharingType")),
     None, {("CAT-001", "resource:RES-DB")}),
    ("CAT-002", "CAT-002", lambda c: c.set("catalog.csv", "RES-DB", 更新周期=""), None,
     {("CAT-002", "resource:RES-DB")}),
    ("CAT-003", "CAT-003", lambda c: c.set("catalog.csv", "RES-HJ", 敏感级别=""), None,
     {("CAT-003", "resource:RES-HJ")}),
    ("CAT-004", "CAT-004",
     lambda c: c.add("catalog.csv", 资源代码="RES-X", 资源名称="空资源", 提供方部门编码="D-MZ",
                     来源系统编码="S-DB", 共享类型="无条件共享", 更新周期="每月", 敏感级别="一级"),
     lambda c: (c.add("catalog.csv", 资源代码="RES-X", 资源名称="空资源", 提供方部门编码="D-MZ",
                      来源系统编码="S-DB", 共享类型="无条件共享", 更新周期="每月", 敏感级别="一级"),
                c.add("items.csv", 资源代码="RES-X", 信息项名称="备注")),
     {("CAT-004", "resource:RES-X")}),
    ("CAT-005", "CAT-005", lambda c: c.set("catalog.csv", "RES-DB", 来源系统编码=""), None,
     {("CAT-005", "resource:RES-DB")}),
    ("CAT-006", "CAT-006", lambda c: c.set("catalog.csv", "RES-DB", 资源摘要=""), None,
     {("CAT-006", "resource:RES-DB")}),
    ("CAT-007", "CAT-007", lambda c: c.set("items.csv", "RES-DB/救助金额", 数据类型=""), None,
     {("CAT-007", "item:RES-DB/救助金额")}),
    ("SHR-001", "SHR-001", lambda c: c.set("catalog.csv", "RES-DB", 共享条件=""), None,
     {("SHR-001", "resource:RES-DB")}),
    ("SHR-002", "SHR-002", lambda c: c.set("catalog.csv", "RES-DB", 共享类型="不予共享"),
     lambda c: c.set("catalog.csv", "RES-DB", 共享类型="不予共享", 不予共享依据="《保守国家秘密法》"),
     {("SHR-002", "resource:RES-DB")}),
    ("SHR-003", "SHR-003", lambda c: c.set("catalog.csv", "RES-HJ", 共享类型="无条件共享"),
     lambda c: c.set("catalog.csv", "RES-HJ", 共享类型="无条件共享", 敏感级别="二级"),
     {("SHR-003", "resource:RES-HJ")}),
    ("SEC-001", "SEC-001", lambda c: c.set("systems.csv", "S-DB", 是否涉密="是"),
     lambda c: c.set("systems.csv", "S-DB", 是否涉密="是", 网络类型="电子政务内网"),
     {("SEC-001", "system:S-DB")}),
    ("SEC-002", "SEC-002", lambda c: c.set("catalog.csv", "RES-HJ", 是否涉密="是"),
     lambda c: (c.set("catalog.csv", "RES-HJ", 是否涉密="是"), c.set("flows.csv", "F-1", 经由平台="")),
     {("SEC-002", "flow:F-1")}),
    ("SEC-003 resource", "SEC-003", lambda c: c.set("catalog.csv", "RES-DB", 敏感级别="二级"),
     lambda c: c.set("catalog.csv", "RES-DB", 敏感级别="四级"),
     {("SEC-003", "resource:RES-DB"), ("SEC-003", "item:RES-DB/身份证号"),
      ("SEC-003", "item:RES-DB/姓名")}),
    ("SEC-003 item", "SEC-003", lambda c: c.set("items.csv", "RES-HJ/公民身份号码", 敏感级别="四级"),
     lambda c: (c.set("items.csv", "RES-HJ/公民身份号码", 敏感级别="四级"),
                c.set("items.csv", "RES-DB/身份证号", 敏感级别="四级")),
     {("SEC-003", "item:RES-DB/身份证号")}),
    ("ORG-001", "ORG-001", lambda c: c.set("departments.csv", "D-MZ", 共享负责人=""), None,
     {("ORG-001", "department:D-MZ")}),
    ("ORG-002", "ORG-002", lambda c: c.set("departments.csv", "D-MZ", 共享经办人=""), None,
     {("ORG-002", "department:D-MZ")}),
    ("ORG-003", "ORG-003", lambda c: c.set("departments.csv", "D-MZ", 首席数据官=""),
     lambda c: c.set("departments.csv", "D-MZ", 首席数据官="", 行政层级="乡镇街道"),
     {("ORG-003", "department:D-MZ")}),
    ("SYS-001", "SYS-001", lambda c: c.set("systems.csv", "S-DB", 接入共享平台="否"),
     lambda c: c.set("systems.csv", "S-DB", 接入共享平台="否", 运行状态="停用"),
     {("SYS-001", "system:S-DB")}),
    ("SYS-001 涉密 exempt", "SYS-001", lambda c: c.set("systems.csv", "S-DB", 接入共享平台="否"),
     lambda c: c.set("systems.csv", "S-DB", 接入共享平台="否", 是否涉密="是", 网络类型="电子政务内网"),
     {("SYS-001", "system:S-DB")}),
    ("SYS-002", "SYS-002", lambda c: c.set("systems.csv", "S-DB", 部署方式="自建机房"),
     lambda c: c.set("systems.csv", "S-DB", 部署方式="自建机房", 是否涉密="是", 网络类型="电子政务内网"),
     {("SYS-002", "system:S-DB")}),
    ("SYS-003 rarely used", "SYS-003", lambda c: c.set("systems.csv", "S-DB", 使用频度="很少"),
     lambda c: c.set("systems.csv", "S-DB", 使用频度="很少", 运行状态="停用"),
     {("SYS-003", "system:S-DB")}),
    ("SYS-003 stale", "SYS-003", lambda c: c.set("systems.csv", "S-DB", 最近运维时间="2023-11-20"),
     # exactly 730 days before the as-of date is not *more than* 730 days
     lambda c: c.set("systems.csv", "S-DB", 最近运维时间="2023-11-21"),
     {("SYS-003", "system:S-DB")}),
    ("SYS-004", "SYS-004",
     lambda c: c.add("systems.csv", 系统编码="S-OLD", 系统名称="旧救助系统", 建设部门编码="D-MZ",
                     运行状态="已整合"),
     lambda c: c.add("systems.csv", 系统编码="S-OLD", 系统名称="旧救助系统", 建设部门编码="D-MZ",
                     运行状态="已整合", 整合至系统编码="S-DB"),
     {("SYS-004", "system:S-OLD")}),
    ("ODS-001", "ODS-001", lambda c: c.set("items.csv", "RES-DB/身份证号", 是否权威来源="是"), None,
     {("ODS-001", "element:DE-SFZ"), ("RSP-001", "responsibility:R-HJ"),
      ("RSP-001", "responsibility:R-DB")}),
    ("ODS-002", "ODS-002", lambda c: c.set("data_elements.csv", "DE-XM", 权威部门编码="D-MZ"), None,
     {("ODS-002", "element:DE-XM"), ("RSP-001", "responsibility:R-HJ")}),
    ("ODS-003", "ODS-003", lambda c: c.set("items.csv", "RES-HJ/姓名", 是否权威来源="否"), None,
     {("ODS-003", "element:DE-XM"), ("RSP-001", "responsibility:R-HJ")}),
    ("ODS-004", "ODS-004", lambda c: c.set("items.csv", "RES-DB/身份证号", 来源资源代码=""),
     # taken through an intermediate resource: still reaches the source
     lambda c: (c.add("catalog.csv", 资源代码="RES-X", 资源名称="救助对象核验", 提供方部门编码="D-MZ",
                      来源系统编码="S-DB", 共享类型="有条件共享", 共享条件="限核验", 更新周期="每月",
                      敏感级别="三级", 上游资源代码="RES-DB"),
                c.add("items.csv", 资源代码="RES-X", 信息项名称="证件号码", 数据元编码="DE-SFZ",
                      是否权威来源="否", 来源资源代码="RES-DB")),
     {("ODS-004", "item:RES-DB/身份证号")}),
    ("ODS-005", "ODS-005", lambda c: c.set("catalog.csv", "RES-HJ", 上游资源代码="RES-DB"), None,
     {("ODS-005", "resource:RES-HJ"), ("ODS-005", "resource:RES-DB")}),
    ("LIN-001", "LIN-001", lambda c: c.set("items.csv", "RES-DB/救助金额", 来源资源代码="RES-HJ"),
     # matched by name when no element is given
     lambda c: (c.set("items.csv", "RES-DB/姓名", 数据元编码=""),),
     {("LIN-001", "item:RES-DB/救助金额")}),
    ("LIN-002", "LIN-002",
     lambda c: c.add_triples.append(_triple("resource/RES-DB", "sourceSystem", "system/S-GONE")),
     None, {("LIN-002", "resource:RES-DB")}),
    ("REQ-001", "REQ-001",
     lambda c: c.add("sharing.csv", 需求编号="REQ-2", 需求部门编码="D-GOV", 资源代码="RES-DB",
                     应用场景="统计", 申请时间="2025-05-01T10:00:00", 状态="已拒绝",
                     响应时间="2025-05-02T10:00:00"),
     lambda c: c.add("sharing.csv", 需求编号="REQ-2", 需求部门编码="D-GOV", 资源代码="RES-DB",
                     应用场景="统计", 申请时间="2025-05-01T10:00:00", 状态="已拒绝",
                     响应时间="2025-05-02T10:00:00", 拒绝理由="超出用途"),
     {("REQ-001", "request:REQ-2")}),
    ("REQ-002", "REQ-002",
     lambda c: c.add("sharing.csv", 需求编号="REQ-3", 需求部门编码="D-GOV", 资源代码="RES-DB",
                     应用场景="统计", 申请时间="2025-11-09T23:59:00", 状态="待审核"),
     # filed on the cutoff day itself (as-of minus 10 days, from 00:00 Beijing time)
     lambda c: c.add("sharing.csv", 需求编号="REQ-3", 需求部门编码="D-GOV", 资源代码="RES-DB",
                     应用场景="统计", 申请时间="2025-11-10T00:00:00", 状态="待审核"),
     {("REQ-002", "request:REQ-3")}),
    ("RSP-001", "RSP-001",
     lambda c: (c.add("data_elements.csv", 数据元编码="DE-NEW", 数据元名称="残疾人证号", 权威部门编码="D-MZ"),
                c.set("responsibilities.csv", "R-DB", 所需数据元编码="DE-SFZ;DE-NEW")),
     lambda c: (c.add("data_elements.csv", 数据元编码="DE-NEW", 数据元名称="残疾人证号", 权威部门编码="D-MZ"),
                c.set("responsibilities.csv", "R-DB", 所需数据元编码="DE-SFZ;DE-NEW"),
                c.add("items.csv", 资源代码="RES-DB", 信息项名称="残疾人证号", 数据元编码="DE-NEW",
                      数据类型="字符型", 是否权威来源="是")),
     {("ODS-003", "element:DE-NEW"), ("RSP-001", "responsibility:R-DB")}),
]

WORKFLOW_RULES = ["WFL-001", "WFL-002"]
RULES = ["CAT-001", "CAT-002", "CAT-003", "CAT-004", "CAT-005", "CAT-006", "CAT-007", "SHR-001",
         "SHR-002", "SHR-003", "SEC-001", "SEC-002", "SEC-003", "ORG-001", "ORG-002", "ORG-003",
         "SYS-001", "SYS-002", "SYS-003", "SYS-004", "ODS-001", "ODS-002", "ODS-003", "ODS-004",
         "ODS-005", "LIN-001", "LIN-002", "REQ-001", "REQ-002", "RSP-001",
         *OBSERVED_RULES,  # the OBS-* cases are in test_observed_rules.py
         *USAGE_RULES,  # USE-001's cases are in tests/usage/test_answers.py
         *WORKFLOW_RULES]  # the WFL-* cases are in tests/workflow/test_overdue_findings.py
ORDER = {"Violation": 3, "Warning": 2, "Info": 1}
