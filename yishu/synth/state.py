"""The generator's state (its random stream, the rows and entities built so far, the counters)
and the small draws every step uses: a person's name, a date, a line of business, a new
element name, the next number of a kind."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from yishu.synth.model import Item, Res
from yishu.synth.pools import BUSINESS, GIVEN, NOUNS, ROLE_BUSINESS, SURNAMES

__all__ = ["GenState"]


class GenState:
    """Everything a run builds, and the draws from its one random stream (same seed, same
    draws in the same order: the steps below run in a fixed order, ``write.generate``)."""

    def __init__(self, scale: float, seed: int, progress: Callable[[int], None] | None):
        self.s = scale
        self.r = random.Random(seed)
        self.tick = progress or (lambda n: None)
        self.deps: list[list[str]] = []
        self.dep_role: dict[str, str] = {}
        self.dep_district: dict[str, int] = {}
        self.district_deps: list[list[str]] = []
        self.hub: list[str] = []
        self.elements: dict[str, list[str]] = {}  # code -> row
        self.el_type: dict[str, tuple[str, int]] = {}
        self.systems: dict[str, list[str]] = {}
        self.dep_systems: dict[str, list[str]] = {}
        self.res: dict[str, Res] = {}
        self.items: list[Item] = []
        self.resp: list[list[str]] = []
        self.reqs: list[list[str]] = []
        self.flows: list[list[str]] = []
        self.defects: list[dict[str, str]] = []
        self.touched: set[str] = set()
        self.k = 1
        self.el_names: set[str] = set()
        self.req: list[int] = []
        # filled by the catalog (resources) and the flows, read by the planting
        self.core_src: dict[str, Res] = {}
        self.sources: list[Res] = []
        self.bases: list[dict[str, Res]] = []
        self.dept_res: list[Res] = []
        self.secret_systems: list[str] = []
        self.secret_res: list[Res] = []
        self.secret_flows: list[list[str]] = []
        self.n = {"res": 0, "sys": 0, "el": 0, "req": 0, "flow": 0, "resp": 0}

    # -- draws ----------------------------------------------------------------------
    def person(self) -> str:
        r = self.r
        g = GIVEN[r.randrange(len(GIVEN))] + (GIVEN[r.randrange(len(GIVEN))] if r.random() < .7 else "")
        return SURNAMES[r.randrange(len(SURNAMES))] + g

    def date(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.r.randrange(max(1, (hi - lo).days)))

    def business(self, dep: str) -> str:
        """A line of business of the department (its role's pool, else the general one)."""
        return self.r.choice(ROLE_BUSINESS.get(self.dep_role.get(dep, ""), BUSINESS))

    def element_name(self, dep: str) -> tuple[str, str]:
        """A new element name for the department, and the line of business it belongs to."""
        for _ in range(8):
            biz = self.business(dep)
            name = f"{biz}{self.r.choice(NOUNS)}"
            if name not in self.el_names:
                break
        else:
            name = f"{name}（{len(self.el_names) + 1}）"
        self.el_names.add(name)
        return name, biz

    def next(self, kind: str) -> int:
        self.n[kind] += 1
        return self.n[kind]
