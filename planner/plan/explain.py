"""Why no plan exists, in the words of the estate.

:func:`explain_infeasible` builds the explanation model of the estate (every
rule guarded by an assumption), asks the solver for a minimal verified set of
conflicting rules (:func:`planner.solver.find_core`), and turns each rule into
a sentence that names the rooms, zones, workloads and figures involved: one
sentence per :class:`~planner.solver.Guard`, in :data:`SENTENCES`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from planner.cores import Core, GuardKey
from planner.inventory.items import Inventory
from planner.solver import Guard, find_core
from planner.target import EstateProblem, LimitOptions, build_problem


def _ids(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


@dataclass(frozen=True)
class _Said:
    """What a sentence may draw on: the estate, its solver problem, the limits, the key."""

    ep: EstateProblem
    limits: LimitOptions
    key: GuardKey

    @property
    def inv(self) -> Inventory:
        return self.ep.inventory

    @property
    def index(self) -> int:
        arg = self.key[1]
        assert isinstance(arg, int)
        return arg

    def arg(self, i: int = 1) -> Hashable:
        return self.key[i]


def _pinned(s: _Said) -> str:
    w = s.inv.workload[s.ep.problem.workloads[s.index].id]
    return f"{w.id} is pinned to room {w.room} (rule 1)"


def _capacity(s: _Said) -> str:
    room = s.inv.room[s.ep.problem.rooms[s.index].id]
    return f"room {room.id} holds at most {room.holds()} (rule 2, capacity)"


def _accreditation(s: _Said) -> str:
    w = s.inv.workload[s.ep.problem.workloads[s.index].id]
    zone = s.inv.zone[w.zone]
    holders = [r.id for r in s.inv.rooms if set(zone.requires) <= set(r.accreditations)]
    return (
        f"{w.id} (zone {zone.id}) needs a room holding {', '.join(zone.requires)}; "
        f"only {_ids(holders) or 'no room'} "
        f"{'does' if len(holders) == 1 else 'do'} (rule 3, accreditation)"
    )


def _separate(s: _Said) -> str:
    return f"zones {s.arg(1)} and {s.arg(2)} may never share a room (separate; rule 4)"


def _isolation(s: _Said) -> str:
    return f"zone {s.arg()} has isolation: room, so a room hosting it hosts no other zone (rule 4)"


def _user_latency(s: _Said) -> str:
    w = s.inv.workload[s.ep.problem.workloads[s.index].id]
    reach = s.ep.graph.sites_in_reach(w)
    rooms = [r.id for r in s.inv.rooms if reach is None or r.site in reach]
    limit = f"within {w.max_latency_ms:g} ms" if w.max_latency_ms is not None else "at all"
    return (
        f"{w.id} must be reachable from its users at {', '.join(w.users)} {limit} over "
        f"zone {w.zone}'s networks; rooms in reach: {_ids(rooms) or 'none'} "
        f"(rule 5, user latency)"
    )


def _pair(s: _Said) -> tuple[str, str]:
    rule = s.ep.problem.site_rules[s.index]
    p = s.ep.problem
    return p.workloads[rule.a].id, p.workloads[rule.b].id


def _dependency(s: _Said) -> str:
    a_id, b_id = _pair(s)
    a = s.inv.workload[a_id]
    tolerated = next(d.max_latency_ms for d in a.depends_on if d.workload == b_id)
    return (
        f"{a_id} depends on {b_id} and tolerates {tolerated:g} ms between their sites "
        f"(rule 6, dependency latency)"
    )


def _resilience(s: _Said) -> str:
    a_id, b_id = _pair(s)
    km = s.inv.estate.dr_min_distance_km
    apart = f", at least {km:g} km apart" if km > 0 else ""
    return f"{a_id} and {b_id} must run on different sites{apart} (rule 7, resilience)"


def _keep(s: _Said) -> str:
    room = s.inv.room[s.ep.problem.rooms[s.index].id]
    if room.keep:
        return f"room {room.id} is marked keep: true (rule 8)"
    return (
        f"room {room.id} may not close before {room.earliest_close}, after the "
        f"horizon, so it stays open (earliest_close; rule 10)"
    )


def _close(s: _Said) -> str:
    return f"room {s.ep.problem.rooms[s.index].id} is marked close: true (rule 8)"


def _closing(s: _Said) -> str:
    w = s.inv.workload[s.ep.problem.workloads[s.index].id]
    closing = [r.id for r in s.inv.rooms if r.close]
    return f"{w.id} may not use the rooms marked close: true ({_ids(closing)}) (rule 8)"


def _max_rooms(s: _Said) -> str:
    p = s.ep.problem
    counted = [r.id for r in p.rooms if r.counts_to_limit]
    scope = "" if len(counted) == len(p.rooms) else " of the shared service"
    n = s.limits.max_rooms
    return f"--max-rooms {n} allows at most {n} open room{'s' if n != 1 else ''}{scope}"


def _max_desks(s: _Said) -> str:
    n = s.limits.max_desks
    return f"--max-desks {n} allows at most {n} open desk{'s' if n != 1 else ''}"


def _desk_vetting(s: _Said) -> str:
    o = s.inv.organisation[s.ep.problem.organisations[s.index].id]
    able = [d.id for d in s.inv.service_desks if set(o.vetting) <= set(d.vetting)]
    return (
        f"{o.id} must be served by a desk holding {', '.join(o.vetting)}; "
        f"only {_ids(able) or 'no desk'} {'does' if len(able) == 1 else 'do'} (rule 9)"
    )


def _desk_seats(s: _Said) -> str:
    d = s.inv.desk[s.ep.problem.desks[s.index].id]
    return f"desk {d.id} has {d.seats} seats at {d.tickets_per_fte:g} tickets per FTE (rule 9)"


def _cannot_move(s: _Said) -> str:
    w = s.inv.workload[s.ep.problem.workloads[s.index].id]
    return (
        f"{w.id} cannot move within the horizon (window {w.not_before or 'start'} to "
        f"{w.not_after or 'end'}, {w.migration_days:g} person-days against "
        f"{s.inv.estate.migration_days_per_month:g} a month), so it stays in {w.room} "
        f"(rule 10)"
    )


def _migration_budget(s: _Said) -> str:
    est = s.inv.estate
    return (
        f"all moves together may take at most {est.migration_days_per_month:g} "
        f"person-days a month over the {est.horizon_years}-year horizon (rule 10)"
    )


def _move_pair(s: _Said) -> str:
    return f"{s.ep.problem.at_most_one[s.index].label} (rule 10, month by month)"


SENTENCES: dict[Guard, Callable[[_Said], str]] = {
    Guard.PINNED: _pinned,
    Guard.CAPACITY: _capacity,
    Guard.ACCREDITATION: _accreditation,
    Guard.SEPARATE: _separate,
    Guard.ISOLATION: _isolation,
    Guard.USER_LATENCY: _user_latency,
    Guard.DEPENDENCY: _dependency,
    Guard.RESILIENCE: _resilience,
    Guard.KEEP: _keep,
    Guard.CLOSE: _close,
    Guard.CLOSING: _closing,
    Guard.MAX_ROOMS: _max_rooms,
    Guard.MAX_DESKS: _max_desks,
    Guard.DESK_VETTING: _desk_vetting,
    Guard.DESK_SEATS: _desk_seats,
    Guard.CANNOT_MOVE: _cannot_move,
    Guard.MIGRATION_BUDGET: _migration_budget,
    Guard.MOVE_PAIR: _move_pair,
}
"""One sentence for each guard of the target model."""


def describe(ep: EstateProblem, key: GuardKey, limits: LimitOptions) -> str:
    """One sentence for one guarded rule."""
    return SENTENCES[Guard(str(key[0]))](_Said(ep, limits, key))


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
