"""Why no plan exists, in the words of the estate.

:func:`explain_infeasible` builds the explanation model of the estate (every
rule guarded by an assumption), asks :mod:`planner.solver.core` for a
minimal verified set of conflicting rules, and turns each rule into a sentence
that names the rooms, zones, workloads and figures involved.
"""

from __future__ import annotations

from collections.abc import Hashable

from planner.problem import EstateProblem, LimitOptions, build_problem
from planner.solver.core import Core, find_core
from planner.solver.vars import GuardKey


def _ids(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def describe(ep: EstateProblem, key: GuardKey, limits: LimitOptions) -> str:
    """One sentence for one guarded rule."""
    inv, p = ep.inventory, ep.problem
    kind: Hashable = key[0]
    arg = key[1] if len(key) > 1 else None
    if kind == "capacity":
        assert isinstance(arg, int)
        room = inv.room[p.rooms[arg].id]
        return (
            f"room {room.id} holds at most {room.racks:g} racks and {room.power_kw:g} kW "
            f"(rule 2, capacity)"
        )
    if kind == "accreditation":
        assert isinstance(arg, int)
        w = inv.workload[p.workloads[arg].id]
        zone = inv.zone[w.zone]
        holders = [r.id for r in inv.rooms if set(zone.requires) <= set(r.accreditations)]
        return (
            f"{w.id} (zone {zone.id}) needs a room holding {', '.join(zone.requires)}; "
            f"only {_ids(holders) or 'no room'} "
            f"{'does' if len(holders) == 1 else 'do'} (rule 3, accreditation)"
        )
    if kind == "user-latency":
        assert isinstance(arg, int)
        w = inv.workload[p.workloads[arg].id]
        reach = ep.graph.sites_in_reach(w)
        rooms = [r.id for r in inv.rooms if reach is None or r.site in reach]
        limit = f"within {w.max_latency_ms:g} ms" if w.max_latency_ms is not None else "at all"
        return (
            f"{w.id} must be reachable from its users at {', '.join(w.users)} {limit} over "
            f"zone {w.zone}'s networks; rooms in reach: {_ids(rooms) or 'none'} "
            f"(rule 5, user latency)"
        )
    if kind == "separate":
        return f"zones {key[1]} and {key[2]} may never share a room (separate; rule 4)"
    if kind == "isolation":
        return f"zone {arg} has isolation: room, so a room hosting it hosts no other zone (rule 4)"
    if kind in ("dependency", "resilience"):
        assert isinstance(arg, int)
        rule = p.site_rules[arg]
        a, b = inv.workload[p.workloads[rule.a].id], inv.workload[p.workloads[rule.b].id]
        if kind == "dependency":
            tolerated = next(d.max_latency_ms for d in a.depends_on if d.workload == b.id)
            return (
                f"{a.id} depends on {b.id} and tolerates {tolerated:g} ms between their sites "
                f"(rule 6, dependency latency)"
            )
        km = inv.estate.dr_min_distance_km
        apart = f", at least {km:g} km apart" if km > 0 else ""
        return f"{a.id} and {b.id} must run on different sites{apart} (rule 7, resilience)"
    if kind == "keep":
        assert isinstance(arg, int)
        room = inv.room[p.rooms[arg].id]
        if room.keep:
            return f"room {room.id} is marked keep: true (rule 8)"
        return (
            f"room {room.id} may not close before {room.earliest_close}, after the "
            f"horizon, so it stays open (earliest_close; rule 10)"
        )
    if kind == "cannot-move":
        assert isinstance(arg, int)
        w = inv.workload[p.workloads[arg].id]
        return (
            f"{w.id} cannot move within the horizon (window {w.not_before or 'start'} to "
            f"{w.not_after or 'end'}, {w.migration_days:g} person-days against "
            f"{inv.estate.migration_days_per_month:g} a month), so it stays in {w.room} "
            f"(rule 10)"
        )
    if kind == "move-pair":
        assert isinstance(arg, int)
        return f"{p.at_most_one[arg].label} (rule 10, month by month)"
    if kind == "migration-budget":
        est = inv.estate
        return (
            f"all moves together may take at most {est.migration_days_per_month:g} "
            f"person-days a month over the {est.horizon_years}-year horizon (rule 10)"
        )
    if kind == "close":
        assert isinstance(arg, int)
        return f"room {p.rooms[arg].id} is marked close: true (rule 8)"
    if kind == "closing":
        assert isinstance(arg, int)
        w = inv.workload[p.workloads[arg].id]
        closing = [r.id for r in inv.rooms if r.close]
        return f"{w.id} may not use the rooms marked close: true ({_ids(closing)}) (rule 8)"
    if kind == "pinned":
        assert isinstance(arg, int)
        w = inv.workload[p.workloads[arg].id]
        return f"{w.id} is pinned to room {w.room} (rule 1)"
    if kind == "max-rooms":
        counted = [r.id for r in p.rooms if r.counts_to_limit]
        scope = "" if len(counted) == len(p.rooms) else " of the shared service"
        n = limits.max_rooms
        return f"--max-rooms {n} allows at most {n} open room{'s' if n != 1 else ''}{scope}"
    if kind == "max-desks":
        n = limits.max_desks
        return f"--max-desks {n} allows at most {n} open desk{'s' if n != 1 else ''}"
    if kind == "desk-vetting":
        assert isinstance(arg, int)
        o = inv.organisation[p.organisations[arg].id]
        able = [d.id for d in inv.service_desks if set(o.vetting) <= set(d.vetting)]
        return (
            f"{o.id} must be served by a desk holding {', '.join(o.vetting)}; "
            f"only {_ids(able) or 'no desk'} {'does' if len(able) == 1 else 'do'} (rule 9)"
        )
    if kind == "desk-seats":
        assert isinstance(arg, int)
        d = inv.desk[p.desks[arg].id]
        return f"desk {d.id} has {d.seats} seats at {d.tickets_per_fte:g} tickets per FTE (rule 9)"
    return f"rule {':'.join(map(str, key))}"


def explain_infeasible(
    ep: EstateProblem, limits: LimitOptions, time_limit_s: float = 30.0
) -> tuple[list[str], Core | None]:
    """Sentences naming the rules that conflict (empty if none could be found)."""
    explain_ep = build_problem(ep.inventory, ep.graph, limits, explain=True)
    core = find_core(explain_ep.problem, time_limit_s=time_limit_s)
    if core is None:
        return [], None
    lines = [describe(explain_ep, key, limits) for key in core.keys]
    if not core.verified:
        lines.append("(this set could not be re-verified in the time allowed)")
    elif not core.minimal:
        lines.append("(time ran out before every rule was tried: the set may not be minimal)")
    return lines, core
