"""What a check finds: violations (rule, ids, a sentence) and counts of what was checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    ``rule`` is "1".."10" for the rules of ``spec/inventory-format.md``, or one of
    "costs", "years", "finance", "organisations", "shares", "staff", "sha", "estate",
    "format" for the figures and keys of ``docs/plan-format.md``.
    """

    rule: str
    ids: tuple[str, ...]
    """The items concerned (rooms, workloads, desks, organisations, zones, months...)."""
    message: str
    """What is wrong and by how much, in words."""

    def render(self) -> str:
        ids = f" [{', '.join(self.ids)}]" if self.ids else ""
        return f"rule {self.rule}{ids}: {self.message}"


@dataclass
class CheckReport:
    """Everything a check found, and how much it looked at."""

    violations: list[Violation] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)
    """How many items of each kind were checked (workloads, rooms, months, years, ...)."""
    notes: list[str] = field(default_factory=list)
    """What could not be checked, and why (e.g. an extension key the plan does not carry)."""

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def rules(self) -> set[str]:
        """The rules with at least one violation."""
        return {v.rule for v in self.violations}

    def add(self, rule: str, ids: tuple[str, ...] | list[str], message: str) -> None:
        self.violations.append(Violation(rule, tuple(ids), message))

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] += n

    def of_rule(self, rule: str) -> list[Violation]:
        return [v for v in self.violations if v.rule == rule]

    def summary(self) -> str:
        parts = ", ".join(f"{n} {what}" for what, n in sorted(self.checked.items()))
        verdict = "all rules hold" if self.ok else f"{len(self.violations)} violation(s)"
        return f"{verdict}; checked {parts}" if parts else verdict


class PlanFormatError(ValueError):
    """The plan is not a ``planner-plan/1`` document (not an object, wrong format, a core
    key missing or a value of the wrong type): it cannot be checked at all."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))
