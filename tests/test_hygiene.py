"""Hygiene held by a test (issue 9 item 5): safety checks raise (an ``assert`` vanishes under
``python -O``); a module's ``__all__`` names what other modules import from it; no package reaches
into another package's private members; tests share helpers through plain modules, never by
importing a conftest or loading a file by path."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ontology", "graph", "loaders", "shapes", "api", "yishu")


@cache
def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in sorted((ROOT / pkg).rglob("*.py")):
            name = ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            out[name] = p
    return out


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _all(path: Path) -> list[str] | None:
    for node in tree(path).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [e.value for e in node.value.elts]  # type: ignore[attr-defined]
    return None


@cache
def _imports() -> list[tuple[str, str, str, int]]:
    """(importing module, imported module, name, line) of every ``from m import name`` between
    the project's modules."""
    mods = modules()
    out = []
    for name, path in mods.items():
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in mods:
                out += [(name, node.module, a.name, node.lineno) for a in node.names
                        if f"{node.module}.{a.name}" not in mods]
    return out


def test_no_assert_in_the_packages() -> None:
    found = [f"{p.relative_to(ROOT)}:{n.lineno}" for p in modules().values()
             for n in ast.walk(tree(p)) if isinstance(n, ast.Assert)]
    assert found == [], "raise instead of assert (python -O drops asserts)"


def test_all_names_what_other_modules_import() -> None:
    mods = modules()
    missing = sorted({f"{src}: {name} (imported by {by}:{line})"
                      for by, src, name, line in _imports()
                      if not name.startswith("_") and (_all(mods[src]) or [name]).count(name) == 0})
    assert missing == []
    imported_from = {src for _, src, _, _ in _imports()}
    for name, path in mods.items():  # a module that others import from declares its __all__
        if name in imported_from and path.name != "__init__.py":
            assert _all(path) is not None, name


def test_no_private_member_across_packages() -> None:
    """A name starting with ``_`` is imported only within its own package."""
    crossing = sorted(f"{by}:{line} imports {src}.{name}" for by, src, name, line in _imports()
                      if name.startswith("_") and by.split(".")[0] != src.split(".")[0])
    assert crossing == []


def test_tests_share_helpers_through_plain_modules() -> None:
    bad = []
    for path in sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("conftest"):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
            for name in _imported_modules(path, node):
                if name.rsplit(".", 1)[-1].startswith("test_"):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports the test module "
                               f"{name} (share through a plain module)")
        for how in ("spec_from_file_location", "run_path(", "SourceFileLoader"):
            if how in text:
                bad.append(f"{path.relative_to(ROOT)} loads a file by path ({how})")
    assert bad == []


def _imported_modules(path: Path, node: ast.AST) -> list[str]:
    """The dotted names of the modules ``node`` imports (``from . import x`` may import the module
    ``x``), relative imports resolved against ``path``'s package."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = list(path.relative_to(ROOT).parent.parts)
        base = ".".join(package[:len(package) - node.level + 1])
        module = f"{base}.{node.module}" if node.module else base
    else:
        module = node.module or ""
    return [module, *(f"{module}.{a.name}" for a in node.names)]


def test_a_test_importing_a_test_module_is_caught() -> None:
    """The check above sees every way of naming a test module."""
    here = ROOT / "tests" / "audit" / "x.py"
    for code in ("from .test_rules import CASES", "from tests.audit.test_rules import CASES",
                 "from tests.audit import test_rules", "import tests.audit.test_rules",
                 "from . import test_rules"):
        (node,) = ast.parse(code).body
        assert "tests.audit.test_rules" in _imported_modules(here, node), code
    (node,) = ast.parse("from .rule_cases import CASES").body
    assert not any(n.rsplit(".", 1)[-1].startswith("test_") for n in _imported_modules(here, node))


def test_every_package_is_installed() -> None:
    """A plain ``pip install .`` carries every package of the project (setuptools lists them)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for pkg in PACKAGES
             for p in (ROOT / pkg).rglob("__init__.py")}
    assert found - listed == set()


# a module of the packages stays readable: one concern, at most ~400 lines (issue 9); pure data
# tables may be longer and are named here
MAX_LINES = 400
DATA_TABLES: frozenset[str] = frozenset()


def test_no_module_over_400_lines() -> None:
    long = sorted(f"{p.relative_to(ROOT)}: {n} lines" for p in modules().values()
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
                  and p.relative_to(ROOT).as_posix() not in DATA_TABLES)
    assert long == [], "split it along a seam (docs/architecture.md)"
