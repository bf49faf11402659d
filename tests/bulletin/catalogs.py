"""Two hand-made quarters of a tiny district, for the bulletin tests.

The clean base of ``tests/audit/catalogs.py`` plus an education bureau ``D-JY``. Between the end
of 2026Q2 (``before``) and the end of 2026Q3 (``now``), written by hand:

- ``D-MZ`` 民政局 **improves**: its 有条件共享 resource RES-DB lacked 共享条件 (SHR-001) and
  now states it — SHR-001 on resource:RES-DB is fixed; it scores 100 again.
- ``D-GA`` 公安分局 **gets worse**: its 三级 RES-HJ becomes 无条件共享 (SHR-003, new), and a
  request for it filed 2026-09-01 is still 待审核 on 2026-09-30 (REQ-002, new, overdue); a
  second request is refused (with a reason), so its 按需共享率 falls from 1/1 to 1/3.
- ``D-JY`` 教育局 **adds a re-collection**: a new item 学生身份证号 carries 公民身份号码 without
  taking it from the authoritative RES-HJ (ODS-004, new).
- ``D-GOV`` 人民政府: nothing changes (level).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.history import stamped
from graph.store import CatalogStore
from loaders import load_path
from tests.audit.catalogs import Catalog

__all__ = ["quarter_before", "quarter_now", "quarter_history", "BJ"]

BJ = dt.timezone(dt.timedelta(hours=8))


def _with_education(c: Catalog) -> Catalog:
    c.add("departments.csv", 部门编码="D-JY", 部门名称="示范区教育局", 上级部门编码="D-GOV",
          行政层级="区县级", 部门类型="党政机关", 首席数据官="钱进", 共享负责人="郑敏", 共享经办人="何佳")
    c.add("systems.csv", 系统编码="S-JY", 系统名称="招生管理系统", 建设部门编码="D-JY", 使用频度="每日",
          部署方式="政务云", 网络类型="电子政务外网", 是否涉密="否", 运行状态="在用", 接入共享平台="是",
          最近运维时间="2025-10-20")
    c.add("catalog.csv", 资源代码="RES-JY", 资源名称="招生报名信息", 资源摘要="义务教育招生报名",
          资源分类="部门信息资源", 提供方部门编码="D-JY", 来源系统编码="S-JY", 提供渠道="区县级平台",
          共享类型="有条件共享", 共享条件="限招生业务使用", 共享方式="库表交换", 更新周期="每年",
          敏感级别="三级", 是否涉密="否", 发布日期="2024-05-01", 数据格式="数据库表",
          上游资源代码="RES-HJ")
    c.add("items.csv", 资源代码="RES-JY", 信息项名称="学生姓名", 数据元编码="DE-XM", 数据类型="字符型",
          是否权威来源="否", 来源资源代码="RES-HJ")
    c.add("items.csv", 资源代码="RES-JY", 信息项名称="报名学校", 数据类型="字符型", 是否权威来源="否")
    c.add("flows.csv", 流编号="F-2", 源资源代码="RES-HJ", 源系统编码="S-HJ", 目标部门编码="D-JY",
          目标系统编码="S-JY", 目标资源代码="RES-JY", 经由平台="区县级平台", 交换方式="库表交换")
    return c


def quarter_before() -> Catalog:
    c = _with_education(Catalog.base())
    c.set("catalog.csv", "RES-DB", 共享条件="")  # SHR-001 (D-MZ)
    return c


def quarter_now() -> Catalog:
    c = _with_education(Catalog.base())
    c.set("catalog.csv", "RES-HJ", 共享类型="无条件共享", 共享条件="")  # SHR-003 (D-GA)
    c.add("sharing.csv", 需求编号="REQ-2", 需求部门编码="D-JY", 需求系统编码="S-JY", 资源代码="RES-HJ",
          应用场景="招生资格核验", 申请时间="2026-07-01T09:00:00", 状态="已拒绝",
          响应时间="2026-07-01T09:00:30", 拒绝理由="申请用途超出共享条件", 共享方式="接口调用")
    c.add("sharing.csv", 需求编号="REQ-3", 需求部门编码="D-JY", 需求系统编码="S-JY", 资源代码="RES-HJ",
          应用场景="学籍核验", 申请时间="2026-09-01T09:00:00", 状态="待审核", 共享方式="接口调用")
    c.add("items.csv", 资源代码="RES-JY", 信息项名称="学生身份证号", 数据元编码="DE-SFZ",
          数据类型="字符型", 是否权威来源="否")  # ODS-004 (D-JY): re-collected
    return c


def quarter_history(tmp: Path) -> CatalogStore:
    """An on-disk store in ``tmp`` holding ``before`` as loaded on 2026-05-01 and ``now`` as
    loaded on 2026-08-01 (Beijing time): the end of 2026Q2 and of 2026Q3."""
    s = CatalogStore(tmp / "store")
    with stamped(dt.datetime(2026, 5, 1, 10, tzinfo=BJ), "测试"):
        load_path(s, quarter_before().write(tmp / "before"), "catalog")
    with stamped(dt.datetime(2026, 8, 1, 10, tzinfo=BJ), "测试"):
        load_path(s, quarter_now().write(tmp / "now"), "catalog")
    return s
