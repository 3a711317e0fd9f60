"""Every ```python block in the README runs on its own, as a reader would paste it, in a fresh
namespace (a block whose first line is ``# …continued`` runs on in the namespace of the block
above it): the README cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 3


def test_readme_python_blocks_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    namespace: dict = {}
    for i, block in enumerate(python_blocks()):
        if not block.startswith("# …continued"):
            namespace = {"__name__": "__readme__"}
        exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "gradcheck passed" in printed
    assert "operation 'log' gave -inf" in printed


def test_readme_command_line_examples_run(tmp_path):
    import shlex
    import shutil
    import subprocess
    import sys

    exe = shutil.which("autograd-tiny", path=str(Path(sys.executable).parent))
    shell_blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    commands = [line for block in shell_blocks for line in block.splitlines() if line.startswith("autograd-tiny ")]
    assert commands, "the README shows no autograd-tiny command"
    for line in commands:
        args = shlex.split(line)
        result = subprocess.run([exe, *args[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (line, result.stderr)
