"""report.html: one self-contained page (inline CSS and SVG; no network, no fonts to fetch).

The page is its head (the style sheet report.css, shipped beside this module),
a masthead, a contents bar, then the sections of :mod:`planner.reports.sections`
and a footer. Every string from the plan is HTML-escaped before it reaches the
page. The only script is a few lines that open the collapsed move lists before
printing; a Content-Security-Policy allows that script (by its hash) and
nothing else to run or load.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files

from planner.reports import fmt
from planner.reports.explore import ExploreLink
from planner.reports.markup import badge, e
from planner.reports.plan import Plan, PlanView
from planner.reports.sections.about import about
from planner.reports.sections.exploration import exploration
from planner.reports.sections.finance import finance
from planner.reports.sections.headline import headline
from planner.reports.sections.partners import partners
from planner.reports.sections.rooms import rooms
from planner.reports.sections.security import security
from planner.reports.sections.staff import staff
from planner.reports.sections.timeline import timeline

SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){"
    "if(!d.open){d.setAttribute('data-closed','');d.open=true;}});});"
    "window.addEventListener('afterprint',function(){"
    "document.querySelectorAll('details[data-closed]').forEach(function(d){"
    "d.open=false;d.removeAttribute('data-closed');});});"
)

CONTENTS = (
    ("rooms", "Rooms and desks"),
    ("timeline", "Timeline"),
    ("finance", "Finance"),
    ("partners", "Partners"),
    ("staff", "Staff"),
    ("security", "Security"),
)
"""The contents links of a feasible plan between Headline and About (anchor, link text)."""


@cache
def css() -> str:
    """The page's style sheet (planner/reports/report.css)."""
    return files("planner.reports").joinpath("report.css").read_text(encoding="utf-8")


def _script_hash() -> str:
    """The print script's hash, for the Content-Security-Policy."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def report_html(plan: Plan, explore: ExploreLink | None = None) -> str:
    """The text of report.html; with ``explore``, an Exploration section before About
    (``planner report --explore``)."""
    v = PlanView(plan)
    sections: dict[str, str] = {}
    if v.feasible:
        sections = {
            "rooms": rooms(v),
            "timeline": timeline(v),
            "finance": finance(v),
            "partners": partners(v),
            "staff": staff(v),
            "security": security(v),
        }
    if explore is not None:
        sections["exploration"] = exploration(v, explore)
    present = [(anchor, text) for anchor, text in CONTENTS if sections.get(anchor)]
    if explore is not None:
        present.append(("exploration", "Exploration"))
    body = [_masthead(v), _contents(present), '<main class="wrap">', headline(v)]
    body += list(sections.values())
    body += [about(v), "</main>"]
    return (
        _head(v)
        + "\n".join(body)
        + "\n"
        + _footer(v)
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _head(v: PlanView) -> str:
    """From the doctype to <body>: character set, security policy, title, style sheet."""
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n'
        f"<title>{e(v.estate)} – consolidation plan</title>\n"
        f"<style>\n{css()}</style>\n</head>\n<body>\n"
    )


def _masthead(v: PlanView) -> str:
    """The estate's name with the plan's status, when it was made and its horizon."""
    status_kind = {"optimal": "good", "feasible": "warn"}.get(v.status, "bad")
    label = {
        "optimal": "Optimal plan",
        "feasible": "Feasible plan",
        "infeasible": "No feasible plan",
        "unknown": "No plan found",
    }.get(v.status, v.status)
    meta = []
    if v.plan.get("created"):
        meta.append(f"Created {e(_when(v.plan['created']))}")
    if v.plan.get("planner_version"):
        meta.append(f"planner {e(v.plan['planner_version'])}")
    if v.start_month and v.end_month:
        meta.append(f"Horizon {e(fmt.month(v.start_month))} – {e(fmt.month(v.end_month))}")
    return (
        '<header class="masthead"><div class="wrap">'
        '<p class="kicker">Infrastructure consolidation plan</p>'
        f"<h1>{e(v.estate)}</h1>"
        f'<p class="meta">{badge(label, status_kind)} {" · ".join(meta)}</p>'
        "</div></header>"
    )


def _when(iso: object) -> str:
    """'2026-11-23T10:00:00Z' -> '23 Nov 2026, 10:00 UTC' (else the text as given)."""
    try:
        t = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    zone = " UTC" if t.utcoffset() == timedelta(0) else ""
    return f"{t.day} {fmt.MONTHS[t.month - 1]} {t.year}, {t:%H:%M}{zone}"


def _contents(present: list[tuple[str, str]]) -> str:
    """The contents bar: a link to each section the page has (a section with nothing to
    show, such as Partners for an estate without organisations, is left out)."""
    links = [("headline", "Headline"), *present, ("about", "About this plan")]
    items = "".join(f'<a href="#{k}">{e(t)}</a>' for k, t in links)
    return f'<nav class="toc no-print" aria-label="Contents"><div class="wrap">{items}</div></nav>'


def _footer(v: PlanView) -> str:
    """The estate, plan format and planner version."""
    plan = v.plan
    return (
        f'<footer><div class="wrap">{e(v.estate)} · plan format '
        f"{e(plan.get('format', ''))} · generated by planner"
        + (f" {e(plan['planner_version'])}" if plan.get("planner_version") else "")
        + "</div></footer>"
    )
