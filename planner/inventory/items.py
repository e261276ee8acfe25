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
import unicodedata
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

# --------------------------------------------------------------------------- bounds
#
# Whatever `planner validate` accepts must optimise, so every number is finite and
# within what its consumers hold: the optimiser turns money into pence (int64, after
# multiplying by the annuity factor A <= horizon_years <= 30 and summing), scales
# racks and kW by a power of ten and person-days by 100 into CP-SAT's integers, does
# month arithmetic on Python dates (years 1-9999), and the checker recomputes
# everything in exact fractions and compares with the optimiser's figures. Each bound
# below says why it is safe; each is far beyond any real estate.

MONEY_MAX = 1_000_000_000
"""GBP, any one amount (a year's running cost, or a one-off cost): a billion pounds,
a thousand times the running cost of a large council data centre and more than any
council's whole ICT budget. Safe: A x 1e9 GBP = 3e12 pence at most is exact in a float
and a CP-SAT coefficient; the desk-bound flow's unit costs (pence x 1e6 / tickets per
FTE, two of them added) stay below 2^63 (6e18); sums over items are checked by
:func:`planner.inventory.validate.check_cost_range`."""

RACKS_MAX = 100_000
"""Rack spaces of one room or workload (the largest data centre halls have a few
thousand)."""

POWER_KW_MAX = 1_000_000
"""kW of one room or workload: a gigawatt (the largest data centre campuses)."""

AMOUNT_PLACES = 3
"""Racks and kW have at most 3 decimal places: the schedule counts them in thousandths
(schedule/migration.py AMOUNT_SCALE) and the target in powers of ten up to 1e6, so
both hold every value exactly and agree with the checker's exact sums."""

VCPU_MAX = 10_000_000
"""Virtual CPUs of one room or workload: ten million (a national cloud region)."""

MEMORY_GIB_MAX = 100_000_000
"""GiB of memory of one room or workload: about 100 PiB."""

STORAGE_TIB_MAX = 10_000_000
"""TiB of storage of one room or workload: about 10 EiB."""

COMPUTE_PLACES = 3
"""vCPU, memory and storage have at most 3 decimal places, like racks and kW: the
schedule counts them in thousandths and the target in powers of ten up to 1e6 (at most
1e7 x 1e6 = 1e13 a coefficient, sums over a hundred thousand workloads far inside
int64), so both hold every value exactly and agree with the checker's exact sums."""

OPS_FTE_MAX = 1_000
"""Staff (FTE) whose posts depend on one room: a thousand. The plan's staff figures are
float sums that the checker compares with exact ones to within 1e-9 FTE per
organisation, which holds while the sums stay in the thousands."""

DAYS_MAX = 1_000_000
"""Person-days of one move, or of the migration team in one month: a million. Scaled by
100 (hundredths) and summed over every move: far inside CP-SAT's int64."""

DAYS_PLACES = 2
"""Person-days have at most 2 decimal places: the optimiser counts them in hundredths
(DAYS_SCALE = 100) and the checker exactly, so both agree on whether a month's moves
fit its budget (5.000000001 days against a budget of 5 would not)."""

TICKETS_MAX = 100_000_000
"""Tickets a year of one organisation: a hundred million (a national service desk
handles a few million)."""

SEATS_MAX = 100_000
"""Staff (FTE) one service desk can hold: a hundred thousand. Bounds the desk's FTE, and
so the FTE transferred to it: FTE figures stay exact to 1e-9 in floats."""

TICKETS_PER_FTE_MAX = 1_000_000
"""Tickets one FTE handles in a year: a million (about 4,000 a working day)."""

TICKETS_PER_FTE_PLACES = 4
"""Tickets per FTE have at most 4 decimal places: the optimiser scales them by a power
of ten up to 1e4 (target/translate.py), so it holds every value exactly, and so its
desk FTE agree with the checker's exact ceil(tickets / tickets_per_fte)."""

LATENCY_MAX_MS = 100_000
"""Milliseconds of one link or one latency limit: 100 seconds (a geostationary
satellite hop takes about 600 ms)."""

LATENCY_PLACES = 3
"""Latencies have at most 3 decimal places (microseconds): the optimiser adds them in
floats and allows 1e-9 ms of rounding, the checker adds them exactly; with
microseconds a path either fits a limit exactly or misses it by at least 0.001 ms, far
more than any float rounding, so both agree."""

LEAD_MONTHS_MAX = 1_200
"""Months of an upgrade's lead time: a hundred years (the horizon is at most 30 years;
an upgrade that cannot hold within it is never bought)."""

DISTANCE_MAX_KM = 20_100
"""Kilometres: no two points on Earth are further apart than about 20,015 km."""

BANDWIDTH_MAX_MBPS = 1_000_000_000
"""Mbit/s of one link: a petabit per second (reported, not optimised)."""

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
"""Every date lies in 1900-2199. The plan's months run from the start to March of its
last financial year (start + up to 30 years + 1) and month arithmetic on dates up to
2199 stays below year 2232, far inside Python's calendar (years 1-9999); 1900 is the
first year a spreadsheet (XLSX) date can hold, and a plan starting before it has no
meaning for a council today. Leases longer than the horizon need no later date: any
date after the horizon has the same effect."""


def _places(places: int, why: str) -> AfterValidator:
    """A check that a finite float has at most ``places`` decimal places (as written:
    the shortest decimal that reads back as the same float)."""

    def check(value: float) -> float:
        if (Fraction(repr(value)) * 10**places).denominator != 1:
            rounded = round(value, places) or 10.0**-places  # never suggest 0 for a tiny value
            raise ValueError(
                f"{value!r} has more than {places} decimal places ({why}); "
                f"round it, e.g. to {_decimal(rounded, places)}"
            )
        return value

    return AfterValidator(check)


def _decimal(value: float, places: int) -> str:
    """1.5 -> '1.5', 5.0 -> '5': a number as a person would write it."""
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def _in_calendar(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(
            f"{day.isoformat()} is outside the dates the planner accepts, "
            f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}; correct the year"
        )
    return day


def _printable_id(text: str) -> str:
    bad = next((c for c in text if not c.isprintable()), None)
    if bad is not None:
        raise ValueError(
            f"the id {text!r} holds the unprintable character U+{ord(bad):04X} (a control "
            "or invisible character, often pasted in); ids may hold only printable characters"
        )
    return text


Id = Annotated[
    str, StringConstraints(min_length=1, pattern=r"^[^\s;]+$"), AfterValidator(_printable_id)
]
"""An identifier: printable characters other than spaces and ';' (lists in CSV cells are
';'-separated)."""


def _no_control(text: str) -> str:
    bad = next((c for c in text if unicodedata.category(c) == "Cc" and not c.isspace()), None)
    if bad is not None:
        raise ValueError(
            f"the text {text!r} holds the control character U+{ord(bad):04X} (often pasted "
            "in); a terminal would act on it, so names may hold none but spaces and line breaks"
        )
    return text


Text = Annotated[str, AfterValidator(_no_control)]
"""Free text (names): anything but the control characters a terminal would act on (escape,
bell, delete, NUL, C1 controls); tabs and line breaks are allowed."""

Date = Annotated[dt.date, AfterValidator(_in_calendar)]
"""A date (ISO ``YYYY-MM-DD``) from 1900-01-01 to 2199-12-31 (:data:`DATE_MAX`)."""

Money = Annotated[float, Field(ge=0, le=MONEY_MAX, allow_inf_nan=False)]
"""GBP, 0 to :data:`MONEY_MAX`."""


Racks = Annotated[
    float,
    Field(ge=0, le=RACKS_MAX, allow_inf_nan=False),
    _places(AMOUNT_PLACES, "racks are planned in thousandths"),
]
"""Rack spaces, 0 to :data:`RACKS_MAX`, at most 3 decimal places."""

PowerKw = Annotated[
    float,
    Field(ge=0, le=POWER_KW_MAX, allow_inf_nan=False),
    _places(AMOUNT_PLACES, "kW are planned in thousandths"),
]
"""kW, 0 to :data:`POWER_KW_MAX`, at most 3 decimal places."""

Vcpu = Annotated[
    float,
    Field(ge=0, le=VCPU_MAX, allow_inf_nan=False),
    _places(COMPUTE_PLACES, "vCPU are planned in thousandths"),
]
"""Virtual CPUs, 0 to :data:`VCPU_MAX`, at most 3 decimal places."""

MemoryGib = Annotated[
    float,
    Field(ge=0, le=MEMORY_GIB_MAX, allow_inf_nan=False),
    _places(COMPUTE_PLACES, "memory is planned in thousandths of a GiB"),
]
"""GiB of memory, 0 to :data:`MEMORY_GIB_MAX`, at most 3 decimal places."""

StorageTib = Annotated[
    float,
    Field(ge=0, le=STORAGE_TIB_MAX, allow_inf_nan=False),
    _places(COMPUTE_PLACES, "storage is planned in thousandths of a TiB"),
]
"""TiB of storage, 0 to :data:`STORAGE_TIB_MAX`, at most 3 decimal places."""

PersonDays = Annotated[
    float,
    Field(ge=0, le=DAYS_MAX, allow_inf_nan=False),
    _places(DAYS_PLACES, "person-days are planned in hundredths"),
]
"""Person-days, 0 to :data:`DAYS_MAX`, at most 2 decimal places."""

Latency = Annotated[
    float,
    Field(ge=0, le=LATENCY_MAX_MS, allow_inf_nan=False),
    _places(LATENCY_PLACES, "latencies are compared in microseconds"),
]
"""Milliseconds, 0 to :data:`LATENCY_MAX_MS`, at most 3 decimal places."""

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

    name: Text = Field(min_length=1)
    """Name of the programme or shared service, shown on every report."""
    start: Date
    """First month of the migration (ISO date; the month it falls in is month 0);
    1900-01-01 to 2199-12-31."""
    horizon_years: int = Field(default=5, ge=1, le=30)
    """Years costed in the business case (the annuity factor A sums this many years)."""
    discount_rate: float = Field(default=0.035, ge=0, le=1, allow_inf_nan=False)
    """Annual discount rate for NPV (HM Treasury Green Book default 3.5%)."""
    migration_days_per_month: PersonDays = 40
    """Person-days the migration team can spend on moves in one month; 0 to 1,000,000,
    at most 2 decimal places (planned in hundredths)."""
    dr_min_distance_km: float = Field(default=0, ge=0, le=DISTANCE_MAX_KM, allow_inf_nan=False)
    """Sites of workloads named in `distinct_site_from` must be at least this far apart (km);
    0 to 20,100 (no two places on Earth are further apart)."""
    shared_service: list[Id] | None = None
    """Extension: organisations whose rooms and desks count towards `--max-rooms` and
    `--max-desks` (default: every organisation). Partners outside the shared service (a
    police force or NHS trust that keeps its own machine room) still take part in the plan."""
    share_rule: Literal["allocated", "proportional", "shapley"] = "allocated"
    """How the partnership's net saving over the horizon is split between partners
    (spec/decisions.md): 'allocated' keeps each partner's share of the costs as the
    cost-sharing rules give it; 'proportional' gives each partner the total net in
    proportion to its running cost today; 'shapley' in proportion to its Shapley value
    (`planner optimise --shares EXPLORE_DIR/explore.json`). Payments between partners
    (`transfers` in plan.json) move each partner from the first to its share."""


MULTIPLIER_MAX = 10.0
"""Largest multiplier of the `uncertainty` block: ten times a figure (the Green Book's
optimism bias for capital cost reaches three times, +200%). A sampled amount is capped at
its field's own bound (:data:`MONEY_MAX`), so sampled estates stay within what the
schedule and the finance hold."""


class Triangle(Item):
    """A triangular distribution of a multiplier: least, most likely and largest value."""

    low: float = Field(gt=0, le=MULTIPLIER_MAX, allow_inf_nan=False)
    """Smallest multiplier, more than 0 and at most 10
    (e.g. 0.9: 10% below the inventory's figure)."""
    mode: float = Field(gt=0, le=MULTIPLIER_MAX, allow_inf_nan=False)
    """Most likely multiplier; at least `low`, at most `high`."""
    high: float = Field(gt=0, le=MULTIPLIER_MAX, allow_inf_nan=False)
    """Largest multiplier, at least `mode` and at most 10
    (e.g. 3.0: +200%, the Green Book's upper bound for capital cost)."""

    @field_validator("mode")
    @classmethod
    def _mode_above_low(cls, mode: float, info: ValidationInfo) -> float:
        # A field validator (not a model one) so the problem names the field at fault.
        low = info.data.get("low")
        if low is not None and mode < low:
            raise ValueError(f"mode {mode:g} is below low {low:g}; need low <= mode <= high")
        return mode

    @field_validator("high")
    @classmethod
    def _high_above_mode(cls, high: float, info: ValidationInfo) -> float:
        mode = info.data.get("mode", info.data.get("low"))
        if mode is not None and high < mode:
            which = "mode" if "mode" in info.data else "low"
            raise ValueError(f"high {high:g} is below {which} {mode:g}; need low <= mode <= high")
        return high


class Uncertainty(Item):
    """How uncertain the inventory's figures are, for `planner explore --risk`
    (spec/explore.md): a triangular multiplier per kind of figure, drawn for each item,
    and the share of each draw common to all items. Defaults: HM Treasury Green Book
    optimism bias ranges for equipment and development projects (capital cost up to
    +200%, duration up to +54%)."""

    # The triangles' defaults are factories: a JSON Schema default that is an object would
    # read as schema keywords to a simple walker; each field's description states it.
    migration_cost: Triangle = Field(default_factory=lambda: Triangle(low=0.9, mode=1.1, high=3.0))
    """Multiplier of each workload's move cost, drawn per workload.
    Scales `migration_cost` and `refresh_move_cost`; default low 0.9, mode 1.1, high 3.0."""
    migration_days: Triangle = Field(default_factory=lambda: Triangle(low=0.9, mode=1.1, high=1.54))
    """Multiplier of each workload's `migration_days`, drawn per workload.
    A slower team delays later moves; default low 0.9, mode 1.1, high 1.54."""
    closure_cost: Triangle = Field(default_factory=lambda: Triangle(low=0.9, mode=1.0, high=1.5))
    """Multiplier of `closure_cost`, drawn per room and per service desk.
    Default low 0.9, mode 1.0, high 1.5."""
    annual_cost: Triangle = Field(default_factory=lambda: Triangle(low=0.97, mode=1.0, high=1.05))
    """Multiplier of running costs, drawn per room and per service desk.
    Scales a room's `annual_cost` and its upgrades' `annual_cost`, a desk's `fixed_cost`
    and `cost_per_fte`; default low 0.97, mode 1.0, high 1.05."""
    correlation: float = Field(default=0.5, ge=0, le=1, allow_inf_nan=False)
    """Share of each draw common to all items of a kind, 0 to 1; default 0.5.
    0: every item is drawn apart; 1: one multiplier for all items of a kind."""


class Zone(Item):
    """A security zone: a class of systems with its own networks and accreditation needs."""

    id: Id
    """Unique zone id, referenced by workloads and by `separate`."""
    name: Text = ""
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
    name: Text = ""
    """Human name, e.g. 'Public Services Network'."""


class Organisation(Item):
    """A partner: a council, police force, NHS body or fire service."""

    id: Id
    """Unique organisation id."""
    name: Text = ""
    """Official name, e.g. 'Worcester City Council'."""
    kind: OrganisationKind = "other"
    """county, district, unitary, borough, police, nhs, fire or other."""
    tickets_per_year: int = Field(default=0, ge=0, le=TICKETS_MAX)
    """Service desk demand: tickets (calls, e-mails, portal requests) a year; 0 to
    100,000,000."""
    vetting: list[Id] = Field(default_factory=list)
    """Clearances the staff of the desk that serves it must hold, e.g. [npv3]."""
    desk: Id
    """The service desk that serves it today."""
    desk_change_from: Date | None = None
    """Extension: the earliest date its service desk may change (a TUPE transfer date or
    the end of a desk contract); 1900-01-01 to 2199-12-31. Default: the estate's start."""


class Site(Item):
    """A place: an office, a depot or a data centre campus."""

    id: Id
    """Unique site id."""
    organisation: Id
    """Organisation that owns or leases the site."""
    name: Text = ""
    """Human name, e.g. 'Guildhall'."""
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    """Latitude in decimal degrees (WGS84)."""
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
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
    latency_ms: Latency
    """One-way latency across the link in milliseconds; 0 to 100,000, at most 3 decimal
    places (microseconds: then the optimiser's float sums and the checker's exact ones
    agree on every limit)."""
    bandwidth_mbps: float | None = Field(
        default=None, gt=0, le=BANDWIDTH_MAX_MBPS, allow_inf_nan=False
    )
    """Bandwidth in Mbit/s (reported, not yet optimised); at most 1,000,000,000."""


class Upgrade(Item):
    """An accreditation a room can gain (spec/decisions.md): bought or not by the plan."""

    accreditation: Id
    """The accreditation the room gains, e.g. dspt or pasf."""
    cost: Money
    """One-off cost of the upgrade, GBP, in the month it first holds; 0 to 1,000,000,000."""
    annual_cost: Money = 0
    """Added to the room's running cost from that month on, GBP a year; 0 to
    1,000,000,000."""
    lead_months: int = Field(default=0, ge=0, le=LEAD_MONTHS_MAX)
    """Months from the start of the migration to the first month the room can hold it; 0
    to 1,200."""


class Room(Item):
    """A machine room (server room or data centre hall) that hosts workloads."""

    id: Id
    """Unique room id."""
    site: Id = ""
    """Site the room is on (a suite may leave it out: it is on its parent's site)."""
    name: Text = ""
    """Human name, e.g. 'Guildhall basement machine room'."""
    racks: Racks
    """Capacity: rack spaces (42U) available for workloads; 0 to 100,000, at most 3
    decimal places."""
    power_kw: PowerKw
    """Capacity: IT power available for workloads, kW; 0 to 1,000,000, at most 3 decimal
    places."""
    vcpu: Vcpu | None = None
    """Capacity: virtual CPUs its hosts offer to workloads (absent: not limited); 0 to
    10,000,000, at most 3 decimal places."""
    memory_gib: MemoryGib | None = None
    """Capacity: memory its hosts offer to workloads, GiB (absent: not limited); 0 to
    100,000,000, at most 3 decimal places."""
    storage_tib: StorageTib | None = None
    """Capacity: storage its datastores offer to workloads, TiB (absent: not limited); 0
    to 10,000,000, at most 3 decimal places."""
    annual_cost: Money
    """Cost of keeping the room open, GBP a year (rent, energy, maintenance, support);
    0 to 1,000,000,000."""
    closure_cost: Money = 0
    """One-off cost to decommission the room, GBP; 0 to 1,000,000,000."""
    accreditations: list[Id] = Field(default_factory=list)
    """Accreditations the room holds, e.g. [psn, pasf, dspt]."""
    earliest_close: Date | None = None
    """Lease or contract date: the room may not close before this date; 1900-01-01 to
    2199-12-31."""
    status: Literal["existing", "candidate"] = "existing"
    """'existing' (open today) or 'candidate' (could be opened by the plan)."""
    upgrades: list[Upgrade] = Field(default_factory=list)
    """Accreditations the room can gain, each with its cost and lead time (spec/decisions.md)."""
    within: Id | None = None
    """A secure suite: the room it is built inside (same site; a room of its own for
    separation and accreditation, open only while its parent is open; not counted by
    --max-rooms). Its site may be left out: it is the parent's."""
    open_cost: Money = 0
    """One-off cost to open a candidate room, GBP; 0 to 1,000,000,000."""
    ops_fte: float = Field(default=0, ge=0, le=OPS_FTE_MAX, allow_inf_nan=False)
    """Staff (FTE) whose posts depend on the room being open (reported as staff impact);
    0 to 1,000."""
    keep: bool = False
    """True: the room must stay open (or, for a candidate, be opened)."""
    close: bool = False
    """True: the room must close (or, for a candidate, stay unused)."""

    def holds(self) -> str:
        """What the room holds, in words: '10 racks, 35 kW and 256 vCPU'."""
        parts = [
            f"{getattr(self, k):g} {RESOURCE_UNITS[k]}"
            for k in RESOURCES
            if getattr(self, k) is not None
        ]
        return ", ".join(parts[:-1]) + " and " + parts[-1]

    @model_validator(mode="after")
    def _sited(self) -> Room:
        if not self.site and self.within is None:
            raise ValueError(
                "site is missing: name the site the room is on (only a suite, a room "
                "`within` another, may leave it out)"
            )
        return self

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
    name: Text = ""
    """Human name."""
    seats: int = Field(ge=0, le=SEATS_MAX)
    """Most staff (FTE) the desk can hold; 0 to 100,000."""
    fixed_cost: Money
    """Cost of keeping the desk open, GBP a year, before staff; 0 to 1,000,000,000."""
    cost_per_fte: Money
    """Cost of one desk post, GBP a year (salary and on-costs); 0 to 1,000,000,000."""
    tickets_per_fte: Annotated[
        float,
        Field(gt=0, le=TICKETS_PER_FTE_MAX, allow_inf_nan=False),
        _places(TICKETS_PER_FTE_PLACES, "desk staff are planned in 1/10,000 of a ticket"),
    ]
    """Tickets one FTE handles in a year; more than 0, at most 1,000,000, at most 4
    decimal places."""
    vetting: list[Id] = Field(default_factory=list)
    """Clearances the desk's staff hold, e.g. [npv3]."""
    closure_cost: Money = 0
    """One-off cost to close the desk, GBP; 0 to 1,000,000,000."""


class Dependency(Item):
    """A dependency of one workload on another, with the latency it tolerates."""

    workload: Id
    """The workload depended upon."""
    max_latency_ms: Latency
    """Most latency between the two workloads' sites, ms (0 = same site); 0 to 100,000,
    at most 3 decimal places."""


class Workload(Item):
    """A system or application: the thing that moves between rooms."""

    id: Id
    """Unique workload id."""
    organisation: Id
    """Organisation that owns the workload (pays for it, bears its moves)."""
    name: Text = ""
    """Human name, e.g. 'Revenues and benefits'."""
    zone: Id
    """Security zone of the workload."""
    room: Id
    """Room where it runs today (an existing room)."""
    racks: Racks
    """Rack spaces it takes; 0 to 100,000, at most 3 decimal places."""
    power_kw: PowerKw
    """IT power it draws, kW; 0 to 1,000,000, at most 3 decimal places."""
    vcpu: Vcpu = 0
    """Virtual CPUs it needs (its VMs' vCPUs); 0 to 10,000,000, at most 3 decimal places."""
    memory_gib: MemoryGib = 0
    """Memory it needs, GiB; 0 to 100,000,000, at most 3 decimal places."""
    storage_tib: StorageTib = 0
    """Storage it needs (its VMs' provisioned disk), TiB; 0 to 10,000,000, at most 3
    decimal places."""
    users: list[Id] = Field(default_factory=list)
    """Sites whose staff use it; each must reach its room within `max_latency_ms`."""
    max_latency_ms: Latency | None = None
    """Most latency from each user site to its room, ms (absent: no limit beyond
    reachability); 0 to 100,000, at most 3 decimal places."""
    depends_on: list[Dependency] = Field(default_factory=list)
    """Workloads it depends on, each with the latency the pair tolerates."""
    distinct_site_from: list[Id] = Field(default_factory=list)
    """Workloads (replicas, DR pairs) that must run on a different site."""
    migration_cost: Money = 0
    """One-off cost if the workload moves to another room, GBP; 0 to 1,000,000,000."""
    migration_days: PersonDays = 0
    """Person-days of the migration team a move takes; 0 to 1,000,000, at most 2 decimal
    places (planned in hundredths)."""
    not_before: Date | None = None
    """It may not move before this date; 1900-01-01 to 2199-12-31."""
    not_after: Date | None = None
    """If it moves, it must have moved by this date; 1900-01-01 to 2199-12-31."""
    pinned: bool = False
    """True: it must stay in its current room."""
    refresh_due: Date | None = None
    """Its hardware is replaced in or after this month (spec/decisions.md): a move in
    that month or later costs `refresh_move_cost` instead of `migration_cost`;
    1900-01-01 to 2199-12-31."""
    refresh_move_cost: Money | None = None
    """One-off cost of a move made at the refresh (new kit installed at the
    destination), GBP; 0 to 1,000,000,000. Needs `refresh_due`."""

    @field_validator("refresh_move_cost")
    @classmethod
    def _refresh(cls, cost: float | None, info: ValidationInfo) -> float | None:
        # A field validator (not a model one) so the problem names the field at fault.
        if cost is not None and info.data.get("refresh_due") is None:
            raise ValueError("a refresh_move_cost needs the refresh_due it applies from")
        return cost

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


COMPUTE: tuple[str, ...] = ("vcpu", "memory_gib", "storage_tib")
"""The compute resources: optional on rooms (absent: not limited), 0 by default on
workloads."""

RESOURCES: tuple[str, ...] = ("racks", "power_kw", *COMPUTE)
"""Every resource a room holds and a workload takes (rule 2): the field of both."""


def thousandths(amount: float) -> int:
    """An amount of a resource (at most 3 decimal places, as the inventory holds them) in
    thousandths: sums of these are exact."""
    return round(amount * 1000)


RESOURCE_UNITS: dict[str, str] = {
    "racks": "racks",
    "power_kw": "kW",
    "vcpu": "vCPU",
    "memory_gib": "GiB of memory",
    "storage_tib": "TiB of storage",
}
"""How a sentence names an amount of each resource: '12 vCPU', '40 TiB of storage'."""


class RoomCompute(Item):
    """Compute capacity of a room stated apart from the room (as `planner import` writes
    it, so that the hand-written room stays as it was). Loading sets these on the room;
    a room may have one entry, stating only resources the room itself does not."""

    room: Id
    """The room (an id of `rooms`)."""
    vcpu: Vcpu | None = None
    """Virtual CPUs its hosts offer; 0 to 10,000,000, at most 3 decimal places."""
    memory_gib: MemoryGib | None = None
    """Memory its hosts offer, GiB; 0 to 100,000,000, at most 3 decimal places."""
    storage_tib: StorageTib | None = None
    """Storage its datastores offer, TiB; 0 to 10,000,000, at most 3 decimal places."""


SECTIONS: dict[str, type[Item]] = {
    "zones": Zone,
    "networks": Network,
    "organisations": Organisation,
    "sites": Site,
    "links": Link,
    "rooms": Room,
    "service_desks": ServiceDesk,
    "workloads": Workload,
    "room_compute": RoomCompute,
}
"""The list sections of an inventory and the item model of each (all but `separate`)."""

TOP_LEVEL_KEYS: tuple[str, ...] = ("estate", "uncertainty", "separate", *SECTIONS)


class Inventory(BaseModel):
    """A whole estate: every partner's files merged.

    Equality compares content only, so the same estate read from YAML, CSV or
    XLSX gives equal inventories. Where each item came from (file, line) is kept
    apart, in :class:`planner.inventory.load.Loaded`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    estate: Estate
    """The programme settings."""
    uncertainty: Uncertainty | None = None
    """How uncertain the figures are, for `planner explore --risk` (absent: HM Treasury
    Green Book optimism bias defaults)."""
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
    room_compute: list[RoomCompute] = Field(default_factory=list)
    """Compute capacities of rooms stated apart from them (merged into the rooms when an
    estate is loaded, so a loaded inventory holds none)."""

    def replaced(self, **changes: Any) -> Inventory:
        """A new inventory with these fields replaced. Not ``model_copy(update=...)``: that
        would carry over this one's cached lookups (``zone``, ``room``, ``separated_pairs``
        ...), which would then describe the old fields."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**fields, **changes})

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
