"""Planting the defects whose ground truth ``defects.json`` records: each rule's focus nodes
are chosen among the untouched ones, so no two planted defects interfere (``plant_all``; the
one-data-one-source rules and the responsibilities they reach, ``plant_ods``)."""

from __future__ import annotations

import datetime as dt

from yishu.synth.exchange import Exchange
from yishu.synth.model import AS_OF, PENDING_DAYS, Res
from yishu.synth.pools import CONDITIONS, KINDS, LV_NAME

__all__ = ["Defects"]


class Defects(Exchange):
    """Plants the defects on a built catalog (after the flows) and records each in ``defects``."""

    def plant(self, rule: str, focus: str, zh: str, en: str) -> None:
        self.defects.append({"rule": rule, "focus": focus, "note": f"{zh} / {en}"})
        self.touched.add(focus)

    def pick(self, pool: list, n: int) -> list:
        pool = [p for p in pool if self.key(p) not in self.touched]
        chosen = self.r.sample(pool, min(n, len(pool)))
        for c in chosen:
            self.touched.add(self.key(c))
        return chosen

    @staticmethod
    def key(obj) -> str:
        if isinstance(obj, Res):
            return f"resource:{obj.code}"
        if isinstance(obj, int):
            return f"itemidx:{obj}"
        return f"row:{obj[0]}"

    def plant_all(self) -> None:
        r, k, items = self.r, self.k, self.items
        ordinary = [x for x in self.res.values() if not x.secret]
        # CAT-002, CAT-005, SHR-001, SHR-002, SHR-003
        for res in self.pick(ordinary, k):
            res.freq = ""
            self.plant("CAT-002", f"resource:{res.code}", "未填写更新周期", "no update frequency")
        for res in self.pick(ordinary, k):
            res.system = ""
            self.plant("CAT-005", f"resource:{res.code}", "未填写来源系统", "no source system")
        for res in self.pick([x for x in ordinary if x.stype == "有条件共享"], k):
            res.cond = ""
            self.plant("SHR-001", f"resource:{res.code}", "有条件共享但未填写共享条件",
                       "shared on conditions but names none")
        for res in self.pick([x for x in ordinary if x.stype == "不予共享"], k):
            res.basis = ""
            self.plant("SHR-002", f"resource:{res.code}", "不予共享但未填写不予共享依据",
                       "not shared but gives no legal basis")
        for res in self.pick([x for x in ordinary if x.stype == "有条件共享" and x.level >= 3], k):
            res.stype, res.cond = "无条件共享", ""
            self.plant("SHR-003", f"resource:{res.code}",
                       f"敏感级别为{LV_NAME[res.level]}却无条件共享", "level 3/4 data shared unconditionally")
        # CAT-003: a source resource (no upstream, no taken items) without classification
        # (level 二级 or lower never raised anyone's classification, so leaving it out changes
        # no other finding)
        cands = [x for x in ordinary if not x.up and x.items and x.level <= 2 and all(
            items[i].up < 0 and not items[i].lvl for i in x.items)]
        chosen = self.pick(cands, k)
        while len(chosen) < k:
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}", prov, "部门信息资源", 2)
            res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
            self.add_plain(res, 3)
            chosen.append(res)
        for res in chosen:
            res.level = 0
            self.plant("CAT-003", f"resource:{res.code}", "未填写敏感级别", "no classification level")
        # SEC-003, resource level: derived from 三级/四级 data but classified 二级
        cands = [x for x in ordinary if x.anc >= 3 and x.level >= 3 and x.stype != "无条件共享"]
        for res in self.pick(cands, k):
            old = res.level
            for i in res.items:
                if not items[i].lvl:
                    items[i].lvl = old
            res.level = 2
            self.plant("SEC-003", f"resource:{res.code}",
                       f"由{LV_NAME[res.anc]}资源加工而来，却定为二级", "derived from level 3/4 data, "
                       "classified level 2")
        # SEC-003, item level: own level 二级 below its upstream data
        cands = [i for i, it in enumerate(items) if self.req[i] >= 3 and not it.lvl
                 and f"resource:{it.res}" not in self.touched and not it.auth]
        for i in self.pick(cands, k):
            items[i].lvl = 2
            it = items[i]
            self.plant("SEC-003", f"item:{it.res}/{it.name}", "信息项取自三级/四级数据，自身却标为二级",
                       "item taken from level 3/4 data but marked level 2")
        # CAT-004: catalogued without any item
        for _ in range(k):
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}（信息项待补录）", prov,
                               "部门信息资源", 2)
            res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
            self.plant("CAT-004", f"resource:{res.code}", "目录没有任何信息项", "resource has no item")
        # ODS-005: derivation cycles of two or three new resources
        for _ in range(k):
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            ring = []
            for j in range(r.choice([2, 3])):
                res = self.new_res(f"{self.business(prov)}汇总{KINDS[j]}", prov, "部门信息资源", 2)
                res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
                self.add_plain(res, 2)
                ring.append(res)
            for j, res in enumerate(ring):
                res.up = [ring[(j + 1) % len(ring)].code]
            for res in ring:
                self.plant("ODS-005", f"resource:{res.code}", "上游资源代码构成派生环",
                           "derivation cycle through upstream resources")
        # departments
        deps = [d for d in self.deps]
        for d in self.pick(deps, k):
            d[7] = ""
            self.plant("ORG-001", f"department:{d[0]}", "未指定共享负责人", "no sharing leader")
        for d in self.pick(deps, k):
            d[8] = ""
            self.plant("ORG-002", f"department:{d[0]}", "未指定共享经办人", "no sharing clerk")
        # systems
        in_use = [s for s in self.systems.values() if s[13] == "在用" and s[12] == "否"]
        for s in self.pick(in_use, k):
            s[14] = "否"
            self.plant("SYS-001", f"system:{s[0]}", "在用系统未接入共享平台（应接尽接）",
                       "system in use not connected to the sharing platform")
        for s in self.pick(in_use, k):
            s[9] = "自建机房"
            self.plant("SYS-002", f"system:{s[0]}", "在用非涉密系统未上云（自建机房）",
                       "non-classified system in use not on the government cloud")
        for j, s in enumerate(self.pick(in_use, k)):
            if j % 2 == 0:
                s[5] = "很少"
                why_zh, why_en = "使用频度为“很少”", "rarely used"
            else:
                s[15] = (AS_OF - dt.timedelta(days=r.randint(800, 1500))).isoformat()
                why_zh, why_en = f"最近运维时间{s[15]}超过730天", f"last maintained {s[15]}"
            self.plant("SYS-003", f"system:{s[0]}", f"僵尸系统候选：{why_zh}", f"zombie candidate: {why_en}")
        merged = [s for s in self.systems.values() if s[13] == "已整合"]
        for s in self.pick(merged, k):
            s[16] = ""
            self.plant("SYS-004", f"system:{s[0]}", "已整合但未填写整合至系统编码",
                       "merged but names no target system")
        for code in self.secret_systems[-k:]:
            self.systems[code][10] = r.choice(["电子政务外网", "互联网"])
            self.plant("SEC-001", f"system:{code}", f"涉密系统部署在{self.systems[code][10]}",
                       "classified system on a non-classified network")
        for row in self.pick(self.secret_flows, k):
            row[6] = "区县级平台"
            self.plant("SEC-002", f"flow:{row[0]}", "涉密资源经由非涉密共享平台流转",
                       "classified resource flows through a non-classified platform")
        # requests
        rejected = [q for q in self.reqs if q[7] == "已拒绝"]
        for q in self.pick(rejected, k):
            q[9] = ""
            self.plant("REQ-001", f"request:{q[0]}", "已拒绝但未填写拒绝理由", "rejected without a reason")
        done = [q for q in self.reqs if q[7] in ("已交付", "已批准")]
        for q in self.pick(done, k):
            filed = dt.datetime.combine(AS_OF, dt.time(10)) - dt.timedelta(days=r.randint(15, 200))
            q[6], q[7], q[8], q[10], q[11] = filed.isoformat() + "+08:00", "待审核", "", "", ""
            self.plant("REQ-002", f"request:{q[0]}", f"待审核超过{PENDING_DAYS}天",
                       f"pending for more than {PENDING_DAYS} days")
        self.plant_ods()

    def plant_ods(self) -> None:
        r, k, items = self.r, self.k, self.items
        by_el: dict[str, list[int]] = {}
        for i, it in enumerate(items):
            if it.de:
                by_el.setdefault(it.de, []).append(i)
        core = {c for c, row in self.elements.items() if row[4] in self.core_src_providers()}
        # elements carried by few items: their trouble reaches few responsibilities (RSP-001)
        free = [e for e in self.elements if e not in core and 2 <= len(by_el.get(e, [])) <= 4]
        free += [e for e in self.elements if e not in core and len(by_el.get(e, [])) > 4]
        head = free[:len(free) - sum(len(by_el[e]) > 4 for e in free)]
        r.shuffle(head)
        free[:len(head)] = head
        bad: list[str] = []
        leaves = {e: [i for i in by_el.get(e, []) if not items[i].auth and items[i].used == 0
                      and items[i].up >= 0 and f"resource:{items[i].res}" not in self.touched
                      and f"itemidx:{i}" not in self.touched]
                  for e in free}
        pos = 0

        def next_el(need_leaf: bool) -> str | None:
            nonlocal pos
            while pos < len(free):
                e = free[pos]
                pos += 1
                if not need_leaf or leaves[e]:
                    return e
            return None

        for _ in range(k):  # ODS-001: a second item claims to be the source
            e = next_el(True)
            if e is None:
                break
            i = r.choice(leaves[e])
            it = items[i]
            it.auth, it.src, it.up = True, "", -1
            self.touched.add(f"item:{it.res}/{it.name}")
            self.plant("ODS-001", f"element:{e}", f"“{self.elements[e][1]}”有两个权威来源",
                       "two items claim to be the authoritative source")
            bad.append(e)
        for _ in range(k):  # ODS-002: designated authority differs from the source's provider
            e = next_el(False)
            if e is None:
                break
            auth_dep = self.elements[e][4]
            others = [c for c in self.dep_role if c != auth_dep and self.dep_district[c] >= 0]
            self.elements[e][4] = r.choice(others)
            self.plant("ODS-002", f"element:{e}", f"“{self.elements[e][1]}”的权威来源不在指定的权威部门",
                       "the authoritative item is outside the designated department")
            bad.append(e)
        for _ in range(k):  # ODS-003: nobody is the source any more
            e = next_el(False)
            if e is None:
                break
            for i in by_el[e]:
                items[i].auth = False
            self.plant("ODS-003", f"element:{e}", f"“{self.elements[e][1]}”没有权威来源",
                       "no item is the authoritative source")
            bad.append(e)
        done = 0
        while done < k:  # ODS-004: re-collected instead of taken from the source
            e = next_el(True)
            if e is None:
                break
            for i in r.sample(leaves[e], min(len(leaves[e]), 2)):
                if done >= k:
                    break
                it = items[i]
                it.src, it.up = "", -1
                self.plant("ODS-004", f"item:{it.res}/{it.name}", f"自行采集“{self.elements[e][1]}”，"
                           "未从权威来源获取（重复采集）", "collected again instead of taken from the source")
                done += 1
        done = 0
        res_list = [x for x in self.res.values() if x.items and not x.secret]
        while done < k:  # LIN-001: taken from a resource without a matching item
            e = next_el(True)
            if e is None:
                break
            i = r.choice(leaves[e])
            it = items[i]
            for _ in range(50):
                other = r.choice(res_list)
                if other.code != it.src and e not in other.elems and it.name not in other.names:
                    it.src, it.up = other.code, -1
                    self.plant("LIN-001", f"item:{it.res}/{it.name}", f"来源资源{other.code}中没有对应信息项",
                               "the named upstream resource has no matching item")
                    done += 1
                    break
        # RSP-001 follows from the elements that no longer resolve
        needing = {e: [] for e in bad}
        for row in self.resp:
            for e in row[6].split(";"):
                if e in needing:
                    needing[e].append(row)
        for e in bad:
            if not needing[e]:
                row = r.choice(self.resp)
                row[6] = ";".join([*row[6].split(";"), e]) if row[6] else e
                needing[e].append(row)
        flagged: list[str] = []
        for row in self.resp:
            if any(e in needing for e in row[6].split(";")) and row[0] not in flagged:
                flagged.append(row[0])
                self.plant("RSP-001", f"responsibility:{row[0]}", "所需数据元没有唯一权威来源",
                           "a data element it needs has no single authoritative source")

    def core_src_providers(self) -> set[str]:
        return {x.provider for x in self.core_src.values()}
