"""Benchmarks: public instances and estates through the one solver core.

* :mod:`planner.bench.sscflp` reads single-source capacitated facility location
  files (Holmberg et al. 1999, Beasley's OR-Library) into the same
  :class:`~planner.solver.problem.Problem` that :mod:`planner.target.translate` builds from
  an estate, so the benchmarks measure the model the estates use.
* :mod:`planner.bench.run` runs each instance in its own subprocess (per-instance
  peak memory; a crash costs one row, not the run) and writes the CSV rows.
"""
