"""Generated estates with accreditation upgrades and secure suites (``--decisions``).

* Without the option nothing changes: ``generate(c, s)`` is ``generate(c, s,
  decisions=False)``, and with it the estate differs only by its name, the hosts'
  upgrades, the suites and the partners' new links.
* With it, estates are valid (no errors, no warnings), carry an upgrade offer and a
  suite for every partner, and ``optimise()`` plans them to a plan the independent
  checker accepts: through the whole model and through the large-estate path
  (layers and block search, forced here by lowering ``NEIGHBOURHOOD_ABOVE``, as in
  tests/test_large_estates.py). One worker: CP-SAT's deterministic time limit.

Measured when written (time limit 5 s, 1 worker): 3 councils seed 4 buys a dspt
upgrade and opens a police suite on both paths; 12 councils seed 3 opens an NHS
suite; 12 councils seed 1 through the large-estate path opens two suites. About
35 s on 2 cores.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner.optimise
from planner.checker import check_plan
from planner.cli import app
from planner.generate import generate
from planner.inventory.items import Inventory
from planner.inventory.load import load_estate
from planner.inventory.validate import load_and_validate
from planner.inventory.write import write_yaml
from planner.optimise import OptimiseOptions, optimise
from planner.solver import SolveOptions
from planner.solver.layers import is_big
from planner.target.translate import build_problem

NETWORK = {"pasf": "psnp", "dspt": "hscn"}


def without_decisions(inv: Inventory) -> Inventory:
    """The estate with the suites, the upgrades and the links they added taken out."""
    rooms = [r.model_copy(update={"upgrades": []}) for r in inv.rooms if r.within is None]
    return inv.model_copy(update={"rooms": rooms})


@pytest.mark.parametrize(("councils", "seed"), [(1, 0), (3, 1), (12, 5), (40, 2)])
def test_without_the_option_the_estate_is_unchanged(councils: int, seed: int) -> None:
    plain = generate(councils, seed)
    assert generate(councils, seed, decisions=False) == plain
    assert plain.estate.name == f"Generated estate: {councils} councils (seed {seed})"
    assert not any(r.upgrades or r.within for r in plain.rooms)

    rich = generate(councils, seed, decisions=True)
    assert rich != plain
    assert rich.links[: len(plain.links)] == plain.links  # new links come last
    stripped = without_decisions(rich).model_copy(
        update={"links": plain.links, "estate": plain.estate}
    )
    assert stripped == plain


def test_same_bytes_without_the_option(tmp_path: Path) -> None:
    def files(name: str, **kwargs: bool) -> dict[str, bytes]:
        out = tmp_path / name
        write_yaml(generate(6, 3, **kwargs), out)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    assert files("a") == files("b", decisions=False)


def assert_decisions(inv: Inventory) -> tuple[int, int]:
    """Every partner has a suite and its host an upgrade offer, in the ranges; returns
    (upgrades offered, suites)."""
    suites = [r for r in inv.rooms if r.within is not None]
    partners = Counter(o.kind for o in inv.organisations if o.kind in ("police", "nhs"))
    assert len(suites) == partners["police"] + partners["nhs"]
    hosts = {s.within for s in suites}
    for r in inv.rooms:
        if r.upgrades:
            assert r.id in hosts or r.within is not None
        for u in r.upgrades:
            assert u.accreditation in ("pasf", "dspt")
            assert u.accreditation not in r.accreditations
            assert 30_000 <= u.cost <= 250_000
            assert 5_000 <= u.annual_cost <= 40_000
            assert 3 <= u.lead_months <= 18
    for s in suites:
        assert s.within is not None
        parent = inv.room[s.within]
        assert parent.within is None
        assert s.site == parent.site
        assert s.status == "candidate"
        assert 2 <= s.racks <= 8
        assert 50_000 <= s.open_cost <= 200_000
        assert 8_000 <= s.annual_cost <= 30_000
        gains = set(s.accreditations) | {u.accreditation for u in s.upgrades}
        assert gains & {"pasf", "dspt"}
        for acc in set(s.accreditations) | ({"dspt"} if not s.accreditations else set()):
            # the partner's zone reaches the suite's site over its network
            assert any(
                link.network == NETWORK[acc] and s.site in (link.a, link.b) for link in inv.links
            ), (s.id, acc)
    return sum(len(r.upgrades) for r in inv.rooms), len(suites)


@pytest.mark.parametrize(("councils", "seed"), [(1, 0), (3, 1), (12, 5), (40, 2)])
def test_estates_with_decisions_are_valid(councils: int, seed: int, tmp_path: Path) -> None:
    inv = generate(councils, seed, decisions=True)
    assert generate(councils, seed, decisions=True) == inv  # deterministic
    write_yaml(inv, tmp_path / "estate")
    loaded = load_and_validate(tmp_path / "estate")
    assert loaded.findings.items == [], [f.render() for f in loaded.findings.items[:10]]
    assert load_estate(tmp_path / "estate").inventory == inv  # returned in split order
    offered, suites = assert_decisions(inv)
    assert offered >= 1
    assert suites >= 2  # the first area has both partners


def test_cli_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["generate", str(tmp_path / "g"), "-n", "3", "-s", "1", "--decisions"]
    )
    assert result.exit_code == 0, result.output
    assert "suites" in result.output
    assert load_estate(tmp_path / "g").inventory == generate(3, 1, decisions=True)
    assert "--decisions" in (tmp_path / "g" / "estate.yaml").read_text()


def plan_and_check(
    path: Path, councils: int, seed: int, large: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """Plan the estate, check the plan; the upgrades bought and the suites opened."""
    write_yaml(generate(councils, seed, decisions=True), path)
    loaded = load_and_validate(path)
    assert loaded.ok
    problem = build_problem(loaded.inventory).problem
    # the path optimise() takes: the layers and the block search above its threshold
    above = planner.optimise.NEIGHBOURHOOD_ABOVE
    assert is_big(problem, SolveOptions(neighbourhood_above=above)) == large
    options = OptimiseOptions(time_limit_s=5, workers=1, explain_reasons=False)
    plan = optimise(loaded, options).plan
    assert plan["solver"]["status"] in ("optimal", "feasible")
    report = check_plan(loaded, plan)
    assert report.ok, [v.render() for v in report.violations[:20]]
    inv = loaded.inventory
    rows = {r["id"]: r for r in plan["rooms"]}
    for r in inv.rooms:
        if r.upgrades:
            assert "upgrades_bought" in rows[r.id]
        if r.within is not None:
            assert rows[r.id]["within"] == r.within
    bought = [
        (r["id"], u["accreditation"]) for r in plan["rooms"] for u in r.get("upgrades_bought", [])
    ]
    opened = [r["id"] for r in plan["rooms"] if "within" in r and r["decision"] == "open"]
    print(f"{councils} councils seed {seed} large={large}: bought {bought}, opened {opened}")
    return bought, opened


@pytest.mark.slow
@pytest.mark.parametrize(("councils", "seed"), [(3, 4), (12, 3)])
def test_plans_with_decisions_pass_the_checker(councils: int, seed: int, tmp_path: Path) -> None:
    plan_and_check(tmp_path / "estate", councils, seed, large=False)


@pytest.mark.slow
@pytest.mark.parametrize(("councils", "seed"), [(3, 4), (12, 1)])
def test_the_large_estate_path_with_decisions_passes_the_checker(
    councils: int, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planner.optimise, "NEIGHBOURHOOD_ABOVE", 0)
    plan_and_check(tmp_path / "estate", councils, seed, large=True)
