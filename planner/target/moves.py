"""Rule 10 before the model: what the migration can do at all, and pairs of moves.

A workload that cannot move within the horizon (its not_before/not_after window
misses it, or its migration_days exceed migration_days_per_month, since a move
happens in one month) keeps today's room; an existing room whose earliest_close
leaves no closing month in the horizon stays open. Pairs of dependent or
replicated workloads whose moves no month-by-month order can make legal become
at-most-one rules (:func:`move_pair_rules`).
"""

from __future__ import annotations

from planner.inventory.geo import great_circle_km
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory
from planner.inventory.items import Room as InvRoom
from planner.inventory.items import Workload as InvWorkload
from planner.inventory.months import Calendar
from planner.solver import AtMostOne, Room, Workload


def can_move(w: InvWorkload, inv: Inventory, cal: Calendar) -> bool:
    """Whether the migration could move the workload at all (rule 10)."""
    if w.pinned or w.migration_days > inv.estate.migration_days_per_month + 1e-9:
        return False
    lo, hi = move_window(w, cal)
    return lo <= hi


def move_window(w: InvWorkload, cal: Calendar) -> tuple[int, int]:
    """First and last month the workload may move in (empty when first > last)."""
    lo = max(0, cal.month_of(w.not_before)) if w.not_before else 0
    hi = min(cal.months - 1, cal.month_of(w.not_after)) if w.not_after else cal.months - 1
    return lo, hi


def refresh_month(w: InvWorkload, cal: Calendar) -> int | None:
    """The first month a move costs ``refresh_move_cost`` (its refresh_due's month, 0 when
    that is before the start); None without a refresh price."""
    if w.refresh_due is None or w.refresh_move_cost is None:
        return None
    return max(0, cal.month_of(w.refresh_due))


def move_cost(w: InvWorkload, month: int, cal: Calendar) -> float:
    """What moving the workload in ``month`` costs (spec/decisions.md, hardware refresh):
    ``refresh_move_cost`` from its refresh month on, else ``migration_cost``."""
    r = refresh_month(w, cal)
    if r is not None and month >= r and w.refresh_move_cost is not None:
        return w.refresh_move_cost
    return w.migration_cost


def target_move_cost(w: InvWorkload, cal: Calendar, earliest: int = 0) -> float:
    """How the target values moving the workload: the cheapest price of a month in its
    window (the refresh price when a month from its refresh on is in the window), from
    ``earliest`` on (a move into a room whose upgrade holds from then). The schedule
    then picks the month, trading the cheaper move against closing a room sooner; the
    plan's figures are those of the month it picks."""
    lo, hi = move_window(w, cal)
    lo = max(lo, earliest)
    r = refresh_month(w, cal)
    prices = []
    if lo <= hi and (r is None or r > lo):  # its first month is before the refresh
        prices.append(w.migration_cost)
    if lo <= hi and r is not None and w.refresh_move_cost is not None and max(r, lo) <= hi:
        prices.append(w.refresh_move_cost)
    return min(prices, default=w.migration_cost)


def can_close(room: InvRoom, cal: Calendar) -> bool:
    """Whether an existing room could close within the horizon (earliest_close)."""
    if room.earliest_close is None:
        return True
    return max(1, cal.first_month_after(room.earliest_close)) <= cal.months


def move_pair_rules(
    inv: Inventory,
    graph: EstateGraph,
    cal: Calendar,
    workloads: list[Workload],
    rooms: tuple[Room, ...],
    sites: tuple[str, ...],
) -> list[AtMostOne]:
    """Rule 10 for dependency and DR pairs, as sets of assignments of which at most one holds.

    For a pair (a, b) that both move, the only states besides today's and the target's
    are (to_a, from_b) if a moves first and (from_a, to_b) if b does. Let FA be a's
    options whose state (to_a, from_b) breaks the pair's rule, FB likewise for b.

    * a's window ends before b's begins: a moves first, so a in FA forbids b moving:
      sum_{r in FA} x[a, r] + sum_{r != today(b)} x[b, r] <= 1 (and symmetrically);
    * otherwise, when a in FA and b in FB they must move in the same month, which
      their person-days may not allow: sum_{FA} x[a, r] + sum_{FB} x[b, r] <= 1.
    """
    ix = {w.id: i for i, w in enumerate(inv.workloads)}
    budget = inv.estate.migration_days_per_month + 1e-9
    pairs: list[tuple[str, str, str, float]] = []
    for w in inv.workloads:
        pairs += [("near", w.id, d.workload, d.max_latency_ms) for d in w.depends_on]
        pairs += [("apart", w.id, other, 0.0) for other in w.distinct_site_from]
    min_km = inv.estate.dr_min_distance_km

    def legal(kind: str, wa: str, wb: str, ra: int, rb: int, limit: float) -> bool:
        sa, sb = sites[rooms[ra].site], sites[rooms[rb].site]
        if kind == "apart":
            return sa != sb and (min_km <= 0 or site_km(inv, sa, sb) + 1e-9 >= min_km)
        za, zb = inv.workload[wa].zone, inv.workload[wb].zone
        return graph.dependency_latency(za, zb, sa, sb) <= limit + 1e-9

    out: list[AtMostOne] = []
    for kind, wa, wb, limit in pairs:
        a, b = ix[wa], ix[wb]
        A, B = workloads[a], workloads[b]
        if A.today is None or B.today is None:
            continue
        moves_a = [r for r, _ in A.options if r != A.today]
        moves_b = [r for r, _ in B.options if r != B.today]
        if not moves_a or not moves_b:
            continue
        fa = [r for r in moves_a if not legal(kind, wa, wb, r, B.today, limit)]
        fb = [r for r in moves_b if not legal(kind, wa, wb, A.today, r, limit)]
        lo_a, hi_a = move_window(inv.workload[wa], cal)
        lo_b, hi_b = move_window(inv.workload[wb], cal)
        label = f"{wa} and {wb} ({'dependency' if kind == 'near' else 'DR pair'})"
        if hi_a < lo_b and fa:
            out.append(
                AtMostOne(
                    tuple((a, r) for r in fa) + tuple((b, r) for r in moves_b),
                    f"{label}: {wa} must move before {wb}",
                )
            )
        elif hi_b < lo_a and fb:
            out.append(
                AtMostOne(
                    tuple((b, r) for r in fb) + tuple((a, r) for r in moves_a),
                    f"{label}: {wb} must move before {wa}",
                )
            )
        elif (
            fa
            and fb
            and (
                inv.workload[wa].migration_days + inv.workload[wb].migration_days > budget
                or max(lo_a, lo_b) > min(hi_a, hi_b)
            )
        ):
            out.append(
                AtMostOne(
                    tuple((a, r) for r in fa) + tuple((b, r) for r in fb),
                    f"{label}: no order of moves keeps the pair's rule, so they would have "
                    f"to move in the same month, but "
                    + (
                        "their move windows share no month"
                        if max(lo_a, lo_b) > min(hi_a, hi_b)
                        else f"they need {inv.workload[wa].migration_days:g} + "
                        f"{inv.workload[wb].migration_days:g} person-days of "
                        f"{inv.estate.migration_days_per_month:g} a month"
                    ),
                )
            )
    return out


def site_km(inv: Inventory, a: str, b: str) -> float:
    """Great-circle distance between two sites of the estate (rule 7)."""
    sa, sb = inv.site[a], inv.site[b]
    return great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon)
