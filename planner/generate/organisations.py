"""Organisations: the councils of an area and its police and NHS partners, with their sites
and rooms, then (once their workloads are known) their service desks.

* **Councils.** 1-3 sites (HQ plus depot/area office, 3-10 km from the HQ and at
  least 3 km apart, so any two sites of a council satisfy ``dr_min_distance_km =
  2``), 1-3 existing machine rooms accredited ``[psn]``, one service desk.
* **Partners.** A police force (zone ``police``, network ``psnp``) with 2-3 sites,
  1-2 PASF rooms and a desk vetted ``[npv3]``; an NHS body (zone ``nhs``, network
  ``hscn``) with 2-3 sites, 1-2 DSPT rooms and its own desk. The first area always
  has both; other areas have a police force with probability 0.85 (county) or 0.2
  (unitary) and an NHS body with 0.6 or 0.25.
* **Desks.** Tickets 6k-25k a year (districts), 20k-60k (unitaries), 30k-70k
  (counties), 15k-45k (police), 20k-60k (NHS); 3,000-6,400 tickets per FTE; seats
  1.3-1.8x the FTE needed (1.5-2.5x at lead councils, so a consolidated desk has
  room to grow); fixed cost GBP 20k-80k, GBP 33k-40k per FTE, closure GBP 20k-60k.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from planner.generate.catalogues import DISTRICT_PREFIXES
from planner.generate.geography import offset, xy_latlon
from planner.generate.records import Area, Org, Run, Tier, slug
from planner.generate.rooms import plan_rooms
from planner.inventory.items import Organisation, OrganisationKind, ServiceDesk, Site


def add_organisations(run: Run, area: Area) -> None:
    """The area's councils (a county and its districts, or a unitary) and partners."""
    rng = run.rng
    lat_c, lon_c = xy_latlon(area.x, area.y)
    town = run.town()
    if area.kind == "county":
        _add_county(run, area, lat_c, lon_c, town)
    else:
        area.councils.append(_council(run, "unitary", lat_c, lon_c, town))
    police_p, nhs_p = (0.85, 0.6) if area.kind == "county" else (0.2, 0.25)
    if area.index == 0 or rng.random() < police_p:
        area.police = _partner(run, area, "police")
    if area.index == 0 or rng.random() < nhs_p:
        area.nhs = _partner(run, area, "nhs")


def _add_county(run: Run, area: Area, lat_c: float, lon_c: float, town: str) -> None:
    """The county near the area's centre, its districts around it."""
    rng = run.rng
    county_at = offset(
        lat_c, lon_c, rng.uniform(0, 0.3) * area.radius_km, rng.uniform(0, 2 * math.pi)
    )
    area.councils.append(_council(run, "county", *county_at, town))
    first = rng.uniform(0, 2 * math.pi)
    for k in range(area.n_councils - 1):
        bearing = first + 2 * math.pi * k / (area.n_councils - 1) + rng.uniform(-0.3, 0.3)
        dist = rng.uniform(0.45, 1.0) * area.radius_km
        name = run.town()
        if rng.random() < 0.2:
            name = rng.choice(DISTRICT_PREFIXES) + name
        area.councils.append(_council(run, "district", *offset(lat_c, lon_c, dist, bearing), name))


def _council(run: Run, tier: Tier, lat: float, lon: float, town: str) -> Org:
    rng = run.rng
    if tier == "county":
        county = town if town.endswith("shire") else f"{town}shire"
        name, ident = f"{county} County Council", slug(county)
        tickets = rng.randint(30, 70) * 1000
        site_kinds = [("county-hall", f"County Hall, {town}")]
        extra = [("depot", f"{county} Highways Depot"), ("records", f"{county} Records Centre")]
    elif tier == "district":
        style = rng.choice(("District Council", "Borough Council", "District Council"))
        name, ident = f"{town} {style}", slug(town)
        tickets = rng.randint(6, 25) * 1000
        hq = rng.choice(("Civic Centre", "Council House", "Guildhall", "Council Offices"))
        site_kinds = [("civic", f"{town} {hq}")]
        extra = [("depot", f"{town} Depot"), ("office", f"{town} Area Office")]
    else:
        style = rng.choice(("Council", "City Council", "Borough Council"))
        name, ident = f"{town} {style}", slug(town)
        tickets = rng.randint(20, 60) * 1000
        site_kinds = [("civic", f"{town} Civic Centre")]
        extra = [("depot", f"{town} Depot"), ("office", f"{town} Customer Service Centre")]
    n_sites = rng.choices((1, 2, 3), (25, 45, 30))[0]
    kind: OrganisationKind = tier
    org = Org(run.unique_id(ident), name, kind, tier, "official", "wan", lat, lon, tickets)
    _add_sites(run, org, site_kinds + extra[: n_sites - 1])
    n_rooms = rng.choices((1, 2, 3), (20, 45, 35))[0]
    plan_rooms(run, org, n_rooms, ["psn"])
    return org


def _partner(run: Run, area: Area, tier: Literal["police", "nhs"]) -> Org:
    """The area's police force or NHS body, near the lead council and named after it."""
    rng = run.rng
    lead = area.lead
    place = lead.name.split(" County Council")[0].split(" Council")[0]
    place = re.sub(r" (City|Borough)$", "", place)
    bearing = rng.uniform(0, 2 * math.pi)
    lat, lon = offset(lead.lat, lead.lon, rng.uniform(2.0, area.radius_km * 0.5 + 2), bearing)
    if tier == "police":
        style = rng.choice(("Police", "Constabulary"))
        ident, network, accreditation = f"{slug(place)}-police", "psnp", "pasf"
        tickets = rng.randint(15, 45) * 1000
        kinds = [
            ("hq", f"{place} Police Headquarters"),
            ("station", f"{place} Central Police Station"),
            ("custody", f"{place} Custody Suite"),
        ]
    else:
        style = rng.choice(("NHS Foundation Trust", "NHS Trust", "Integrated Care Board"))
        ident, network, accreditation = f"{slug(place)}-nhs", "hscn", "dspt"
        tickets = rng.randint(20, 60) * 1000
        kinds = [
            ("hospital", f"{place} General Hospital"),
            ("community", f"{place} Community Health Centre"),
            ("admin", f"{place} Health Offices"),
        ]
    name = f"{place} {style}"
    org = Org(run.unique_id(ident), name, tier, tier, tier, network, lat, lon, tickets)
    _add_sites(run, org, kinds[: rng.choice((2, 2, 3))])
    plan_rooms(run, org, rng.choice((1, 2)), [accreditation])
    return org


def _site_positions(run: Run, lat: float, lon: float, count: int) -> list[tuple[float, float]]:
    """HQ plus count-1 sites 3-10 km away on bearings at least 60 degrees apart."""
    rng = run.rng
    out = [(lat, lon)]
    first = rng.uniform(0, 2 * math.pi)
    for k in range(count - 1):
        bearing = first + k * rng.uniform(math.pi / 3 + 0.05, 2 * math.pi / 3)
        out.append(offset(lat, lon, rng.uniform(3.0, 10.0), bearing))
    return out


def _add_sites(run: Run, org: Org, kinds: list[tuple[str, str]]) -> None:
    """Sites of an organisation (first = HQ), starred on the HQ over its network."""
    rng = run.rng
    for (suffix, name), (lat, lon) in zip(
        kinds, _site_positions(run, org.lat, org.lon, len(kinds)), strict=True
    ):
        site = Site(
            id=run.unique_id(f"{org.id}-{suffix}"),
            organisation=org.id,
            name=name,
            lat=round(lat, 4),
            lon=round(lon, 4),
            flood_zone=rng.choices((1, 2, 3), (80, 14, 6))[0],
        )
        org.sites.append(site)
        if len(org.sites) == 1:
            org.wan_ms[site.id] = 0.0
        else:
            ms = round(rng.uniform(1.0, 3.0), 1)
            org.wan_ms[site.id] = ms
            run.link(org.hq.id, site.id, org.network, ms, rng.choice((100, 1000)))


def desk(run: Run, org: Org) -> ServiceDesk:
    """The organisation's service desk, staffed for its tickets with some headroom."""
    rng = run.rng
    per_fte = rng.randint(30, 64) * 100
    fte = math.ceil(org.tickets / per_fte)
    lead = org.tier in ("county", "unitary")
    headroom = rng.uniform(1.5, 2.5) if lead else rng.uniform(1.3, 1.8)
    return ServiceDesk(
        id=run.unique_id(f"{org.id}-desk"),
        site=org.hq.id,
        name=f"{org.name} service desk",
        seats=math.ceil(fte * headroom) + 1,
        fixed_cost=rng.randint(20, 80) * 1000,
        cost_per_fte=rng.randint(66, 80) * 500,
        tickets_per_fte=per_fte,
        vetting=["npv3"] if org.tier == "police" else [],
        closure_cost=rng.randint(20, 60) * 1000,
    )


def organisation(org: Org, desk: ServiceDesk) -> Organisation:
    """The inventory record of a finished organisation."""
    return Organisation(
        id=org.id,
        name=org.name,
        kind=org.kind,
        tickets_per_year=org.tickets,
        vetting=["npv3"] if org.tier == "police" else [],
        desk=desk.id,
    )
