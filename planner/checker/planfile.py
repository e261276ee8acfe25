"""The shape of plan.json, as :mod:`planner.planfile`'s models define it.

``docs/plan-format.md`` marks keys *core* (``spec/plan-format.md``: must be
present), *ext* (``planner``'s own) or *opt* (may be absent). A value of the wrong
type, or a missing core key, makes the document unreadable as a ``planner-plan/1``
plan: that is :class:`PlanFormatError` (exit 2). A missing ext key is only reported
(as a ``format`` violation) when the plan is expected to be one of ``planner``'s own.

The models only say which keys a plan has and of what type; the checker then
recomputes every figure itself (it shares no logic with the optimiser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.planfile import FEASIBLE, FORMAT, STATUSES, PlanError, validate_plan

__all__ = ["FEASIBLE", "FORMAT", "STATUSES", "Shape", "read_shape"]


@dataclass(frozen=True)
class Shape:
    """A plan whose types are right: ``feasible`` says which layout it follows."""

    feasible: bool
    missing_ext: list[str]
    """The extension keys it lacks, e.g. ``rooms[0].open_month`` (feasible plans only)."""


def read_shape(plan: Any) -> Shape:
    """Check the plan's layout and types; raise :class:`PlanFormatError` when unreadable."""
    from planner.checker.report import PlanFormatError

    try:
        valid = validate_plan(plan)
    except PlanError as exc:
        raise PlanFormatError(exc.problems) from None
    return Shape(valid.feasible, valid.missing_ext)
