"""What the code lists mean, beyond their labels: definitions (zh, en) of each scheme and of the
concepts that deserve one, and the ranks of the ordered lists (plain data; the generator of
``ontology/codelists.ttl``, ``yishu.build``, writes them out)."""

from __future__ import annotations

__all__ = ["RANKED", "SCHEME_DEFINITIONS", "CONCEPT_DEFINITIONS"]

# Ordered code lists: ys:rank, larger = stricter.
RANKED: dict[str, dict[str, int]] = {
    "SensitivityLevel": {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4},
    "ProtectionLevel": {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4},
}

# What each code list is about (zh, en). The generator adds where the template uses it.
SCHEME_DEFINITIONS: dict[str, tuple[str, str]] = {
    "AdminLevel": ("部门所在的行政层级，从国家级到村社区。",
                   "The administrative level of a department, from national to village."),
    "DepartmentType": ("部门或单位的机构类型。", "The kind of organisation a department or unit is."),
    "ResponsibilityType": ("权责清单中职责事项的类别（行政权力事项和公共服务事项）。",
                           "The category of an item of the list of powers and responsibilities "
                           "(administrative powers and public services)."),
    "UsageScope": ("信息系统的使用者范围。", "Who uses an information system."),
    "UsageFrequency": ("信息系统实际被使用的频度，“很少”是僵尸系统的信号之一。",
                       "How often an information system is actually used; rarely is one sign "
                       "of a zombie system."),
    "Funding": ("信息系统建设和运维经费的来源。",
                "Where the money to build and run an information system comes from."),
    "Deployment": ("信息系统的部署位置，用于统计上云率。",
                   "Where an information system runs, the basis of the cloud adoption rate."),
    "Network": ("信息系统所在的网络。涉密系统不得位于电子政务外网或互联网。",
                "The network an information system runs on. Classified systems never sit on the "
                "e-government extranet or the internet."),
    "ProtectionLevel": ("网络安全等级保护（等保）定级，一级至四级，越高越严格。",
                        "The classified-protection (MLPS) grade, level 1 to 4, higher being "
                        "stricter."),
    "SystemStatus": ("信息系统的运行状态。", "The life-cycle status of an information system."),
    "ResourceCategory": ("《政务信息资源目录编制指南》中的信息资源分类。",
                         "The information resource category of the national catalog guide."),
    "BaseDatabase": ("数据资源所属的基础数据库。", "The base database a data resource belongs to."),
    "Platform": ("各级政务数据共享交换平台。它们都运行在电子政务外网上，是非涉密平台。",
                 "The government data sharing-exchange platforms of each level. All run on the "
                 "e-government extranet and are not classified."),
    "SharingType": ("政务数据的共享类型：共享为原则，不共享为例外。",
                    "The sharing type of government data: sharing is the rule, not sharing the "
                    "exception."),
    "SharingMethod": ("数据共享或交换的技术方式。", "The technical way data is shared or exchanged."),
    "OpenType": ("公共数据向社会开放的类型。", "Whether and how public data is open to society."),
    "UpdateFrequency": ("数据更新或交换的周期。", "How often data is updated or exchanged."),
    "SensitivityLevel": ("数据分类分级中的敏感级别，一级（公开）至四级（最敏感）；ys:rank 给出顺序。",
                         "The data classification level, level 1 (public) to level 4 (most "
                         "sensitive); ys:rank gives the order."),
    "DataType": ("信息项的数据类型。", "The data type of an information item."),
    "RequestStatus": ("供需对接中共享申请的处理状态。",
                      "The processing status of a sharing request on the supply-demand list."),
}

# Concepts whose meaning deserves more than their label (zh, en).
CONCEPT_DEFINITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("SharingType", "unconditional"): ("可提供给所有政务部门共享使用的政务数据。",
                                       "Government data that may be shared with every government "
                                       "department."),
    ("SharingType", "conditional"): ("可提供给相关政务部门共享使用，或仅部分内容可共享的政务数据；须写明共享条件。",
                                     "Government data that may be shared with the departments "
                                     "concerned, or only in part; the conditions must be stated."),
    ("SharingType", "not-shared"): ("不宜提供给其他政务部门的政务数据；须有法律、法规或政策依据。",
                                    "Government data not to be given to other departments; a "
                                    "legal or policy basis must be stated."),
    ("SensitivityLevel", "level-1"): ("一级：可公开或敏感程度最低的数据。",
                                      "Level 1: public data, or data of the lowest sensitivity."),
    ("SensitivityLevel", "level-2"): ("二级：仅限政务内部使用、泄露影响较小的数据。",
                                      "Level 2: data for internal government use whose leak "
                                      "would do limited harm."),
    ("SensitivityLevel", "level-3"): ("三级：泄露会对个人、组织或公共利益造成较大影响的数据，不得无条件共享。",
                                      "Level 3: data whose leak would seriously harm persons, "
                                      "organisations or the public interest; never shared "
                                      "unconditionally."),
    ("SensitivityLevel", "level-4"): ("四级：最敏感的数据，不得无条件共享。",
                                      "Level 4: the most sensitive data; never shared "
                                      "unconditionally."),
}
