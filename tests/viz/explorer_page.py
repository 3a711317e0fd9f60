"""Reading an explorer page: its embedded step data."""

from __future__ import annotations

import json
import re
from pathlib import Path


def embedded_data(path: Path) -> dict:
    match = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', path.read_text(), re.DOTALL)
    assert match, "no embedded step data"
    return json.loads(match.group(1))
