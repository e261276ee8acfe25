"""The order of the generator's steps, and their results put together as an inventory.

Every step draws from one random stream, so the order below is part of the output:
areas, then per area its organisations (sites and planned rooms) and PSN links,
then the backbones, then per organisation its workloads and desk, then the
candidate halls (after the workloads, so that no workload has a colocation site
as a user site), and last the sizing of the existing rooms. With ``decisions``, the
upgrades and suites of :mod:`planner.generate.decisions` come after all that, from a
stream of their own, so they change nothing else.
"""

from __future__ import annotations

from planner.generate.decisions import add_decisions
from planner.generate.geography import plan_areas
from planner.generate.networks import area_links, backbone, networks, zones
from planner.generate.organisations import add_organisations, desk, organisation
from planner.generate.records import DR_MIN_DISTANCE_KM, START, Area, Org, Run
from planner.generate.rooms import candidate_rooms, finish_rooms
from planner.generate.workloads import add_workloads
from planner.inventory.items import Estate, Inventory, Room
from planner.inventory.write import split_order


def generate(councils: int, seed: int = 0, decisions: bool = False) -> Inventory:
    """A random estate of ``councils`` councils (plus police and NHS partners), valid today.

    ``decisions``: add accreditation upgrades and candidate secure suites in every
    area with a partner (:mod:`planner.generate.decisions`); the rest of the estate
    is the same as without them.

    Deterministic: the same ``councils`` and ``seed`` give an equal inventory, and
    :func:`planner.inventory.write.write_yaml` writes it byte for byte the same.
    The result is in split-by-organisation order, so written with
    ``write_yaml(inv, out_dir)`` it loads back equal to itself.
    """
    if councils < 1:
        raise ValueError(f"councils must be at least 1, not {councils}")
    run = Run(seed)
    areas = plan_areas(run, councils)
    orgs: list[Org] = []
    for area in areas:
        add_organisations(run, area)
        orgs.extend(area.councils)
        orgs.extend(o for o in (area.police, area.nhs) if o is not None)
        area_links(run, area)
    backbone(run, [a.lead for a in areas], "psn", 2)
    backbone(run, [a.police for a in areas if a.police is not None], "psnp", 1)
    backbone(run, [a.nhs for a in areas if a.nhs is not None], "hscn", 1)
    for org in orgs:
        add_workloads(run, org)
        org.desk = desk(run, org)
    halls = [candidate_rooms(run, area) for area in areas]
    return _inventory(run, councils, seed, orgs, areas, halls, decisions)


def _inventory(
    run: Run,
    councils: int,
    seed: int,
    orgs: list[Org],
    areas: list[Area],
    halls: list[list[Room]],
    decisions: bool,
) -> Inventory:
    """The inventory, in split-by-organisation order (existing rooms are sized here)."""
    organisations, sites, rooms, desks, workloads = [], [], [], [], []
    for org in orgs:
        assert org.desk is not None
        organisations.append(organisation(org, org.desk))
        sites.extend(org.sites)
        rooms.extend(finish_rooms(run, org))
        desks.append(org.desk)
        workloads.extend(org.workloads)
    rooms.extend(room for area_halls in halls for room in area_halls)
    if decisions:
        rooms = add_decisions(run, seed, areas, halls, rooms)
    with_decisions = ", with upgrades and suites" if decisions else ""
    estate = Estate(
        name=f"Generated estate: {councils} councils (seed {seed}{with_decisions})",
        start=START,
        horizon_years=5,
        discount_rate=0.035,
        migration_days_per_month=max(40, 20 * councils),
        dr_min_distance_km=DR_MIN_DISTANCE_KM,
    )
    inv = Inventory(
        estate=estate,
        zones=zones(),
        separate=[("nhs", "official")],
        networks=networks(),
        organisations=organisations,
        sites=sites,
        links=run.links,
        rooms=rooms,
        service_desks=desks,
        workloads=workloads,
    )
    return split_order(inv)
