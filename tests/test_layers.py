"""The package's layers: ``_core`` imports only itself, a ``_kpi`` family only the core (and its
own sub-modules), adapters anything; no module imports another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cskpi

PACKAGE = Path(cskpi.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import statement, at any depth."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rsplit(".", 1)[0]
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.extend((target, alias.name, node.lineno) for alias in node.names)
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] == "_core":
        return "core"
    if len(parts) >= 3 and parts[1] == "_kpi":
        return "kpi:" + parts[2]
    if len(parts) == 2 and parts[1] == "_kpi":
        return "kpi"
    return "adapter"


def _resolved(target: str, name: str | None) -> str:
    """The module an import reaches: ``from pkg import mod`` reaches ``pkg.mod`` when that is a module."""
    if name is not None and f"{target}.{name}" in MODULES:
        return f"{target}.{name}"
    return target


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers(module: str) -> None:
    layer = _layer(module)
    for target, name, line in _imports(module, MODULES[module]):
        if not target.startswith("cskpi"):
            continue
        reached = _layer(_resolved(target, name))
        where = f"{module} line {line} imports {target}{'.' + name if name else ''}"
        if layer == "core":
            assert reached == "core", f"the core imports only the core: {where}"
        elif layer.startswith("kpi"):
            assert reached == "core" or reached == layer, f"a family imports only the core: {where}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_cross_modules(module: str) -> None:
    for target, name, line in _imports(module, MODULES[module]):
        if not target.startswith("cskpi") or name is None:
            continue
        if f"{target}.{name}" in MODULES:  # a (private) module, not a private name inside one
            continue
        private = name.startswith("_") and not name.startswith("__")
        assert not private, f"{module} line {line} imports the private name {name} from {target}"


def test_every_family_module_is_checked() -> None:
    families = {m for m in MODULES if _layer(m).startswith("kpi:")}
    assert {"cskpi._kpi.survey", "cskpi._kpi.retention", "cskpi._kpi.queueing.staffing"} <= families
    assert all(_layer(m) == "core" for m in MODULES if m.startswith("cskpi._core"))
