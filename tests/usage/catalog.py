"""The usage tests' catalog: tests/fixtures/small plus the API tests' 涉密 source (a classified
resource RES-APIX-SEC and system S-APIX-SEC), and a hand-counted usage file
(tests/usage/fixtures/usage.csv):

| resource | department | system | date | calls | failures | scenario |
|---|---|---|---|---|---|---|
| RES-HJ | D-MZ | S-DB | 2025-09-01 | 120 | 3 | 低保资格核验 |
| RES-HJ | D-MZ | S-DB | 2025-09-02 | 80 | 0 | 低保资格核验 |
| RES-HJ | D-GOV | — | 2025-09-02 | 10 | 1 | 人口统计 |
| RES-HJ | D-APIX | S-APIX-SEC (涉密) | 2025-09-03 | 7 | 0 | 保密核查 |
| RES-APIX-SEC (涉密, 不予共享) | D-MZ | S-DB | 2025-09-01 | 50 | 0 | 涉密核查 |
| RES-APIX-OPEN | D-GA | S-HJ | 2025-06-01 | 4 | 0 | 统计汇总 |

RES-DB (有条件共享) is never called.
"""

from __future__ import annotations

from pathlib import Path

from graph.store import CatalogStore
from loaders import load_path
from tests.api.catalog import SECRET, SMALL

USAGE = Path(__file__).resolve().parent / "fixtures" / "usage.csv"


def catalog(store: CatalogStore | None = None) -> CatalogStore:
    store = store or CatalogStore()
    load_path(store, SMALL, "small")
    load_path(store, SECRET, "apix-secret")
    return store
