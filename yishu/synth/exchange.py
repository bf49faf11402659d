"""What the catalog is used for: responsibilities (what they produce and need), requests along
the supply-demand workflow, and flows between departments through the platforms."""

from __future__ import annotations

import datetime as dt

from yishu.synth.catalog import Catalog
from yishu.synth.model import AS_OF, Res
from yishu.synth.pools import LEGAL, REJECT, RESP_SUFFIX, RESP_TYPES

__all__ = ["Exchange"]


class Exchange(Catalog):
    """Responsibilities, requests and flows, once the catalog stands."""

    # -- responsibilities, requests, flows --------------------------------------------------
    def responsibilities(self) -> None:
        r = self.r
        by_dep: dict[str, list[str]] = {}
        for res in self.res.values():
            if not res.secret:
                by_dep.setdefault(res.provider, []).append(res.code)
        els = list(self.elements)
        for dep, codes in by_dep.items():
            for _ in range(max(1, len(codes) // 4)):
                produced = r.sample(codes, min(len(codes), r.randint(1, 3)))
                needs = sorted({e for c in produced for e in self.res[c].elems} | set(r.sample(els, 1)))
                code = f"QZ-{self.next('resp'):06d}"
                t = r.choice(RESP_TYPES)
                self.resp.append([code, f"{self.business(dep)}{RESP_SUFFIX[t]}", t, dep, r.choice(LEGAL),
                                  ";".join(produced), ";".join(needs[:5])])

    def requests(self) -> None:
        r = self.r
        deps = [d[0] for d in self.deps if d[3] in ("区县级", "乡镇街道")]
        res_codes = [c for c, x in self.res.items() if not x.secret]
        n_req = max(20, round(2000 * self.s))
        start = dt.datetime(2024, 1, 1, 8, 0)
        span = int((dt.datetime.combine(AS_OF, dt.time()) - start).total_seconds()) - 15 * 86400
        for _ in range(n_req):
            code = f"XQ-{self.next('req'):07d}"
            dep = r.choice(deps)
            res = self.res[r.choice(res_codes)]
            roll = r.random()
            status = ("已交付" if roll < .7 else "已批准" if roll < .8 else "已拒绝" if roll < .88
                      else "已撤回" if roll < .93 else "待审核")
            if res.stype == "不予共享" and status in ("已交付", "已批准"):
                status = "已拒绝"
            if status == "待审核":
                filed = dt.datetime.combine(AS_OF, dt.time(9)) - dt.timedelta(
                    seconds=r.randrange(86400, 6 * 86400))
            else:
                filed = start + dt.timedelta(seconds=r.randrange(span))
            answer = ""
            if status in ("已交付", "已批准", "已拒绝"):
                q = r.random()
                delay = r.randint(5, 59) if q < .6 else r.randint(60, 86400) if q < .85 \
                    else r.randint(86400, 5 * 86400)
                answer = (filed + dt.timedelta(seconds=delay)).isoformat() + "+08:00"
            reason = r.choice(REJECT) if status == "已拒绝" else ""
            method = res.method if status in ("已交付", "已批准") else ""
            sat = str(r.randint(3, 5)) if status == "已交付" else ""
            self.reqs.append([code, dep, self.system_of(dep), res.code, f"{res.scenario}数据需求",
                              r.choice(LEGAL), filed.isoformat() + "+08:00", status, answer, reason, method,
                              sat])

    def new_flow(self, src: Res, target_dep: str, target_res: str, *, platform: str,
                 back: bool = False) -> list[str]:
        r = self.r
        row = [f"LX-{self.next('flow'):07d}", src.code, src.system, target_dep,
               self.system_of(target_dep), target_res,
               platform, src.method, src.freq or "每日", "是" if back else "否",
               str(r.choice([1, 4, 30, 30, r.randint(100, 200000)]))]
        self.flows.append(row)
        return row

    def make_flows(self) -> None:
        r = self.r
        n_flow = max(20, round(1500 * self.s))
        for d, per in enumerate(self.bases):  # 回流 into every district's base databases
            for base, b in per.items():
                src = self.core_src[base]
                if src.provider.startswith(("JD", "GJ")):
                    self.new_flow(src, self.hub[d], b.code, platform=src.platform, back=True)
        edges = [(up, res.code) for res in self.res.values() for up in res.up
                 if self.res[up].provider != res.provider]
        r.shuffle(edges)
        for up, down in edges[:n_flow]:
            self.new_flow(self.res[up], self.res[down].provider, down, platform="区县级平台")
        self.secret_flows = []
        for res in self.secret_res:
            for _ in range(2):
                target = r.choice(self.district_deps[max(0, self.dep_district[res.provider])])
                self.secret_flows.append(self.new_flow(res, target, "", platform=""))

