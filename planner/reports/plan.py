"""The figures every report shows, derived from a plan.json that has passed its shape check.

The reports read only plan.json (docs/plan-format.md, :mod:`planner.planfile`),
never the optimiser's modules, so that a plan file alone can be re-rendered
years later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.planfile import YEAR_LABEL, Plan, StaffByOrganisation

STAFF_BY_ORGANISATION = tuple(k for k in StaffByOrganisation.model_fields if k != "id")
"""The figures of each row of staff.by_organisation, in plan.json's order (desk and
operations FTE before and after, then transfers, removals, additions and staying)."""


# ---------------------------------------------------------------- months


def month_index(month: str) -> int:
    """'2027-10' -> a month count (year * 12 + month - 1)."""
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def month_str(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fy_of(month: str) -> str:
    """UK financial year label of a month: '2028-02' -> '2027/28'."""
    i = month_index(month)
    y, m = divmod(i, 12)
    start = y if m >= 3 else y - 1
    return f"{start}/{(start + 1) % 100:02d}"


# ---------------------------------------------------------------- derived figures


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


@dataclass(frozen=True)
class Counts:
    before: int | None
    after: int | None


class PlanView:
    """Read-only accessors over a checked plan dict, with the figures every report shows."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.solver: dict[str, Any] = plan.get("solver") or {}
        self.costs: dict[str, Any] = plan.get("costs") or {}
        self.finance: dict[str, Any] = plan.get("finance") or {}
        self.staff: dict[str, Any] = plan.get("staff") or {}
        self.options: dict[str, Any] = plan.get("options") or {}
        self.rooms: list[dict[str, Any]] = plan.get("rooms") or []
        self.desks: list[dict[str, Any]] = plan.get("desks") or []
        self.assignments: list[dict[str, Any]] = plan.get("assignments") or []
        self.desk_assignments: list[dict[str, Any]] = plan.get("desk_assignments") or []
        self.waves: list[dict[str, Any]] = plan.get("waves") or []
        self.years: list[dict[str, Any]] = plan.get("years") or []
        self.organisations: list[dict[str, Any]] = plan.get("organisations") or []
        self.explanation: list[str] = plan.get("explanation") or []

    # -- headline
    @property
    def estate(self) -> str:
        return str(self.plan.get("estate", ""))

    @property
    def status(self) -> str:
        return str(self.solver.get("status", "unknown"))

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def objective(self) -> float | None:
        return _num(self.solver.get("objective"))

    @property
    def gap(self) -> float | None:
        return _num(self.solver.get("gap"))

    def status_text(self) -> str:
        """'optimal', 'feasible (gap 1.20%)', 'infeasible', 'unknown'."""
        if self.status == "feasible":
            gap = self.gap
            return "feasible" + (
                f" (gap {gap * 100:.2f}% to the proven bound)"
                if gap is not None
                else " (not proven optimal)"
            )
        if self.status == "optimal":
            return "optimal"
        return self.status

    # -- rooms and desks
    @property
    def rooms_count(self) -> Counts:
        if not self.rooms:
            return Counts(None, None)
        before = sum(1 for r in self.rooms if r["decision"] in ("keep", "close"))
        after = sum(1 for r in self.rooms if r["decision"] in ("keep", "open"))
        return Counts(before, after)

    @property
    def desks_count(self) -> Counts:
        if not self.desks:
            return Counts(None, None)
        return Counts(len(self.desks), sum(1 for d in self.desks if d["decision"] == "keep"))

    @property
    def moves(self) -> list[dict[str, Any]]:
        """The workloads that move, by month (inventory order within a month)."""
        moving = [a for a in self.assignments if a.get("month") is not None]
        return sorted(moving, key=lambda a: month_index(a["month"]))

    # -- money
    @property
    def baseline_steady(self) -> float | None:
        return _num(self.costs.get("baseline_steady"))

    @property
    def planned_steady(self) -> float | None:
        return _num(self.costs.get("planned_steady"))

    @property
    def one_off(self) -> float | None:
        return _num(self.costs.get("one_off"))

    @property
    def steady_saving(self) -> float | None:
        b, p = self.baseline_steady, self.planned_steady
        return None if b is None or p is None else b - p

    @property
    def npv(self) -> float | None:
        if self.finance.get("npv") is not None:
            return float(self.finance["npv"])
        disc = [
            float(y["discounted_savings"])
            for y in self.years
            if y.get("discounted_savings") is not None
        ]
        if self.years and len(disc) == len(self.years):
            return sum(disc)
        return None

    @property
    def total_savings(self) -> float | None:
        if self.finance.get("total_savings") is not None:
            return float(self.finance["total_savings"])
        if self.years:
            return float(sum(y["savings"] for y in self.years))
        return None

    @property
    def payback_month(self) -> str | None:
        v = self.finance.get("payback_month")
        return None if v is None else str(v)

    @property
    def horizon_years(self) -> int | None:
        h = self.finance.get("horizon_years")
        if h is not None:
            return int(h)
        return len(self.years) or None

    @property
    def discount_rate(self) -> float | None:
        return _num(self.finance.get("discount_rate"))

    def cumulative(self) -> list[float]:
        """Cumulative savings at the end of each year (the ext key, else a running sum)."""
        out, run = [], 0.0
        for y in self.years:
            run += float(y["savings"])
            c = y.get("cumulative_savings")
            out.append(float(c) if c is not None else run)
        return out

    # -- months
    @property
    def start_month(self) -> str | None:
        """Month 0 of the plan: from the first financial year and its month count, else the
        earliest dated event."""
        if self.years:
            m = YEAR_LABEL.match(str(self.years[0]["year"]))
            months = self.years[0].get("months")
            if m is not None:
                first = int(m.group(1)) * 12 + 3  # April of the first year
                n = int(months) if months is not None else 12
                return month_str(first + 12 - max(1, min(12, n)))
        dated = self.event_months()
        return min(dated, key=month_index) if dated else None

    @property
    def end_month(self) -> str | None:
        """The last month of the horizon (March of the last year), if years are known."""
        if self.years:
            m = YEAR_LABEL.match(str(self.years[-1]["year"]))
            if m is not None:
                return month_str(int(m.group(1)) * 12 + 12 + 2)
        return None

    def event_months(self) -> list[str]:
        out = [a["month"] for a in self.assignments if a.get("month")]
        out += [w["month"] for w in self.waves]
        for r in self.rooms:
            out += [r[k] for k in ("close_month", "open_month") if r.get(k)]
        for d in self.desks:
            if d.get("close_month"):
                out.append(d["close_month"])
        return out

    def month_number(self, month: str) -> int | None:
        """1-based month of the plan (month 0 of the docs is 'month 1' for people)."""
        s = self.start_month
        return None if s is None else month_index(month) - month_index(s) + 1

    # -- organisations and staff
    def org_name(self, org_id: str) -> str | None:
        """The organisation's name when the plan gives one (ext), else None."""
        for o in self.organisations:
            if o["id"] == org_id and o.get("name"):
                return str(o["name"])
        return None

    def worse_off(self, org: dict[str, Any]) -> bool:
        if org.get("worse_off") is not None:
            return bool(org["worse_off"])
        if org.get("horizon_savings") is not None:
            return float(org["horizon_savings"]) < 0
        return float(org["savings"]) < 0

    # -- a fair split (spec/decisions.md): share rule, transfers, net after transfers
    @property
    def share_rule(self) -> str | None:
        """finance.share_rule ('allocated', 'proportional', 'shapley'), None when absent."""
        rule = self.finance.get("share_rule")
        return None if rule is None else str(rule)

    @property
    def transfers(self) -> list[dict[str, Any]] | None:
        """The payments between partners; None when the plan does not say (older plans and
        other tools), [] when it says there are none."""
        t = self.plan.get("transfers")
        return None if t is None else list(t)

    @property
    def has_transfers(self) -> bool:
        """Whether the plan gives payments between partners (a non-empty list)."""
        return bool(self.transfers)

    @property
    def has_shapley(self) -> bool:
        """Whether the plan gives partners' Shapley values (share rule shapley)."""
        return any(o.get("shapley_value") is not None for o in self.organisations)

    def paid_received(self, org_id: str) -> tuple[float, float]:
        """What a partner pays and receives over the horizon, in all its transfers."""
        paid = sum(float(t["amount"]) for t in self.transfers or [] if t["from"] == org_id)
        got = sum(float(t["amount"]) for t in self.transfers or [] if t["to"] == org_id)
        return paid, got

    def net_after(self, org: dict[str, Any]) -> float | None:
        """A partner's net over the horizon after transfers: the plan's figure, else its
        share, else its allocated net less what it pays plus what it receives."""
        for key in ("horizon_savings_after_transfers", "share"):
            if org.get(key) is not None:
                return float(org[key])
        if org.get("horizon_savings") is None:
            return None
        paid, got = self.paid_received(org["id"])
        return float(org["horizon_savings"]) - paid + got

    def worse_off_after(self, org: dict[str, Any]) -> bool:
        """Whether a partner is still worse off over the horizon after transfers (to the penny)."""
        after = self.net_after(org)
        return self.worse_off(org) if after is None else round(after, 2) < 0

    # -- accreditation upgrades and secure suites (spec/decisions.md)
    @staticmethod
    def upgrades_bought(room: dict[str, Any]) -> list[dict[str, Any]]:
        """The accreditation upgrades the plan buys for a room, by month ([] when none)."""
        bought = list(room.get("upgrades_bought") or [])
        return sorted(bought, key=lambda u: (month_index(u["month"]), str(u["accreditation"])))

    @property
    def has_upgrades(self) -> bool:
        """Whether the plan buys any accreditation upgrade."""
        return any(r.get("upgrades_bought") for r in self.rooms)

    @property
    def has_upgrade_options(self) -> bool:
        """Whether the plan says, for some room, which upgrades it buys (even none)."""
        return any("upgrades_bought" in r for r in self.rooms)

    @property
    def has_suites(self) -> bool:
        """Whether some room is a secure suite inside another."""
        return any(r.get("within") for r in self.rooms)

    @property
    def room_upgrade_cost(self) -> float | None:
        """costs.one_off_breakdown.room_upgrade (None when the plan does not give it)."""
        return _num((self.costs.get("one_off_breakdown") or {}).get("room_upgrade"))

    def held(self, room: dict[str, Any], month: str | None = None) -> list[str]:
        """The accreditations a room holds in ``month`` (after the plan when None): its own,
        then those bought from that month or before, in the month each is held from."""
        out = list(room.get("accreditations") or [])
        for u in self.upgrades_bought(room):
            held = month is None or month_index(u["month"]) <= month_index(month)
            if held and u["accreditation"] not in out:
                out.append(str(u["accreditation"]))
        return out

    def staff_total(self, before: bool) -> float | None:
        suffix = "before" if before else "after"
        vals = [self.staff.get(f"desk_fte_{suffix}"), self.staff.get(f"ops_fte_{suffix}")]
        if any(v is None for v in vals):
            return None
        return float(sum(vals))  # type: ignore[arg-type]

    def zone_ids(self) -> list[str]:
        """Every zone the plan mentions, in first-seen order (rules' list first)."""
        seen: dict[str, None] = {}
        for z in self.plan.get("zones") or []:
            seen.setdefault(z["id"], None)
        for r in self.rooms:
            for z in (r.get("zones_before") or []) + (r.get("zones_after") or []):
                seen.setdefault(z, None)
        for a in self.assignments:
            if a.get("zone"):
                seen.setdefault(a["zone"], None)
        return list(seen)
