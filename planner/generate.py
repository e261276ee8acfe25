"""Random estates of any size that are valid today and shaped like English local government.

:func:`generate` makes an :class:`~planner.inventory.items.Inventory` from a number
of councils and a seed; the same arguments always give the same inventory (one
``random.Random(seed)`` drives every choice, and nothing iterates over a set or
depends on hashing). ``planner generate`` writes it with
:func:`planner.inventory.write.write_yaml`, split by organisation; the inventory is
returned in that split order, so the files load back equal to it.

Structure (numbers are the generator's assumptions, chosen to match
``shared/context.md`` where it gives a figure):

* **Areas.** Councils are grouped into areas: a county with 3-7 districts, or a
  unitary alone (about a fifth of the areas are counties, so a little over half
  of the councils are in two-tier areas, as in England). Area centres are spread
  over England (lat 50.5-54.8, lon -3.5 to 1.5) by dart throwing, with radii
  growing with the number of councils, so areas are clusters that do not overlap
  much. The first area always has a police force and an NHS body, so even a one-
  council estate exercises every zone; other areas have a police force with
  probability 0.85 (county) or 0.2 (unitary) and an NHS body with 0.6 or 0.25.
* **Councils.** 1-3 sites (HQ plus depot/area office, 3-10 km from the HQ and at
  least 3 km apart, so any two sites of a council satisfy
  ``dr_min_distance_km = 2``), 1-3 existing machine rooms accredited ``[psn]``,
  one service desk, 20-60 workloads (mean about 40; counties a little more).
* **Partners.** A police force (zone ``police``: requires ``[pasf]``, isolation
  room, network ``psnp``) with 2-3 sites, 1-2 PASF rooms, a desk vetted
  ``[npv3]`` and 15-40 workloads; an NHS body (zone ``nhs``: requires ``[dspt]``,
  network ``hscn``; ``separate: [[nhs, official]]``) with 2-3 sites, 1-2 DSPT rooms,
  its own desk and 10-30 workloads.
* **Candidate rooms.** About one per area (0.85 probability, plus a second in
  15% of county areas; always one in the first area): a commercial colocation
  hall on a new site of the area's lead council (county or unitary), 60-160
  racks at 6-10 kW a rack, accredited ``[psn]`` and, where the area has the
  partner, sometimes ``pasf`` or ``dspt`` too (with a link onto that network).
* **Networks.** ``wan`` stars each organisation's sites on its HQ (1-3 ms).
  ``psn`` links each district HQ to its county HQ (2-6 ms, plus a few links
  between neighbouring districts) and the area hubs (county or unitary HQ) to
  their neighbouring hubs (8-20 ms; the minimum spanning tree plus each hub's two
  nearest). ``psnp`` and ``hscn`` do the same, more sparsely (spanning tree plus
  nearest), between the police forces' and NHS bodies' HQs; partners' own sites
  are starred on their HQ over their network. Zone ``official`` uses ``[psn, wan]``
  and requires ``[psn]`` (a PSN compliance certificate covers a predefined
  infrastructure: we assume OFFICIAL council systems run only in PSN-accredited
  rooms).
* **Workloads.** Named from catalogues of council, police and NHS systems.
  Racks 0.25-3 (mostly 0.25-0.5), power 0.5-8 kW at 2-5.5 kW a rack; users at
  1-3 of the owner's sites; ``max_latency_ms`` 8-40, mostly 15-30, so a workload
  reaches rooms in its own area and often a neighbouring one but not the
  country. Systems with a database get a ``-db`` workload, co-located today, that
  the application ``depends_on`` within 1-5 ms (the database has the same users
  and limit, so it stays local too). About 12% of applications of councils with
  rooms on two sites have a ``-dr`` replica on another site
  (``distinct_site_from``). Migration cost GBP 2k-60k and 1-20 person-days, both
  growing with size; about 2% pinned, 4% with ``not_before`` and 4% with
  ``not_after``.
* **Capacity and cost.** Rooms are sized after workloads are placed: racks at
  30-70% utilisation today (a county's main room at 30-50% and at least 20
  racks), power at 3.5-6 kW a rack of capacity and at most 75% used. Room cost
  GBP 40k + 5-9k a rack a year, clamped to GBP 60k-400k; closure GBP 20k-150k;
  15% of rooms have an ``earliest_close``. Desks: tickets 6k-25k a year
  (districts), 20k-60k (unitaries), 30k-70k (counties), 15k-45k (police),
  20k-60k (NHS); 3,000-6,400 tickets per FTE; seats 1.3-1.8x the FTE needed
  (1.5-2.5x at lead councils, so a consolidated desk has room to grow); fixed
  cost GBP 20k-80k, GBP 33k-40k per FTE, closure GBP 20k-60k.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
import re
from dataclasses import dataclass, field
from typing import Literal

from planner.inventory.items import (
    Dependency,
    Estate,
    Inventory,
    Link,
    Network,
    Organisation,
    OrganisationKind,
    Room,
    ServiceDesk,
    Site,
    Workload,
    Zone,
)
from planner.inventory.write import split_order

LAT_RANGE = (50.5, 54.8)
"""Latitudes of generated sites (England, roughly)."""
LON_RANGE = (-3.5, 1.5)
"""Longitudes of generated sites."""
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON_EQUATOR = 111.32

START = dt.date(2027, 4, 1)
"""Start of every generated programme (April: a financial year begins)."""
DR_MIN_DISTANCE_KM = 2.0
"""``estate.dr_min_distance_km``; every two sites of one organisation are at least 3 km apart."""

# ----------------------------------------------------------------- catalogues

_PREFIXES = (
    "Ash", "Brook", "Thorn", "Wyke", "Elm", "Mar", "Stan", "Ford", "Kel", "Bram",
    "Hal", "Wen", "Oak", "Rad", "Sel", "Tad", "Wal", "Whit", "Ald", "Bur",
    "Chal", "Dun", "Eden", "Fal", "Gran", "Hart", "Ing", "Kirk", "Lang", "Mill",
    "Nor", "Ox", "Pen", "Ray", "Sand", "Tam", "Ul", "Ver", "Wes", "Yar",
    "Ab", "Cran", "Dal", "Fern", "Glen", "Hol", "Lin", "Mere",
)  # fmt: skip
_SUFFIXES = (
    "ford", "bury", "ham", "ton", "ley", "wick", "field", "by", "worth", "stead",
    "mouth", "minster", "cester", "dale", "well", "hurst", "combe", "thorpe", "gate", "bridge",
    "brook", "wood", "marsh", "mere", "holme",
)  # fmt: skip
_DISTRICT_PREFIXES = ("North ", "South ", "East ", "West ", "Mid ", "Upper ", "Vale of ")
_PROVIDERS = (
    "Midlands Colocation",
    "Albion Data Centres",
    "Northgate Hosting",
    "Shire Digital Infrastructure",
    "Pennine Data Halls",
    "Wessex Colocation",
)

# (name, has a database)
_COMMON = (
    ("Finance ERP", True),
    ("Payroll and HR", True),
    ("Email and calendar", False),
    ("File and print servers", False),
    ("Active Directory and identity", False),
    ("Document management", True),
    ("Customer relationship management", True),
    ("Intranet", False),
    ("Public website CMS", True),
    ("Telephony and contact centre", False),
    ("Backup and archive", False),
    ("GIS mapping", True),
    ("Business intelligence", True),
    ("Procurement and contracts", False),
    ("Property and asset management", True),
    ("Complaints and FOI", False),
    ("Fleet management", False),
    ("Print and mail room", False),
    ("Remote access gateway", False),
    ("Monitoring and logging", False),
    ("Patch and antivirus management", False),
    ("Document scanning", False),
    ("Payments gateway", True),
    ("Legal case management", False),
    ("Committee management", False),
    ("Building management systems", False),
    ("CCTV recording", False),
    ("Emergency planning", False),
    ("Room and resource booking", False),
    ("Health and safety incidents", False),
)
_UPPER_TIER = (
    ("Adult social care case management", True),
    ("Children's services case management", True),
    ("Education management", True),
    ("School admissions", False),
    ("Highways asset management", True),
    ("Libraries management", True),
    ("Public health records", False),
    ("Trading standards", False),
    ("Registrars (births, deaths and marriages)", False),
    ("Pensions administration", True),
    ("Concessionary travel", False),
    ("Archives catalogue", False),
    ("Care provider payments", True),
    ("Special educational needs", False),
)
_LOWER_TIER = (
    ("Revenues and benefits", True),
    ("Planning and building control", True),
    ("Housing management", True),
    ("Homelessness case management", False),
    ("Waste and recycling collection", True),
    ("Licensing", False),
    ("Environmental health", False),
    ("Parking enforcement", True),
    ("Land charges", False),
    ("Electoral registration", True),
    ("Leisure bookings", False),
    ("Cemeteries and crematorium", False),
    ("Street cleansing", False),
    ("Grounds maintenance", False),
)
_POLICE = (
    ("Command and control", True),
    ("Records management system", True),
    ("Custody system", True),
    ("Crime recording", True),
    ("Intelligence system", True),
    ("Digital evidence management", False),
    ("ANPR back office", True),
    ("Case file preparation", False),
    ("Duty management", True),
    ("Firearms licensing", False),
    ("Body-worn video storage", False),
    ("Mobile data", False),
    ("Forensic case management", False),
    ("Police email", False),
    ("Police directory services", False),
    ("Police file servers", False),
    ("Crime analysis", True),
    ("Vetting system", False),
    ("Property and exhibits", False),
    ("Control room telephony", False),
    ("Professional standards", False),
    ("Police HR and payroll", True),
    ("Missing persons", False),
    ("Collision reporting", False),
)
_NHS = (
    ("Patient administration system", True),
    ("Electronic patient record", True),
    ("Pathology LIMS", True),
    ("Radiology PACS", True),
    ("E-prescribing", False),
    ("Clinical correspondence", False),
    ("Theatre management", False),
    ("Maternity system", True),
    ("Emergency department system", True),
    ("Community care records", True),
    ("Mental health records", True),
    ("Pharmacy stock", False),
    ("Bed management", False),
    ("Clinical coding", False),
    ("Data warehouse", True),
    ("Staff rostering", False),
    ("Order communications", False),
    ("NHS mail relay", False),
)

_RACK_SIZES = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
_RACK_WEIGHTS = (60, 24, 10, 3, 2, 1)
_LATENCY_LIMITS = (8, 10, 12, 15, 18, 20, 25, 30, 35, 40)
_LATENCY_WEIGHTS = (3, 4, 6, 12, 14, 16, 18, 14, 8, 5)

Tier = Literal["county", "district", "unitary", "police", "nhs"]


# ----------------------------------------------------------------- working records


@dataclass
class _Org:
    id: str
    name: str
    kind: OrganisationKind
    tier: Tier
    zone: str
    network: str
    """Network its own sites are starred on (wan for councils, psnp, hscn)."""
    lat: float
    lon: float
    tickets: int
    sites: list[Site] = field(default_factory=list)
    wan_ms: dict[str, float] = field(default_factory=dict)
    """Site id -> latency to the HQ over the organisation's own network (HQ: 0)."""
    rooms: list[_RoomPlan] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    desk: ServiceDesk | None = None

    @property
    def hq(self) -> Site:
        return self.sites[0]


@dataclass
class _RoomPlan:
    id: str
    site: str
    name: str
    accreditations: list[str]
    main: bool
    racks: float = 0.0
    power: float = 0.0
    count: int = 0


@dataclass
class _Area:
    index: int
    kind: Literal["county", "unitary"]
    n_councils: int
    radius_km: float
    x: float = 0.0
    y: float = 0.0
    councils: list[_Org] = field(default_factory=list)
    police: _Org | None = None
    nhs: _Org | None = None

    @property
    def lead(self) -> _Org:
        return self.councils[0]


# ----------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _km_xy(lat: float, lon: float) -> tuple[float, float]:
    """A local plane in km (good enough to space areas; sites use exact offsets)."""
    lat0 = math.radians(sum(LAT_RANGE) / 2)
    return lon * KM_PER_DEG_LON_EQUATOR * math.cos(lat0), lat * KM_PER_DEG_LAT


def _xy_latlon(x: float, y: float) -> tuple[float, float]:
    lat0 = math.radians(sum(LAT_RANGE) / 2)
    return y / KM_PER_DEG_LAT, x / (KM_PER_DEG_LON_EQUATOR * math.cos(lat0))


def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on ``bearing`` (radians), on a local tangent plane."""
    dlat = km * math.cos(bearing) / KM_PER_DEG_LAT
    dlon = km * math.sin(bearing) / (KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _months_after(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1)


def _nearest_links(points: list[tuple[float, float]], k: int) -> list[tuple[int, int]]:
    """Edges of the minimum spanning tree of the points plus each point's k nearest.

    Deterministic: pairs are ordered (i < j) and returned sorted.
    """
    n = len(points)
    if n < 2:
        return []

    def dist(i: int, j: int) -> float:
        return math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1])

    edges: set[tuple[int, int]] = set()
    # Prim's algorithm, O(n^2) (n is at most a few hundred hubs).
    best = {j: (dist(0, j), 0) for j in range(1, n)}
    while best:
        j = min(best, key=lambda v: (best[v][0], v))
        _, i = best.pop(j)
        edges.add((min(i, j), max(i, j)))
        for v in best:
            d = dist(j, v)
            if d < best[v][0]:
                best[v] = (d, j)
    for i in range(n):
        near = heapq.nsmallest(k, (j for j in range(n) if j != i), key=lambda j: (dist(i, j), j))
        for j in near:
            edges.add((min(i, j), max(i, j)))
    return sorted(edges)


# ----------------------------------------------------------------- the generator


class _Generator:
    def __init__(self, councils: int, seed: int) -> None:
        self.n = councils
        self.seed = seed
        self.rng = random.Random(seed)
        self.links: list[Link] = []
        self.areas: list[_Area] = []
        self.orgs: list[_Org] = []
        self.candidates: list[tuple[_Org, Site, Room]] = []
        self._names = self._name_pool()
        self._used_ids: set[str] = set()

    # ------------------------------------------------------------- names
    def _name_pool(self) -> list[str]:
        names = [p + s for p in _PREFIXES for s in _SUFFIXES]
        self.rng.shuffle(names)
        return names

    def _town(self) -> str:
        if self._names:
            return self._names.pop()
        return (
            f"{self.rng.choice(_PREFIXES)}{self.rng.choice(_SUFFIXES)} {self.rng.randint(2, 999)}"
        )

    def _unique_id(self, base: str) -> str:
        ident, n = base, 1
        while ident in self._used_ids:
            n += 1
            ident = f"{base}-{n}"
        self._used_ids.add(ident)
        return ident

    # ------------------------------------------------------------- areas
    def _plan_areas(self) -> None:
        rng = self.rng
        left, index = self.n, 0
        while left > 0:
            if left >= 4 and rng.random() < 0.2:
                size = min(left, 1 + rng.randint(3, 7))
                if left - size in (1, 2, 3) and rng.random() < 0.5:
                    size = left  # absorb a small remainder into the county
                size = min(size, 8)
                kind: Literal["county", "unitary"] = "county"
            else:
                size, kind = 1, "unitary"
            self.areas.append(_Area(index, kind, size, 0.0))
            left -= size
            index += 1
        self._place_areas()

    def _place_areas(self) -> None:
        """Dart throwing: big areas first, each at least 0.75 (r_i + r_j) from the others."""
        rng = self.rng
        x0, y0 = _km_xy(LAT_RANGE[0], LON_RANGE[0])
        x1, y1 = _km_xy(LAT_RANGE[1], LON_RANGE[1])
        box = (x1 - x0) * (y1 - y0)
        base = min(14.0, math.sqrt(0.6 * box / (math.pi * self.n)))
        for area in self.areas:
            area.radius_km = base * math.sqrt(area.n_councils) * rng.uniform(0.85, 1.15)
        placed: list[_Area] = []
        for area in sorted(self.areas, key=lambda a: (-a.radius_km, a.index)):
            margin = area.radius_km + 12.0  # sites lie up to ~ r + 10 km from the centre
            factor = 0.75
            while True:
                for _ in range(200):
                    x = rng.uniform(x0 + margin, x1 - margin)
                    y = rng.uniform(y0 + margin, y1 - margin)
                    if all(
                        math.hypot(x - o.x, y - o.y) >= factor * (area.radius_km + o.radius_km)
                        for o in placed
                    ):
                        break
                else:
                    factor *= 0.85
                    continue
                break
            area.x, area.y = x, y
            placed.append(area)

    # ------------------------------------------------------------- organisations
    def _site_positions(self, lat: float, lon: float, count: int) -> list[tuple[float, float]]:
        """HQ plus count-1 sites 3-10 km away on bearings at least 60 degrees apart."""
        rng = self.rng
        out = [(lat, lon)]
        first = rng.uniform(0, 2 * math.pi)
        for k in range(count - 1):
            bearing = first + k * rng.uniform(math.pi / 3 + 0.05, 2 * math.pi / 3)
            out.append(_offset(lat, lon, rng.uniform(3.0, 10.0), bearing))
        return out

    def _add_sites(self, org: _Org, kinds: list[tuple[str, str]]) -> None:
        """Sites of an organisation (first = HQ), starred on the HQ over its network."""
        rng = self.rng
        for (suffix, name), (lat, lon) in zip(
            kinds, self._site_positions(org.lat, org.lon, len(kinds)), strict=True
        ):
            site = Site(
                id=self._unique_id(f"{org.id}-{suffix}"),
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
                self._link(org.hq.id, site.id, org.network, ms, rng.choice((100, 1000)))

    def _link(self, a: str, b: str, network: str, ms: float, mbps: float | None) -> None:
        self.links.append(Link(a=a, b=b, network=network, latency_ms=ms, bandwidth_mbps=mbps))

    def _council(self, area: _Area, tier: Tier, lat: float, lon: float, town: str) -> _Org:
        rng = self.rng
        if tier == "county":
            county = town if town.endswith("shire") else f"{town}shire"
            name, ident = f"{county} County Council", _slug(county)
            tickets = rng.randint(30, 70) * 1000
            site_kinds = [("county-hall", f"County Hall, {town}")]
            extra = [("depot", f"{county} Highways Depot"), ("records", f"{county} Records Centre")]
        elif tier == "district":
            style = rng.choice(("District Council", "Borough Council", "District Council"))
            name, ident = f"{town} {style}", _slug(town)
            tickets = rng.randint(6, 25) * 1000
            hq = rng.choice(("Civic Centre", "Council House", "Guildhall", "Council Offices"))
            site_kinds = [("civic", f"{town} {hq}")]
            extra = [("depot", f"{town} Depot"), ("office", f"{town} Area Office")]
        else:
            style = rng.choice(("Council", "City Council", "Borough Council"))
            name, ident = f"{town} {style}", _slug(town)
            tickets = rng.randint(20, 60) * 1000
            site_kinds = [("civic", f"{town} Civic Centre")]
            extra = [("depot", f"{town} Depot"), ("office", f"{town} Customer Service Centre")]
        n_sites = rng.choices((1, 2, 3), (25, 45, 30))[0]
        kind: OrganisationKind = tier
        org = _Org(self._unique_id(ident), name, kind, tier, "official", "wan", lat, lon, tickets)
        self._add_sites(org, site_kinds + extra[: n_sites - 1])
        n_rooms = rng.choices((1, 2, 3), (20, 45, 35))[0]
        self._rooms(org, n_rooms, ["psn"])
        return org

    def _partner(self, area: _Area, tier: Literal["police", "nhs"]) -> _Org:
        rng = self.rng
        lead = area.lead
        place = lead.name.split(" County Council")[0].split(" Council")[0]
        place = re.sub(r" (City|Borough)$", "", place)
        bearing = rng.uniform(0, 2 * math.pi)
        lat, lon = _offset(lead.lat, lead.lon, rng.uniform(2.0, area.radius_km * 0.5 + 2), bearing)
        if tier == "police":
            style = rng.choice(("Police", "Constabulary"))
            org = _Org(
                self._unique_id(f"{_slug(place)}-police"),
                f"{place} {style}",
                "police",
                "police",
                "police",
                "psnp",
                lat,
                lon,
                rng.randint(15, 45) * 1000,
            )
            kinds = [
                ("hq", f"{place} Police Headquarters"),
                ("station", f"{place} Central Police Station"),
                ("custody", f"{place} Custody Suite"),
            ]
            accreditations = ["pasf"]
        else:
            style = rng.choice(("NHS Foundation Trust", "NHS Trust", "Integrated Care Board"))
            org = _Org(
                self._unique_id(f"{_slug(place)}-nhs"),
                f"{place} {style}",
                "nhs",
                "nhs",
                "nhs",
                "hscn",
                lat,
                lon,
                rng.randint(20, 60) * 1000,
            )
            kinds = [
                ("hospital", f"{place} General Hospital"),
                ("community", f"{place} Community Health Centre"),
                ("admin", f"{place} Health Offices"),
            ]
            accreditations = ["dspt"]
        self._add_sites(org, kinds[: rng.choice((2, 2, 3))])
        self._rooms(org, rng.choice((1, 2)), accreditations)
        return org

    def _rooms(self, org: _Org, count: int, accreditations: list[str]) -> None:
        """Plan rooms: the first at the HQ, the others on the other sites in turn."""
        per_site: dict[str, int] = {}
        label = {"pasf": "PASF machine room", "dspt": "data centre"}.get(
            accreditations[0], "machine room"
        )
        for k in range(count):
            site = org.sites[k % len(org.sites)]
            per_site[site.id] = per_site.get(site.id, 0) + 1
            n = per_site[site.id]
            ident = self._unique_id(f"{site.id}-mr" if n == 1 else f"{site.id}-mr{n}")
            org.rooms.append(
                _RoomPlan(
                    ident,
                    site.id,
                    f"{site.name} {label}" + ("" if n == 1 else f" {n}"),
                    list(accreditations),
                    main=k == 0,
                )
            )

    # ------------------------------------------------------------- workloads
    def _catalogue(self, tier: Tier) -> list[tuple[str, bool]]:
        if tier == "police":
            return list(_POLICE)
        if tier == "nhs":
            return list(_NHS)
        out = list(_COMMON)
        if tier in ("county", "unitary"):
            out += _UPPER_TIER
        if tier in ("district", "unitary"):
            out += _LOWER_TIER
        return out

    def _workload_count(self, tier: Tier) -> int:
        rng = self.rng
        if tier == "police":
            return rng.randint(15, 40)
        if tier == "nhs":
            return rng.randint(10, 30)
        mode = 46 if tier == "county" else 38
        return round(rng.triangular(20, 60, mode))

    def _size(self) -> tuple[float, float]:
        rng = self.rng
        racks = rng.choices(_RACK_SIZES, _RACK_WEIGHTS)[0]
        power = round(_clamp(racks * rng.uniform(2.0, 5.5), 0.5, 8.0), 1)
        return racks, power

    def _workloads(self, org: _Org) -> None:
        """Fill the organisation's rooms with its workloads (every room gets at least one)."""
        rng = self.rng
        target = self._workload_count(org.tier)
        catalogue = self._catalogue(org.tier)
        rng.shuffle(catalogue)
        room_sites = [r.site for r in org.rooms]
        weights = [2.0 if r.main else 1.0 for r in org.rooms]
        multi_site = len(set(room_sites)) > 1
        made = 0
        turn = 0
        while made < target:
            name, has_db = catalogue[turn % len(catalogue)]
            if turn >= len(catalogue):
                name = f"{name} ({turn // len(catalogue) + 1})"
            turn += 1
            # Every room gets one workload before the rest are placed by weight.
            if turn <= len(org.rooms):
                room_index = turn - 1
            else:
                room_index = rng.choices(range(len(org.rooms)), weights)[0]
            room = org.rooms[room_index]
            base = self._unique_id(f"{org.id}-{_slug(name)}")
            users = self._users(org)
            limit = self._limit(org, users, room.site)
            extra = self._extras()
            deps: list[Dependency] = []
            group: list[Workload] = []
            if has_db and made + 2 <= target:
                db_id = self._unique_id(f"{base}-db")
                deps.append(Dependency(workload=db_id, max_latency_ms=rng.randint(1, 5)))
                group.append(
                    self._workload(org, db_id, f"{name} (database)", room, users, limit, [], [])
                )
            dr: list[str] = []
            if multi_site and rng.random() < 0.12 and made + len(group) + 2 <= target:
                others = [r for r in org.rooms if r.site != room.site]
                dr_room = rng.choice(others)
                dr_id = self._unique_id(f"{base}-dr")
                dr.append(dr_id)
                dr_limit = self._limit(org, users, dr_room.site)
                group.append(
                    self._workload(
                        org, dr_id, f"{name} (DR replica)", dr_room, users, dr_limit, [], []
                    )
                )
            app_name = f"{name} (application)" if deps else name
            main = self._workload(org, base, app_name, room, users, limit, deps, dr, **extra)
            org.workloads.append(main)
            org.workloads.extend(group)
            made += 1 + len(group)

    def _users(self, org: _Org) -> list[str]:
        rng = self.rng
        k = rng.randint(1, min(3, len(org.sites)))
        picked = sorted(rng.sample(range(len(org.sites)), k))
        return [org.sites[i].id for i in picked]

    def _limit(self, org: _Org, users: list[str], site: str) -> float:
        """A latency limit from the mix, never below today's latency (star on the HQ)."""
        today = max(0.0 if u == site else org.wan_ms[u] + org.wan_ms[site] for u in users)
        limit = float(self.rng.choices(_LATENCY_LIMITS, _LATENCY_WEIGHTS)[0])
        return max(limit, math.ceil(today + 1))

    def _extras(self) -> dict[str, object]:
        rng = self.rng
        extra: dict[str, object] = {}
        r = rng.random()
        if r < 0.02:
            extra["pinned"] = True
        elif r < 0.06:
            extra["not_before"] = _months_after(START, rng.randint(3, 18))
        elif r < 0.10:
            extra["not_after"] = dt.date(START.year + rng.randint(1, 4), 3, 31)
        return extra

    def _workload(
        self,
        org: _Org,
        ident: str,
        name: str,
        room: _RoomPlan,
        users: list[str],
        limit: float,
        deps: list[Dependency],
        dr: list[str],
        **extra: object,
    ) -> Workload:
        rng = self.rng
        racks, power = self._size()
        room.racks += racks
        room.power += power
        room.count += 1
        cost = round(
            _clamp(2000 + racks * rng.uniform(5000, 18000) + rng.uniform(0, 4000), 2000, 60000), -2
        )
        days = int(_clamp(round(1 + racks * rng.uniform(2, 6) + rng.uniform(0, 4)), 1, 20))
        return Workload.model_validate(
            {
                "id": ident,
                "organisation": org.id,
                "name": name,
                "zone": org.zone,
                "room": room.id,
                "racks": racks,
                "power_kw": power,
                "users": users,
                "max_latency_ms": limit,
                "depends_on": deps,
                "distinct_site_from": dr,
                "migration_cost": cost,
                "migration_days": days,
                **extra,
            }
        )

    # ------------------------------------------------------------- capacity and cost
    def _finish_rooms(self, org: _Org) -> list[Room]:
        rng = self.rng
        out = []
        for plan in org.rooms:
            county_main = plan.main and org.tier == "county"
            util = rng.uniform(0.3, 0.5) if county_main else rng.uniform(0.3, 0.7)
            racks = max(math.ceil(plan.racks / util), 20 if county_main else 2)
            power = math.ceil(racks * rng.uniform(3.5, 6.0))
            if plan.power > 0.75 * power:
                power = math.ceil(plan.power / rng.uniform(0.45, 0.7))
            annual = round(_clamp(40000 + racks * rng.uniform(5000, 9000), 60000, 400000), -3)
            closure = round(_clamp(15000 + racks * rng.uniform(2000, 4000), 20000, 150000), -3)
            extra: dict[str, object] = {}
            if rng.random() < 0.15:
                year = START.year + rng.randint(0, 3)
                extra["earliest_close"] = (
                    dt.date(year, 9, 30) if rng.random() < 0.5 else dt.date(year + 1, 3, 31)
                )
            out.append(
                Room.model_validate(
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
            )
        return out

    def _desk(self, org: _Org) -> ServiceDesk:
        rng = self.rng
        per_fte = rng.randint(30, 64) * 100
        fte = math.ceil(org.tickets / per_fte)
        lead = org.tier in ("county", "unitary")
        headroom = rng.uniform(1.5, 2.5) if lead else rng.uniform(1.3, 1.8)
        return ServiceDesk(
            id=self._unique_id(f"{org.id}-desk"),
            site=org.hq.id,
            name=f"{org.name} service desk",
            seats=math.ceil(fte * headroom) + 1,
            fixed_cost=rng.randint(20, 80) * 1000,
            cost_per_fte=rng.randint(66, 80) * 500,
            tickets_per_fte=per_fte,
            vetting=["npv3"] if org.tier == "police" else [],
            closure_cost=rng.randint(20, 60) * 1000,
        )

    # ------------------------------------------------------------- networks
    def _area_links(self, area: _Area) -> None:
        """PSN inside an area: each district HQ to the county HQ, a few district pairs."""
        rng = self.rng
        hub = area.lead
        districts = area.councils[1:]
        for d in districts:
            km = math.hypot(
                *(
                    a - b
                    for a, b in zip(_km_xy(d.lat, d.lon), _km_xy(hub.lat, hub.lon), strict=True)
                )
            )
            ms = round(_clamp(2 + km * 0.06 + rng.uniform(0, 1.5), 2, 6), 1)
            self._link(hub.hq.id, d.hq.id, "psn", ms, 1000)
        for i, d in enumerate(districts):
            if len(districts) > 2 and rng.random() < 0.4:
                other = districts[(i + 1) % len(districts)]
                self._link(d.hq.id, other.hq.id, "psn", round(rng.uniform(2, 6), 1), 1000)

    def _backbone(self, orgs: list[_Org], network: str, k: int) -> None:
        """Links between neighbouring HQs (spanning tree plus k nearest), 8-20 ms."""
        rng = self.rng
        points = [_km_xy(o.lat, o.lon) for o in orgs]
        for i, j in _nearest_links(points, k):
            km = math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1])
            ms = round(_clamp(8 + km * 0.05 + rng.uniform(0, 3), 8, 20), 1)
            self._link(orgs[i].hq.id, orgs[j].hq.id, network, ms, 10000)

    def _candidates(self, area: _Area) -> None:
        rng = self.rng
        count = 1 if (area.index == 0 or rng.random() < 0.85) else 0
        if area.kind == "county" and rng.random() < 0.15:
            count += 1
        lead = area.lead
        for k in range(count):
            provider = rng.choice(_PROVIDERS)
            lat, lon = _offset(lead.lat, lead.lon, rng.uniform(4, 12), rng.uniform(0, 2 * math.pi))
            site = Site(
                id=self._unique_id(f"{lead.id}-colo" + ("" if k == 0 else f"{k + 1}")),
                organisation=lead.id,
                name=f"{provider} hall near {lead.hq.name.split(', ')[-1]}",
                lat=round(lat, 4),
                lon=round(lon, 4),
            )
            lead.sites.append(site)
            self._link(lead.hq.id, site.id, "psn", round(rng.uniform(1, 3), 1), 10000)
            accreditations = ["psn"]
            if area.police is not None and rng.random() < 0.3:
                accreditations.append("pasf")
                ms = round(rng.uniform(2, 5), 1)
                self._link(area.police.hq.id, site.id, "psnp", ms, 10000)
            if area.nhs is not None and rng.random() < 0.3:
                accreditations.append("dspt")
                ms = round(rng.uniform(2, 5), 1)
                self._link(area.nhs.hq.id, site.id, "hscn", ms, 10000)
            racks = rng.randint(12, 32) * 5
            room = Room(
                id=self._unique_id(f"{site.id}-hall"),
                site=site.id,
                name=f"{provider} colocation hall",
                racks=racks,
                power_kw=math.ceil(racks * rng.uniform(6, 10)),
                annual_cost=round(
                    _clamp(90000 + racks * rng.uniform(1500, 2200), 60000, 400000), -3
                ),
                closure_cost=0,
                accreditations=accreditations,
                status="candidate",
                open_cost=rng.randint(8, 50) * 5000,
            )
            self.candidates.append((lead, site, room))

    # ------------------------------------------------------------- assembly
    def build(self) -> Inventory:
        rng = self.rng
        self._plan_areas()
        for area in self.areas:
            lat_c, lon_c = _xy_latlon(area.x, area.y)
            town = self._town()
            if area.kind == "county":
                area.councils.append(
                    self._council(
                        area,
                        "county",
                        *_offset(
                            lat_c,
                            lon_c,
                            rng.uniform(0, 0.3) * area.radius_km,
                            rng.uniform(0, 2 * math.pi),
                        ),
                        town,
                    )
                )
                first = rng.uniform(0, 2 * math.pi)
                for k in range(area.n_councils - 1):
                    bearing = (
                        first + 2 * math.pi * k / (area.n_councils - 1) + rng.uniform(-0.3, 0.3)
                    )
                    dist = rng.uniform(0.45, 1.0) * area.radius_km
                    name = self._town()
                    if rng.random() < 0.2:
                        name = rng.choice(_DISTRICT_PREFIXES) + name
                    area.councils.append(
                        self._council(area, "district", *_offset(lat_c, lon_c, dist, bearing), name)
                    )
            else:
                area.councils.append(self._council(area, "unitary", lat_c, lon_c, town))
            police_p, nhs_p = (0.85, 0.6) if area.kind == "county" else (0.2, 0.25)
            if area.index == 0 or rng.random() < police_p:
                area.police = self._partner(area, "police")
            if area.index == 0 or rng.random() < nhs_p:
                area.nhs = self._partner(area, "nhs")
            self.orgs.extend(area.councils)
            self.orgs.extend(o for o in (area.police, area.nhs) if o is not None)
            self._area_links(area)
        self._backbone([a.lead for a in self.areas], "psn", 2)
        self._backbone([a.police for a in self.areas if a.police is not None], "psnp", 1)
        self._backbone([a.nhs for a in self.areas if a.nhs is not None], "hscn", 1)
        for org in self.orgs:
            self._workloads(org)
            org.desk = self._desk(org)
        # After the workloads, so that no workload has a colocation site as a user site.
        for area in self.areas:
            self._candidates(area)
        return self._inventory()

    def _inventory(self) -> Inventory:
        orgs, sites, rooms, desks, workloads = [], [], [], [], []
        for org in self.orgs:
            assert org.desk is not None
            orgs.append(
                Organisation(
                    id=org.id,
                    name=org.name,
                    kind=org.kind,
                    tickets_per_year=org.tickets,
                    vetting=["npv3"] if org.tier == "police" else [],
                    desk=org.desk.id,
                )
            )
            sites.extend(org.sites)
            rooms.extend(self._finish_rooms(org))
            desks.append(org.desk)
            workloads.extend(org.workloads)
        rooms.extend(room for _, _, room in self.candidates)
        estate = Estate(
            name=f"Generated estate: {self.n} councils (seed {self.seed})",
            start=START,
            horizon_years=5,
            discount_rate=0.035,
            migration_days_per_month=max(40, 20 * self.n),
            dr_min_distance_km=DR_MIN_DISTANCE_KM,
        )
        zones = [
            Zone(
                id="official",
                name="OFFICIAL council services",
                networks=["psn", "wan"],
                requires=["psn"],
            ),
            Zone(
                id="police",
                name="Police systems (PSN for Policing)",
                networks=["psnp"],
                requires=["pasf"],
                isolation="room",
            ),
            Zone(
                id="nhs",
                name="NHS patient data (HSCN)",
                networks=["hscn"],
                requires=["dspt"],
            ),
        ]
        networks = [
            Network(id="wan", name="Council wide-area networks"),
            Network(id="psn", name="Public Services Network"),
            Network(id="psnp", name="PSN for Policing"),
            Network(id="hscn", name="Health and Social Care Network"),
        ]
        inv = Inventory(
            estate=estate,
            zones=zones,
            separate=[("nhs", "official")],
            networks=networks,
            organisations=orgs,
            sites=sites,
            links=self.links,
            rooms=rooms,
            service_desks=desks,
            workloads=workloads,
        )
        return split_order(inv)


def generate(councils: int, seed: int = 0) -> Inventory:
    """A random estate of ``councils`` councils (plus police and NHS partners), valid today.

    Deterministic: the same ``councils`` and ``seed`` give an equal inventory, and
    :func:`planner.inventory.write.write_yaml` writes it byte for byte the same.
    The result is in split-by-organisation order, so written with
    ``write_yaml(inv, out_dir)`` it loads back equal to itself.
    """
    if councils < 1:
        raise ValueError(f"councils must be at least 1, not {councils}")
    return _Generator(councils, seed).build()
