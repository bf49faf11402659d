"""Who may see what: API keys mapped to roles, read from a YAML file.

Roles and what they see (docs/api.md has the table):

=============  ===============  ===========  ====================  ============  ===========
role           persons' names   phones       涉密 entries           upload        lineage
=============  ===============  ===========  ====================  ============  ===========
anonymous      no               no           no                    no            no
lineage        no               no           no                    no            yes
analyst        yes              no           no                    no            no
integrator     yes              yes          no                    no            no
governance     yes              yes          if network allows     no            no
admin          yes              yes          if network allows     yes           yes
=============  ===============  ===========  ====================  ============  ===========

``lineage`` is the role of the jobs that report what they run (OpenLineage events,
``POST /api/v1/lineage``): it may write observed lineage and nothing else, and reads what an
anonymous caller reads.

涉密 entries (classified resources and systems, the items of such resources, the flows and
sharing requests that touch them) are served only when the deployment says it runs on a
classified network (``classified_network: true``); an API on 电子政务外网 never serves them, not
even to an admin.

Keys are given in the YAML file either hashed (``sha256: <hex digest of the key>``) or, for a
local setup, in clear (``key: ...``). Callers send them as ``X-API-Key: <key>`` or
``Authorization: Bearer <key>``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "Role", "ROLES", "ANONYMOUS", "AccessConfig", "AccessError", "Limits", "hash_key",
    "EXAMPLE_KEYS",
    "load_access", "ACCESS_ENV",
]

ACCESS_ENV = "YISHU_ACCESS_CONFIG"


@dataclass(frozen=True)
class Role:
    name: str
    persons: bool  # names of persons: 首席数据官, 共享负责人, 共享经办人
    phones: bool  # 联系电话
    classified: bool  # 涉密 entries (still subject to the deployment's classified_network)
    upload: bool  # may load data (POST /admin/upload)
    zh: str = ""
    lineage: bool = False  # may write observed lineage (POST /api/v1/lineage)


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("anonymous", persons=False, phones=False, classified=False, upload=False, zh="匿名"),
    Role("lineage", persons=False, phones=False, classified=False, upload=False,
         zh="观测血缘写入", lineage=True),
    Role("analyst", persons=True, phones=False, classified=False, upload=False, zh="分析人员"),
    Role("integrator", persons=True, phones=True, classified=False, upload=False, zh="系统集成方"),
    Role("governance", persons=True, phones=True, classified=True, upload=False, zh="数据治理人员"),
    Role("admin", persons=True, phones=True, classified=True, upload=True, zh="管理员",
         lineage=True),
)}
ANONYMOUS = ROLES["anonymous"]


class AccessError(ValueError):
    """A bad access configuration (message in zh / en)."""


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10  # GraphQL selection depth
    max_cost: int = 50_000  # estimated cost of a query (api/limits.py), callers with a key
    max_cost_anonymous: int = 30_000  # the same for anonymous callers
    max_seconds: float = 15.0  # time budget of one GraphQL request (0: none)
    max_aliases: int = 30
    max_tokens: int = 4_000
    max_body: int = 256 * 1024  # bytes of a GraphQL or other request body
    max_upload: int = 50 * 1024 * 1024  # bytes of an upload
    sparql_seconds: int = 10  # a SPARQL query is stopped after this (/sparql)
    sparql_rows: int = 10_000  # rows (or triples) a SPARQL query may answer


# The keys printed in the shipped api/access.yaml (and the docs): anyone can read them, so a
# server whose config accepts one refuses to start unless told --insecure-demo.
EXAMPLE_KEYS = ("admin-demo-key", "analyst-demo-key")


def hash_key(key: str) -> str:
    """The hex SHA-256 of a key, as written in the config (``yishu serve --hash-key``)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AccessConfig:
    keys: dict[str, tuple[str, Role]] = field(default_factory=dict)  # sha256 -> (name, role)
    classified_network: bool = False
    anonymous: bool = True  # callers without a key are served as role anonymous
    limits: Limits = field(default_factory=Limits)
    # caller name -> department code (issue 13: a key belongs to a department as well as a role)
    departments: dict[str, str] = field(default_factory=dict)

    def role_for(self, key: str | None) -> tuple[str, Role]:
        """(caller name, role) for a presented key; raises PermissionError for an unknown key
        or when anonymous access is off."""
        if not key:
            if not self.anonymous:
                raise PermissionError("需要 API 密钥 / an API key is required")
            return "anonymous", ANONYMOUS
        found = self.keys.get(hash_key(key))
        if found is None:
            raise PermissionError("API 密钥无效 / unknown API key")
        return found

    def example_keys(self) -> list[tuple[str, str]]:
        """(key, holder's name) of every published example key (:data:`EXAMPLE_KEYS`) this
        config accepts."""
        return [(k, self.keys[hash_key(k)][0]) for k in EXAMPLE_KEYS if hash_key(k) in self.keys]

    def sees_classified(self, role: Role) -> bool:
        return self.classified_network and role.classified

    @classmethod
    def from_dict(cls, data: dict | None, origin: str = "config") -> AccessConfig:
        data = data or {}
        if not isinstance(data, dict):
            raise AccessError(f"{origin}: 顶层应为映射 / the top level must be a mapping")
        keys: dict[str, tuple[str, Role]] = {}
        departments: dict[str, str] = {}
        for i, entry in enumerate(data.get("keys") or [], start=1):
            where = f"{origin}: keys[{i}]"
            if not isinstance(entry, dict):
                raise AccessError(f"{where}: 应为映射 / must be a mapping")
            role_name = entry.get("role")
            if role_name not in ROLES or role_name == "anonymous":
                raise AccessError(f"{where}: 未知角色 / unknown role {role_name!r}; use one of "
                                  + ", ".join(r for r in ROLES if r != "anonymous"))
            if entry.get("sha256"):
                digest = str(entry["sha256"]).strip().lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise AccessError(f"{where}: sha256 应为 64 位十六进制 / sha256 must be 64 "
                                      "hex digits")
            elif entry.get("key"):
                digest = hash_key(str(entry["key"]))
            else:
                raise AccessError(f"{where}: 需要 key 或 sha256 / needs key or sha256")
            if digest in keys:
                raise AccessError(f"{where}: 密钥重复 / duplicate key")
            keys[digest] = (str(entry.get("name") or f"key-{i}"), ROLES[role_name])
            if entry.get("department"):
                departments[keys[digest][0]] = str(entry["department"])
        lim = data.get("limits") or {}
        unknown = set(lim) - set(Limits.__dataclass_fields__)
        if unknown:
            raise AccessError(f"{origin}: 未知限制项 / unknown limits: {', '.join(sorted(unknown))}")
        try:
            limits = Limits(**{k: (float(v) if k == "max_seconds" else int(v))
                               for k, v in lim.items()})
        except (TypeError, ValueError) as e:
            raise AccessError(f"{origin}: limits 应为数字 / limits must be numbers ({e})") from None
        return cls(keys=keys, classified_network=bool(data.get("classified_network", False)),
                   anonymous=bool(data.get("anonymous", True)), limits=limits,
                   departments=departments)


def load_access(path: str | Path | None = None) -> AccessConfig:
    """Read the access config from ``path`` or ``$YISHU_ACCESS_CONFIG``; without either, only
    anonymous access with default limits."""
    path = path or os.environ.get(ACCESS_ENV)
    if not path:
        return AccessConfig()
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise AccessError(f"无法读取访问配置 / cannot read the access config {p}: {e}") from None
    except yaml.YAMLError as e:
        raise AccessError(f"访问配置不是有效的 YAML / the access config {p} is not valid YAML: "
                          f"{e}") from None
    return AccessConfig.from_dict(data, str(p))
