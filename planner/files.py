"""Writing files so that a reader sees the old content or the new, never a part.

:func:`write_atomic` writes one file: a temporary file beside it, flushed and
fsynced, renamed over the old one. :func:`write_files` writes a set of files
into one directory all or nothing: every file is first written in full to a
temporary file; only then are they renamed into place, each old file first
set aside, so that a failure at any point (a full disk, a rename refused)
puts every old file back and removes every new one. New files get the usual
permissions (0666 less the umask), like any file the user creates.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def _temporary(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}.{tag}.{secrets.token_hex(6)}")


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (which must not exist), fsynced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _sync_dir(directory: Path) -> None:
    """Make the renames in ``directory`` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write one file: readers see the old or the new content, never a part. Its
    directory must exist (a mistyped path creates no folders)."""
    write_files(path.parent, {path.name: data}, create=False)


def write_files(
    directory: Path, files: Mapping[str, str | bytes], *, create: bool = True
) -> list[Path]:
    """Write ``files`` (name -> content; text as UTF-8) into ``directory``, all or nothing.

    The directory is created if missing (unless ``create`` is false). Returns the
    paths written, in order. On any failure the directory holds exactly the files
    it held before, and the error is raised.
    """
    if create:
        directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            final = directory / name
            tmp = _temporary(final, "new")
            _write_new(tmp, content.encode("utf-8") if isinstance(content, str) else content)
            staged.append((tmp, final))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    _swap_in(staged)
    _sync_dir(directory)
    return [final for _, final in staged]


def _swap_in(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file over its final name; undo all of it if one rename fails."""
    set_aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for tmp, final in staged:
            if final.exists():
                old = _temporary(final, "old")
                os.replace(final, old)
                set_aside.append((old, final))
            os.replace(tmp, final)
            placed.append(final)
    except BaseException:
        with contextlib.suppress(OSError):
            for final in placed:
                final.unlink(missing_ok=True)
            for old, final in set_aside:
                os.replace(old, final)
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
        raise
    for old, _ in set_aside:
        old.unlink(missing_ok=True)
