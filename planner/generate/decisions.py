"""Decisions beyond keep-or-close (``--decisions``): accreditation upgrades and secure suites.

Opt-in (``generate(councils, seed, decisions=True)``, ``planner generate --decisions``;
spec/decisions.md). In every area with a police force or an NHS body, one host room
is chosen: the area's first candidate hall (probability 0.35, when it has one) or
else the lead council's main room (at its HQ). The host offers an upgrade to each
partner's accreditation it does not hold (``pasf`` for the police, ``dspt`` for the
NHS): GBP 30k-250k one-off, GBP 5k-40k a year, 3-18 months' lead. Inside the host,
each partner gets a candidate secure suite (``within`` the host, on its site): 2-8
racks at 4-8 kW a rack, open cost GBP 50k-200k, GBP 8k-30k a year. A police suite
holds ``[pasf]`` and, when the area also has an NHS body, offers its own ``dspt``
upgrade with probability 0.4; an NHS suite holds ``[dspt]``, or (probability 0.4,
as at Cheshire's Northwich) holds nothing and offers its own ``dspt`` upgrade. Each
partner's HQ gets a link to the host's site on its network (2-5 ms, 10 Gbit/s)
unless it has one (a hall already accredited for it), so its zone reaches the
suite and the upgraded room.

Every draw here comes from its own ``random.Random(seed * 1_000_003 + 17)``, and
the step runs last (after the existing rooms are sized), so the rest of the estate
is identical with and without it: the same rooms, workloads, sites and links, plus
the upgrades on the hosts, the suites (each listed right after its host) and the
new links (after the others). Today's estate stays valid: every suite is a
candidate, and every upgrade's lead time is within the five-year horizon.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from planner.generate.records import Area, Org, Run
from planner.inventory.items import Room, Upgrade

SEED_MULTIPLIER = 1_000_003
SEED_OFFSET = 17
HALL_HOST_P = 0.35
"""Probability that an area with a candidate hall hosts its decisions there."""
SUITE_UPGRADE_P = 0.4
"""Probability that a suite offers its own ``dspt`` upgrade (where one makes sense)."""

_ACCREDITATION = {"police": "pasf", "nhs": "dspt"}


def decisions_rng(seed: int) -> random.Random:
    """The stream of the decisions, independent of the estate's ``random.Random(seed)``."""
    return random.Random(seed * SEED_MULTIPLIER + SEED_OFFSET)


def add_decisions(
    run: Run, seed: int, areas: Sequence[Area], halls: Sequence[Sequence[Room]], rooms: list[Room]
) -> list[Room]:
    """``rooms`` with the hosts' upgrades and the suites; new links go to ``run.links``.

    ``halls[i]`` are the candidate halls of ``areas[i]``; ``rooms`` holds every room
    of the estate (the hosts among them), and is not changed.
    """
    rng = decisions_rng(seed)
    out = list(rooms)
    index = {r.id: k for k, r in enumerate(out)}
    suites: dict[str, list[Room]] = {}
    for area, area_halls in zip(areas, halls, strict=True):
        partners = [p for p in (area.police, area.nhs) if p is not None]
        if not partners:
            continue
        use_hall = bool(area_halls) and rng.random() < HALL_HOST_P
        host = out[index[area_halls[0].id if use_hall else area.lead.rooms[0].id]]
        upgrades = [
            _upgrade(rng, _ACCREDITATION[p.tier])
            for p in partners
            if _ACCREDITATION[p.tier] not in host.accreditations
        ]
        out[index[host.id]] = host.model_copy(update={"upgrades": upgrades})
        suites[host.id] = [_suite(run, rng, area, host, p) for p in partners]
        for p in partners:
            _link(run, rng, p, host.site)
    return [s for r in out for s in (r, *suites.get(r.id, ()))]


def _upgrade(rng: random.Random, accreditation: str) -> Upgrade:
    return Upgrade(
        accreditation=accreditation,
        cost=rng.randint(30, 250) * 1000,
        annual_cost=rng.randint(5, 40) * 1000,
        lead_months=rng.randint(3, 18),
    )


def _suite(run: Run, rng: random.Random, area: Area, host: Room, partner: Org) -> Room:
    """A candidate suite for ``partner`` inside ``host``."""
    racks = rng.randint(2, 8)
    upgrades: list[Upgrade] = []
    if partner.tier == "police":
        accreditations = ["pasf"]
        if area.nhs is not None and rng.random() < SUITE_UPGRADE_P:
            upgrades.append(_upgrade(rng, "dspt"))
        label = "police"
    else:
        accreditations = ["dspt"]
        if rng.random() < SUITE_UPGRADE_P:
            accreditations = []
            upgrades.append(_upgrade(rng, "dspt"))
        label = "NHS"
    return Room(
        id=run.unique_id(f"{host.id}-{partner.tier}-suite"),
        site=host.site,
        name=f"{host.name} {label} suite",
        racks=racks,
        power_kw=math.ceil(racks * rng.uniform(4, 8)),
        annual_cost=rng.randint(8, 30) * 1000,
        accreditations=accreditations,
        status="candidate",
        upgrades=upgrades,
        within=host.id,
        open_cost=rng.randint(10, 40) * 5000,
    )


def _link(run: Run, rng: random.Random, partner: Org, site: str) -> None:
    """A link from the partner's HQ to ``site`` on its network, unless there is one."""
    ms = round(rng.uniform(2, 5), 1)  # drawn either way: one draw per partner
    hq = partner.hq.id
    if any(
        link.network == partner.network and {link.a, link.b} == {hq, site} for link in run.links
    ):
        return
    run.link(hq, site, partner.network, ms, 10000)
