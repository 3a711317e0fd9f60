"""Execute the tutorial notebooks with this Python's own kernel, in place or into a copy.

    python scripts/run_notebooks.py                 # every notebooks/*.ipynb, outputs written back
    python scripts/run_notebooks.py notebooks/03-why-cross-entropy.ipynb

``make notebooks`` runs the first form; ``tests/test_notebooks.py`` calls ``execute`` on a
temporary copy. The kernel is always ``sys.executable`` with ipykernel (the project's venv),
never a ``python3`` kernelspec found elsewhere on the machine.

A notebook carries no test plumbing: its numbers are stated in its markdown, and the tests
read what it computed from its variables. ``add_probe`` appends, to a temporary copy only, a
last cell that prints the values of expressions the test names (``probe``, as JSON);
``probed_values`` reads them back and ``unstated_numbers`` finds numbers the text lacks.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 120  # seconds per cell: a hang fails the run instead of blocking it


def notebook_paths() -> list[Path]:
    """Every tutorial notebook, in reading order (their names start with a number)."""
    return sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))


def execute(source: Path, target: Path | None = None, *, timeout: int = CELL_TIMEOUT) -> float:
    """Run every cell of ``source`` (working directory: its folder) and write the notebook with
    its outputs to ``target`` (default: ``source`` itself). Returns the seconds it took.

    Raises ``nbclient.exceptions.CellExecutionError`` naming the cell and the error when a
    cell fails, and ``nbclient.exceptions.CellTimeoutError`` when one runs past ``timeout``.
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from autograd_tiny.atomic import write_atomic

    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of an earlier run
    # No kernel directories: only ipykernel's native kernel, launched with sys.executable.
    kernel_manager = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(
        notebook,
        km=kernel_manager,
        timeout=timeout,
        resources={"metadata": {"path": str(source.parent)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no kernel start-up chatter on stderr
        record_timing=False,  # no timestamps in the committed files: a re-run changes only what changed
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    write_atomic(target or source, nbformat.writes(notebook) + "\n")
    return seconds


PROBE_TAG = "test-probe"  # the cell add_probe appends to a temporary copy; never in a committed notebook

PROBE_CODE = """\
import json as _json
import numbers as _numbers


def _plain(value):
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, _numbers.Integral):
        return int(value)
    if isinstance(value, _numbers.Real):
        return float(value)
    if hasattr(value, "tolist") and hasattr(value, "dtype"):
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    raise TypeError(f"the probe cannot print a {type(value).__name__}: name a number, string, list or dict")


print(_json.dumps({name: _plain(eval(expression)) for name, expression in %r.items()}))
"""


def add_probe(notebook_path: Path, expressions: dict[str, str]) -> None:
    """Append to the notebook (a temporary copy) a cell that prints ``{name: value}`` as JSON,
    each value the result of evaluating ``expressions[name]`` in the notebook's namespace after
    every other cell ran. ``probed_values`` reads them back from the executed notebook."""
    import nbformat
    from nbformat.v4 import new_code_cell

    notebook = nbformat.read(notebook_path, as_version=4)
    cell = new_code_cell(PROBE_CODE % (expressions,))
    cell.metadata["tags"] = [PROBE_TAG]
    notebook.cells.append(cell)
    nbformat.write(notebook, notebook_path)


def probed_values(notebook_path: Path) -> dict:
    """The values printed by the cell ``add_probe`` appended, after the notebook was executed."""
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if PROBE_TAG in cell.get("metadata", {}).get("tags", []):
            text = "".join(out.get("text", "") for out in cell.get("outputs", []) if out.output_type == "stream")
            if not text:
                raise ValueError(f"{notebook_path.name}: the probe cell has no printed output (was it executed?)")
            return json.loads(text)
    raise ValueError(f"{notebook_path.name}: no probe cell (add_probe appends one to a copy before executing)")


def unstated_numbers(notebook_path: Path, stated: dict[str, str]) -> dict[str, str]:
    """The entries of ``stated`` (name: a number written as the text writes it) that the
    notebook's markdown does not contain, each looked for as a whole number: "0.09" does not
    match inside "0.095" or "10.09"."""
    text = markdown_text(notebook_path)
    return {
        name: value for name, value in stated.items() if not re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text)
    }


def markdown_text(notebook_path: Path) -> str:
    """All markdown cells of a notebook, joined."""
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute tutorial notebooks in place with this Python's kernel.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/[0-9]*.ipynb")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or notebook_paths()
    if not paths:
        print(f"no notebooks in {NOTEBOOKS}", file=sys.stderr)
        return 1
    for path in paths:
        if not path.is_file():
            print(f"no such notebook: {path}", file=sys.stderr)
            return 1
        seconds = execute(path.resolve(), timeout=args.timeout)
        print(f"{path.name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
