"""The direction of imports, read from the source: engine ← nn ← viz ← cli, one folder each.

The engine (everything under ``autograd_tiny/``) never imports ``nn``, ``viz`` or the CLI;
``nn`` uses the engine only through its public API; ``viz`` imports ``nn`` for type hints only
(under ``if TYPE_CHECKING:``), never at run time; ``cli/`` may import every layer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each layer is a folder: the engine with its subpackages (batched/, micrograd/), then nn/, viz/, cli/.
ENGINE = sorted((ROOT / "autograd_tiny").rglob("*.py"))
NN = sorted((ROOT / "nn").glob("*.py"))
VIZ = sorted((ROOT / "viz").glob("*.py"))
CLI = sorted((ROOT / "cli").glob("*.py"))
PACKAGE_OF = {ROOT / "autograd_tiny": "autograd_tiny", ROOT / "cli": "autograd_tiny.cli",
              ROOT / "autograd_tiny" / "batched": "autograd_tiny.batched",
              ROOT / "autograd_tiny" / "micrograd": "autograd_tiny.micrograd",
              ROOT / "nn": "autograd_tiny.nn", ROOT / "viz": "autograd_tiny.viz"}  # fmt: skip
# What nn and viz may import from the engine: the package itself and its public utility modules.
ENGINE_PUBLIC = {"autograd_tiny", "autograd_tiny.atomic", "autograd_tiny.arrays", "autograd_tiny.comparison",
                 "autograd_tiny.roles", "autograd_tiny.table"}  # fmt: skip


def imports(path: Path, *, runtime_only: bool = False, module_level: bool = False) -> list[tuple[str, int]]:
    """Every module ``path`` imports, as absolute dotted names, with its line; ``from . import x``
    counts as importing ``package.x``. ``runtime_only`` skips ``if TYPE_CHECKING:`` blocks;
    ``module_level`` keeps only the imports run when the module is loaded (not inside functions)."""
    package = PACKAGE_OF[path.parent]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    found = []
    for node in tree.body if module_level else ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def dotted(path: Path) -> str:
    package = PACKAGE_OF[path.parent]
    return package if path.name == "__init__.py" else f"{package}.{path.stem}"


CORE_LIMIT = 650  # lines, docstrings included: the engine a reader holds in one sitting (issue 19)


def core() -> dict[Path, int]:
    """``value.py`` and every engine module it imports at module level, transitively: path → lines
    (the package's ``__init__`` aside: Python runs it anyway). As ``../shared/tools/core_size.py`` counts."""
    engine = {dotted(path): path for path in ENGINE if path.name != "__init__.py"}
    seen: set[Path] = set()
    stack = [ROOT / "autograd_tiny" / "value.py"]
    while stack:
        path = stack.pop()
        if path not in seen:
            seen.add(path)
            stack += [engine[name] for name, _ in imports(path, module_level=True) if name in engine]
    return {path: len(path.read_text(encoding="utf-8").splitlines()) for path in seen}


def test_the_core_fits_in_one_sitting_and_architecture_md_counts_it():
    sizes = core()
    assert sum(sizes.values()) <= CORE_LIMIT, {path.name: n for path, n in sizes.items()}
    table = (ROOT / "ARCHITECTURE.md").read_text()
    rows = re.findall(r"^\| `(autograd_tiny/[\w/]+\.py)` \| (\d+) \|", table, re.M)
    assert {file: int(n) for file, n in rows} == {str(path.relative_to(ROOT)): n for path, n in sizes.items()}
    assert re.search(r"^\| total \| (\d+) \|", table, re.M)[1] == str(sum(sizes.values()))


def test_each_layer_is_a_folder_holding_its_own_modules():
    """The lists the checks below run over are the folders, and each holds what its layer is for."""
    names = {layer: {p.relative_to(ROOT).as_posix() for p in paths} for layer, paths in
             {"engine": ENGINE, "nn": NN, "viz": VIZ, "cli": CLI}.items()}  # fmt: skip
    assert {"autograd_tiny/value.py", "autograd_tiny/rules.py", "autograd_tiny/backward.py",
            "autograd_tiny/batched/record.py", "autograd_tiny/micrograd/engine.py"} <= names["engine"]  # fmt: skip
    assert {"nn/module.py", "nn/backprop.py", "nn/losses.py"} <= names["nn"]
    assert {"viz/graph_drawing.py", "viz/network.py", "viz/explorer.py"} <= names["viz"]
    assert {"cli/main.py", "cli/demo.py", "cli/draw.py", "cli/selfcheck.py"} <= names["cli"]
    assert not any(path.startswith("autograd_tiny/cli") for path in names["engine"])  # the CLI left the engine


def test_every_python_package_folder_is_one_layer():
    """A new package folder must be placed in a layer (and so be checked) before it can land."""
    packages = {
        p.parent
        for p in ROOT.rglob("__init__.py")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts) and "tests" not in p.parts
    }
    assert packages == set(PACKAGE_OF), sorted(str(p.relative_to(ROOT)) for p in packages ^ set(PACKAGE_OF))


def test_module_names_are_unique_across_the_layers():
    """No two modules share a name (two graph.py doing different things confuse a reader)."""
    stems = [p.stem for p in ENGINE + NN + VIZ + CLI if p.stem != "__init__"]
    assert sorted({s for s in stems if stems.count(s) > 1}) == []


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_engine_never_imports_nn_viz_or_the_cli(path):
    upper = ("autograd_tiny.nn", "autograd_tiny.viz", "autograd_tiny.cli")
    wrong = [(name, line) for name, line in imports(path) if any(within(name, p) for p in upper)]
    assert not wrong, f"{path.name} imports {wrong}: the engine must not depend on the layers above it"


@pytest.mark.parametrize("path", NN, ids=lambda p: p.name)
def test_nn_imports_only_the_engines_public_api(path):
    wrong = []
    for name, line in imports(path):
        if within(name, "autograd_tiny.nn") or not within(name, "autograd_tiny"):
            continue
        module = name if name in ENGINE_PUBLIC else name.rpartition(".")[0]  # `from autograd_tiny import Value`
        if module not in ENGINE_PUBLIC:
            wrong.append((name, line))
    assert not wrong, f"nn/{path.name} reaches into the engine's private modules: {wrong}"


@pytest.mark.parametrize("path", VIZ, ids=lambda p: p.name)
def test_viz_imports_nn_for_types_only_and_never_the_cli(path):
    wrong = [
        (name, line)
        for name, line in imports(path, runtime_only=True)
        if within(name, "autograd_tiny.nn") or within(name, "autograd_tiny.cli")
    ]
    assert not wrong, f"viz/{path.name} imports {wrong} at run time: viz may import nn under TYPE_CHECKING only"


def test_the_guard_sees_relative_and_absolute_imports(tmp_path, monkeypatch):
    """The check itself must be able to fail: each way of writing an upward import is caught."""
    monkeypatch.setitem(PACKAGE_OF, tmp_path, "autograd_tiny")
    probe = tmp_path / "probe.py"
    for source in (
        "from .nn import MLP",
        "from . import viz",
        "import autograd_tiny.cli",
        "from .cli.main import main",
    ):
        probe.write_text(source + "\n", encoding="utf-8")
        with pytest.raises(AssertionError):
            test_the_engine_never_imports_nn_viz_or_the_cli(probe)
    probe.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from autograd_tiny.nn import MLP\n")
    monkeypatch.setitem(PACKAGE_OF, tmp_path, "autograd_tiny.viz")
    test_viz_imports_nn_for_types_only_and_never_the_cli(probe)
    probe.write_text("from autograd_tiny.nn import MLP\n")
    with pytest.raises(AssertionError):
        test_viz_imports_nn_for_types_only_and_never_the_cli(probe)
