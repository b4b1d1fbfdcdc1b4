"""The house: imports point downward only (ui/commands -> app -> platform -> core) and never in a
circle. Every import is walked, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quickreply"
# a layer may import itself and the layers after it in this order
ORDER = ["ui", "commands", "app", "platform", "core"]
ALLOWED = {
    "ui": {"ui", "app", "platform", "core"},
    "commands": {"commands", "app", "platform", "core", "ui"},  # ui only to launch the tray
    "app": {"app", "platform", "core"},
    "platform": {"platform", "core"},
    "core": {"core"},
    "top": {"top", "commands", "app", "core"},  # cli.py (launches the app), __main__.py
}
QT_OR_HOOKS = ("PySide6", "Xlib", "keyboard", "winreg", "ctypes")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ORDER) else "top"


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (imports there never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path, *, typing_only: bool = True) -> list[tuple[int, str]]:
    """Every (line, module) imported by `path`, inside functions too; `typing_only=False` leaves
    out the imports that only type checkers see."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set() if typing_only else _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_every_import_points_down_the_layers():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        layer = _layer(name)
        for line, imported in _imports(path):
            if not imported.startswith("quickreply.") or imported not in modules:
                continue
            if _layer(imported) not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    assert not wrong, "upward imports:\n" + "\n".join(wrong)


def test_core_imports_no_qt_and_no_os_hooks():
    wrong = []
    for name, path in _modules().items():
        if _layer(name) != "core":
            continue
        for line, imported in _imports(path):
            if imported.split(".")[0] in QT_OR_HOOKS:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    assert not wrong, "core must stay pure:\n" + "\n".join(wrong)


def test_module_imports_have_no_circle():
    modules = _modules()
    graph = {
        name: sorted(
            {imp for _, imp in _imports(path, typing_only=False) if imp in modules and imp != name}
        )
        for name, path in modules.items()
    }
    # a package's __init__ is not a real edge back to its children
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if nxt in packages:
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import circles:\n" + "\n".join(cycles)


def test_every_package_says_what_lives_there():
    missing = [
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("__init__.py")
        if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert not missing, f"packages without a docstring: {missing}"
