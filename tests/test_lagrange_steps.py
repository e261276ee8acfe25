"""One step of the rooms' Lagrangian bound (planner/solver/lagrange.py, ``_Options``).

* ``_order`` sorts by (group, key, position), as a stable sort would, ties and
  infinite keys included;
* along an ascent on a generated estate, the copies the hint leaves out of the sort
  change no step: every value and subgradient is that of sorting every copy, bit for
  bit, while the sorts are smaller.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.generate import generate
from planner.solver import lagrange
from planner.solver.lagrange import _Options, _order
from planner.solver.layers import room_layer
from planner.solver.subgradient import ascend
from planner.target.translate import build_problem


@pytest.mark.parametrize("n", [0, 1, 2, 1000])
def test_order_sorts_like_a_stable_sort(n: int) -> None:
    rng = np.random.default_rng(n)
    group = np.sort(rng.integers(0, 7, n))
    key = np.where(rng.random(n) < 0.1, -np.inf, -rng.integers(1, 20, n) / 3.0)
    assert np.array_equal(_order(group, key), np.lexsort((key, group)))


def test_the_hint_changes_no_step(monkeypatch: pytest.MonkeyPatch) -> None:
    p = room_layer(build_problem(generate(6, 1)).problem)
    hinted, every = _Options(p), _Options(p)
    n_w, shape = hinted.n_w, hinted.other.shape
    sorted_sizes: list[int] = []

    def counted(group: np.ndarray, key: np.ndarray) -> np.ndarray:
        sorted_sizes.append(len(key))
        return _order(group, key)

    monkeypatch.setattr(lagrange, "_order", counted)

    def evaluate(u: np.ndarray) -> tuple[float, np.ndarray]:
        lam, nu = u[:n_w], u[n_w:].reshape(shape)
        every.hint = np.zeros(every.n_cells)
        value, used, over = hinted.evaluate(lam, nu, True)
        expected = every.evaluate(lam, nu, True)
        assert value == expected[0]
        assert np.array_equal(used, expected[1])
        assert np.array_equal(over, expected[2])
        return value, np.concatenate([1.0 - used, over.ravel()])

    start = np.concatenate([hinted.cheapest(), hinted.no_nu().ravel()])
    nonneg = np.arange(len(start)) >= n_w
    ascend(evaluate, start, nonneg, target=None, max_steps=200, time_limit_s=math.inf)
    hinted_sizes, every_sizes = sorted_sizes[::2], sorted_sizes[1::2]
    assert all(h <= e for h, e in zip(hinted_sizes, every_sizes, strict=True))
    assert sum(hinted_sizes) < 0.7 * sum(every_sizes)
