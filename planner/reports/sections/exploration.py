"""The 'Exploration' section of report.html (``planner report PLAN_DIR --explore DIR``): the
headline figures of the estate's exploration (the dearest rules, the knee of each Pareto
curve, the P10 and P90 of the net savings) and a link to its explore.html."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.explore import ExploreLink
from planner.reports.explore.view import ExploreView, chance, count, price_text
from planner.reports.markup import e, table
from planner.reports.plan import PlanView

TOP_PRICES = 3
"""The dearest rules named."""


def exploration(v: PlanView, link: ExploreLink) -> str:
    """The exploration section."""
    x = ExploreView(link.doc)
    rows = [
        f'<tr><th scope="row">{e(label)}</th><td>{value}</td></tr>' for label, value in _facts(x)
    ]
    href = e(link.href)
    return (
        '<section id="exploration"><h2>Exploration</h2>'
        + _warnings(v, x)
        + '<p class="lead">What changes if the rules, the number of rooms or the figures '
        f'change: the headline figures of <a href="{href}">explore.html</a> '
        f"({e(count(x.x.engine.tasks, 'task'))}).</p>"
        + (table([], rows, cls="about compact") if rows else "")
        + f'<p class="note">The full exploration, with its charts and tables: '
        f'<a href="{href}">{e(link.href)}</a>.</p></section>'
    )


def _warnings(v: PlanView, x: ExploreView) -> str:
    """Failed tasks, and an exploration of a different inventory ('' when neither)."""
    out = ""
    if x.x.failed:
        out += f'<p class="status bad">{e(x.failed_sentence())}</p>'
    sha = v.plan.get("inventory_sha256")
    if sha and x.x.inventory_sha256 and sha != x.x.inventory_sha256:
        out += (
            '<p class="status warn">The exploration was run on a different inventory from '
            "this plan's (their SHA-256 differ): its figures may not be this plan's.</p>"
        )
    return out


def _facts(x: ExploreView) -> list[tuple[str, str]]:
    """(label, escaped HTML) of each headline figure the exploration has."""
    facts: list[tuple[str, str]] = []
    ranked = x.prices
    if ranked is not None:
        top = ranked.binding[:TOP_PRICES]
        text = (
            "; ".join(f"{e(p.rule)} <strong>{e(price_text(p))}</strong>" for p in top)
            if top
            else "no rule binds"
        )
        facts.append(("Dearest rules" if len(top) > 1 else "Dearest rule", text))
    for c in (x.rooms_curve, x.desks_curve):
        knee = c.knee if c is not None else None
        if c is None or knee is None:
            continue
        facts.append(
            (
                f"Knee of the {c.what[:-1]} curve",
                f"<strong>{e(fmt.plural(c.limit(knee), c.what[:-1]))}</strong> "
                f"(objective {e(fmt.gbp(knee.objective))})",
            )
        )
    r = x.x.risk
    if r is not None:
        ns = r.net_savings
        loss = f"; {e(chance(r.p_net_negative))} of a loss" if 0 < r.p_net_negative < 1 else ""
        facts.append(
            (
                "Net savings, P10 to P90",
                f"<strong>{e(fmt.gbp(ns.p10))}</strong> to <strong>{e(fmt.gbp(ns.p90))}"
                f"</strong> (P50 {e(fmt.gbp(ns.p50))}, {e(count(r.samples, 'sample'))}){loss}",
            )
        )
    return facts
