"""The shape of the house (docs/ARCHITECTURE.md): three parts on a small core, and every link
between modules visible as a plain import.

- ``workbench/`` never imports streamlit or ``pages``;
- the tracker imports nothing from the sandbox or from learning, and the sandbox nothing from
  learning or the tracker;
- ``learning/to_tracker`` is the one module of the parts that imports both the sandbox's side
  and the tracker's;
- the province (issue 16) imports only the core: the package format is ``weekly_package``, the
  commune's side of it ``tracker/package``, and neither end imports the other;
- the core imports no part (``cli`` and ``databases`` sit above them all, by design);
- nothing imports by name or skips what fails to import;
- every module with tables or event kinds is in the registry (``databases.py``).
"""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

import workbench
from workbench import databases
from tests.conftest import ROOT

WORKBENCH = ROOT / "workbench"
PARTS = ("sandbox", "learning", "tracker", "province")
ABOVE_THE_PARTS = {"workbench.cli", "workbench.databases", "workbench.__main__"}
CROSSING = "workbench.learning.to_tracker"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(WORKBENCH.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, as dotted names."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES}
    return found


def part_of(name: str) -> str | None:
    pieces = name.split(".")
    return pieces[1] if len(pieces) > 2 and pieces[1] in PARTS else None


def test_the_workbench_never_imports_streamlit_or_the_pages():
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items() for imported in imports_of(path)
                       if imported.split(".")[0] in ("streamlit", "pages"))
    assert offenders == []


def test_the_workbench_does_not_know_where_the_pages_live():
    offenders = [name for name, path in MODULES.items() if '"pages/' in path.read_text(encoding="utf-8")
                 or "'pages/" in path.read_text(encoding="utf-8") or '/ "pages"' in path.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize("part, never", [("tracker", {"sandbox", "learning", "province"}),
                                         ("sandbox", {"learning", "tracker", "province"}),
                                         ("province", {"sandbox", "learning", "tracker"})])
def test_a_part_imports_nothing_from_the_parts_it_must_not_know(part, never):
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items() if part_of(name) == part
                       for imported in imports_of(path) if part_of(imported) in never)
    assert offenders == []


def test_to_tracker_is_the_one_crossing_from_the_sandbox_into_the_tracker():
    crossing = []
    for name, path in MODULES.items():
        if name in ABOVE_THE_PARTS:
            continue
        reached = {part_of(imported) for imported in imports_of(path)} | {part_of(name)}
        if "tracker" in reached and reached & {"sandbox", "learning"}:
            crossing.append(name)
    assert crossing == [CROSSING]


def test_the_core_imports_no_part():
    offenders = sorted(f"{name} imports {imported}" for name, path in MODULES.items()
                       if part_of(name) is None and name not in ABOVE_THE_PARTS
                       for imported in imports_of(path) if part_of(imported))
    assert offenders == []


def test_nothing_is_imported_by_name_or_skipped_when_it_fails():
    offenders = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                if caught & {"ImportError", "ModuleNotFoundError"}:
                    offenders.append(f"{name}:{node.lineno} catches {caught}")
        if "importlib" in imports_of(path) or "import_module" in path.read_text(encoding="utf-8"):
            offenders.append(f"{name} imports by name")
    assert offenders == []


def every_module():
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(workbench.__path__, "workbench.") if info.name != "workbench.__main__"]


def test_every_module_with_tables_is_in_the_registry():
    registered = {id(s) for s in databases.SANDBOX_MIGRATIONS + databases.TRACKER_MIGRATIONS + databases.PROVINCE_MIGRATIONS}
    with_tables = [m.__name__ for m in every_module() if isinstance(getattr(m, "migrations", None), Migrations)]
    assert len(with_tables) >= len(databases.SANDBOX_MIGRATIONS) + len(databases.TRACKER_MIGRATIONS)
    assert [name for name in with_tables if id(importlib.import_module(name).migrations) not in registered] == []


def test_every_module_with_event_kinds_is_in_the_registry():
    sources = {m.__name__ for m in databases.EVENT_SOURCES}
    declaring = {m.__name__ for m in every_module() if "EVENT_KINDS" in vars(m)}
    assert declaring - sources == set()
    assert len(databases.event_kinds()) > 100


def test_the_registry_fails_loudly_on_a_misspelt_module(monkeypatch):
    """A misspelt entry is an import of a module that does not exist: it stops the import of
    the registry with the module's name, instead of opening a sandbox without its tables."""
    import sys

    source = (WORKBENCH / "databases.py").read_text(encoding="utf-8").replace("health_book,", "health_bok,", 1)
    monkeypatch.delitem(sys.modules, "workbench.databases", raising=False)
    with pytest.raises(ImportError, match="health_bok"):
        exec(compile(source, "databases.py", "exec"), {"__name__": "workbench.databases_misspelt"})


def test_no_module_of_the_workbench_is_over_600_lines():
    """A module over 600 lines does more than one job: split it along its own sections."""
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
