"""Staff impact: desk FTE and room ops FTE before and after, per organisation and site.

Posts of an organisation = FTE of the desks on its sites + ``ops_fte`` of the
open rooms on its sites. Desk work that moves to another partner's desk is a
transfer, counted in FTE-equivalents at the receiving desk (tickets /
tickets_per_fte). The rest balances (docs/plan-format.md, "Staff accounting"):

    after = before - transfer_out + transfer_in - removed + added
    stay_local = before - transfer_out - removed
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.plan.timeline import Timeline


def staff(tl: Timeline) -> dict[str, Any]:
    inv, target = tl.inv, tl.target
    site_org = {s.id: s.organisation for s in inv.sites}
    desk_site = {d.id: d.site for d in inv.service_desks}
    by_site: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for d in inv.service_desks:
        by_site[d.site]["desk_fte_before"] += tl.desk_fte_before[d.id]
        if d.id in tl.open_desks:
            by_site[d.site]["desk_fte_after"] += tl.desk_fte_after[d.id]
    for r in inv.rooms:
        if r.status == "existing":
            by_site[r.site]["ops_fte_before"] += r.ops_fte
        if r.id in target.open_rooms:
            by_site[r.site]["ops_fte_after"] += r.ops_fte

    transfer_out: dict[str, float] = defaultdict(float)
    transfer_in: dict[str, float] = defaultdict(float)
    for o in inv.organisations:
        old, new = o.desk, target.desk_of[o.id]
        giver, taker = site_org[desk_site[old]], site_org[desk_site[new]]
        if giver != taker and o.tickets_per_year > 0:
            fte = o.tickets_per_year / inv.desk[new].tickets_per_fte
            transfer_out[giver] += fte
            transfer_in[taker] += fte

    keys = ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after")
    org_rows = []
    for o in inv.organisations:
        row: dict[str, Any] = {"id": o.id}
        for key in keys:
            row[key] = _num(sum(by_site[s.id][key] for s in inv.sites if s.organisation == o.id))
        before = row["desk_fte_before"] + row["ops_fte_before"]
        after = row["desk_fte_after"] + row["ops_fte_after"]
        out_, in_ = transfer_out[o.id], transfer_in[o.id]
        net = after - before + out_ - in_
        removed, added = (-net, 0.0) if net < 0 else (0.0, net)
        row.update(
            {
                "transfer_out": out_,
                "transfer_in": in_,
                "removed": removed,
                "added": added,
                "stay_local": before - out_ - removed,
            }
        )
        org_rows.append(row)
    site_rows = [
        {
            "site": s.id,
            "organisation": s.organisation,
            **{key: _num(by_site[s.id][key]) for key in keys},
        }
        for s in inv.sites
        if any(by_site[s.id][key] for key in keys)
    ]
    totals = {key: _num(sum(by_site[s][key] for s in list(by_site))) for key in keys}
    return {**totals, "by_organisation": org_rows, "by_site": site_rows}


def _num(value: float) -> float | int:
    """Whole numbers as int (FTE of desks are whole); others as computed."""
    return round(value) if abs(value - round(value)) < 1e-9 else value
