"""The plan's cost totals and the solver's figures: steady costs before and after, one-off
costs and their breakdowns, the objective (one_off + A x planned_steady), the annuity
factor, the objective's breakdown, the bound and the gap.

Accreditation upgrades (spec/decisions.md) are in them: their one-off costs in one_off,
one_off_breakdown.room_upgrade (absent = 0) and the breakdown's rooms (closures +
openings + upgrades + A x rooms_after); the annual costs of those bought for rooms open
in the target estate in planned_steady and steady_breakdown.rooms_after."""

from __future__ import annotations

from planner.checker.amounts import combine, gbp, money_tolerance, q
from planner.checker.context import Ctx
from planner.checker.figures import FACTOR_TOLERANCE, Figures, check_amount


def check_costs(ctx: Ctx, f: Figures) -> None:
    _check_totals(ctx, f)
    _check_solver(ctx, f)


def _check_totals(ctx: Ctx, f: Figures) -> None:
    """costs: baseline_steady, planned_steady, one_off, and their breakdowns (ext)."""
    costs = ctx.plan["costs"]
    for key, exact in (
        ("baseline_steady", f.baseline),
        ("planned_steady", f.planned),
        ("one_off", f.one_off),
    ):
        check_amount(ctx, "costs", (key,), f"costs.{key}", costs[key], exact)
    parts = {
        "one_off_breakdown": {
            "migration": f.migration,
            "room_closure": f.room_closure,
            "room_opening": f.room_opening,
            "desk_closure": f.desk_closure,
            "room_upgrade": f.room_upgrade,
        },
        "steady_breakdown": {
            "rooms_before": f.rooms_before,
            "rooms_after": f.rooms_after,
            "desks_before": f.desks_before,
            "desks_after": f.desks_after,
        },
    }
    for group, items in parts.items():
        given = costs.get(group)
        if not isinstance(given, dict):
            continue
        if group == "one_off_breakdown":
            _check_room_upgrade_present(ctx, given, f)
        for key, exact in items.items():
            if key in given:
                where = f"{group}.{key}"
                check_amount(ctx, "costs", (where,), f"costs.{where}", given[key], exact)


def _check_room_upgrade_present(ctx: Ctx, given: dict[str, object], f: Figures) -> None:
    """one_off_breakdown.room_upgrade is opt: its absence means 0, so a plan that buys an
    upgrade states it (a violation for planner's own plans, a note for another tool's)."""
    if "room_upgrade" in given or not f.room_upgrade.keys:
        return
    text = (
        f"costs.one_off_breakdown has no room_upgrade, but the plan buys "
        f"{len(f.room_upgrade.keys)} upgrade(s) costing {gbp(f.room_upgrade.value)}"
    )
    if ctx.strict:
        ctx.add("costs", ("one_off_breakdown.room_upgrade",), text)
    else:
        ctx.report.notes.append(text + " (taken as stated in costs.one_off)")


def _check_solver(ctx: Ctx, f: Figures) -> None:
    """solver: the objective, the annuity factor, the breakdown, the bound and the gap."""
    solver = ctx.plan["solver"]
    objective = f.objective
    check_amount(
        ctx,
        "costs",
        ("solver.objective",),
        "solver.objective (one_off + A x planned_steady)",
        solver["objective"],
        objective,
    )
    if "annuity_factor" in solver and abs(q(solver["annuity_factor"]) - f.A) > FACTOR_TOLERANCE:
        ctx.add(
            "costs",
            ("solver.annuity_factor",),
            f"solver.annuity_factor is {solver['annuity_factor']} but A = sum_(y=1..H) "
            f"(1+r)^-y = {float(f.A):.9f}",
        )
    breakdown = solver.get("breakdown")
    if isinstance(breakdown, dict):
        terms = {
            "moves": f.migration,
            "rooms": combine(
                (1, f.room_closure),
                (1, f.room_opening),
                (1, f.room_upgrade),
                (1, f.annuity_of(f.rooms_after)),
            ),
            "desks": combine((1, f.desk_closure), (1, f.annuity_of(f.desks_after))),
        }
        for key, exact in terms.items():
            if key in breakdown:
                where = f"solver.breakdown.{key}"
                check_amount(ctx, "costs", (where,), where, breakdown[key], exact)
    bound, gap = solver.get("bound"), solver.get("gap")
    obj = q(solver["objective"])
    if bound is not None and q(bound) > objective.value + money_tolerance(
        objective.items, objective.value
    ):
        ctx.add(
            "costs",
            ("solver.bound",),
            f"solver.bound {gbp(q(bound))} exceeds the plan's own objective "
            f"{gbp(objective.value)}; a lower bound cannot",
        )
    if bound is not None and gap is not None and obj != 0:
        expected_gap = (obj - q(bound)) / obj
        if abs(q(gap) - expected_gap) > FACTOR_TOLERANCE:
            ctx.add(
                "costs",
                ("solver.gap",),
                f"solver.gap is {gap} but (objective - bound) / objective = "
                f"{float(expected_gap):.6g}",
            )
