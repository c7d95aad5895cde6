"""Reading the workbench's own source in tests that check what it says (message keys, event kinds)."""

import importlib
from pathlib import Path


def module_source(dotted: str) -> str:
    """The source of a module, or of every module in a package, as one string."""
    module = importlib.import_module(dotted)
    path = Path(module.__file__)
    if path.name == "__init__.py":
        return "".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.rglob("*.py")))
    return path.read_text(encoding="utf-8")
