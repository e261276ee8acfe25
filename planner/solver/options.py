"""How a solve is run: time, workers, seed and the CP-SAT settings that matter.

Reproducibility: with one worker the limit is CP-SAT's deterministic time
(``max_deterministic_time``, roughly seconds of work), so the same problem,
options and seed give the same answer on any machine; with more workers it is
wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass

NEIGHBOURHOOD_ABOVE = 30_000
"""Estates with more assignment variables than this are solved by layers with the
block search (generated estates of about 30 councils and more). Measured on
2026-12-06 (60 s, 2 workers, docs/benchmarks.md section 7): 50 councils seed 0
(44,227 options) 145.7M with a 4.8% gap by layers against 158.1M and 11.8% as one
model; seed 1 (35,651) 139.2M / 6.0% against 151.2M / 13.1%; an imported estate
of 4,983 workloads and 10 rooms (40,677) proven optimal in 17 s either way. (On
2026-11-23 the whole model had done better at 50 councils, so the threshold was
100,000; the model has grown since, and its presolve now takes 6 s there.)"""


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    linearization_level: int = 2
    """CP-SAT linearization level: 2 puts every linking row x[w, r] <= open[r] in the LP,
    which is the strong facility-location relaxation; 1 leaves the LP with the
    aggregated rows only (docs/benchmarks.md: cap131 proven in 0.1 s at 2, no proof
    in 10 s at 1). With several workers CP-SAT runs named subsolvers that set
    their own level ('default_lp' sets 1); :func:`configure` gives 'default_lp'
    this level too."""
    log: bool = False
    light_presolve_above: int = 50_000
    """With more assignment variables than this, presolve runs once without probing or
    big-overlap detection: on a 100 x 1000 benchmark that is the difference between a
    first solution after 7 s and after 2 s (docs/benchmarks.md)."""
    neighbourhood_above: int | None = None
    """With more assignment variables than this (and no room limit), the room layer is
    first improved block by block (:mod:`planner.solver.blocks`) for
    ``neighbourhood_share`` of the time, and the whole model starts from the result;
    None: never. Estates use :data:`NEIGHBOURHOOD_ABOVE`."""
    neighbourhood_share: float = 0.5
    relaxation_above: int = 50_000
    """With more assignment variables than this, ``relaxation_share`` of the time goes to
    the Lagrangian bound (:mod:`planner.solver.lagrange`) after CP-SAT, reported when
    CP-SAT proved less: CP-SAT has not solved the root LP of 100,000 options in a
    minute (OR-Library capb_7000: its bound 24% below the best plan after 60 s, the
    Lagrangian bound 0.4% in 4 s; docs/benchmarks.md)."""
    relaxation_share: float = 0.1
    aggregate: bool = True
    """Solve the whole model with each class of identical workloads as one
    (:mod:`planner.solver.aggregate`; same optimum, fewer symmetric plans). The layers
    and the block search (above ``neighbourhood_above``) take the workloads one by one."""
    cp_sat_params: str = ""
    """Extra CP-SAT parameters in protobuf text format, applied last (for experiments,
    e.g. ``"subsolvers: 'max_lp'"``); invalid text raises ValueError."""
