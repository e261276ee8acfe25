"""The base estate and mapping file that go with synthetic RVTools exports.

``planner import rvtools`` merges exports into a *base* estate holding everything an
export cannot know: organisations, sites, links, rooms, desks, zones and costs. For
exports from :func:`planner.generate.rvtools.synthetic_exports` this module writes that
base (with no workloads: every workload comes from the exports) and the mapping that
sends each datacenter to its room, each VM to its zone (``PSNP-``/``HSCN-`` port groups
or the ``Police/``/``NHS/`` folders, else ``official``) and to its owner (by top folder).

The base is valid today (``planner validate`` finds no error; its existing rooms are
empty until the import fills them, which it warns about). Every council HQ is linked to
County Hall over both ``wan`` and ``psn`` (1 ms plus 1 ms a 10 km), so official users
reach any council room within a few ms; police and NHS systems stay on their own site.
Rooms state racks, power and cost but no compute capacity: the import computes it from
the hosts. One candidate colocation hall (official systems only) gives the optimiser a
place to consolidate into.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from pathlib import Path

import planner.generate.rvtools.council as council
from planner.generate.rvtools.format import Export
from planner.inventory.geo import great_circle_km
from planner.inventory.items import (
    Estate,
    Inventory,
    Link,
    Network,
    Organisation,
    Room,
    ServiceDesk,
    Site,
    Zone,
)
from planner.inventory.write import write_yaml

START = dt.date(2027, 4, 1)
HUB = "county-hall"
COLO_SITE = Site(
    id="worcester-six-colo",
    organisation=council.COUNTY,
    name="Worcester Six colocation hall (candidate)",
    lat=52.1760,
    lon=-2.1520,
)
COLO_ROOM = Room(
    id="worcester-six-hall",
    site=COLO_SITE.id,
    name="Worcester Six colocation hall",
    racks=120,
    power_kw=720,
    annual_cost=420000,
    accreditations=["psn"],
    status="candidate",
    open_cost=350000,
)


def _datacentres(exports: Iterable[Export]) -> list[council.Datacentre]:
    """The catalogue datacentres the exports use, in catalogue order."""
    used = {h.datacenter for e in exports for h in e.hosts} | {
        v.datacenter for e in exports for v in e.vms
    }
    known = {dc.name for dc in council.DATACENTRES}
    if used - known:
        raise ValueError(
            f"datacenters {sorted(used - known)} are not ones synthetic_exports makes; "
            "the synthetic base and mapping only know those"
        )
    return [dc for dc in council.DATACENTRES if dc.name in used]


def synthetic_mapping(exports: list[Export]) -> str:
    """The mapping file (YAML, ``spec/import.md``) for the exports: rooms by datacenter,
    zones by network then folder, owners by top folder, workloads grouped by folder."""

    def q(text: str) -> str:
        return json.dumps(text)

    lines = [
        "# Mapping for synthetic RVTools exports (planner.generate.rvtools):",
        f"# {', '.join(e.vcenter for e in exports)}",
        "rooms:",
        *(
            f"  - {{match: {{datacenter: {q(dc.name)}}}, room: {dc.room}}}"
            for dc in _datacentres(exports)
        ),
        "zones:",
        '  - {match: {network: "PSNP-*"}, zone: police}',
        '  - {match: {folder: "Police/*"}, zone: police}',
        '  - {match: {network: "HSCN-*"}, zone: nhs}',
        '  - {match: {folder: "NHS/*"}, zone: nhs}',
        "  - {default: official}",
        "owners:",
        *(
            f"  - {{match: {{folder: {q(p.folder + '/*')}}}, organisation: {p.id}}}"
            for p in council.PARTNERS
        ),
        f"  - {{default: {council.COUNTY}}}",
        "workloads:",
        "  group_by: folder",
        "skip:",
        "  templates: true",
        "  powered_off: false",
        '  match: [{vm: "*-old"}]',
        "compute:",
        "  vcpu_per_core: 4",
        "  memory_headroom: 0.8",
        "  storage_headroom: 0.8",
        "defaults:",
        "  migration_cost_per_vm: 1500",
        "  migration_days_per_vm: 0.5",
        "  max_latency_ms: 30",
        "  users_from_owner_sites: true",
    ]
    return "\n".join(lines) + "\n"


def _ms(a: Site, b: Site) -> float:
    return round(1 + great_circle_km(a.lat, a.lon, b.lat, b.lon) / 10, 1)


def _room(dc: council.Datacentre, hosts: int) -> Room:
    """A machine room sized for its hosts plus storage and network kit."""
    racks = math.ceil(hosts / 10) + 4
    zone = council.PARTNER[dc.organisation].zone
    return Room(
        id=dc.room,
        site=council.PARTNER[dc.organisation].site,
        name=dc.room_name,
        racks=racks,
        power_kw=racks * 5,
        annual_cost=40000 + 7000 * racks,
        closure_cost=25000 + 2500 * racks,
        accreditations=list(council.ACCREDITATIONS[zone]),
        ops_fte=round(0.5 + racks / 10, 1),
    )


def synthetic_base(exports: list[Export]) -> Inventory:
    """The base estate for the exports: every partner, its HQ and desk, a room per
    datacenter used, the links, zones and networks, and no workloads."""
    partners = council.PARTNERS
    sites = [
        Site(id=p.site, organisation=p.id, name=p.site_name, lat=p.lat, lon=p.lon) for p in partners
    ]
    sites.append(COLO_SITE)
    hub = next(s for s in sites if s.id == HUB)
    links = []
    for site in sites:
        if site.id == HUB:
            continue
        zone = council.PARTNER[site.organisation].zone
        networks = {"official": ["wan", "psn"], "police": ["psn"], "nhs": ["psn", "hscn"]}[zone]
        for network in networks:
            links.append(
                Link(
                    a=HUB,
                    b=site.id,
                    network=network,
                    latency_ms=_ms(hub, site),
                    bandwidth_mbps=1000,
                )
            )
    hosts = [h for e in exports for h in e.hosts]
    rooms = [_room(dc, sum(h.datacenter == dc.name for h in hosts)) for dc in _datacentres(exports)]
    vms = sum(len(e.vms) for e in exports)
    estate = Estate(
        name=f"Synthetic RVTools estate ({vms} VMs, {len(hosts)} hosts, {len(exports)} vCenters)",
        start=START,
        migration_days_per_month=max(40, math.ceil(vms * 0.5 / 24)),
    )
    return Inventory(
        estate=estate,
        zones=[
            Zone(id="official", name="OFFICIAL council services", networks=["psn", "wan"]),
            Zone(
                id="police",
                name="Police systems (PSN for Policing)",
                networks=["psnp"],
                requires=["pasf"],
                isolation="room",
            ),
            Zone(id="nhs", name="NHS patient data (HSCN)", networks=["hscn"], requires=["dspt"]),
        ],
        separate=[("nhs", "official")],
        networks=[
            Network(id="psn", name="Public Services Network"),
            Network(id="wan", name="Worcestershire council WAN"),
            Network(id="psnp", name="PSN for Policing"),
            Network(id="hscn", name="Health and Social Care Network"),
        ],
        organisations=[
            Organisation(
                id=p.id,
                name=p.name,
                kind=p.kind,
                tickets_per_year=p.tickets,
                vetting=list(p.vetting),
                desk=f"{p.id}-desk",
            )
            for p in partners
        ],
        sites=sites,
        links=links,
        rooms=[*rooms, COLO_ROOM],
        service_desks=[
            ServiceDesk(
                id=f"{p.id}-desk",
                site=p.site,
                name=f"{p.name} service desk",
                seats=math.ceil(p.tickets / 3000 * 1.4) + 1,
                fixed_cost=30000,
                cost_per_fte=33000,
                tickets_per_fte=3000,
                vetting=list(p.vetting),
            )
            for p in partners
        ],
    )


def write_synthetic_base(
    directory: Path | str, exports: list[Export], *, overwrite: bool = False
) -> list[Path]:
    """Write :func:`synthetic_base` as YAML (``estate.yaml`` and a file per organisation)
    into ``directory``; returns the paths written. Refuses a directory that already holds
    estate files unless ``overwrite``."""
    header = (
        "Base estate for synthetic RVTools exports (planner.generate.rvtools).\n"
        "No workloads: `planner import rvtools` adds them from the exports."
    )
    return write_yaml(synthetic_base(exports), directory, overwrite=overwrite, header=header)
