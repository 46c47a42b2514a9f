"""The shape of the package: folders that spell the flow, imports that go one way, small modules.

Every import counts: at module level, inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "generator"
MOST_LINES = 400
# Each module's layer: a module may import its own layer or a lower one, never a higher one.
# The flow (load → kinds → validate → link → pipeline → render) and its faces (pdf, exports, site, cli).
LAYERS = [
    ("generator.errors", "generator.settings", "generator.output", "generator.problems", "generator.workers", "generator.edition"),
    ("generator.load",),
    ("generator.kinds",),
    ("generator.validate",),
    ("generator.link",),
    ("generator.pipeline", "generator.editions"),
    ("generator.render",),
    ("generator.pdf", "generator.exports"),
    ("generator.site",),
    ("generator.cli", "generator.__main__", "generator"),
]
CORE = ("generator.load", "generator.kinds", "generator.validate", "generator.link", "generator.pipeline", "generator.render")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    assert best is not None, f"{module} is in no layer of tests/test_architecture.py: add it to LAYERS"
    return best[0]


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """Every module of the package that ``module`` imports, with the line, wherever the import is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for name in names:
            if name in MODULES and name != module:
                yield name, node.lineno


GRAPH = {module: sorted({name for name, _ in imports_of(module)}) for module in MODULES}


def test_no_import_goes_up_a_layer():
    upward = [
        f"{MODULES[module].relative_to(REPO_ROOT)}:{line}: {module} (layer {layer_of(module)}) imports {name} (layer {layer_of(name)})"
        for module in MODULES for name, line in imports_of(module) if layer_of(name) > layer_of(module)
    ]
    assert upward == []


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as the modules along it), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for name in graph[module]:
            if state.get(name) == 1:
                return [*path[path.index(name):], name]
            if name not in state and (found := visit(name)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in graph:
        if module not in state and (found := visit(module)):
            return found
    return None


def test_there_is_no_import_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": [], "c": ["a"]}) is None


def test_the_import_reader_sees_imports_in_functions_and_under_type_checking():
    assert "generator.problems" in GRAPH["generator.errors"]  # under TYPE_CHECKING


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_400_lines(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"{MODULES[module].relative_to(REPO_ROOT)} has {lines} lines; split it by job"


def test_the_core_knows_nothing_of_mkdocs():
    found = []
    for module, path in MODULES.items():
        if not module.startswith(CORE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{module} imports {name}" for name in names if name.split(".")[0] in ("mkdocs", "material")]
    assert found == []


def test_the_file_mkdocs_loads_is_the_plugin_and_is_under_100_lines():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["mkdocs.plugins"]["atlas"]
    module, _, name = target.partition(":")
    path = MODULES[module]
    assert f"class {name}(" in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("\n") < 100
    assert "hooks:" not in (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def environment_uses(path: Path) -> Iterator[tuple[int, str]]:
    """Where a module reads or writes the environment: ``os.environ``, ``os.getenv``, ``os.putenv``, ``os.unsetenv``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" and node.attr in (
            "environ", "getenv", "putenv", "unsetenv", "environb",
        ):
            yield node.lineno, f"os.{node.attr}"
        if isinstance(node, ast.ImportFrom) and node.module == "os" and any(a.name in ("environ", "getenv", "putenv") for a in node.names):
            yield node.lineno, "from os import ..."


def test_only_the_settings_module_reads_the_environment():
    readers = [f"{path.relative_to(REPO_ROOT)}:{line}: {what}" for module, path in MODULES.items() for line, what in environment_uses(path)]
    assert readers == ["generator/settings.py:" + str(line) + ": os.environ" for line, _ in environment_uses(MODULES["generator.settings"])]
    assert len(readers) == 1


def test_nothing_writes_the_environment():
    writes = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
            for target in targets:
                if isinstance(target, ast.Subscript) and "environ" in ast.unparse(target.value):
                    writes.append(f"{module}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("setdefault", "update", "pop", "putenv")
                and "environ" in ast.unparse(node.func.value)
            ):
                writes.append(f"{module}:{node.lineno}")
    assert writes == []
