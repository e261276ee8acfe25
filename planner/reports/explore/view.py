"""The figures and sentences explore.md, explore.html and report.html's Exploration section
show, derived from explore.json alone (spec/explore.md, :mod:`planner.explorefile`).

explore.json is read through its model (:func:`planner.explorefile.validate_explore`);
keys the model does not declare are kept and two of them are used when present:

- ``risk.values.net_savings`` / ``risk.values.one_off``: every sample's figure (the
  distribution is drawn from them; without them, from P10/P50/P90 and the mean);
- ``risk.plan.net_savings`` / ``risk.plan.one_off``: the plan's own figure;
- ``shapley.values[].allocated``: the partner's share as the plan allocates it (and
  ``name``: its name).

Anything else is ignored; an extension key that is not a number (or a list of numbers)
is treated as absent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.explorefile import Explore, ParetoPoint, Percentiles, Price, validate_explore
from planner.reports import fmt

KIND_WORDS = {
    "separate": "zones kept apart",
    "isolation": "zone isolation",
    "requires": "zone's required networks",
    "keep": "room kept",
    "close": "room closed",
    "earliest_close": "earliest closure",
    "pinned": "workload pinned",
    "dr_min_distance": "DR copies apart",
    "user_latency": "user latencies",
    "dependency_latency": "dependency latencies",
    "max_rooms": "room limit",
    "max_desks": "desk limit",
}
"""Each kind of rule in a few words (an unknown kind is shown as given)."""

STATUS_WORDS = {
    "optimal": "optimal",
    "feasible": "feasible, not proven best",
    "infeasible": "no plan without it",
    "unknown": "no plan found in time",
}
"""The status of a solve in words (for the solve without a rule, and a Pareto point)."""

CURVE_STATUS = {
    "optimal": "optimal",
    "feasible": "feasible, not proven best",
    "infeasible": "no plan",
    "unknown": "no plan found in time",
}


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def finite(x: object) -> float | None:
    """``x`` as a float when it is a finite number (not a bool), else None."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    f = float(x)
    return f if math.isfinite(f) else None


# ---------------------------------------------------------------- prices


def price_text(p: Price) -> str:
    """'£174,391', 'at least £12,000', 'at most £3,500', 'unknown', 'no plan without it'."""
    if p.price is None:
        return "no plan without it" if p.status == "infeasible" else "unknown"
    if p.price_is == "at_least":
        return f"at least {fmt.gbp(p.price)}"
    if p.price_is == "at_most":
        return f"at most {fmt.gbp(p.price)}"
    if p.price_is == "unknown":
        return "unknown"
    return fmt.gbp(p.price)


def price_short(p: Price) -> str:
    """A bar's label: '£174k', '≥ £12k', '≤ £3.5k'."""
    text = fmt.gbp_short(p.price)
    return {"at_least": "≥ ", "at_most": "≤ "}.get(p.price_is, "") + text


@dataclass(frozen=True)
class RankedPrices:
    """The rules in three groups, each in the order shown."""

    binding: list[Price]
    """A price (exact or a bound) that is not £0: most expensive first."""
    free: list[Price]
    """Price £0 (exact, or at most £0): the rule does not bind."""
    unpriced: list[Price]
    """No price (no plan without the rule, unknown), or at least a figure that rounds to £0."""


def rank_prices(prices: list[Price]) -> RankedPrices:
    """Split ``prices`` into binding (by price, most first), free and unpriced (by rule)."""
    binding, free, unpriced = [], [], []
    for p in prices:
        if p.price is None or p.price_is == "unknown":
            unpriced.append(p)
        elif round(p.price) != 0:
            binding.append(p)
        elif p.price_is in ("exact", "at_most"):
            free.append(p)
        else:
            unpriced.append(p)
    binding.sort(key=lambda p: (-(p.price or 0.0), p.rule))
    free.sort(key=lambda p: p.rule)
    unpriced.sort(key=lambda p: p.rule)
    return RankedPrices(binding, free, unpriced)


# ---------------------------------------------------------------- Pareto curves


def has_plan(pt: ParetoPoint) -> bool:
    """Whether the point has a plan (an objective, optimal or feasible)."""
    return pt.objective is not None and pt.status in ("optimal", "feasible")


@dataclass(frozen=True)
class Curve:
    """One Pareto curve: the limit's name and its points in order of the limit."""

    what: str
    """'rooms' or 'desks'."""
    points: list[ParetoPoint]

    def limit(self, pt: ParetoPoint) -> int:
        value = pt.max_rooms if self.what == "rooms" else pt.max_desks
        return int(value or 0)

    def opened(self, pt: ParetoPoint) -> list[str]:
        return pt.rooms_open if self.what == "rooms" else pt.desks_open

    @property
    def knee(self) -> ParetoPoint | None:
        return next((pt for pt in self.points if pt.knee), None)

    def step(self, i: int) -> float | None:
        """What allowing this point's limit saves against the point before it (both with a
        plan); None for the first point or next to one without a plan."""
        if i == 0:
            return None
        a, b = self.points[i - 1], self.points[i]
        if not (has_plan(a) and has_plan(b)):
            return None
        return float(a.objective or 0.0) - float(b.objective or 0.0)

    def knee_sentence(self) -> str:
        """'The knee is at 2 rooms (objective £4,275,391): one more room saves at most £0.'"""
        k = self.knee
        if k is None:
            return ""
        i = self.points.index(k)
        after = self.step(i + 1) if i + 1 < len(self.points) else None
        text = (
            f"The knee is at {fmt.plural(self.limit(k), self.what[:-1])} "
            f"(objective {fmt.gbp(k.objective)})"
        )
        if after is not None:
            text += f": allowing one more saves {fmt.gbp(after)}"
        return text + "."

    def infeasible(self) -> list[int]:
        """The limits with no plan (infeasible)."""
        return [self.limit(pt) for pt in self.points if pt.status == "infeasible"]

    def unsolved(self) -> list[int]:
        """The limits whose solve found no plan and proved none exists neither (unknown)."""
        return [
            self.limit(pt) for pt in self.points if not has_plan(pt) and pt.status != "infeasible"
        ]

    def no_plan_sentence(self) -> str:
        """'No plan with at most 1 room.' ('' when every limit has one)."""
        ks = self.infeasible()
        if not ks:
            return ""
        if len(ks) == 1:
            return f"No plan with at most {fmt.plural(ks[0], self.what[:-1])}."
        listed = ", ".join(str(k) for k in ks[:-1]) + f" or {ks[-1]}"
        return f"No plan with at most {listed} {self.what}."


def curve(points: list[ParetoPoint] | None, what: str) -> Curve | None:
    """The curve of ``points`` (None when absent or empty)."""
    if not points:
        return None
    key = "max_rooms" if what == "rooms" else "max_desks"
    return Curve(what, sorted(points, key=lambda pt: int(getattr(pt, key) or 0)))


# ---------------------------------------------------------------- risk


def chance(p: float) -> str:
    """A probability as odds a reader can weigh: 'a 1 in 5 chance', 'a 3 in 4 chance',
    'about a 1 in 29 chance', 'a 62% chance'."""
    for d in range(2, 11):
        n = round(p * d)
        if 1 <= n < d and abs(n / d - p) < 0.0051:
            return f"a {n} in {d} chance"
    if p < 0.5:
        return f"about a 1 in {round(1 / p)} chance"
    return f"a {p * 100:.0f}% chance"


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def count(n: int, word: str) -> str:
    """'1 task', '14,006 tasks'."""
    return f"{n:,} {word if n == 1 else word + 's'}"


def percent(p: float) -> str:
    """0.215 -> '21.5%', 0.2 -> '20%'."""
    return f"{p * 100:.1f}".rstrip("0").rstrip(".") + "%"


def share(p: float, samples: int) -> str:
    """'20% of 200 samples'."""
    return f"{percent(p)} of {count(samples, 'sample')}"


def costed(r: Any) -> int:
    """How many samples the risk figures rest on: ``used`` (samples whose migration could be
    dated within the horizon) when the document gives it, else every sample."""
    used = (r.model_extra or {}).get("used")
    return int(used) if isinstance(used, int | float) and not isinstance(used, bool) else r.samples


def left_out_sentence(r: Any) -> str | None:
    """'3 of the 200 samples could not be dated within the horizon ...', or None."""
    out = r.samples - costed(r)
    if out <= 0:
        return None
    return (
        f"{count(out, 'sample')} of the {r.samples:,} could not be dated within the horizon "
        "(moves too slow for a deadline or the horizon) and are left out of these figures: "
        "a risk the figures do not show."
    )


def loss_sentence(p: float, samples: int) -> str:
    """The chance that the programme loses money over the horizon, in words."""
    if p <= 0:
        return f"None of the {count(samples, 'sample')} loses money over the horizon."
    if p >= 1:
        return f"Every one of the {count(samples, 'sample')} loses money over the horizon."
    return _capital(
        f"{chance(p)} the programme loses money over the horizon "
        f"({share(p, samples)} have net savings below zero)."
    )


def overrun_sentence(p: float, samples: int, plan_one_off: float | None) -> str:
    """The chance that the one-off cost exceeds the plan's, in words."""
    plans = "the plan's" + (f" {fmt.gbp(plan_one_off)}" if plan_one_off is not None else "")
    if p <= 0:
        return f"In none of the {count(samples, 'sample')} does the one-off cost exceed {plans}."
    if p >= 1:
        return f"In every sample the one-off cost exceeds {plans}."
    return _capital(f"{chance(p)} the one-off cost exceeds {plans} ({share(p, samples)}).")


def payback_sentence(months: Mapping[str, str | None]) -> str:
    """When the sampled programmes pay back: the P50 and P90 months in words."""
    p50, p90 = months.get("p50"), months.get("p90")
    if p50 is None:
        return "More than half the samples do not pay back within the horizon."
    text = f"Half the samples pay back by {fmt.month(p50)}"
    if p90 is None:
        return text + "; more than 1 in 10 do not pay back within the horizon."
    return text + f", 9 in 10 by {fmt.month(p90)}."


# ---------------------------------------------------------------- Shapley


@dataclass(frozen=True)
class ShapleyRow:
    organisation: str
    name: str | None
    value: float
    standard_error: float | None
    allocated: float | None


# ---------------------------------------------------------------- the whole document


class ExploreView:
    """Read-only accessors over a checked explore.json."""

    def __init__(self, doc: Mapping[str, Any] | Explore) -> None:
        self.x: Explore = doc if isinstance(doc, Explore) else validate_explore(dict(doc))

    # header
    @property
    def estate(self) -> str:
        return self.x.estate

    @property
    def saving(self) -> float | None:
        """Today's estate's objective minus the plan's (None when either is unknown)."""
        if self.x.objective is None or self.x.baseline_objective is None:
            return None
        return self.x.baseline_objective - self.x.objective

    def engine_sentence(self) -> str:
        """'57 tasks on a local Dask cluster of 4 workers.'"""
        eng = self.x.engine
        tasks = count(eng.tasks, "task")
        workers = count(eng.workers, "worker")
        if eng.kind == "local":
            return f"{tasks} on a local Dask cluster of {workers}."
        if eng.scheduler:
            return f"{tasks} on the Dask cluster at {eng.scheduler} ({workers})."
        return f"{tasks} on a Dask cluster ({workers}, {eng.kind})."

    def failed_sentence(self) -> str:
        """'3 of 57 tasks failed (after a retry); the figures leave them out.' ('' if none)"""
        n = len(self.x.failed)
        if not n:
            return ""
        return (
            f"{n:,} of {count(self.x.engine.tasks, 'task')} failed, even when retried; "
            "the analyses below leave them out, so their figures are incomplete."
        )

    def failures(self) -> list[tuple[str, str]]:
        """(key, error) of each failed task."""
        return [(f.get("key", ""), f.get("error", "")) for f in self.x.failed]

    def objective_sentence(self) -> str:
        """The plan's objective against today's estate's, in a sentence."""
        obj, base, saving = self.x.objective, self.x.baseline_objective, self.saving
        if obj is None:
            return "No plan was found for the estate, so there is no objective to explore from."
        text = f"The plan's objective is {fmt.gbp(obj)}"
        if base is not None and saving is not None:
            text += f" against {fmt.gbp(base)} for today's estate: "
            text += (
                f"a saving of {fmt.gbp(saving)}"
                if saving >= 0
                else f"{fmt.gbp(-saving)} more than today's estate"
            )
        return text + " (one-off cost plus discounted running cost over the horizon)."

    # sections
    @property
    def prices(self) -> RankedPrices | None:
        return rank_prices(self.x.prices) if self.x.prices is not None else None

    @property
    def rooms_curve(self) -> Curve | None:
        return curve(self.x.pareto, "rooms")

    @property
    def desks_curve(self) -> Curve | None:
        return curve(self.x.pareto_desks, "desks")

    def risk_values(self, key: str) -> list[float] | None:
        """Every sample's ``key`` (net_savings or one_off) from the extension key
        risk.values, or None (absent, not a list of at least two finite numbers)."""
        risk = self.x.risk
        raw = (risk.model_extra or {}).get("values") if risk else None
        seq = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(seq, list) or len(seq) < 2:
            return None
        values = [finite(x) for x in seq]
        return None if any(v is None for v in values) else [float(v or 0.0) for v in values]

    def risk_plan(self, key: str) -> float | None:
        """The plan's own ``key`` (net_savings or one_off) from risk.plan, or None."""
        risk = self.x.risk
        raw = (risk.model_extra or {}).get("plan") if risk else None
        return finite(raw.get(key)) if isinstance(raw, dict) else None

    def shapley_rows(self) -> list[ShapleyRow]:
        """Each partner's Shapley value (with its standard error and allocated share when
        given), in explore.json's order."""
        if self.x.shapley is None:
            return []
        rows = []
        for v in self.x.shapley.values:
            extra = v.model_extra or {}
            name = extra.get("name")
            rows.append(
                ShapleyRow(
                    v.organisation,
                    name if isinstance(name, str) and name else None,
                    v.value,
                    v.standard_error,
                    finite(extra.get("allocated")),
                )
            )
        return rows

    def has_allocated(self) -> bool:
        return any(r.allocated is not None for r in self.shapley_rows())

    def shapley_method_sentence(self) -> str:
        """How the values were worked out: exactly, or from N sampled orders."""
        s = self.x.shapley
        if s is None:
            return ""
        n = len(s.values)
        if s.method == "exact":
            return (
                f"Exact: the saving of every one of the {2**n - 1:,} coalitions of "
                f"{fmt.plural(n, 'partner')} was solved."
            )
        if s.method == "sampled":
            orders = f"{s.samples:,} random orders" if s.samples else "random orders"
            return (
                f"Sampled: {orders} in which the {n} partners join; each value is the mean of "
                "what the partner adds on joining, shown ± its standard error."
            )
        return f"Method: {s.method}."

    def shapley_total_sentence(self) -> str:
        """The values' total: the saving of all partners together."""
        s = self.x.shapley
        if s is None:
            return ""
        text = (
            f"The values add up to {fmt.gbp(s.total)}, the saving when all partners "
            "consolidate together"
        )
        if self.saving is not None and round(self.saving) == round(s.total):
            text += " (today's estate's objective minus the plan's)"
        return text + "."

    def allocated_sentence(self) -> str:
        """Who the plan gives less than its Shapley value ('' without allocations)."""
        rows = [r for r in self.shapley_rows() if r.allocated is not None]
        if not rows:
            return ""
        short = [r for r in rows if (r.allocated or 0.0) < r.value - 0.5]
        total = sum(r.allocated or 0.0 for r in rows)
        text = f"The plan allocates {fmt.gbp(total)} in all."
        if short:
            names = ", ".join(r.name or r.organisation for r in short)
            text += f" Allocated less than their Shapley value: {names}."
        return text


def percentiles_row(label: str, p: Percentiles, plan: float | None) -> list[str]:
    """[label, P10, P50, P90, mean, the plan] as text."""
    return [label, fmt.gbp(p.p10), fmt.gbp(p.p50), fmt.gbp(p.p90), fmt.gbp(p.mean), fmt.gbp(plan)]
