"""A benchmark's solve in a process of its own: run it, kill it when it overruns, read
its last JSON line and the operating system's figure for its peak memory.

Used for our solver's rows (:mod:`planner.bench.run`) and for HiGHS'
(:mod:`planner.bench.mip`), so both are measured the same way. Standard library only.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Any

POLL_S = 0.05


@dataclass(frozen=True)
class Child:
    stdout: str
    stderr: str
    code: int | None
    """Exit code (negative: killed by that signal)."""
    peak_mb: float | None
    """Peak resident memory of the child as the kernel reports it when reaped (None where
    ``os.wait4`` does not exist)."""

    def last_json(self) -> dict[str, Any] | None:
        """The last line of stdout that is a JSON object (the child's result)."""
        for line in reversed(self.stdout.splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    value = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(value, dict):
                    return value
        return None

    def last_error_line(self) -> str:
        """The last line of stderr, or 'no output'."""
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else "no output"


def run_child(cmd: list[str], timeout_s: float) -> Child:
    """Run ``cmd`` to the end, killing it ``timeout_s`` seconds after it started."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout_s
        peak: float | None = None
        while True:
            if hasattr(os, "wait4"):
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    peak = usage.ru_maxrss / 1024
                    break
            elif proc.poll() is not None:  # pragma: no cover - not Linux/macOS
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(POLL_S)
        out.seek(0)
        err.seek(0)
        return Child(
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            proc.returncode,
            peak,
        )
