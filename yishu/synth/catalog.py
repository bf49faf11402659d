"""The catalog proper: data elements, resources and their items — core sources, departmental
sources, each district's base databases (hubs), departmental and thematic resources, classified
resources — and the classification levels and sharing types that follow from the upstream data."""

from __future__ import annotations

import datetime as dt

from yishu.synth.model import AS_OF, Item, Res
from yishu.synth.organisation import Organisation
from yishu.synth.pools import (
    BASE_NAMES,
    BASE_SOURCE,
    BASES,
    CONDITIONS,
    CORE,
    DISTRICTS,
    FREQS,
    KINDS,
    METHODS,
    NONSHARE,
    PLAIN,
    SCENARIOS,
)

__all__ = ["Catalog"]


class Catalog(Organisation):
    """Elements, resources, items, classification and sharing types."""

    # -- elements and resources -----------------------------------------------------------
    def new_element(self, name: str, syn: str, std: str, auth: str, typ: str, length: int) -> str:
        code = f"DE-{self.next('el'):06d}"
        self.elements[code] = [code, name, syn, std, auth]
        self.el_type[code] = (typ, length)
        return code

    def new_res(self, name: str, provider: str, category: str, level: int, *, base: str = "",
                scenario: str = "", system: str = "") -> Res:
        r = self.r
        code = f"ZY-{self.next('res'):07d}"
        res = Res(code, name, provider, system or self.system_of(provider), category, base, level,
                   scenario or r.choice(SCENARIOS))
        res.freq = r.choice(FREQS)
        res.method = r.choice(METHODS)
        res.issued = self.date(dt.date(2021, 1, 1), AS_OF - dt.timedelta(days=30)).isoformat()
        self.res[code] = res
        self.tick(1)
        return res

    def add_item(self, res: Res, name: str, *, de: str = "", auth: bool = False, src: int = -1,
                 typ: str = "字符型", length: int = 50) -> int | None:
        if name in res.names or (de and de in res.elems):
            return None
        if de:
            typ, length = self.el_type[de]
        it = Item(res.code, name, de, typ, length, auth)
        if src >= 0:
            up = self.items[src]
            it.src, it.up = up.res, src
            up.used += 1
            it.typ, it.length = up.typ, up.length
        idx = len(self.items)
        self.items.append(it)
        res.items.append(idx)
        res.names.add(name)
        if de:
            res.elems[de] = idx
        return idx

    def add_plain(self, res: Res, n: int) -> None:
        for name, typ, length in self.r.sample(PLAIN, n):
            self.add_item(res, name, typ=typ, length=length)

    def take(self, res: Res, upstream: Res, n_el: int, n_plain: int = 0) -> None:
        """Take up to ``n_el`` element items and ``n_plain`` plain items from ``upstream``."""
        r = self.r
        els = list(upstream.elems.items())
        r.shuffle(els)
        took = False
        for de, idx in els[:n_el]:
            name = self.items[idx].name if r.random() < .6 else self.alias(de)
            took |= self.add_item(res, name, de=de, src=idx) is not None
        plain = [i for i in upstream.items if not self.items[i].de]
        r.shuffle(plain)
        for idx in plain[:n_plain]:
            took |= self.add_item(res, self.items[idx].name, src=idx) is not None
        if took and upstream.code not in res.up:
            res.up.append(upstream.code)
            res.anc = max(res.anc, upstream.level, upstream.anc)

    def alias(self, de: str) -> str:
        row = self.elements[de]
        syns = [s for s in row[2].split(";") if s]
        prefix = self.r.choice(["", "", "申请人", "当事人", "权利人", "经办", "主体"])
        return prefix + (self.r.choice(syns) if syns and self.r.random() < .5 else row[1])

    def level_for(self, res: Res, draw: int) -> None:
        res.level = max(draw, res.anc if res.anc >= 3 else 0)

    def resources(self) -> None:
        r = self.r
        s = self.s
        n_res = max(60, round(3150 * s))
        n_dist = len(self.district_deps)
        # core sources (one per base database) and their elements
        core_src: dict[str, Res] = {}
        for base in BASES:
            role, name, level = BASE_SOURCE[base]
            provider = next((c for c, rl in self.dep_role.items() if rl == role), None) \
                or self.role_dep(role, 0)
            if provider in ("JD-GAT", "GJ-SCJG"):
                system = self.new_system(provider, f"{self.dep_name(provider)}{base}基础信息系统")
            else:
                system = ""
            src = self.new_res(name, provider, "基础信息资源" if provider.startswith(("JD", "GJ"))
                               else "部门信息资源", level, base=base if provider.startswith(("JD", "GJ"))
                               else "", system=system)
            if provider.startswith("JD"):
                src.platform = "省级平台"
            elif provider.startswith("GJ"):
                src.platform = "国家平台"
            for name_, syn, std, b, typ, length in CORE:
                if b == base:
                    de = self.new_element(name_, syn, std, provider, typ, length)
                    self.add_item(src, name_, de=de, auth=True)
            self.add_plain(src, 2)
            core_src[base] = src
        # business elements, authoritative in departmental source resources
        n_el = max(20, round(270 * s))
        deps_all = [c for c in self.dep_role if self.dep_district[c] >= 0]
        sources: list[Res] = []
        el_i = 0
        while el_i < n_el:
            prov = r.choice(deps_all)
            b = self.business(prov)
            res = self.new_res(f"{b}{r.choice(KINDS)}", prov, "部门信息资源",
                               r.choice([1, 2, 2, 2, 3, 3, 4]))
            for _ in range(r.randint(1, 3)):
                name, biz = self.element_name(prov)
                syn = name.replace("编号", "号").replace("证号", "证编号") if "号" in name else ""
                de = self.new_element(name, syn if syn != name else "", f"《{biz}管理办法》", prov,
                                      "字符型", 30)
                self.add_item(res, name, de=de, auth=True)
                el_i += 1
            self.add_plain(res, r.randint(2, 4))
            sources.append(res)
        # base databases: one set per district, hubs run by the district's 数据局
        bases: list[dict[str, Res]] = []
        for d in range(n_dist):
            per: dict[str, Res] = {}
            for base in BASES:
                b = self.new_res(BASE_NAMES[base] if n_dist == 1 else f"{DISTRICTS[d]}{BASE_NAMES[base]}",
                                 self.hub[d], "基础信息资源", 2, base=base, scenario="身份核验、主体核验、免证办")
                self.take(b, core_src[base], 99, 1)
                for extra in r.sample(sources, min(len(sources), 2)):
                    self.take(b, extra, 2)
                self.level_for(b, 2)
                per[base] = b
            bases.append(per)
        # departmental resources: from hubs, sources, and earlier departmental resources
        dept_res: list[Res] = []
        n_them = max(3, round(n_res * .05))
        n_dept = max(10, n_res - len(self.res) - n_them - max(2, round(5 * s)))
        for _ in range(n_dept):
            prov = r.choice(deps_all)
            d = self.dep_district[prov]
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}", prov, "部门信息资源", 0)
            hub = bases[d]
            picks = r.sample(BASES, r.choice([1, 1, 2]))
            for base in picks:
                self.take(res, hub[base], r.randint(1, 3), r.choice([0, 0, 1]))
            roll = r.random()
            if roll < .35 and sources:
                self.take(res, r.choice(sources), r.randint(1, 2))
            elif roll < .6 and dept_res:
                self.take(res, r.choice(dept_res[-400:]), r.randint(1, 2), r.choice([0, 1]))
            if r.random() < .12:  # a department's own authoritative data
                name, biz = self.element_name(prov)
                el_i += 1
                de = self.new_element(name, "", f"《{biz}管理办法》", prov, "字符型", 30)
                self.add_item(res, name, de=de, auth=True)
            self.add_plain(res, r.randint(1, 4))
            self.level_for(res, r.choice([1, 2, 2, 3]))
            dept_res.append(res)
        # thematic resources combine several departments
        them: list[Res] = []
        for _ in range(n_them):
            d = r.randrange(n_dist)
            res = self.new_res(f"{r.choice(SCENARIOS)}主题库", self.hub[d], "主题信息资源", 0)
            pool = them[-50:] if them and r.random() < .3 else dept_res
            for up in r.sample(pool, min(len(pool), r.randint(2, 4))):
                self.take(res, up, 2, 1)
            self.add_plain(res, 1)
            self.level_for(res, r.choice([2, 3]))
            them.append(res)
        self.core_src, self.sources, self.bases, self.dept_res = core_src, sources, bases, dept_res
        # classified (涉密) resources on classified systems: legit, never via a platform
        self.secret_systems = []
        for _ in range(max(1, round(3 * s)) + self.k):
            owner = r.choice(deps_all)
            self.secret_systems.append(self.new_system(owner, f"{self.dep_name(owner)}涉密业务系统",
                                                       secret=True))
        self.secret_res = []
        for sysc in self.secret_systems[:max(1, round(3 * s))]:
            owner = self.systems[sysc][2]
            res = self.new_res("涉密文电登记信息", owner, "部门信息资源", 4, system=sysc)
            res.secret = True
            self.add_plain(res, 3)
            self.secret_res.append(res)

    def finish_levels(self) -> None:
        """Item-level classification where an item carries data stricter than its resource,
        then sharing types consistent with the classification."""
        r = self.r
        items = self.items
        req = [0] * len(items)
        for i, it in enumerate(items):  # upstream items always come first
            if it.up >= 0:
                u = items[it.up]
                ulvl = u.lvl or self.res[u.res].level
                req[i] = max(req[it.up], ulvl if ulvl >= 3 else 0)
                eff = it.lvl or self.res[it.res].level
                if req[i] >= 3 and eff < req[i]:
                    it.lvl = req[i]
        self.req = req
        for res in self.res.values():
            if res.secret:
                res.stype, res.basis, res.platform, res.method = ("不予共享", NONSHARE[2], "", "库表交换")
                continue
            strict = res.level >= 3 or any(items[i].lvl >= 3 for i in res.items)
            roll = r.random()
            if strict:
                res.stype = "不予共享" if roll < .08 else "有条件共享"
            else:
                res.stype = "无条件共享" if roll < .5 else ("不予共享" if roll < .54 else "有条件共享")
            if res.stype == "有条件共享":
                res.cond = r.choice(CONDITIONS)
            elif res.stype == "不予共享":
                res.basis = r.choice(NONSHARE[:2] + NONSHARE[3:])

