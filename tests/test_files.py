"""planner.files: every file whole or not at all, a set of files all or nothing, the
permissions any file the user creates would get."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import planner.files
from planner.files import write_atomic, write_files


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """A directory holding an old plan and a file of the user's."""
    d = tmp_path / "plan"
    d.mkdir()
    for name in ("plan.json", "summary.md", "moves.csv"):
        (d / name).write_bytes(f"old {name}".encode())
    (d / "notes.txt").write_text("mine")
    return d


def test_every_file_is_replaced_and_others_kept(old: Path) -> None:
    paths = write_files(old, {"plan.json": "new", "summary.md": b"new", "report.html": "new"})
    assert [p.name for p in paths] == ["plan.json", "summary.md", "report.html"]
    assert listing(old) == {
        "moves.csv": b"old moves.csv",
        "notes.txt": b"mine",
        "plan.json": b"new",
        "report.html": b"new",
        "summary.md": b"new",
    }


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_get_the_umask_permissions(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        write_files(tmp_path, {"a.json": "{}"})
        write_atomic(tmp_path / "b.md", "text")
    finally:
        os.umask(previous)
    for name in ("a.json", "b.md"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o666 & ~umask, oct(mode)


def test_a_failed_write_changes_nothing(old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = listing(old)
    real = planner.files._write_new
    calls = {"n": 0}

    def full_disk(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(planner.files, "_write_new", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_files(old, {"plan.json": "new", "summary.md": "new", "moves.csv": "new"})
    assert listing(old) == before


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_failed_rename_puts_every_old_file_back(
    old: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    before = listing(old)
    real = os.replace
    calls = {"n": 0}

    def refuse(src: str | Path, dst: str | Path) -> None:
        if ".new." in Path(src).name:
            calls["n"] += 1
            if calls["n"] == failing:
                raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(planner.files.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_files(old, {"plan.json": "new", "summary.md": "new", "report.html": "new"})
    monkeypatch.undo()
    assert listing(old) == before


def test_an_interrupt_between_renames_puts_every_old_file_back(
    old: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (KeyboardInterrupt) is undone like any failure."""
    before = listing(old)
    real = os.replace
    calls = {"n": 0}

    def interrupt(src: str | Path, dst: str | Path) -> None:
        if ".new." in Path(src).name:
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(planner.files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_files(old, {"plan.json": "new", "summary.md": "new"})
    monkeypatch.undo()
    assert listing(old) == before


def test_one_file_needs_its_directory(tmp_path: Path) -> None:
    """A mistyped --out path creates no folders."""
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "no" / "such" / "diff.md", "text")
    assert list(tmp_path.iterdir()) == []
