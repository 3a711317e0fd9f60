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


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    """The one element with that id (Graphviz writes node, edge and table-cell ids)."""
    found = [e for e in root.iter() if e.get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def text_of(element: ET.Element) -> str:
    return "".join(element.find(".//svg:text", NS).itertext())


def fill_of(element: ET.Element) -> str:
    """The fill of the first filled shape in the group (a node's box or circle)."""
    shapes = [e for e in element.iter() if e.tag.rpartition("}")[2] in ("polygon", "path", "ellipse")]
    return next(e.get("fill") for e in shapes if e.get("fill") not in (None, "none"))


def tooltip_of(element: ET.Element) -> str:
    """The tooltip of a node (Graphviz writes it as the title of the link around the node)."""
    return element.find(".//svg:a", NS).get("{http://www.w3.org/1999/xlink}title")
