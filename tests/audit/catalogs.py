"""Tiny catalogs for the audit tests: a clean base, edited row by row or triple by triple.

``Catalog.base()`` is clean at Violation and Warning level (it has every CDO too, so no Info
findings). A case edits a copy (rows keyed by the template's Chinese headers, or RDF triples
for what the template cannot express), and ``build()`` loads it into a fresh store.
"""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import CatalogStore
from loaders import load_path
from loaders.spec import FILE_BY_NAME

__all__ = ["Catalog", "AS_OF"]

AS_OF = "2025-11-20"

_BASE: dict[str, list[dict[str, str]]] = {
    "departments.csv": [
        {"部门编码": "D-GOV", "部门名称": "示范区人民政府", "行政层级": "区县级", "部门类型": "党政机关",
         "首席数据官": "王明", "共享负责人": "李华", "共享经办人": "赵强"},
        {"部门编码": "D-GA", "部门名称": "示范区公安分局", "上级部门编码": "D-GOV", "行政层级": "区县级",
         "部门类型": "垂直管理部门", "首席数据官": "周军", "共享负责人": "张伟", "共享经办人": "刘洋"},
        {"部门编码": "D-MZ", "部门名称": "示范区民政局", "上级部门编码": "D-GOV", "行政层级": "区县级",
         "部门类型": "党政机关", "首席数据官": "吴芳", "共享负责人": "陈静", "共享经办人": "孙丽"},
    ],
    "data_elements.csv": [
        {"数据元编码": "DE-SFZ", "数据元名称": "公民身份号码", "同义词": "身份证号", "权威部门编码": "D-GA"},
        {"数据元编码": "DE-XM", "数据元名称": "姓名", "权威部门编码": "D-GA"},
    ],
    "responsibilities.csv": [
        {"事项编码": "R-HJ", "事项名称": "户籍登记", "事项类型": "行政确认", "实施部门编码": "D-GA",
         "产生资源代码": "RES-HJ", "所需数据元编码": "DE-SFZ;DE-XM"},
        {"事项编码": "R-DB", "事项名称": "最低生活保障审批", "事项类型": "行政给付", "实施部门编码": "D-MZ",
         "产生资源代码": "RES-DB", "所需数据元编码": "DE-SFZ"},
    ],
    "systems.csv": [
        {"系统编码": "S-HJ", "系统名称": "人口户籍管理系统", "建设部门编码": "D-GA", "使用频度": "每日",
         "部署方式": "上级部署", "网络类型": "业务专网", "是否涉密": "否", "运行状态": "在用",
         "接入共享平台": "是", "最近运维时间": "2025-10-01"},
        {"系统编码": "S-DB", "系统名称": "社会救助系统", "建设部门编码": "D-MZ", "使用频度": "每日",
         "部署方式": "政务云", "网络类型": "电子政务外网", "是否涉密": "否", "运行状态": "在用",
         "接入共享平台": "是", "最近运维时间": "2025-09-15"},
    ],
    "catalog.csv": [
        {"资源代码": "RES-HJ", "资源名称": "户籍人口信息", "资源摘要": "户籍人口基本信息", "资源分类": "基础信息资源",
         "提供方部门编码": "D-GA", "来源系统编码": "S-HJ", "提供渠道": "区县级平台", "共享类型": "有条件共享",
         "共享条件": "用于政务服务身份核验", "共享方式": "接口调用", "更新周期": "实时", "敏感级别": "三级",
         "是否涉密": "否", "发布日期": "2023-03-31", "数据格式": "数据库表"},
        {"资源代码": "RES-DB", "资源名称": "低保对象信息", "资源摘要": "低保对象名单", "资源分类": "部门信息资源",
         "提供方部门编码": "D-MZ", "来源系统编码": "S-DB", "提供渠道": "区县级平台", "共享类型": "有条件共享",
         "共享条件": "限救助业务使用", "共享方式": "库表交换", "更新周期": "每月", "敏感级别": "三级",
         "是否涉密": "否", "发布日期": "2023-06-30", "数据格式": "数据库表", "上游资源代码": "RES-HJ"},
    ],
    "items.csv": [
        {"资源代码": "RES-HJ", "信息项名称": "公民身份号码", "数据元编码": "DE-SFZ", "数据类型": "字符型",
         "是否权威来源": "是"},
        {"资源代码": "RES-HJ", "信息项名称": "姓名", "数据元编码": "DE-XM", "数据类型": "字符型",
         "是否权威来源": "是"},
        {"资源代码": "RES-DB", "信息项名称": "身份证号", "数据元编码": "DE-SFZ", "数据类型": "字符型",
         "是否权威来源": "否", "来源资源代码": "RES-HJ"},
        {"资源代码": "RES-DB", "信息项名称": "姓名", "数据元编码": "DE-XM", "数据类型": "字符型",
         "是否权威来源": "否", "来源资源代码": "RES-HJ"},
        {"资源代码": "RES-DB", "信息项名称": "救助金额", "数据类型": "数值型", "是否权威来源": "否"},
    ],
    "sharing.csv": [
        {"需求编号": "REQ-1", "需求部门编码": "D-MZ", "需求系统编码": "S-DB", "资源代码": "RES-HJ",
         "应用场景": "低保审核身份核验", "申请时间": "2025-03-01T09:00:00", "状态": "已交付",
         "响应时间": "2025-03-01T09:00:40", "共享方式": "接口调用"},
    ],
    "flows.csv": [
        {"流编号": "F-1", "源资源代码": "RES-HJ", "源系统编码": "S-HJ", "目标部门编码": "D-MZ",
         "目标系统编码": "S-DB", "目标资源代码": "RES-DB", "经由平台": "区县级平台", "交换方式": "接口调用"},
    ],
}


@dataclass
class Catalog:
    rows: dict[str, list[dict[str, str]]]
    add_triples: list[str] = field(default_factory=list)  # N-Triples lines
    drop: list[tuple[str, str]] = field(default_factory=list)  # (subject IRI, predicate IRI)

    @classmethod
    def base(cls) -> Catalog:
        return cls(copy.deepcopy(_BASE))

    # -- editing --------------------------------------------------------------------------
    def row(self, file: str, key: str) -> dict[str, str]:
        """The row of ``file`` whose first key column (or 'resource/item') is ``key``."""
        spec = FILE_BY_NAME[file]
        for r in self.rows[file]:
            k = (f"{r['资源代码']}/{r['信息项名称']}" if file == "items.csv"
                 else r[spec.key.name])
            if k == key:
                return r
        raise KeyError(key)

    def set(self, file: str, key: str, **cells: str) -> Catalog:
        self.row(file, key).update(cells)
        return self

    def add(self, file: str, **cells: str) -> Catalog:
        self.rows[file].append(dict(cells))
        return self

    # -- building -------------------------------------------------------------------------
    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for file, rows in self.rows.items():
            headers = FILE_BY_NAME[file].headers
            with open(folder / file, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(headers)
                for r in rows:
                    unknown = set(r) - set(headers)
                    assert not unknown, unknown
                    w.writerow([r.get(h, "") for h in headers])
        return folder

    def build(self, folder: Path, base: str | None = None,
              store: CatalogStore | None = None, source: str = "catalog") -> CatalogStore:
        """Load into ``store`` (default: a new in-memory store) as one source."""
        store = store if store is not None else CatalogStore(base=base)
        if not self.add_triples and not self.drop:
            load_path(store, self.write(folder), source)
            return store
        scratch = CatalogStore(base=store.base)
        load_path(scratch, self.write(folder), source)
        lines = scratch.export("nt").decode("utf-8").splitlines()
        dropped = {(f"<{s}>", f"<{p}>") for s, p in self.drop}
        kept = [ln for ln in lines if tuple(ln.split(" ", 2)[:2]) not in dropped]
        data = "\n".join(kept + self.add_triples) + "\n"
        store.load_rdf(data.encode("utf-8"), "nt", source)
        return store
