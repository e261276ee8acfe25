"""Costs, years, finance, organisations and staff, recomputed exactly from the estate.

The cost model is spec/inventory-format.md's; the month-by-month arithmetic, the
allocation to organisations and the staff accounting are docs/plan-format.md's
("Finance, month by month", "Cost allocation to organisations", "Staff
accounting"). All sums are exact (fractions); a plan's figure holds when it is
within 0.01 GBP per item summed plus 1e-9 relative.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from planner.checker.amounts import (
    Key,
    Total,
    annuity,
    combine,
    discount_factor,
    gbp,
    money_ok,
    money_tolerance,
    num,
    q,
)
from planner.checker.context import Ctx
from planner.checker.rules import desk_fte, served_in_plan, served_today

FACTOR_TOLERANCE = Fraction(1, 10**6)
"""Annuity and discount factors are not money: they hold to 1e-6."""
FTE_TOLERANCE = Fraction(1, 10**9)
"""FTE figures are exact up to the float noise of a JSON number (1e-9 per item)."""


def _split(amount: Fraction, weights: dict[str, Fraction], fallback: str) -> dict[str, Fraction]:
    """Share an amount in proportion to weights (all to ``fallback`` when they sum to 0)."""
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return {fallback: amount}
    return {o: amount * w / total for o, w in weights.items() if w}


@dataclass
class Shares:
    """Money per organisation, with the cost items behind each."""

    totals: dict[str, Total] = field(default_factory=lambda: defaultdict(Total))

    def add(self, parts: dict[str, Fraction], key: Key, *more: Key) -> None:
        for o, amount in parts.items():
            self.totals[o].add(amount, key, *more)

    def of(self, o: str) -> Total:
        return self.totals.get(o, Total())


@dataclass
class Figures:
    """Everything recomputed from the estate and the plan's decisions."""

    A: Fraction = Fraction(0)
    rooms_before: Total = field(default_factory=Total)
    desks_before: Total = field(default_factory=Total)
    rooms_after: Total = field(default_factory=Total)
    desks_after: Total = field(default_factory=Total)
    migration: Total = field(default_factory=Total)
    room_closure: Total = field(default_factory=Total)
    room_opening: Total = field(default_factory=Total)
    desk_closure: Total = field(default_factory=Total)
    fte_before: dict[str, int] = field(default_factory=dict)
    fte_after: dict[str, int] = field(default_factory=dict)
    # month by month
    baseline_m: list[Total] = field(default_factory=list)
    planned_m: list[Total] = field(default_factory=list)
    one_off_m: list[Total] = field(default_factory=list)
    # organisations
    org_baseline: Shares = field(default_factory=Shares)
    org_planned: Shares = field(default_factory=Shares)
    org_one_off: Shares = field(default_factory=Shares)
    org_horizon_planned: Shares = field(default_factory=Shares)

    @property
    def baseline(self) -> Total:
        return combine((1, self.rooms_before), (1, self.desks_before))

    @property
    def planned(self) -> Total:
        return combine((1, self.rooms_after), (1, self.desks_after))

    @property
    def one_off(self) -> Total:
        return combine(
            (1, self.migration),
            (1, self.room_closure),
            (1, self.room_opening),
            (1, self.desk_closure),
        )

    def annuity_of(self, steady: Total) -> Total:
        return Total(self.A * steady.value, steady.keys)

    @property
    def objective(self) -> Total:
        return combine((1, self.one_off), (1, self.annuity_of(self.planned)))


def _racks(ctx: Ctx, placement: dict[str, str]) -> dict[str, dict[str, Fraction]]:
    """Room -> organisation -> racks of its workloads there."""
    out: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for w in ctx.inv.workloads:
        out[placement[w.id]][w.organisation] += q(w.racks)
    return out


def _tickets(ctx: Ctx, orgs: list[str]) -> dict[str, Fraction]:
    return {o: Fraction(ctx.inv.organisation[o].tickets_per_year) for o in orgs}


def compute(ctx: Ctx) -> Figures:
    inv, est = ctx.inv, ctx.inv.estate
    f = Figures(A=annuity(est.discount_rate, est.horizon_years))
    today = served_today(ctx)
    plan = served_in_plan(ctx)
    owner_room = {r.id: ctx.owner_of_site(r.site) for r in inv.rooms}
    owner_desk = {d.id: ctx.owner_of_site(d.site) for d in inv.service_desks}
    today_place = {w.id: w.room for w in inv.workloads}
    racks_today = _racks(ctx, today_place)
    racks_target = _racks(ctx, ctx.target)

    for d in inv.service_desks:
        f.fte_before[d.id] = desk_fte(ctx, d.id, today[d.id])
        f.fte_after[d.id] = desk_fte(ctx, d.id, plan[d.id]) if ctx.desk_kept(d.id) else 0

    def desk_cost(desk_id: str, fte: int) -> Fraction:
        d = inv.desk[desk_id]
        return q(d.fixed_cost) + fte * q(d.cost_per_fte)

    def posts(desk_id: str, fte: int) -> list[Key]:
        """A desk's cost is its fixed cost and one item per post (FTE x cost_per_fte)."""
        return [("desk post", desk_id, str(k)) for k in range(fte)]

    # Steady costs and today's / the target's shares.
    for r in inv.rooms:
        cost, key = q(r.annual_cost), ("room", r.id)
        if r.status == "existing":
            f.rooms_before.add(cost, key)
            f.org_baseline.add(_split(cost, racks_today[r.id], owner_room[r.id]), key)
        if ctx.room_open_in_plan(r):
            f.rooms_after.add(cost, key)
            f.org_planned.add(_split(cost, racks_target[r.id], owner_room[r.id]), key)
    for d in inv.service_desks:
        key = ("desk", d.id)
        before, staff = desk_cost(d.id, f.fte_before[d.id]), posts(d.id, f.fte_before[d.id])
        f.desks_before.add(before, key, *staff)
        f.org_baseline.add(
            _split(before, _tickets(ctx, today[d.id]), owner_desk[d.id]), key, *staff
        )
        if ctx.desk_kept(d.id):
            after, staff = desk_cost(d.id, f.fte_after[d.id]), posts(d.id, f.fte_after[d.id])
            f.desks_after.add(after, key, *staff)
            f.org_planned.add(
                _split(after, _tickets(ctx, plan[d.id]), owner_desk[d.id]), key, *staff
            )

    # One-off costs, each in the month it falls, and their shares.
    T = ctx.T
    f.one_off_m = [Total() for _ in range(T)]
    for w in inv.workloads:
        if ctx.moved(w.id):
            cost, key = q(w.migration_cost), ("move", w.id)
            f.migration.add(cost, key)
            f.one_off_m[ctx.move_month[w.id]].add(cost, key)
            f.org_one_off.add({w.organisation: cost}, key)
    for r in inv.rooms:
        decision = ctx.decision(r.id)
        if r.status == "existing" and decision == "close":
            cost, key = q(r.closure_cost), ("room closure", r.id)
            f.room_closure.add(cost, key)
            f.one_off_m[ctx.close_index(r.id) - 1].add(cost, key)
            f.org_one_off.add(_split(cost, racks_today[r.id], owner_room[r.id]), key)
        if r.status == "candidate" and decision == "open":
            cost, key = q(r.open_cost), ("room opening", r.id)
            f.room_opening.add(cost, key)
            f.one_off_m[ctx.open_index(r.id)].add(cost, key)
            f.org_one_off.add(_split(cost, racks_target[r.id], owner_room[r.id]), key)
    for d in inv.service_desks:
        if not ctx.desk_kept(d.id):
            cost, key = q(d.closure_cost), ("desk closure", d.id)
            f.desk_closure.add(cost, key)
            f.one_off_m[ctx.desk_close_index(d.id) - 1].add(cost, key)
            f.org_one_off.add(_split(cost, _tickets(ctx, today[d.id]), owner_desk[d.id]), key)

    # Month by month. A month costs the same as the one before it unless a move, a
    # closure or an opening falls between them, so each run of equal months is costed once.
    baseline = f.baseline
    move_months = sorted(set(ctx.move_month.values()))
    change_months = sorted(set(ctx.change_month.values()))
    Parts = list[tuple[dict[str, Fraction], tuple[Key, ...]]]
    runs: list[tuple[Parts, int]] = []
    signature: tuple[object, ...] | None = None
    planned = Total()
    for m in range(T):
        f.baseline_m.append(Total(baseline.value / 12, baseline.keys))
        rooms_open = tuple(ctx.room_open_at(r, m) for r in inv.rooms)
        desks_open = tuple(
            ctx.desk_kept(d.id) or m < ctx.desk_close_index(d.id) for d in inv.service_desks
        )
        now = (
            bisect_right(move_months, m),
            bisect_right(change_months, m),
            rooms_open,
            desks_open,
        )
        if now == signature:
            f.planned_m.append(planned)
            parts, months = runs[-1]
            runs[-1] = (parts, months + 1)
            continue
        signature = now
        planned = Total()
        parts = []
        racks_m = _racks(ctx, ctx.placement_at(m))
        for r, is_open in zip(inv.rooms, rooms_open, strict=True):
            if is_open:
                cost, key = q(r.annual_cost) / 12, ("room", r.id)
                planned.add(cost, key)
                parts.append((_split(cost, racks_m.get(r.id, {}), owner_room[r.id]), (key,)))
        served_m = ctx.served_at(m)
        for d, is_open in zip(inv.service_desks, desks_open, strict=True):
            if not is_open:
                continue
            served = served_m[d.id]
            # FTE(m) for the organisations it serves this month; a closing desk keeps its
            # FTE before the change until it closes.
            fte = desk_fte(ctx, d.id, served) if ctx.desk_kept(d.id) else f.fte_before[d.id]
            cost, keys = desk_cost(d.id, fte) / 12, (("desk", d.id), *posts(d.id, fte))
            planned.add(cost, *keys)
            parts.append((_split(cost, _tickets(ctx, served), owner_desk[d.id]), keys))
        f.planned_m.append(planned)
        runs.append((parts, 1))
    for parts, months in runs:
        for shares, keys in parts:
            f.org_horizon_planned.add({o: v * months for o, v in shares.items()}, *keys)
    return f


def _money(
    ctx: Ctx, rule: str, ids: tuple[str, ...], what: str, plan_value: Any, exact: Total
) -> None:
    if not money_ok(plan_value, exact):
        ctx.add(
            rule,
            ids,
            f"{what} is {gbp(q(plan_value))} in the plan but {gbp(exact.value)} recomputed "
            f"(off by {gbp(q(plan_value) - exact.value)})",
        )


def check_costs(ctx: Ctx, f: Figures) -> None:
    costs = ctx.plan["costs"]
    _money(
        ctx,
        "costs",
        ("baseline_steady",),
        "costs.baseline_steady",
        costs["baseline_steady"],
        f.baseline,
    )
    _money(
        ctx,
        "costs",
        ("planned_steady",),
        "costs.planned_steady",
        costs["planned_steady"],
        f.planned,
    )
    _money(ctx, "costs", ("one_off",), "costs.one_off", costs["one_off"], f.one_off)
    parts = {
        "one_off_breakdown": {
            "migration": f.migration,
            "room_closure": f.room_closure,
            "room_opening": f.room_opening,
            "desk_closure": f.desk_closure,
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
        for key, exact in items.items():
            if key in given:
                _money(ctx, "costs", (f"{group}.{key}",), f"costs.{group}.{key}", given[key], exact)

    solver = ctx.plan["solver"]
    objective = f.objective
    _money(
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
                (1, f.room_closure), (1, f.room_opening), (1, f.annuity_of(f.rooms_after))
            ),
            "desks": combine((1, f.desk_closure), (1, f.annuity_of(f.desks_after))),
        }
        for key, exact in terms.items():
            if key in breakdown:
                _money(
                    ctx,
                    "costs",
                    (f"solver.breakdown.{key}",),
                    f"solver.breakdown.{key}",
                    breakdown[key],
                    exact,
                )
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


@dataclass
class YearRow:
    label: str
    months: list[int]
    baseline: Total
    planned: Total
    one_off: Total
    savings: Total
    cumulative: Total
    factor: Fraction
    discounted: Total


def year_rows(ctx: Ctx, f: Figures) -> list[YearRow]:
    rows = []
    cumulative = Total()
    for y, (label, months) in enumerate(ctx.cal.years(), start=1):
        b, p, o = Total(), Total(), Total()
        for m in months:
            b.plus(f.baseline_m[m])
            p.plus(f.planned_m[m])
            o.plus(f.one_off_m[m])
        s = combine((1, b), (-1, p), (-1, o))
        cumulative = combine((1, cumulative), (1, s))
        factor = discount_factor(ctx.inv.estate.discount_rate, y)
        discounted = Total(s.value * factor, s.keys | {("year", label)})
        rows.append(YearRow(label, months, b, p, o, s, cumulative, factor, discounted))
    return rows


def check_years(ctx: Ctx, rows: list[YearRow]) -> None:
    given = ctx.plan["years"]
    labels = [r.label for r in rows]
    if [g["year"] for g in given] != labels:
        ctx.add(
            "years",
            tuple(g["year"] for g in given),
            f"years are {[g['year'] for g in given]}, but the horizon's "
            f"{ctx.inv.estate.horizon_years} financial years are {labels}",
        )
    by_label = {g["year"]: g for g in given}
    for row in rows:
        g = by_label.get(row.label)
        if g is None:
            continue
        ctx.report.count("years")
        if "months" in g and int(g["months"]) != len(row.months):
            ctx.add(
                "years",
                (row.label,),
                f"year {row.label} has months {g['months']}, but {len(row.months)} months of "
                "the plan fall in it",
            )
        for key, exact in (
            ("baseline", row.baseline),
            ("planned", row.planned),
            ("one_off", row.one_off),
            ("savings", row.savings),
            ("cumulative_savings", row.cumulative),
            ("discounted_savings", row.discounted),
        ):
            if key in g:
                _money(ctx, "years", (row.label, key), f"year {row.label} {key}", g[key], exact)
        # savings = baseline - planned - one_off on the plan's own figures
        own = q(g["baseline"]) - q(g["planned"]) - q(g["one_off"])
        if abs(q(g["savings"]) - own) > money_tolerance(3, own):
            ctx.add(
                "years",
                (row.label, "savings"),
                f"year {row.label}: savings {g['savings']} is not baseline - planned - one_off "
                f"= {float(own):.2f} of the same row",
            )
        if "discount_factor" in g and abs(q(g["discount_factor"]) - row.factor) > FACTOR_TOLERANCE:
            ctx.add(
                "years",
                (row.label, "discount_factor"),
                f"year {row.label} discount_factor is {g['discount_factor']}, but "
                f"(1 + r)^-{rows.index(row) + 1} = {float(row.factor):.9f}",
            )


def check_months(ctx: Ctx, f: Figures) -> None:
    """The monthly series (ext): every month of the horizon, in order, each figure."""
    given = ctx.plan.get("months")
    if not isinstance(given, list):
        return
    labels = [ctx.month_label(m) for m in range(ctx.T)]
    if [g["month"] for g in given] != labels:
        ctx.add(
            "months",
            ("months",),
            f"months lists {len(given)} month(s), but the horizon has {ctx.T}, "
            f"{labels[0]}..{labels[-1]}, each once and in order",
        )
    index = {g["month"]: g for g in given}
    cumulative = Total()
    for m, label in enumerate(labels):
        savings = combine((1, f.baseline_m[m]), (-1, f.planned_m[m]), (-1, f.one_off_m[m]))
        cumulative = combine((1, cumulative), (1, savings))
        g = index.get(label)
        if g is None:
            continue
        for key, exact in (
            ("baseline", f.baseline_m[m]),
            ("planned", f.planned_m[m]),
            ("one_off", f.one_off_m[m]),
            ("savings", savings),
            ("cumulative_savings", cumulative),
        ):
            if key in g:
                _money(ctx, "months", (label, key), f"month {label} {key}", g[key], exact)


def payback(ctx: Ctx, f: Figures) -> tuple[int | None, list[Fraction], list[Fraction]]:
    """The exact payback month, with the running sum and its tolerance per month."""
    running, tolerance = [], []
    total = Total()
    for m in range(ctx.T):
        total = combine(
            (1, total), (1, f.baseline_m[m]), (-1, f.planned_m[m]), (-1, f.one_off_m[m])
        )
        running.append(total.value)
        tolerance.append(money_tolerance(total.items, total.value))
    exact: int | None = None
    for m in range(ctx.T - 1, -1, -1):
        if running[m] >= 0:
            exact = m
        else:
            break
    return exact, running, tolerance


def check_finance(ctx: Ctx, f: Figures, rows: list[YearRow]) -> None:
    fin = ctx.plan.get("finance")
    if not isinstance(fin, dict):
        return
    est = ctx.inv.estate
    npv = combine(*((1, r.discounted) for r in rows))
    total = combine(*((1, r.savings) for r in rows))
    if "npv" in fin:
        _money(ctx, "finance", ("npv",), "finance.npv", fin["npv"], npv)
    if "total_savings" in fin:
        _money(
            ctx, "finance", ("total_savings",), "finance.total_savings", fin["total_savings"], total
        )
    if "discount_rate" in fin and q(fin["discount_rate"]) != q(est.discount_rate):
        ctx.add(
            "finance",
            ("discount_rate",),
            f"finance.discount_rate is {fin['discount_rate']}, the estate's is {est.discount_rate}",
        )
    if "horizon_years" in fin and int(fin["horizon_years"]) != est.horizon_years:
        ctx.add(
            "finance",
            ("horizon_years",),
            f"finance.horizon_years is {fin['horizon_years']}, the estate's is {est.horizon_years}",
        )
    if "allocation" in fin and not fin["allocation"].strip():
        ctx.add("finance", ("allocation",), "finance.allocation is empty; state the rule")
    if "payback_month" not in fin:
        return
    exact, running, tol = payback(ctx, f)
    label = fin["payback_month"]
    T = ctx.T
    negative = [r < -t for r, t in zip(running, tol, strict=True)]
    positive = [r >= t for r, t in zip(running, tol, strict=True)]
    if label is None:
        ok = not positive[T - 1]
    else:
        p = ctx.cal.index(label)
        ok = (
            p is not None
            and 0 <= p < T
            and not any(negative[p:])
            and (p == 0 or not positive[p - 1])
        )
    if not ok:
        last = gbp(running[T - 1])
        if exact is not None:
            message = (
                f"finance.payback_month is {label or 'null'}, but the running net savings "
                f"are >= 0 from {ctx.month_label(exact)} on ({last} in the last month)"
            )
        else:
            message = (
                f"finance.payback_month is {label}, but the running net savings are still "
                f"negative in the last month ({last})"
            )
        ctx.add("finance", ("payback_month",), message)


def check_organisations(ctx: Ctx, f: Figures) -> None:
    inv = ctx.inv
    given = ctx.plan["organisations"]
    entries = {}
    for g in given:
        if g["id"] not in inv.organisation:
            ctx.add("organisations", (g["id"],), f"'{g['id']}' is not an organisation")
        elif g["id"] in entries:
            ctx.add("organisations", (g["id"],), f"organisation '{g['id']}' is listed twice")
        else:
            entries[g["id"]] = g
    months = Fraction(ctx.T, 12)
    for o in inv.organisations:
        g = entries.get(o.id)
        if g is None:
            ctx.add("organisations", (o.id,), f"organisation '{o.id}' is missing")
            continue
        base, plan, one = f.org_baseline.of(o.id), f.org_planned.of(o.id), f.org_one_off.of(o.id)
        savings = combine((1, base), (-1, plan))
        hb = Total(base.value * months, base.keys)
        hp = f.org_horizon_planned.of(o.id)
        hs = combine((1, hb), (-1, hp), (-1, one))
        for key, exact in (
            ("baseline", base),
            ("planned", plan),
            ("savings", savings),
            ("one_off", one),
            ("horizon_baseline", hb),
            ("horizon_planned", hp),
            ("horizon_savings", hs),
        ):
            if key in g:
                _money(
                    ctx, "organisations", (o.id, key), f"organisation '{o.id}' {key}", g[key], exact
                )
        if "worse_off" in g:
            tol = money_tolerance(hs.items, hs.value)
            clear = hs.value == 0 or abs(hs.value) > tol
            if clear and g["worse_off"] != (hs.value < 0):
                ctx.add(
                    "organisations",
                    (o.id, "worse_off"),
                    f"organisation '{o.id}' worse_off is {str(g['worse_off']).lower()}, but its "
                    f"horizon_savings are {gbp(hs.value)}",
                )
        ctx.report.count("organisation rows")


def _fte_ok(plan_value: Any, exact: Fraction, items: int) -> bool:
    return abs(q(plan_value) - exact) <= FTE_TOLERANCE * max(items, 1)


def check_staff(ctx: Ctx, f: Figures) -> None:
    inv = ctx.inv
    staff = ctx.plan["staff"]
    open_rooms = {r.id for r in inv.rooms if ctx.room_open_in_plan(r)}
    totals = {
        "desk_fte_before": Fraction(sum(f.fte_before.values())),
        "desk_fte_after": Fraction(sum(f.fte_after.values())),
        "ops_fte_before": sum(
            (q(r.ops_fte) for r in inv.rooms if r.status == "existing"), Fraction(0)
        ),
        "ops_fte_after": sum((q(r.ops_fte) for r in inv.rooms if r.id in open_rooms), Fraction(0)),
    }
    for key, exact in totals.items():
        if not _fte_ok(staff[key], exact, len(inv.rooms)):
            ctx.add("staff", (key,), f"staff.{key} is {staff[key]}, recomputed {num(exact)}")

    # Posts per site and per organisation.
    site_posts: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for d in inv.service_desks:
        site_posts[d.site]["desk_fte_before"] += f.fte_before[d.id]
        site_posts[d.site]["desk_fte_after"] += f.fte_after[d.id]
    for r in inv.rooms:
        if r.status == "existing":
            site_posts[r.site]["ops_fte_before"] += q(r.ops_fte)
        if r.id in open_rooms:
            site_posts[r.site]["ops_fte_after"] += q(r.ops_fte)
    org_posts: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for site, posts in site_posts.items():
        for key, value in posts.items():
            org_posts[ctx.owner_of_site(site)][key] += value

    transfer_out: dict[str, Fraction] = defaultdict(Fraction)
    transfer_in: dict[str, Fraction] = defaultdict(Fraction)
    for o in inv.organisations:
        new = ctx.serves[o.id]
        if new == o.desk or o.desk not in inv.desk:
            continue
        old_owner = ctx.owner_of_site(inv.desk[o.desk].site)
        new_owner = ctx.owner_of_site(inv.desk[new].site)
        if old_owner != new_owner:
            amount = Fraction(o.tickets_per_year) / q(inv.desk[new].tickets_per_fte)
            transfer_out[old_owner] += amount
            transfer_in[new_owner] += amount

    rows = staff.get("by_organisation")
    if isinstance(rows, list):
        seen: set[str] = set()
        for row in rows:
            oid = row["id"]
            if oid not in inv.organisation:
                ctx.add(
                    "staff", (oid,), f"staff.by_organisation lists '{oid}', not an organisation"
                )
                continue
            if oid in seen:
                ctx.add("staff", (oid,), f"staff.by_organisation lists '{oid}' twice")
                continue
            seen.add(oid)
            posts = org_posts[oid]
            before = posts["desk_fte_before"] + posts["ops_fte_before"]
            after = posts["desk_fte_after"] + posts["ops_fte_after"]
            out, into = transfer_out[oid], transfer_in[oid]
            change = after - before + out - into
            expected = {
                "desk_fte_before": posts["desk_fte_before"],
                "desk_fte_after": posts["desk_fte_after"],
                "ops_fte_before": posts["ops_fte_before"],
                "ops_fte_after": posts["ops_fte_after"],
                "transfer_out": out,
                "transfer_in": into,
                "removed": max(-change, Fraction(0)),
                "added": max(change, Fraction(0)),
                "stay_local": before - out - max(-change, Fraction(0)),
            }
            for key, exact in expected.items():
                if key in row and not _fte_ok(row[key], exact, len(inv.organisations)):
                    ctx.add(
                        "staff",
                        (oid, key),
                        f"organisation '{oid}' staff {key} is {row[key]}, recomputed {num(exact)}",
                    )
            keys = (
                "desk_fte_before",
                "ops_fte_before",
                "desk_fte_after",
                "ops_fte_after",
                "transfer_out",
                "transfer_in",
                "removed",
                "added",
            )
            if all(k in row for k in keys):
                b = q(row["desk_fte_before"]) + q(row["ops_fte_before"])
                a = q(row["desk_fte_after"]) + q(row["ops_fte_after"])
                rhs = (
                    b
                    - q(row["transfer_out"])
                    + q(row["transfer_in"])
                    - q(row["removed"])
                    + q(row["added"])
                )
                if abs(a - rhs) > FTE_TOLERANCE * 8:
                    ctx.add(
                        "staff",
                        (oid, "identity"),
                        f"organisation '{oid}': after {num(a)} != before - transfer_out + "
                        f"transfer_in - removed + added = {num(rhs)}",
                    )
                if row["removed"] != 0 and row["added"] != 0:
                    ctx.add(
                        "staff",
                        (oid, "identity"),
                        f"organisation '{oid}' has both removed {row['removed']} and added "
                        f"{row['added']}; one of them is zero",
                    )
                if "stay_local" in row:
                    local = b - q(row["transfer_out"]) - q(row["removed"])
                    if abs(q(row["stay_local"]) - local) > FTE_TOLERANCE * 3:
                        ctx.add(
                            "staff",
                            (oid, "stay_local"),
                            f"organisation '{oid}' stay_local {row['stay_local']} != before - "
                            f"transfer_out - removed = {num(local)}",
                        )
        for o in inv.organisations:
            if o.id not in seen:
                ctx.add("staff", (o.id,), f"staff.by_organisation has no row for '{o.id}'")

    sites = staff.get("by_site")
    if isinstance(sites, list):
        seen = set()
        for row in sites:
            sid = row["site"]
            if sid not in inv.site:
                ctx.add("staff", (sid,), f"staff.by_site lists '{sid}', not a site")
                continue
            if sid in seen:
                ctx.add("staff", (sid,), f"staff.by_site lists '{sid}' twice")
                continue
            seen.add(sid)
            if "organisation" in row and row["organisation"] != ctx.owner_of_site(sid):
                ctx.add(
                    "staff",
                    (sid, "organisation"),
                    f"site '{sid}' belongs to '{ctx.owner_of_site(sid)}', not "
                    f"'{row['organisation']}'",
                )
            for key in ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after"):
                exact = site_posts.get(sid, {}).get(key, Fraction(0))
                if key in row and not _fte_ok(row[key], exact, len(inv.rooms)):
                    ctx.add(
                        "staff",
                        (sid, key),
                        f"site '{sid}' staff {key} is {row[key]}, recomputed {num(exact)}",
                    )
        for sid, posts in site_posts.items():
            if sid not in seen and any(posts.values()):
                ctx.add(
                    "staff", (sid,), f"staff.by_site has no row for site '{sid}', which has posts"
                )


def check_money(ctx: Ctx) -> None:
    f = compute(ctx)
    check_costs(ctx, f)
    rows = year_rows(ctx, f)
    check_years(ctx, rows)
    check_months(ctx, f)
    check_finance(ctx, f, rows)
    check_organisations(ctx, f)
    check_staff(ctx, f)
