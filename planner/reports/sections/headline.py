"""The headline of report.html: what the solver proved, then one card per key figure."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.markup import arrow, card, e
from planner.reports.plan import PlanView
from planner.reports.wording import status_sentence

ONE_OFF_SHORT = {
    "migration": "moves",
    "room_closure": "room closures",
    "room_opening": "room openings",
    "desk_closure": "desk closures",
    "room_upgrade": "accreditation upgrades",
}


def headline(v: PlanView) -> str:
    """The headline section: status line, then the cards (or why there is no plan)."""
    kind = {"optimal": "good", "feasible": "warn"}.get(v.status, "bad")
    status = (
        '<section id="headline"><h2 class="visually-hidden">Headline</h2>'
        f'<p class="status {kind}">{e(_status(v))}</p>'
    )
    if not v.feasible:
        return status + _no_plan(v)
    cards = [
        *_estate_cards(v),
        _running_cost_card(v),
        _one_off_card(v),
        _npv_card(v),
        *_payback_card(v),
        *_staff_card(v),
        *_partners_card(v),
    ]
    objective = ""
    if v.objective is not None:
        objective = (
            f'<p class="note">Objective (one-off cost + annuity factor × running cost '
            f"a year): {e(fmt.gbp(v.objective))}.</p>"
        )
    return f'{status}<div class="cards">{"".join(cards)}</div>{objective}</section>'


def _status(v: PlanView) -> str:
    """The status sentence; for a plan not proven best, how much more a better one could save."""
    status = status_sentence(v)
    if v.status == "feasible" and v.objective is not None and v.solver.get("bound") is not None:
        slack = v.objective - float(v.solver["bound"])
        status += f" A better plan could save at most {fmt.gbp(slack)} more over the horizon."
    return status


def _no_plan(v: PlanView) -> str:
    """Why there is no plan, and today's running cost and staff."""
    items = "".join(f"<li>{e(s)}</li>" for s in v.explanation) or (
        "<li>The plan gives no explanation.</li>"
    )
    cards = [
        card(
            "Running cost a year today",
            e(fmt.gbp_short(v.baseline_steady)),
            e(fmt.gbp(v.baseline_steady)),
        )
    ]
    s = v.staff
    if s.get("desk_fte_before") is not None:
        cards.append(card("Service desk staff today", e(fmt.num(s["desk_fte_before"])) + " FTE"))
    if s.get("ops_fte_before") is not None:
        cards.append(card("Machine room staff today", e(fmt.num(s["ops_fte_before"])) + " FTE"))
    return (
        f'<div class="explain"><h3>Why there is no plan</h3><ol>{items}</ol></div>'
        f'<div class="cards">{"".join(cards)}</div></section>'
    )


def _estate_cards(v: PlanView) -> list[str]:
    """Machine rooms and service desks, before → after."""
    rc, dc = v.rooms_count, v.desks_count
    cards = []
    if rc.before is not None:
        closed = sum(1 for r in v.rooms if r["decision"] == "close")
        opened = sum(1 for r in v.rooms if r["decision"] == "open")
        sub = f"{closed} closed" + (f", {opened} opened" if opened else "")
        cards.append(card("Machine rooms", arrow(str(rc.before), str(rc.after)), e(sub)))
    if dc.before is not None:
        closed = sum(1 for d in v.desks if d["decision"] == "close")
        cards.append(
            card("Service desks", arrow(str(dc.before), str(dc.after)), e(f"{closed} closed"))
        )
    return cards


def _running_cost_card(v: PlanView) -> str:
    """Running cost a year, today → in the plan, with the saving."""
    saving = v.steady_saving
    sub = ""
    if saving is not None:
        pc = fmt.change_pct(v.baseline_steady, v.planned_steady)
        sub = (
            f"saves {fmt.gbp(saving)} a year ({pc})"
            if saving >= 0
            else f"costs {fmt.gbp(-saving)} a year more ({pc})"
        )
    return card(
        "Running cost a year",
        arrow(fmt.gbp_short(v.baseline_steady), fmt.gbp_short(v.planned_steady)),
        e(sub),
        "good" if (saving or 0) > 0 else "",
    )


def _one_off_card(v: PlanView) -> str:
    """The one-off cost and what it is spent on."""
    bd = v.costs.get("one_off_breakdown") or {}
    sub = ", ".join(f"{ONE_OFF_SHORT.get(k, k)} {fmt.gbp_short(x)}" for k, x in bd.items() if x)
    return card("One-off cost", e(fmt.gbp_short(v.one_off)), e(sub))


def _npv_card(v: PlanView) -> str:
    """Net present value over the horizon, at the discount rate."""
    npv = v.npv
    h, r = v.horizon_years, v.discount_rate
    sub = " ".join(
        x for x in (f"{h} years" if h else "", f"at {r * 100:g}%" if r is not None else "") if x
    )
    return card(
        "Net present value",
        e(fmt.gbp_short(npv)),
        e(sub),
        "good" if (npv or 0) > 0 else ("bad" if npv is not None else ""),
    )


def _payback_card(v: PlanView) -> list[str]:
    """The payback month (or 'not reached'); none without years."""
    p = v.payback_month
    total_months = sum(int(y.get("months") or 12) for y in v.years) if v.years else None
    if p is not None:
        n = v.month_number(p)
        sub = f"month {n}" + (f" of {total_months}" if total_months else "") if n else ""
        return [card("Payback", e(fmt.month(p)), e(sub), "good")]
    if v.years:
        return [card("Payback", "not reached", e("within the horizon"), "bad")]
    return []


def _staff_card(v: PlanView) -> list[str]:
    """Staff FTE before → after, desk and machine rooms."""
    b, a = v.staff_total(True), v.staff_total(False)
    if b is None or a is None:
        return []
    s = v.staff
    sub = (
        f"desk {fmt.num(s['desk_fte_before'])} → {fmt.num(s['desk_fte_after'])}, "
        f"rooms {fmt.num(s['ops_fte_before'])} → {fmt.num(s['ops_fte_after'])}"
    )
    return [card("Staff (FTE)", arrow(fmt.num(b), fmt.num(a)), e(sub))]


def _partners_card(v: PlanView) -> list[str]:
    """How many partners would be worse off over the horizon."""
    if not v.organisations:
        return []
    worse = [o["id"] for o in v.organisations if v.worse_off(o)]
    sub = ", ".join(worse) if worse else "every partner gains or breaks even"
    return [
        card(
            "Partners worse off",
            e(f"{len(worse)} of {len(v.organisations)}"),
            e(sub),
            "bad" if worse else "good",
        )
    ]
