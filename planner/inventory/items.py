"""The inventory: what a council ICT team feeds in.

One frozen pydantic model per kind of item in ``spec/inventory-format.md``.
Every field carries a docstring; with ``use_attribute_docstrings`` these become
the descriptions in the JSON Schema that ``planner schema`` writes, so an editor
shows them while an inventory is typed. Unknown fields are errors (a typo must
not pass silently).

The models check what one item can check on its own (types, signs, ranges).
Rules that relate items (references, capacities, separation) live in
:mod:`planner.inventory.validate`.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

Id = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\s;]+$")]
"""An identifier: no spaces and no ';' (lists in CSV cells are ';'-separated)."""

Money = Annotated[float, Field(ge=0)]
Amount = Annotated[float, Field(ge=0)]

OrganisationKind = Literal[
    "county", "district", "unitary", "borough", "police", "nhs", "fire", "other"
]
COUNCIL_KINDS: frozenset[str] = frozenset({"county", "district", "unitary", "borough"})


class Item(BaseModel):
    """Base of every inventory item: frozen, strict about unknown fields."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )


class Estate(Item):
    """The programme as a whole: its name, when it starts and how it is costed."""

    name: str = Field(min_length=1)
    """Name of the programme or shared service, shown on every report."""
    start: dt.date
    """First month of the migration (ISO date; the month it falls in is month 0)."""
    horizon_years: int = Field(default=5, ge=1, le=30)
    """Years costed in the business case (the annuity factor A sums this many years)."""
    discount_rate: float = Field(default=0.035, ge=0, le=1)
    """Annual discount rate for NPV (HM Treasury Green Book default 3.5%)."""
    migration_days_per_month: float = Field(default=40, ge=0)
    """Person-days the migration team can spend on moves in one month."""
    dr_min_distance_km: float = Field(default=0, ge=0)
    """Sites of workloads named in `distinct_site_from` must be at least this far apart (km)."""
    shared_service: list[Id] | None = None
    """Extension: organisations whose rooms and desks count towards `--max-rooms` and
    `--max-desks` (default: every organisation). Partners outside the shared service (a
    police force or NHS trust that keeps its own machine room) still take part in the plan."""


class Zone(Item):
    """A security zone: a class of systems with its own networks and accreditation needs."""

    id: Id
    """Unique zone id, referenced by workloads and by `separate`."""
    name: str = ""
    """Human name, e.g. 'Police systems (PSN for Policing)'."""
    networks: list[Id] = Field(default_factory=list)
    """Networks whose links may carry this zone's traffic (latency is measured over these)."""
    requires: list[Id] = Field(default_factory=list)
    """Accreditations a room must hold to host this zone, e.g. [pasf] or [dspt]."""
    isolation: Literal["none", "room"] = "none"
    """'room': the zone shares its machine room with no other zone; 'none': no such rule."""


class Network(Item):
    """A network that links sites, e.g. PSN, PSN for Policing, HSCN or a council WAN."""

    id: Id
    """Unique network id, referenced by zones and links."""
    name: str = ""
    """Human name, e.g. 'Public Services Network'."""


class Organisation(Item):
    """A partner: a council, police force, NHS body or fire service."""

    id: Id
    """Unique organisation id."""
    name: str = ""
    """Official name, e.g. 'Worcester City Council'."""
    kind: OrganisationKind = "other"
    """county, district, unitary, borough, police, nhs, fire or other."""
    tickets_per_year: int = Field(default=0, ge=0)
    """Service desk demand: tickets (calls, e-mails, portal requests) a year."""
    vetting: list[Id] = Field(default_factory=list)
    """Clearances the staff of the desk that serves it must hold, e.g. [npv3]."""
    desk: Id
    """The service desk that serves it today."""
    desk_change_from: dt.date | None = None
    """Extension: the earliest date its service desk may change (a TUPE transfer date or
    the end of a desk contract). Default: the estate's start."""


class Site(Item):
    """A place: an office, a depot or a data centre campus."""

    id: Id
    """Unique site id."""
    organisation: Id
    """Organisation that owns or leases the site."""
    name: str = ""
    """Human name, e.g. 'Guildhall'."""
    lat: float = Field(ge=-90, le=90)
    """Latitude in decimal degrees (WGS84)."""
    lon: float = Field(ge=-180, le=180)
    """Longitude in decimal degrees (WGS84)."""
    flood_zone: int = Field(default=1, ge=1, le=3)
    """Environment Agency flood zone (1 low to 3 high); reported, not yet optimised."""


class Link(Item):
    """An undirected network link between two sites; latency adds along a path."""

    a: Id
    """Site at one end."""
    b: Id
    """Site at the other end."""
    network: Id
    """Network the link belongs to."""
    latency_ms: float = Field(ge=0)
    """One-way latency across the link in milliseconds."""
    bandwidth_mbps: float | None = Field(default=None, gt=0)
    """Bandwidth in Mbit/s (reported, not yet optimised)."""


class Room(Item):
    """A machine room (server room or data centre hall) that hosts workloads."""

    id: Id
    """Unique room id."""
    site: Id
    """Site the room is on."""
    name: str = ""
    """Human name, e.g. 'Guildhall basement machine room'."""
    racks: Amount
    """Capacity: rack spaces (42U) available for workloads."""
    power_kw: Amount
    """Capacity: IT power available for workloads, kW."""
    annual_cost: Money
    """Cost of keeping the room open, GBP a year (rent, energy, maintenance, support)."""
    closure_cost: Money = 0
    """One-off cost to decommission the room, GBP."""
    accreditations: list[Id] = Field(default_factory=list)
    """Accreditations the room holds, e.g. [psn, pasf, dspt]."""
    earliest_close: dt.date | None = None
    """Lease or contract date: the room may not close before this date."""
    status: Literal["existing", "candidate"] = "existing"
    """'existing' (open today) or 'candidate' (could be opened by the plan)."""
    open_cost: Money = 0
    """One-off cost to open a candidate room, GBP."""
    ops_fte: Amount = 0
    """Staff (FTE) whose posts depend on the room being open (reported as staff impact)."""
    keep: bool = False
    """True: the room must stay open (or, for a candidate, be opened)."""
    close: bool = False
    """True: the room must close (or, for a candidate, stay unused)."""

    @field_validator("close")
    @classmethod
    def _keep_or_close(cls, close: bool, info: ValidationInfo) -> bool:
        # A field validator (not a model one) so the problem names the field at fault.
        if close and info.data.get("keep"):
            raise ValueError("keep and close are both true; set at most one of them")
        return close


class ServiceDesk(Item):
    """An ICT service desk that answers partners' tickets."""

    id: Id
    """Unique desk id, referenced by organisations' `desk`."""
    site: Id
    """Site the desk works from."""
    name: str = ""
    """Human name."""
    seats: int = Field(ge=0)
    """Most staff (FTE) the desk can hold."""
    fixed_cost: Money
    """Cost of keeping the desk open, GBP a year, before staff."""
    cost_per_fte: Money
    """Cost of one desk post, GBP a year (salary and on-costs)."""
    tickets_per_fte: float = Field(gt=0)
    """Tickets one FTE handles in a year."""
    vetting: list[Id] = Field(default_factory=list)
    """Clearances the desk's staff hold, e.g. [npv3]."""
    closure_cost: Money = 0
    """One-off cost to close the desk, GBP."""


class Dependency(Item):
    """A dependency of one workload on another, with the latency it tolerates."""

    workload: Id
    """The workload depended upon."""
    max_latency_ms: float = Field(ge=0)
    """Most latency between the two workloads' sites, ms (0 = same site)."""


class Workload(Item):
    """A system or application: the thing that moves between rooms."""

    id: Id
    """Unique workload id."""
    organisation: Id
    """Organisation that owns the workload (pays for it, bears its moves)."""
    name: str = ""
    """Human name, e.g. 'Revenues and benefits'."""
    zone: Id
    """Security zone of the workload."""
    room: Id
    """Room where it runs today (an existing room)."""
    racks: Amount
    """Rack spaces it takes."""
    power_kw: Amount
    """IT power it draws, kW."""
    users: list[Id] = Field(default_factory=list)
    """Sites whose staff use it; each must reach its room within `max_latency_ms`."""
    max_latency_ms: float | None = Field(default=None, ge=0)
    """Most latency from each user site to its room, ms (absent: no limit beyond reachability)."""
    depends_on: list[Dependency] = Field(default_factory=list)
    """Workloads it depends on, each with the latency the pair tolerates."""
    distinct_site_from: list[Id] = Field(default_factory=list)
    """Workloads (replicas, DR pairs) that must run on a different site."""
    migration_cost: Money = 0
    """One-off cost if the workload moves to another room, GBP."""
    migration_days: Amount = 0
    """Person-days of the migration team a move takes."""
    not_before: dt.date | None = None
    """It may not move before this date."""
    not_after: dt.date | None = None
    """If it moves, it must have moved by this date."""
    pinned: bool = False
    """True: it must stay in its current room."""

    @field_validator("not_after")
    @classmethod
    def _window(cls, not_after: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # A field validator (not a model one) so the problem names the field at fault.
        not_before = info.data.get("not_before")
        if not_before and not_after and not_before > not_after:
            raise ValueError(
                f"not_before {not_before} is after not_after {not_after}; swap them or remove one"
            )
        return not_after


SECTIONS: dict[str, type[Item]] = {
    "zones": Zone,
    "networks": Network,
    "organisations": Organisation,
    "sites": Site,
    "links": Link,
    "rooms": Room,
    "service_desks": ServiceDesk,
    "workloads": Workload,
}
"""The list sections of an inventory and the item model of each (all but `separate`)."""

TOP_LEVEL_KEYS: tuple[str, ...] = ("estate", "separate", *SECTIONS)


class Inventory(BaseModel):
    """A whole estate: every partner's files merged.

    Equality compares content only, so the same estate read from YAML, CSV or
    XLSX gives equal inventories. Where each item came from (file, line) is kept
    apart, in :class:`planner.inventory.load.Loaded`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    estate: Estate
    """The programme settings."""
    zones: list[Zone] = Field(default_factory=list)
    """Security zones."""
    separate: list[tuple[Id, Id]] = Field(default_factory=list)
    """Pairs of zones that must never share a machine room."""
    networks: list[Network] = Field(default_factory=list)
    """Networks."""
    organisations: list[Organisation] = Field(default_factory=list)
    """Partner organisations."""
    sites: list[Site] = Field(default_factory=list)
    """Sites."""
    links: list[Link] = Field(default_factory=list)
    """Network links between sites."""
    rooms: list[Room] = Field(default_factory=list)
    """Machine rooms, existing and candidate."""
    service_desks: list[ServiceDesk] = Field(default_factory=list)
    """Service desks."""
    workloads: list[Workload] = Field(default_factory=list)
    """Workloads."""

    @cached_property
    def zone(self) -> dict[str, Zone]:
        """Zones by id."""
        return {z.id: z for z in self.zones}

    @cached_property
    def organisation(self) -> dict[str, Organisation]:
        """Organisations by id."""
        return {o.id: o for o in self.organisations}

    @cached_property
    def site(self) -> dict[str, Site]:
        """Sites by id."""
        return {s.id: s for s in self.sites}

    @cached_property
    def room(self) -> dict[str, Room]:
        """Rooms by id."""
        return {r.id: r for r in self.rooms}

    @cached_property
    def desk(self) -> dict[str, ServiceDesk]:
        """Service desks by id."""
        return {d.id: d for d in self.service_desks}

    @cached_property
    def workload(self) -> dict[str, Workload]:
        """Workloads by id."""
        return {w.id: w for w in self.workloads}

    @cached_property
    def separated_pairs(self) -> frozenset[frozenset[str]]:
        """The `separate` pairs as unordered pairs."""
        return frozenset(frozenset(p) for p in self.separate if p[0] != p[1])

    def in_shared_service(self, organisation: str) -> bool:
        """Whether an organisation's rooms and desks count towards the room/desk limits."""
        scope = self.estate.shared_service
        return scope is None or organisation in scope
