"""The working records of a generated estate, and the run every step draws from.

Organisations, their rooms and the areas are built up step by step (sites, rooms,
workloads, desk) before they become inventory items. :class:`Run` holds what every
step shares: the one random stream, the ids taken, the town names left and the
links made so far. The steps draw from the stream in a fixed order, so the same
seed gives the same estate.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Literal

from planner.generate.catalogues import PREFIXES, SUFFIXES
from planner.inventory.items import Link, OrganisationKind, ServiceDesk, Site, Workload

START = dt.date(2027, 4, 1)
"""Start of every generated programme (April: a financial year begins)."""
DR_MIN_DISTANCE_KM = 2.0
"""``estate.dr_min_distance_km``; every two sites of one organisation are at least 3 km apart."""

Tier = Literal["county", "district", "unitary", "police", "nhs"]


@dataclass
class Org:
    """An organisation being built: its sites first, then rooms, workloads and desk."""

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
    rooms: list[RoomPlan] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    desk: ServiceDesk | None = None

    @property
    def hq(self) -> Site:
        return self.sites[0]


@dataclass
class RoomPlan:
    """An existing room before it is sized: the racks and power of its workloads so far."""

    id: str
    site: str
    name: str
    accreditations: list[str]
    main: bool
    racks: float = 0.0
    power: float = 0.0


@dataclass
class Area:
    """A county with its districts, or a unitary alone, with its partners if any."""

    index: int
    kind: Literal["county", "unitary"]
    n_councils: int
    radius_km: float
    x: float = 0.0
    y: float = 0.0
    councils: list[Org] = field(default_factory=list)
    police: Org | None = None
    nhs: Org | None = None

    @property
    def lead(self) -> Org:
        return self.councils[0]


class Run:
    """What every step shares: the random stream, ids taken, town names left, links."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.links: list[Link] = []
        self._names = [p + s for p in PREFIXES for s in SUFFIXES]
        self.rng.shuffle(self._names)
        self._used_ids: set[str] = set()

    def town(self) -> str:
        """A town name not used yet (then made-up numbered ones when the pool runs out)."""
        if self._names:
            return self._names.pop()
        return f"{self.rng.choice(PREFIXES)}{self.rng.choice(SUFFIXES)} {self.rng.randint(2, 999)}"

    def unique_id(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... the first not taken (and take it)."""
        ident, n = base, 1
        while ident in self._used_ids:
            n += 1
            ident = f"{base}-{n}"
        self._used_ids.add(ident)
        return ident

    def link(self, a: str, b: str, network: str, ms: float, mbps: float | None) -> None:
        self.links.append(Link(a=a, b=b, network=network, latency_ms=ms, bandwidth_mbps=mbps))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
