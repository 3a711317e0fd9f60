"""The one shape of the self-contained HTML pages viz writes (the backward explorer, the training page).

A page needs nothing but a browser: its stylesheet and script (``<asset>.css``, ``<asset>.js``, next
to this file) are inlined, and its numbers travel as JSON in a ``<script type="application/json">``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

ASSETS = Path(__file__).resolve().parent


def self_contained_page(*, title: str, asset: str, body_class: str, body: str, data_id: str, data: dict) -> str:
    """An HTML page: ``<asset>.css`` in its head, ``body``, then ``data`` as JSON in the script element
    ``data_id`` (escaped so that no string in it can close the element) and ``<asset>.js``, which reads it."""
    payload = json.dumps(data, ensure_ascii=False, allow_nan=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
{(ASSETS / f"{asset}.css").read_text(encoding="utf-8")}
</style>
</head>
<body class="{html.escape(body_class)}">
{body}
<script type="application/json" id="{data_id}">{payload}</script>
<script>
{(ASSETS / f"{asset}.js").read_text(encoding="utf-8")}
</script>
</body>
</html>
"""
