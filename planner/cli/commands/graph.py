"""`planner graph ESTATE_DIR`: summarise the estate graph or export it."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from planner.cli.app import app
from planner.cli.common import console, fail, load_valid_estate
from planner.inventory.graph import EstateGraph
from planner.inventory.graph_export import export


@app.command()
def graph(
    estate_dir: Path = typer.Argument(..., help="Estate directory."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="Export format: graphml, dot or json (needs --out)."
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to export the graph to."),
) -> None:
    """Summarise the estate as a graph, or export it (GraphML, DOT, JSON).

    The summary gives counts per kind, zone and organisation, the connected components
    of each network, dependency groups, and user sites that cannot reach today's room.

    Examples:
      planner graph inventories/cheshire
      planner graph inventories/cheshire --format graphml --out cheshire.graphml
    """
    if (fmt is None) != (out is None):
        fail("--format and --out go together, e.g. --format dot --out estate.dot")
    if fmt is not None and fmt not in ("graphml", "dot", "json"):
        fail(f"--format must be graphml, dot or json, not '{fmt}'")
    loaded = load_valid_estate(estate_dir, quiet=True)
    eg = EstateGraph(loaded.inventory)
    if fmt is not None and out is not None:
        try:
            export(eg.g, fmt, out)  # type: ignore[arg-type]
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(
            f"wrote {out} ({eg.g.number_of_nodes()} nodes, {eg.g.number_of_edges()} edges, {fmt})",
            markup=False,
        )
        return
    print_summary(eg)


def print_summary(eg: EstateGraph) -> None:
    inv = eg.inventory
    console.print(
        f"[bold]{escape(inv.estate.name)}[/]: {eg.g.number_of_nodes()} nodes, "
        f"{eg.g.number_of_edges()} edges"
    )
    kinds = eg.kind_counts()
    edges = eg.edge_counts()
    console.print("nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    console.print("edges: " + ", ".join(f"{k} {v}" for k, v in sorted(edges.items())))

    per_zone = Table(title="Per zone", show_lines=False)
    for col in ("zone", "workloads", "racks", "kW", "networks", "rooms accredited"):
        per_zone.add_column(col, justify="right" if col not in ("zone", "networks") else "left")
    zone_wl: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for w in inv.workloads:
        acc = zone_wl[w.zone]
        acc[0] += 1
        acc[1] += w.racks
        acc[2] += w.power_kw
    for z in inv.zones:
        n, racks, kw = zone_wl[z.id]
        accredited = sum(1 for r in inv.rooms if set(z.requires) <= set(r.accreditations))
        per_zone.add_row(
            escape(z.id),
            f"{n:g}",
            f"{racks:g}",
            f"{kw:g}",
            escape(", ".join(z.networks)),
            str(accredited),
        )
    console.print(per_zone)

    per_org = Table(title="Per organisation")
    for col in ("organisation", "kind", "sites", "rooms", "desks", "workloads", "tickets/yr"):
        per_org.add_column(col, justify="left" if col in ("organisation", "kind") else "right")
    site_org = {s.id: s.organisation for s in inv.sites}
    for o in inv.organisations:
        per_org.add_row(
            escape(o.id),
            o.kind,
            str(sum(1 for s in inv.sites if s.organisation == o.id)),
            str(sum(1 for r in inv.rooms if site_org.get(r.site) == o.id)),
            str(sum(1 for d in inv.service_desks if site_org.get(d.site) == o.id)),
            str(sum(1 for w in inv.workloads if w.organisation == o.id)),
            f"{o.tickets_per_year:,}",
        )
    console.print(per_org)

    console.print("[bold]Network components[/] (sites connected by each network's links)")
    for net, comps in eg.network_components().items():
        sizes = ", ".join(str(len(c)) for c in comps) or "no links"
        console.print(f"  {net}: {len(comps)} component(s) of sizes {sizes}", markup=False)
    groups = eg.dependency_groups
    console.print(
        f"dependency groups: {len(groups)}"
        + (f" (largest {len(groups[0])} workloads)" if groups else "")
    )
    unreachable = eg.unreachable_pairs()
    console.print(f"unreachable (user site -> today's room) pairs: {len(unreachable)}")
    for zone, wl, user, site in unreachable[:10]:
        console.print(f"  zone {zone}: {wl} used from {user}, hosted at {site}", markup=False)
