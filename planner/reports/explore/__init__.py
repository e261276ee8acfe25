"""The reports of an exploration (spec/explore.md), rendered from explore.json alone.

``render_explore(doc)`` gives, by file name:

- ``explore.md``   the analyses as short sentences and tables;
- ``explore.html`` one self-contained page (inline CSS and SVG charts, no script, no
  network): the prices of the rules as a tornado, the Pareto curves with their knee, the
  distribution of the sampled savings and one-off cost with P10/P50/P90 and the plan's
  own figures, and each partner's Shapley value beside its allocated share.

An analysis explore.json does not hold is left out of both. Nothing is written here:
``planner explore`` writes these beside explore.json, all or nothing. Like every report,
this package reads no module of the optimiser: only :mod:`planner.explorefile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.explorefile import Explore

__all__ = ["EXPLORE_REPORT_FILES", "ExploreLink", "render_explore"]

EXPLORE_REPORT_FILES = ("explore.md", "explore.html")


@dataclass(frozen=True)
class ExploreLink:
    """An exploration for report.html to summarise (its Exploration section)."""

    doc: Mapping[str, Any] | Explore
    """explore.json (the dict, or its model)."""
    href: str
    """The address of its explore.html relative to report.html (already URL-quoted)."""


def render_explore(doc: Mapping[str, Any] | Explore) -> dict[str, bytes]:
    """explore.md and explore.html of ``doc`` (the dict of explore.json, or its model), by
    file name. Raises :class:`planner.explorefile.ExploreFileError` if ``doc`` is not a
    readable explore.json."""
    from planner.reports.explore.html import explore_html
    from planner.reports.explore.markdown import explore_markdown
    from planner.reports.explore.view import ExploreView

    v = ExploreView(doc)
    return {
        "explore.md": explore_markdown(v).encode("utf-8"),
        "explore.html": explore_html(v).encode("utf-8"),
    }
