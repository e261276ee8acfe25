"""An estate without the newer optional fields plans exactly as before.

tests/data/unchanged/*.json hold the decisions of two bundled estates' plans as
they were before the decisions of spec/decisions.md existed (taken 2026-12-06,
after compute capacity and the RVTools import): the objective, every room's
decision and month, every desk's, every workload's room and move month, and every
organisation's desk and switch month (Cambridgeshire's retaken when identical
workloads became one in the model, planner/solver/aggregate.py: the same objective,
its ties broken otherwise). Each is planned again (one worker, seed 0:
deterministic) and must give the same. To take the fixtures again on purpose:
``python tests/test_plans_unchanged.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "unchanged"
ESTATES = ("tiny", "cambridgeshire")


def decisions(plan: dict[str, Any]) -> dict[str, Any]:
    """What a plan decides, and nothing it merely reports."""
    return {
        "objective": plan["solver"]["objective"],
        "rooms": {
            r["id"]: [r["decision"], r["close_month"], r.get("open_month")] for r in plan["rooms"]
        },
        "desks": {d["id"]: [d["decision"], d["fte"], d.get("close_month")] for d in plan["desks"]},
        "assignments": {a["workload"]: [a["to"], a["month"]] for a in plan["assignments"]},
        "desk_assignments": {
            d["organisation"]: [d["desk"], d.get("month")] for d in plan["desk_assignments"]
        },
    }


def plan_of(estate: str) -> dict[str, Any]:
    from planner.inventory.validate import load_and_validate
    from planner.optimise import OptimiseOptions, optimise

    loaded = load_and_validate(ROOT / "inventories" / estate)
    assert loaded.ok
    options = OptimiseOptions(time_limit_s=60, workers=1, seed=0, explain_reasons=False)
    return optimise(loaded, options).plan


@pytest.mark.parametrize("estate", ESTATES)
def test_bundled_plans_are_unchanged(estate: str) -> None:
    expected = json.loads((FIXTURES / f"{estate}.json").read_text(encoding="utf-8"))
    got = decisions(plan_of(estate))
    assert got["objective"] == pytest.approx(expected["objective"], abs=0.01)
    for part in ("rooms", "desks", "assignments", "desk_assignments"):
        assert got[part] == expected[part], part


if __name__ == "__main__":  # take the fixtures again
    sys.path.insert(0, str(ROOT))
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in ESTATES:
        text = json.dumps(decisions(plan_of(name)), indent=1, sort_keys=True) + "\n"
        (FIXTURES / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURES / name}.json")
