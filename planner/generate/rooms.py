"""Rooms: the existing machine rooms of an organisation, planned on its sites and sized
once its workloads are placed, and the candidate colocation halls of each area.

Existing rooms get racks at 30-70% utilisation today (a county's main room at
30-50% and at least 20 racks), power at 3.5-6 kW a rack of capacity and at most
75% used; cost GBP 40k + 5-9k a rack a year, clamped to GBP 60k-400k; closure GBP
20k-150k; 15% of them an ``earliest_close``. Candidate halls (about one an area)
sit on a new site of the area's lead council: 60-160 racks at 6-10 kW a rack,
accredited ``[psn]`` and, where the area has the partner, sometimes ``pasf`` or
``dspt`` too (with a link onto that network).
"""

from __future__ import annotations

import datetime as dt
import math

from planner.generate.catalogues import PROVIDERS
from planner.generate.geography import offset
from planner.generate.records import START, Area, Org, RoomPlan, Run, clamp
from planner.inventory.items import Room, Site


def plan_rooms(run: Run, org: Org, count: int, accreditations: list[str]) -> None:
    """Plan rooms: the first at the HQ, the others on the other sites in turn."""
    per_site: dict[str, int] = {}
    label = {"pasf": "PASF machine room", "dspt": "data centre"}.get(
        accreditations[0], "machine room"
    )
    for k in range(count):
        site = org.sites[k % len(org.sites)]
        per_site[site.id] = per_site.get(site.id, 0) + 1
        n = per_site[site.id]
        ident = run.unique_id(f"{site.id}-mr" if n == 1 else f"{site.id}-mr{n}")
        org.rooms.append(
            RoomPlan(
                ident,
                site.id,
                f"{site.name} {label}" + ("" if n == 1 else f" {n}"),
                list(accreditations),
                main=k == 0,
            )
        )


def finish_rooms(run: Run, org: Org) -> list[Room]:
    """The organisation's rooms, sized and costed for the workloads placed in them."""
    return [_sized(run, org, plan) for plan in org.rooms]


def _sized(run: Run, org: Org, plan: RoomPlan) -> Room:
    rng = run.rng
    county_main = plan.main and org.tier == "county"
    util = rng.uniform(0.3, 0.5) if county_main else rng.uniform(0.3, 0.7)
    racks = max(math.ceil(plan.racks / util), 20 if county_main else 2)
    power = math.ceil(racks * rng.uniform(3.5, 6.0))
    if plan.power > 0.75 * power:
        power = math.ceil(plan.power / rng.uniform(0.45, 0.7))
    annual = round(clamp(40000 + racks * rng.uniform(5000, 9000), 60000, 400000), -3)
    closure = round(clamp(15000 + racks * rng.uniform(2000, 4000), 20000, 150000), -3)
    extra: dict[str, object] = {}
    if rng.random() < 0.15:
        year = START.year + rng.randint(0, 3)
        extra["earliest_close"] = (
            dt.date(year, 9, 30) if rng.random() < 0.5 else dt.date(year + 1, 3, 31)
        )
    return Room.model_validate(
        {
            "id": plan.id,
            "site": plan.site,
            "name": plan.name,
            "racks": racks,
            "power_kw": power,
            "annual_cost": annual,
            "closure_cost": closure,
            "accreditations": plan.accreditations,
            "ops_fte": round(min(4.0, 0.5 + racks / 12), 1),
            **extra,
        }
    )


def candidate_rooms(run: Run, area: Area) -> list[Room]:
    """The area's colocation halls, each on a new site of the lead council (linked to it)."""
    rng = run.rng
    count = 1 if (area.index == 0 or rng.random() < 0.85) else 0
    if area.kind == "county" and rng.random() < 0.15:
        count += 1
    lead = area.lead
    out = []
    for k in range(count):
        provider = rng.choice(PROVIDERS)
        lat, lon = offset(lead.lat, lead.lon, rng.uniform(4, 12), rng.uniform(0, 2 * math.pi))
        site = Site(
            id=run.unique_id(f"{lead.id}-colo" + ("" if k == 0 else f"{k + 1}")),
            organisation=lead.id,
            name=f"{provider} hall near {lead.hq.name.split(', ')[-1]}",
            lat=round(lat, 4),
            lon=round(lon, 4),
        )
        lead.sites.append(site)
        run.link(lead.hq.id, site.id, "psn", round(rng.uniform(1, 3), 1), 10000)
        out.append(_hall(run, area, site, provider))
    return out


def _hall(run: Run, area: Area, site: Site, provider: str) -> Room:
    """A candidate hall: PSN, and the area's partner networks now and then (with a link)."""
    rng = run.rng
    accreditations = ["psn"]
    if area.police is not None and rng.random() < 0.3:
        accreditations.append("pasf")
        ms = round(rng.uniform(2, 5), 1)
        run.link(area.police.hq.id, site.id, "psnp", ms, 10000)
    if area.nhs is not None and rng.random() < 0.3:
        accreditations.append("dspt")
        ms = round(rng.uniform(2, 5), 1)
        run.link(area.nhs.hq.id, site.id, "hscn", ms, 10000)
    racks = rng.randint(12, 32) * 5
    return Room(
        id=run.unique_id(f"{site.id}-hall"),
        site=site.id,
        name=f"{provider} colocation hall",
        racks=racks,
        power_kw=math.ceil(racks * rng.uniform(6, 10)),
        annual_cost=round(clamp(90000 + racks * rng.uniform(1500, 2200), 60000, 400000), -3),
        closure_cost=0,
        accreditations=accreditations,
        status="candidate",
        open_cost=rng.randint(8, 50) * 5000,
    )
