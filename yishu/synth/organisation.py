"""Departments (upper-level providers, then each district's government, data bureau, bureaus,
zones and towns) and their information systems (in use, merged, retired, classified)."""

from __future__ import annotations

import datetime as dt

from yishu.synth.model import AS_OF
from yishu.synth.pools import BUREAUS, DISTRICTS, TOWNS, ZONES
from yishu.synth.state import GenState

__all__ = ["Organisation"]


class Organisation(GenState):
    """Departments and systems: the first steps of a run."""

    # -- departments ----------------------------------------------------------------------
    def departments(self) -> None:
        r = self.r
        n_dep = max(10, round(60 * self.s))
        n_dist = max(1, min(len(DISTRICTS), round(self.s)))
        upper = [("JD-GAT", "江东省公安厅", "省级", "省公安厅"), ("JD-MZT", "江东省民政厅", "省级", "省民政厅"),
                 ("GJ-SCJG", "国家市场监督管理总局", "国家级", "国家市场监督管理总局")]
        for code, name, lvl, role in upper:
            area = "010" if code.startswith("GJ") else "025"
            self.deps.append([code, name, "", lvl, "", "党政机关", "", self.person(), self.person(),
                              f"{area}-8{r.randrange(1000000, 9999999)}"])
            self.dep_role[code] = role
            self.dep_district[code] = -1
        per = [n_dep // n_dist + (1 if i < n_dep % n_dist else 0) for i in range(n_dist)]
        for d in range(n_dist):
            region = f"3206{15 + d:02d}"
            dname = DISTRICTS[d]
            codes: list[str] = []
            n_towns = max(2, per[d] // 8)
            n_zones = 1 if per[d] >= 20 else 0
            n_bureaus = max(1, per[d] - 2 - n_towns - n_zones)
            units = [(f"{dname}人民政府", "党政机关", "政府", ""), (f"{dname}数据局", "党政机关", "数据", "gov")]
            for i in range(n_bureaus):
                b = BUREAUS[i % len(BUREAUS)]
                suffix = "" if i < len(BUREAUS) else f"（第{i // len(BUREAUS) + 1}分局）"
                units.append((f"{dname}{b[0]}{suffix}", b[1], b[2], "gov" if b[1] != "垂直管理部门" else ""))
            for i in range(n_zones):
                units.append((f"{dname}{ZONES[i % len(ZONES)]}", "功能区管委会", "园区", "gov"))
            for i in range(n_towns):
                t = TOWNS[i % len(TOWNS)]
                suffix = "" if i < len(TOWNS) else f"{i // len(TOWNS) + 1}"
                units.append((f"{dname}{t}{suffix}", "乡镇街道", "乡镇", "gov"))
            for i, (name, typ, role, parent) in enumerate(units[:per[d]]):
                code = f"11{region}MB{i:04d}"
                lvl = "乡镇街道" if typ == "乡镇街道" else "区县级"
                cdo = self.person() if lvl == "区县级" and r.random() < .6 else ""
                self.deps.append([code, name, codes[0] if parent and codes else "", lvl, region, typ, cdo,
                                  self.person(), self.person(),
                                  f"0515-8{r.randrange(1000000, 9999999)}"])
                self.dep_role[code] = role
                self.dep_district[code] = d
                codes.append(code)
            self.district_deps.append(codes)
            self.hub.append(codes[1])

    def role_dep(self, role: str, district: int) -> str:
        for code in self.district_deps[district]:
            if self.dep_role[code] == role:
                return code
        return self.district_deps[district][min(2, len(self.district_deps[district]) - 1)]

    # -- systems --------------------------------------------------------------------------
    def new_system(self, owner: str, name: str, *, secret: bool = False, status: str = "在用") -> str:
        r = self.r
        code = f"XT-{self.next('sys'):06d}"
        upper = r.random() < .25 and not secret
        deploy = "自建机房" if secret else ("上级部署" if upper else "政务云")
        net = "电子政务内网" if secret else ("业务专网" if upper and r.random() < .6 else "电子政务外网")
        last = self.date(AS_OF - dt.timedelta(days=600), AS_OF)
        usage = r.choice(["每日", "每日", "每日", "每周", "每月"])
        if status != "在用":
            deploy = r.choice(["自建机房", "政务云"])
            last = self.date(dt.date(2019, 1, 1), dt.date(2023, 6, 30))
            usage = r.choice(["很少", "每月"])
        row = [code, name, owner, f"{name}业务办理与数据管理", r.choice(["本部门", "跨部门", "全区域", "面向公众"]),
               usage, self.hub[self.dep_district[owner]] if self.dep_district[owner] >= 0 else "",
               self.date(dt.date(2012, 1, 1), dt.date(2024, 12, 31)).isoformat(),
               r.choice(["财政资金", "财政资金", "上级资金", "自筹资金"]), deploy, net,
               "未定级" if secret else r.choice(["二级", "二级", "三级", "一级"]), "是" if secret else "否",
               status, "是" if status == "在用" else "否", last.isoformat(), ""]
        self.systems[code] = row
        if status == "在用" and not secret:
            self.dep_systems.setdefault(owner, []).append(code)
        return code

    def make_systems(self) -> None:
        r = self.r
        n_sys = max(12, round(400 * self.s))
        deps = [d[0] for d in self.deps]
        for i in range(n_sys):
            owner = deps[i % len(deps)] if i < len(deps) else r.choice(deps)
            name = f"{self.dep_name(owner).split('区', 1)[-1]}{self.business(owner)}管理系统"
            self.new_system(owner, name)
        # merged and retired systems (legitimately not in use)
        for _ in range(max(2, round(20 * self.s))):
            owner = r.choice(deps)
            code = self.new_system(owner, f"{self.business(owner)}信息系统（旧）", status="已整合")
            target = r.choice(self.dep_systems.get(owner) or sorted(self.systems)[:1])
            self.systems[code][16] = target
        for _ in range(max(1, round(10 * self.s))):
            owner = r.choice(deps)
            self.new_system(owner, f"{self.business(owner)}台账系统", status="停用")

    def dep_name(self, code: str) -> str:
        for d in self.deps:
            if d[0] == code:
                return d[1]
        raise KeyError(code)

    def system_of(self, dep: str) -> str:
        systems = self.dep_systems.get(dep)
        if not systems:
            systems = self.dep_systems[dep] = [self.new_system(dep, f"{self.dep_name(dep)}业务系统")]
        return self.r.choice(systems)
