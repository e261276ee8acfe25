"""Running CP-SAT so that Ctrl-C stops the search and reaches the caller.

CP-SAT catches SIGINT itself (``catch_sigint_signal``) and ends the search as if
its time had run out, so a program that goes on would treat an interrupted
search as a finished one (and could write a worse plan as if nothing had
happened). :func:`run` turns that off and runs the search in a worker thread
while the main thread waits on an event (not on ``Thread.join``, whose
interruption can leave a running thread marked as finished). Ctrl-C then
raises :class:`KeyboardInterrupt` in the main thread, which stops the search,
waits for CP-SAT to return, and raises again, so the command can stop without
writing anything (exit 130).
"""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model


def run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> Any:
    """``solver.solve(model, callback)``, interruptible by Ctrl-C (KeyboardInterrupt)."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)  # signals reach only the main thread
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def search() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=search, name="cp-sat", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        _stop_and_wait(solver, done)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def _stop_and_wait(solver: cp_model.CpSolver, done: threading.Event) -> None:
    """Stop the search and wait until CP-SAT has returned (a process must not exit while
    its search threads run); a second Ctrl-C only asks again."""
    while not done.is_set():
        solver.stop_search()
        try:
            done.wait(0.2)
        except KeyboardInterrupt:
            continue
