"""Sentences and rows that summary.md, report.html and the console word the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planner.reports import fmt
from planner.reports.plan import PlanView

DECISION_WORDS = {"keep": "keep", "close": "close", "open": "open (new)", "unused": "not used"}

COMPUTE_WORDS = (("vcpu", "vCPU"), ("memory_gib", "GiB memory"), ("storage_tib", "TiB storage"))
"""The compute resources a plan may give for a room, and how the reports name them."""


def compute_use(r: dict[str, Any]) -> list[str]:
    """A room's compute, one line per resource the plan gives: '120 → 340 of 400 vCPU;
    most 400 in Feb 2028' (before → after, of its capacity or '(no limit)', and its
    month of greatest use during the migration); [] when the plan gives none."""
    lines = []
    for k, unit in COMPUTE_WORDS:
        if f"{k}_used_before" not in r:
            continue
        text = f"{fmt.num(r.get(f'{k}_used_before'))} → {fmt.num(r.get(f'{k}_used_after'))}"
        cap = r.get(k)
        text += f" of {fmt.num(cap)} {unit}" if cap is not None else f" {unit} (no limit)"
        peak = next((p for p in r.get("peaks") or [] if p.get("resource") == k), None)
        if peak is not None:
            text += f"; most {fmt.num(peak.get('used'))} in {fmt.month(peak.get('month'))}"
        lines.append(text)
    return lines


def headline_rows(v: PlanView) -> list[tuple[str, str, str, str]]:
    """(what, before, after, change) rows of the before/after table."""
    rows: list[tuple[str, str, str, str]] = []
    rc, dc = v.rooms_count, v.desks_count
    if rc.before is not None:
        rows.append(
            (
                "Machine rooms",
                str(rc.before),
                str(rc.after),
                fmt.num(None if rc.after is None else rc.after - rc.before, signed=True),
            )
        )
    if dc.before is not None:
        rows.append(
            (
                "Service desks",
                str(dc.before),
                str(dc.after),
                fmt.num(None if dc.after is None else dc.after - dc.before, signed=True),
            )
        )
    b, p = v.baseline_steady, v.planned_steady
    change = ""
    if b is not None and p is not None:
        change = fmt.gbp(p - b, signed=True)
        pc = fmt.change_pct(b, p)
        change += f" ({pc})" if pc else ""
    rows.append(("Running cost a year", fmt.gbp(b), fmt.gbp(p), change))
    s = v.staff
    for label, key in (
        ("Service desk staff (FTE)", "desk_fte"),
        ("Machine room staff (FTE)", "ops_fte"),
    ):
        before, after = s.get(f"{key}_before"), s.get(f"{key}_after")
        if before is None and after is None:
            continue
        diff = None if before is None or after is None else after - before
        rows.append((label, fmt.num(before), fmt.num(after), fmt.num(diff, signed=True)))
    return rows


def status_sentence(v: PlanView) -> str:
    """What the solver proved, and whether the month-by-month schedule is proven best."""
    text = _status_sentence(v)
    if v.feasible and v.solver.get("schedule_status") == "feasible":
        text += (
            " The month-by-month schedule meets every rule but is not proven the best;"
            " another order of moves might bring some savings forward."
        )
    return text


def _status_sentence(v: PlanView) -> str:
    """What the solver proved, in one sentence."""
    if v.status == "optimal":
        return "Optimal plan: no cheaper plan meets every rule (proven by the solver)."
    if v.status == "feasible":
        gap = v.gap
        if gap is None:
            return (
                "Feasible plan: it meets every rule; the solver did not prove it is the cheapest."
            )
        return (
            f"Feasible plan: it meets every rule and is within {gap * 100:.2f}% of the "
            "cheapest possible (the solver's proven bound)."
        )
    if v.status == "infeasible":
        return "No feasible plan: the estate's rules and the options conflict (see why below)."
    return "No plan: the solver found none within its time limit (status unknown)."


ONE_OFF_WORDS = {
    "migration": "moving systems",
    "room_closure": "closing rooms",
    "room_opening": "opening rooms",
    "desk_closure": "closing desks",
    "room_upgrade": "accreditation upgrades",
}
"""How the reports name each kind of one-off cost (costs.one_off_breakdown); another
kind is named by its key ('room_survey' -> 'room survey')."""


def one_off_words(key: str) -> str:
    """What a key of costs.one_off_breakdown is spent on, in words."""
    return ONE_OFF_WORDS.get(key, key.replace("_", " "))


def one_off_text(v: PlanView) -> str:
    """The one-off cost with what it is spent on: '£1,234 (moving systems £1,000, ...)'."""
    parts = []
    for key, amount in (v.costs.get("one_off_breakdown") or {}).items():
        if amount:
            parts.append(f"{one_off_words(key)} {fmt.gbp(amount)}")
    return fmt.gbp(v.one_off) + (f" ({', '.join(parts)})" if parts else "")


# ---------------------------------------------------------------- upgrades and suites


def _plain(text: str) -> str:
    return text


def upgrade_text(u: dict[str, Any], name: Callable[[str], str] = _plain) -> str:
    """'gains dspt from Oct 2027 (£50,000 once, £10,000 a year)': an accreditation upgrade
    the plan buys (``name`` formats the accreditation: escaped for markdown or HTML); the
    costs the plan gives and that are not zero."""
    costs = []
    if u.get("cost"):
        costs.append(f"{fmt.gbp(float(u['cost']))} once")
    if u.get("annual_cost"):
        costs.append(f"{fmt.gbp(float(u['annual_cost']))} a year")
    return f"gains {name(str(u['accreditation']))} from {fmt.month(u['month'])}" + (
        f" ({', '.join(costs)})" if costs else ""
    )


def upgrades_text(room: dict[str, Any], name: Callable[[str], str] = _plain) -> str:
    """Every upgrade bought for a room, by month ('; ' between; '' when none)."""
    return "; ".join(upgrade_text(u, name) for u in PlanView.upgrades_bought(room))


def suite_text(room: dict[str, Any], name: Callable[[str], str] = _plain) -> str:
    """'suite inside county-hall-dc' for a secure suite ('' for any other room; ``name``
    formats the parent's id)."""
    parent = room.get("within")
    return f"suite inside {name(str(parent))}" if parent else ""


def held_after_words(
    v: PlanView, room: dict[str, Any], name: Callable[[str], str] = _plain
) -> list[str]:
    """A room's accreditations after the plan: today's, then each bought with the month it
    is held from ('dspt from Oct 2027')."""
    native = [str(a) for a in room.get("accreditations") or []]
    out = [name(a) for a in native]
    for u in v.upgrades_bought(room):
        if str(u["accreditation"]) not in native:
            out.append(f"{name(str(u['accreditation']))} from {fmt.month(u['month'])}")
    return out


def payback_text(v: PlanView) -> str:
    """'Oct 2028 (month 17 of the plan)', or why there is no payback month."""
    p = v.payback_month
    if p is None:
        return "not within the plan's horizon" if v.years else fmt.DASH
    n = v.month_number(p)
    return fmt.month(p) + (f" (month {n} of the plan)" if n is not None else "")


def npv_label(v: PlanView) -> str:
    """'Net present value of the savings (10 years, 3.5% discount rate)'."""
    h, r = v.horizon_years, v.discount_rate
    bits = []
    if h is not None:
        bits.append(f"{h} years")
    if r is not None:
        bits.append(f"{r * 100:g}% discount rate")
    return "Net present value of the savings" + (f" ({', '.join(bits)})" if bits else "")


def month_span(months: list[str]) -> str:
    """'Oct 2027 – Mar 2028' for sorted months ('Oct 2027' for one, '—' for none)."""
    if not months:
        return fmt.DASH
    if len(months) == 1:
        return fmt.month(months[0])
    return f"{fmt.month(months[0])} – {fmt.month(months[-1])}"


# ---------------------------------------------------------------- a fair split

RULE_WORDS = {
    "allocated": (
        "allocated (each partner keeps the net saving that the cost-sharing rules give it)"
    ),
    "proportional": (
        "proportional (each partner's net saving {h} is the partnership's total net saving "
        "in proportion to its running cost today)"
    ),
    "shapley": (
        "Shapley value (each partner's net saving {h} is the partnership's total net saving "
        "in proportion to its Shapley value: its average contribution to the savings over "
        "every order in which the partners could join, from planner explore)"
    ),
}
"""How the reports word each ``finance.share_rule`` ({h}: 'over the 5 years')."""


def horizon_words(v: PlanView) -> str:
    """'over the 5 years' (or 'over the horizon' when the plan does not give its length)."""
    h = v.horizon_years
    return f"over the {h} years" if h is not None else "over the horizon"


def share_rule_sentence(v: PlanView) -> str:
    """'Share rule: proportional (each partner's net saving over the 5 years is ...).' and,
    when the plan says there are no payments, that each partner keeps its allocated net."""
    text = f"Share rule: {share_rule_words(v)}."
    if v.transfers == []:
        text += " " + no_transfers_sentence(v)
    return text


def share_rule_words(v: PlanView) -> str:
    """'proportional (each partner's net saving over the 5 years is ...)' ('not stated in
    the plan' when it gives transfers but no rule)."""
    rule = v.share_rule
    if rule is None:
        return "not stated in the plan"
    return RULE_WORDS[rule].format(h=horizon_words(v)) if rule in RULE_WORDS else rule


def no_transfers_sentence(v: PlanView) -> str:
    """'No transfers: each partner keeps its allocated net over the 5 years.'"""
    return f"No transfers: each partner keeps its allocated net {horizon_words(v)}."


def transfer_sentence(v: PlanView, t: dict[str, Any], name: Callable[[str], str]) -> str:
    """'worcester pays malvern-hills £12,345 over the 5 years' (``name`` formats a partner's
    id: escaped for markdown or HTML)."""
    return (
        f"{name(str(t['from']))} pays {name(str(t['to']))} "
        f"{fmt.gbp(float(t['amount']))} {horizon_words(v)}"
    )


def after_transfers_sentence(v: PlanView, names: Callable[[list[str]], str]) -> str:
    """'After transfers, no partner is worse off over the 5 years.' or who still is
    (``names`` formats a list of partner ids)."""
    still = [o["id"] for o in v.organisations if v.worse_off_after(o)]
    if not still:
        return f"After transfers, no partner is worse off {horizon_words(v)}."
    verb = "is" if len(still) == 1 else "are"
    return (
        f"After transfers, {fmt.plural(len(still), 'partner')} {verb} still worse off "
        f"{horizon_words(v)}: {names(still)}."
    )
