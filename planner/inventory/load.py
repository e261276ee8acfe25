"""Read an estate from a directory of YAML, CSV and XLSX files (or one such file).

Layout (``spec/inventory-format.md``): every ``*.yaml``/``*.yml`` file is a mapping of
top-level keys; files are read in sorted order, lists are concatenated and exactly
one file holds ``estate:``. CSV and XLSX are alternatives for any section
(:mod:`planner.inventory.tables`).

This module merges the files into one inventory. The work is split by job:
:mod:`planner.inventory.yaml_reader` reads YAML safely,
:mod:`planner.inventory.tables` reads CSV and XLSX,
:mod:`planner.inventory.parse` turns raw items into models, and
:mod:`planner.inventory.raw` holds what they share. Nothing here raises on bad
input: every finding is collected, with file, line, item and field, and the items
that did load are returned as an inventory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import (
    SECTIONS,
    TOP_LEVEL_KEYS,
    Estate,
    Inventory,
    Item,
    Room,
    Uncertainty,
)
from planner.inventory.parse import parse_estate, parse_items, parse_separate, parse_uncertainty
from planner.inventory.raw import file_problem, key_line, line_of
from planner.inventory.tables import read_csv, read_xlsx
from planner.inventory.yaml_reader import read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")
INPUT_SUFFIXES = YAML_SUFFIXES + TABLE_SUFFIXES

PLACEHOLDER_ESTATE = Estate(name="(no estate block)", start=dt.date(2000, 1, 1))


@dataclass
class Loaded:
    """The result of reading an estate: the inventory, where items came from, and findings."""

    inventory: Inventory
    """Every item that parsed (a placeholder estate block if none did)."""
    root: Path
    """The estate directory (or the single input file)."""
    files: list[Path]
    """Input files read, in order."""
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    """(section, id) -> where the item is defined (the first definition, for duplicates)."""
    duplicates: list[tuple[str, str, Location]] = field(default_factory=list)
    """(section, id, where) for every later definition of an id already seen (the
    inventory keeps the first definition only)."""
    rejected: set[tuple[str, str]] = field(default_factory=set)
    """(section, id) of items that were written but did not load (their findings are
    reported), so that references to them are not reported again as dangling."""
    findings: Findings = field(default_factory=Findings)

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    @property
    def has_estate(self) -> bool:
        """Whether a valid estate block was read (else the inventory holds a placeholder)."""
        return self.inventory.estate is not PLACEHOLDER_ESTATE

    def where(self, section: str, item: str | None) -> Location:
        """Where an item is defined, or the first file of the estate when unknown."""
        if item is not None and (section, item) in self.locations:
            return self.locations[(section, item)]
        if section == "estate" and ("estate", "estate") in self.locations:
            return self.locations[("estate", "estate")]
        return Location(self.files[0].name if self.files else str(self.root))


def inventory_files(path: Path) -> list[Path]:
    """The input files of an estate directory in read order (or the single file given)."""
    if path.is_file():
        return [path]
    return sorted(
        (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES),
        key=lambda p: p.name,
    )


def inventory_sha256(path: Path) -> str:
    """SHA-256 over the estate's input files, sorted by name (name and bytes of each)."""
    digest = hashlib.sha256()
    for p in inventory_files(path):
        digest.update(p.name.encode())
        digest.update(b"\0")
        digest.update(p.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_file(path: Path, findings: Findings) -> dict[str, Any]:
    """The top-level mapping one input file stands for, by its type ({} when unreadable)."""
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return read_yaml(path, findings)
    if suffix == ".csv":
        return read_csv(path, findings)
    if suffix == ".xlsx":
        return read_xlsx(path, findings)
    findings.add(  # only reachable when one file is named on the command line
        file_problem(
            path,
            "unsupported-file",
            f"'{suffix or path.name}' is not an estate file type",
            "give the estate directory, or one .yaml, .yml, .csv or .xlsx file",
        )
    )
    return {}


# --------------------------------------------------------------------------- merging


@dataclass
class _Merge:
    """What the files have given so far, while they are read one after another."""

    loaded: Loaded
    estate: Estate | None = None
    estate_where: Location | None = None
    uncertainty: Uncertainty | None = None
    uncertainty_where: Location | None = None
    separate: list[tuple[str, str]] = field(default_factory=list)
    items: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in SECTIONS})

    def add_file(self, file: Path, doc: dict[str, Any]) -> None:
        """Merge one file's top-level keys."""
        findings = self.loaded.findings
        for key, raw in doc.items():
            if key not in TOP_LEVEL_KEYS:
                findings.add(_unknown_section(file, doc, key, raw))
            elif key == "estate":
                self.add_estate(raw, Location(file.name, line_of(raw)))
            elif key == "uncertainty":
                self.add_uncertainty(raw, Location(file.name, line_of(raw) or key_line(doc, key)))
            elif key == "separate":
                for a, b, where in parse_separate(raw, file, findings):
                    self.loaded.locations[("separate", f"separate[{len(self.separate)}]")] = where
                    self.separate.append((a, b))
            else:
                for item, where, _label in parse_items(
                    key, raw, file, findings, self.loaded.rejected
                ):
                    self.add_item(key, item, where)

    def add_estate(self, raw: Any, where: Location) -> None:
        if self.estate_where is not None:
            self.loaded.findings.add(
                Finding(
                    "error",
                    "duplicate-estate",
                    where,
                    "estate",
                    None,
                    None,
                    f"a second estate block (the first is in {self.estate_where})",
                    "keep exactly one estate block",
                )
            )
            return
        self.estate_where = where
        self.loaded.locations[("estate", "estate")] = where
        self.estate = parse_estate(raw, where, self.loaded.findings)

    def add_uncertainty(self, raw: Any, where: Location) -> None:
        if self.uncertainty_where is not None:
            self.loaded.findings.add(
                Finding(
                    "error",
                    "duplicate-uncertainty",
                    where,
                    "uncertainty",
                    None,
                    None,
                    f"a second uncertainty block (the first is in {self.uncertainty_where})",
                    "keep at most one uncertainty block",
                )
            )
            return
        self.uncertainty_where = where
        self.loaded.locations[("uncertainty", "uncertainty")] = where
        self.uncertainty = parse_uncertainty(raw, where, self.loaded.findings)

    def add_item(self, section: str, item: Item, where: Location) -> None:
        loaded, items = self.loaded, self.items[section]
        ident = getattr(item, "id", None)
        if ident is None:  # links have no id: keyed by position in the merged list
            items.append(item)
            loaded.locations[(section, f"#{len(items) - 1}")] = where
        elif (section, ident) in loaded.locations:
            # Reported by check_duplicate_ids; the first definition stands, so the other
            # checks see one item per id.
            loaded.duplicates.append((section, ident, where))
        else:
            items.append(item)
            loaded.locations[(section, ident)] = where

    def inventory(self) -> Inventory:
        items = dict(self.items)
        items["rooms"] = self.suites_sited(self.rooms_with_compute())
        items["room_compute"] = []
        return Inventory(
            estate=self.estate or PLACEHOLDER_ESTATE,
            uncertainty=self.uncertainty,
            separate=self.separate,
            **items,
        )

    def rooms_with_compute(self) -> list[Item]:
        """The rooms with the capacities of `room_compute` set on them: an entry naming no
        room, a second entry for a room, or a resource the room states itself is an error
        (the entry is then left out)."""
        loaded = self.loaded
        rooms = {getattr(r, "id", ""): r for r in self.items["rooms"]}
        seen: dict[str, Location] = {}
        for index, entry in enumerate(self.items["room_compute"]):
            where = loaded.locations[("room_compute", f"#{index}")]
            room_id = getattr(entry, "room", "")
            problem = None
            if room_id not in rooms:
                if ("rooms", room_id) not in loaded.rejected:
                    problem = ("room", f"no room '{room_id}'", "name a room of the estate")
            elif room_id in seen:
                problem = (
                    "room",
                    f"a second compute entry for room '{room_id}' "
                    f"(the first is in {seen[room_id]})",
                    "keep one entry per room",
                )
            else:
                stated = entry.model_dump(exclude_none=True, exclude={"room"})
                twice = [k for k in stated if getattr(rooms[room_id], k) is not None]
                if twice:
                    problem = (
                        twice[0],
                        f"room '{room_id}' states {twice[0]} itself",
                        "state each capacity once: on the room or here",
                    )
                else:
                    rooms[room_id] = rooms[room_id].model_copy(update=stated)
            if problem is not None:
                field_name, message, hint = problem
                loaded.findings.add(
                    Finding(
                        "error",
                        "room-compute",
                        where,
                        "room_compute",
                        room_id,
                        field_name,
                        message,
                        hint,
                    )
                )
            seen.setdefault(room_id, where)
        return list(rooms.values())

    def suites_sited(self, rooms: list[Item]) -> list[Item]:
        """The rooms with each suite that leaves out its site on its parent's site (a suite
        whose parent is not a room with a site is an error and left out)."""
        loaded = self.loaded
        by_id = {r.id: r for r in rooms if isinstance(r, Room)}
        out: list[Item] = []
        for room in rooms:
            if not isinstance(room, Room) or room.within is None or room.site:
                out.append(room)
                continue
            within, room_id = room.within, room.id
            parent = by_id.get(within)
            if parent is not None and parent.site:
                out.append(room.model_copy(update={"site": parent.site}))
                continue
            loaded.rejected.add(("rooms", room_id))
            if parent is None and ("rooms", within) in loaded.rejected:
                continue  # the parent's own findings say why
            loaded.findings.add(
                Finding(
                    "error",
                    "suite-site",
                    loaded.locations[("rooms", room_id)],
                    "rooms",
                    room_id,
                    "within",
                    f"no room '{within}' to take the site from"
                    if parent is None
                    else f"room '{within}' is itself a suite without a site",
                    "name the room the suite is built inside, or give the suite its site",
                )
            )
        return out


def _unknown_section(file: Path, doc: dict[str, Any], key: Any, raw: Any) -> Finding:
    known = ", ".join(TOP_LEVEL_KEYS)
    return Finding(
        "error",
        "unknown-section",
        Location(file.name, line_of(raw) or key_line(doc, key)),
        "file",
        None,
        str(key),
        f"unknown top-level key '{key}'",
        f"use one of: {known}"
        if file.suffix.lower() in YAML_SUFFIXES
        else f"name the file or sheet after a section: {known}",
    )


def load_estate(path: Path | str) -> Loaded:
    """Read and merge every input file of an estate; never raises on bad content."""
    root = Path(path)
    findings = Findings()
    files = inventory_files(root) if root.exists() else []
    loaded = Loaded(Inventory(estate=PLACEHOLDER_ESTATE), root, files, findings=findings)
    if not files:
        missing = not root.exists()
        findings.add(
            Finding(
                "error",
                "not-found" if missing else "no-files",
                Location(str(root)),
                "file",
                None,
                None,
                "no such file or directory"
                if missing
                else "no .yaml, .yml, .csv or .xlsx files here",
                "give the estate directory (holding estate.yaml)"
                if missing
                else "point at the estate directory",
            )
        )
        return loaded
    merge = _Merge(loaded)
    for file in files:
        merge.add_file(file, read_file(file, findings))
    if merge.estate_where is None:
        findings.add(
            Finding(
                "error",
                "no-estate",
                Location(files[0].name),
                "estate",
                None,
                None,
                "no file holds the 'estate:' block",
                "add estate.yaml with 'estate:', 'name:' and 'start:'",
            )
        )
    loaded.inventory = merge.inventory()
    return loaded
