"""Many independent solves as tasks on Dask (spec/explore.md): a local cluster of worker
processes by default, an existing cluster when given its scheduler's address.

Each task is a :class:`Variation`: a small, picklable description of what differs from
the estate (a rule removed, a room limit, a coalition, a sampled set of figures) with a
``run(inventory)`` that does the work in the worker and returns a JSON-able dict. The
estate itself is sent to the cluster once (``scatter``, to every worker) and each task
receives it there, so thousands of tasks do not each carry the inventory.

A task that raises is retried once by Dask (``retries=1``); if it fails again its key
and error are reported in :attr:`Results.failed` and the others still finish. One
CP-SAT worker per task by default (``Settings.solver_workers``), so tasks, not threads,
fill the cores.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from planner.inventory.items import Inventory


class Variation(Protocol):
    """One task: what differs from the estate, and how to solve it."""

    @property
    def key(self) -> str:
        """Unique within a run, e.g. 'price:separate:nhs/official'."""
        ...

    def run(self, inventory: Inventory) -> dict[str, Any]:
        """Do the work (in a worker process); a JSON-able result."""
        ...


@dataclass(frozen=True)
class Settings:
    """Where and how the tasks run."""

    scheduler: str | None = None
    """tcp://HOST:PORT of an existing Dask scheduler; None: a local cluster."""
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Worker processes of the local cluster (ignored with a scheduler)."""


@dataclass
class Results:
    """What the tasks returned, by key, and the ones that failed twice."""

    done: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: list[dict[str, str]] = field(default_factory=list)
    """[{key, error}] of tasks that failed and failed again when retried."""
    engine: dict[str, Any] = field(default_factory=dict)
    """kind (local|dask), scheduler, workers, tasks: for explore.json."""
    wall_s: float = 0.0


def _run(variation: Variation, inventory: Inventory) -> dict[str, Any]:
    """The function each task runs in its worker; its result gains ``task_s``, the
    seconds the work took there (for the per-task times of explore.json)."""
    start = time.perf_counter()
    out = variation.run(inventory)
    out["task_s"] = time.perf_counter() - start
    return out


class ClusterError(Exception):
    """The Dask scheduler given cannot be reached (the message names it)."""


CONNECT_TIMEOUT = "15s"
"""How long to try to reach a scheduler given by address."""


@contextlib.contextmanager
def client(settings: Settings) -> Iterator[Any]:
    """A Dask client: to the given scheduler, or to a local cluster of worker processes
    (one thread each) that is shut down afterwards."""
    from distributed import Client, LocalCluster

    if settings.scheduler:
        try:
            c = Client(settings.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError, TypeError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler {settings.scheduler!r}: {exc}; start one "
                "with `dask scheduler` (and workers with `dask worker ADDRESS`), or leave out "
                "--scheduler for a local cluster"
            ) from None
        with c:
            yield c
        return
    with (
        LocalCluster(
            n_workers=max(1, settings.workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: no clash with a running cluster
            silence_logs=50,  # task errors are reported in Results.failed
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


class Session:
    """Tasks submitted in batches to one cluster, then gathered: the driver can do its own
    work (make the plan being explored) while the first batch runs."""

    def __init__(self, c: Any, inventory: Inventory, kind: str) -> None:
        self.client, self.kind = c, kind
        self.start = time.monotonic()
        self.estate = c.scatter(inventory, broadcast=True, hash=False)
        self.futures: list[Any] = []
        self.keys: dict[str, str] = {}

    def submit(self, variations: Sequence[Variation]) -> None:
        """Start these tasks (keys unique across the session)."""
        keys = [v.key for v in variations]
        if len(set(keys) | set(self.keys.values())) != len(keys) + len(self.keys):
            raise ValueError("task keys must be unique")
        if not variations:
            return
        futures = self.client.map(
            _run,
            list(variations),
            inventory=self.estate,
            key=[f"planner-{k}" for k in keys],
            retries=1,
            pure=False,
        )
        self.futures += futures
        self.keys |= {f.key: k for f, k in zip(futures, keys, strict=True)}

    def gather(self, on_done: Callable[[int, int], None] | None = None) -> Results:
        """Wait for every task; ``on_done(done, total)`` after each."""
        from distributed import as_completed

        results = Results()
        for n, future in enumerate(as_completed(self.futures), start=1):
            key = self.keys[future.key]
            if future.status == "finished":
                results.done[key] = future.result()
            else:
                results.failed.append({"key": key, "error": _error(future)})
            if on_done is not None:
                on_done(n, len(self.futures))
        info = self.client.scheduler_info()
        results.engine = {
            "kind": self.kind,
            "scheduler": self.client.scheduler.address,
            "workers": len(info.get("workers", {})),
            "tasks": len(self.futures),
        }
        results.failed.sort(key=lambda f: f["key"])
        results.wall_s = time.monotonic() - self.start
        return results


@contextlib.contextmanager
def session(inventory: Inventory, settings: Settings, dask_client: Any = None) -> Iterator[Session]:
    """A :class:`Session` on ``dask_client`` (left open), or on the cluster of ``settings``
    (a local one is shut down afterwards)."""
    kind = "dask" if settings.scheduler or dask_client is not None else "local"
    if dask_client is not None:
        yield Session(dask_client, inventory, kind)
        return
    with client(settings) as c:
        yield Session(c, inventory, kind)


def run_tasks(
    inventory: Inventory,
    variations: Sequence[Variation],
    settings: Settings,
    on_done: Callable[[int, int], None] | None = None,
    dask_client: Any = None,
) -> Results:
    """Run every variation on the cluster; ``on_done(done, total)`` after each task.
    With ``dask_client`` that client is used (and left open)."""
    if not variations:
        return Results()
    with session(inventory, settings, dask_client) as s:
        s.submit(variations)
        return s.gather(on_done)


def _error(future: Any) -> str:
    try:
        exc = future.exception()
    except Exception as err:  # the future was cancelled or lost with its worker
        return f"{type(err).__name__}: {err}"
    return f"{type(exc).__name__}: {exc}" if exc is not None else "failed"
