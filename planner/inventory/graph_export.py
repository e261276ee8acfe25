"""Export the estate graph as GraphML, Graphviz DOT or JSON (node-link)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import networkx as nx

Format = Literal["graphml", "dot", "json"]


def _dot_quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


_SHAPES = {
    "organisation": "house",
    "site": "ellipse",
    "room": "box3d",
    "desk": "component",
    "workload": "box",
}


def to_dot(g: nx.MultiGraph) -> str:
    """Graphviz DOT text: one node per item, shaped by kind; edges labelled by kind."""
    lines = [f"graph {_dot_quote(g.graph.get('name', 'estate'))} {{", "  overlap=false;"]
    for n, data in g.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None}
        label = data.get("name") or data.get("id")
        attrs_text = ", ".join(f"{k}={_dot_quote(v)}" for k, v in attrs.items())
        lines.append(
            f"  {_dot_quote(n)} [label={_dot_quote(label)}, "
            f"shape={_SHAPES.get(data.get('kind', ''), 'ellipse')}, {attrs_text}];"
        )
    for u, v, data in g.edges(data=True):
        attrs_text = ", ".join(f"{k}={_dot_quote(val)}" for k, val in data.items())
        lines.append(f"  {_dot_quote(u)} -- {_dot_quote(v)} [{attrs_text}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export(g: nx.MultiGraph, fmt: Format, out: Path) -> None:
    """Write the graph to ``out`` in ``fmt``."""
    if fmt == "graphml":
        clean = nx.MultiGraph(name=str(g.graph.get("name", "")))
        for n, data in g.nodes(data=True):
            clean.add_node(n, **{k: v for k, v in data.items() if v is not None})
        for u, v, data in g.edges(data=True):
            clean.add_edge(u, v, **{k: v for k, v in data.items() if v is not None})
        nx.write_graphml(clean, out)
    elif fmt == "dot":
        out.write_text(to_dot(g))
    else:
        data = nx.node_link_data(g, edges="edges")
        out.write_text(json.dumps(data, indent=1, sort_keys=True, default=str) + "\n")
