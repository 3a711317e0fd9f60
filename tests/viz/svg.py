"""Reading Graphviz's SVG with xml.etree: nodes, edges and clusters by their <title>."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element, kind: str) -> dict[str, list[str]]:
    """{title: [text lines]} for every <g class=kind> (node, edge or cluster)."""
    found = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == kind:
            title = g.find("svg:title", NS).text
            found[title] = ["".join(t.itertext()) for t in g.iter("{http://www.w3.org/2000/svg}text")]
    return found


def edge_count(root: ET.Element) -> int:
    return sum(1 for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge")
