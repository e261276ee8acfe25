"""Write an inventory back to files that :func:`planner.inventory.load.load_estate` reads.

Three layouts, each loading back into an inventory equal (``==``) to the one
written, field for field and in the same order:

* :func:`write_yaml` with ``split="single"``: one ``estate.yaml`` holding everything.
* :func:`write_csv`: ``estate.csv`` (one row) and one ``<section>.csv`` per
  non-empty section (``separate.csv`` has columns ``a`` and ``b``).
* :func:`write_xlsx`: one workbook, one sheet per section, the same columns.

:func:`write_yaml` with ``split="organisation"`` (the convention for estates kept
by hand) writes ``estate.yaml`` (the estate block, zones, separate, networks and
links) and one ``<organisation id>.yaml`` per organisation holding its
organisation entry, its sites, the rooms and service desks on those sites and
its workloads. The loader concatenates lists in sorted file-name order, so this
layout groups items by organisation: it loads back equal to
:func:`split_order` of the inventory (the same items, regrouped), and equal to
the inventory itself when that is already in split order (as every estate
:mod:`planner.generate` makes is). Items that belong to no known organisation
(a dangling reference) stay in ``estate.yaml``, so nothing is ever lost.

Values: floats are written so that they read back exactly (``repr``; whole
numbers without ``.0``), dates as ISO ``YYYY-MM-DD``, booleans as true/false,
``None`` as an absent key (YAML) or an empty cell (CSV, XLSX). A CSV text cell
that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-`` or ``@``)
is written with a leading apostrophe, which the reader removes again
(:func:`planner.inventory.tables.csv_escape`); XLSX cells are typed as text, so
they need none. In tables, list
fields are ``;``-separated, ``depends_on`` cells are
``workload:max_latency_ms;...`` and ``upgrades`` cells
``accreditation:cost:annual_cost:lead_months;...``, as the loader reads them. YAML omits fields
equal to their default (except in the estate and uncertainty blocks, whose settings
are all written out: they are what a reader of the business case checks first) and uses
flow style only for short things (lists of
ids, ``depends_on`` entries, ``separate`` pairs, networks, sites and links);
everything else is block style, keys in model field order.

A few values have no faithful table form, and the table writers refuse them with
:class:`UnrepresentableError` rather than change them (YAML writes them all):
``estate.shared_service: []`` (no organisation counts towards the limits) would
read back from an empty cell as ``None`` (every organisation counts); the
``uncertainty`` block is a mapping of mappings, with no table form; in XLSX, a
carriage return in text reads back as a line feed and control characters cannot
be stored; in CSV, the reader refuses NUL characters.

Every writer refuses to write into a directory (or over a workbook) that already
holds inventory files unless ``overwrite=True``, in which case those files
(``*.yaml``, ``*.yml``, ``*.csv``, ``*.xlsx`` directly in the directory) are
deleted first: a stale file left beside the new ones would be merged into the
estate when it is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from planner.inventory.items import (
    SECTIONS,
    Dependency,
    Estate,
    Inventory,
    Item,
    Triangle,
    Uncertainty,
    Upgrade,
)
from planner.inventory.load import INPUT_SUFFIXES
from planner.inventory.tables import csv_escape

Split = Literal["organisation", "single"]

ESTATE_FILE = "estate.yaml"
"""The file holding the estate block (and, split by organisation, the shared sections)."""

ORGANISATION_SECTIONS: tuple[str, ...] = (
    "organisations",
    "sites",
    "rooms",
    "service_desks",
    "workloads",
)
"""Sections whose items go into their organisation's file when split by organisation."""

FLOW_SECTIONS: frozenset[str] = frozenset({"networks", "sites", "links"})
"""Sections whose items are short enough to write one per line (flow style) in YAML."""

_MAX_EXACT_INT = 2**53
"""Whole floats below this are written as integers (they convert back exactly)."""


class UnrepresentableError(ValueError):
    """The inventory holds a value the chosen file format cannot express faithfully."""


# --------------------------------------------------------------------------- values


def _number(value: float) -> int | float:
    """A float as the friendliest exact number: 35.0 -> 35, 0.1 stays 0.1."""
    if math.isfinite(value) and value.is_integer() and abs(value) < _MAX_EXACT_INT:
        return int(value)
    return value


@functools.cache
def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    """Field name -> default value, for the fields of a model that have one.

    Cached: pydantic's ``get_default`` inspects the factory's signature on every call.
    """
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def _is_default(item: BaseModel, name: str) -> bool:
    defaults = _defaults(type(item))
    return name in defaults and bool(getattr(item, name) == defaults[name])


def _fields(item: BaseModel) -> Iterator[tuple[str, Any]]:
    """(name, value) of every field in model order."""
    for name in type(item).model_fields:
        yield name, getattr(item, name)


def _columns(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


# --------------------------------------------------------------------------- YAML


class _FlowList(list[Any]):
    """A list written in flow style: ``[a, b]``."""


class _FlowMap(dict[str, Any]):
    """A mapping written in flow style: ``{a: 1, b: 2}``."""


_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Safe dumper: block style by default, flow style for the marked lists and maps."""


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    # Insertion order (model field order), never sorted.
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items())


_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(dict, _represent_dict)


def _yaml_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str | int | dt.date):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, Dependency):
        return _FlowMap(
            workload=value.workload, max_latency_ms=_number(float(value.max_latency_ms))
        )
    if isinstance(value, Upgrade):
        return _FlowMap(
            accreditation=value.accreditation,
            cost=_number(float(value.cost)),
            annual_cost=_number(float(value.annual_cost)),
            lead_months=value.lead_months,
        )
    if isinstance(value, list | tuple):
        items = [_yaml_value(v) for v in value]
        if all(not isinstance(v, dict) for v in items):
            return _FlowList(items)
        return items
    raise TypeError(f"cannot write {type(value).__name__} to YAML")  # pragma: no cover


def _yaml_item(item: BaseModel, flow: bool = False, defaults: bool = False) -> dict[str, Any]:
    """An item as a mapping in field order; fields at their default are left out
    (``defaults=True``: only those that are None)."""
    out: dict[str, Any] = _FlowMap() if flow else {}
    for name, value in _fields(item):
        if value is None if defaults else _is_default(item, name):
            continue
        out[name] = _yaml_value(value)
    return out


def _yaml_doc(
    estate: Estate | None,
    separate: Sequence[tuple[str, str]],
    sections: dict[str, list[Item]],
    uncertainty: Uncertainty | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if estate is not None:
        doc["estate"] = _yaml_item(estate, defaults=True)
    if uncertainty is not None:
        doc["uncertainty"] = {
            name: _FlowMap(_yaml_item(value)) if isinstance(value, Triangle) else _yaml_value(value)
            for name, value in _fields(uncertainty)
        }
    for key in Inventory.model_fields:
        if key in ("estate", "uncertainty"):
            continue
        if key == "separate":
            if separate:
                doc["separate"] = [_FlowList(pair) for pair in separate]
            continue
        items = sections.get(key, [])
        if items:
            doc[key] = [_yaml_item(it, flow=key in FLOW_SECTIONS) for it in items]
    return doc


def _dump_yaml(doc: dict[str, Any], header: str | None) -> str:
    # One top-level key at a time, with a blank line between them for people reading.
    body = "\n".join(
        yaml.dump(
            {key: value},
            Dumper=_Dumper,
            default_flow_style=False,
            sort_keys=False,
            allow_unicode=True,
            width=1_000_000,
            indent=2,
        )
        for key, value in doc.items()
    )
    if header:
        lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        body = lines + "\n" + body
    return body


def organisation_files(inv: Inventory) -> dict[str, str]:
    """Organisation id -> the file name its items are written to when split by organisation.

    The name is the id with characters other than letters, digits, ``.``, ``_`` and
    ``-`` replaced by ``_``; names that would clash (ignoring case, so that the
    estate also works on case-insensitive file systems) or with ``estate.yaml`` get a
    ``-2``, ``-3``... suffix.
    """
    taken = {ESTATE_FILE.lower()}
    out: dict[str, str] = {}
    for org in inv.organisations:
        if org.id in out:
            continue
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", org.id).lstrip(".") or "organisation"
        name, n = f"{stem}.yaml", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.yaml"
        taken.add(name.lower())
        out[org.id] = name
    return out


def _split_sections(inv: Inventory) -> dict[str, dict[str, list[Item]]]:
    """File name -> section -> items, for the split-by-organisation layout."""
    files = organisation_files(inv)
    site_org = {s.id: s.organisation for s in inv.sites}
    out: dict[str, dict[str, list[Item]]] = {ESTATE_FILE: {}}
    for name in files.values():
        out[name] = {}

    def file_of(org: str | None) -> str:
        return files.get(org, ESTATE_FILE) if org is not None else ESTATE_FILE

    for key in SECTIONS:
        for it in getattr(inv, key):
            if key == "organisations" or key == "sites" or key == "workloads":
                target = file_of(it.organisation if key != "organisations" else it.id)
            elif key in ("rooms", "service_desks"):
                target = file_of(site_org.get(it.site))
            else:
                target = ESTATE_FILE
            out[target].setdefault(key, []).append(it)
    return out


def split_order(inv: Inventory) -> Inventory:
    """The inventory as it loads back after :func:`write_yaml` with ``split="organisation"``.

    The same items with each section regrouped by file: the file names sorted, as
    the loader reads them, and each file's items in inventory order.
    """
    by_file = _split_sections(inv)
    sections: dict[str, list[Item]] = {key: [] for key in SECTIONS}
    for name in sorted(by_file):
        for key, items in by_file[name].items():
            sections[key].extend(items)
    return Inventory(
        estate=inv.estate, uncertainty=inv.uncertainty, separate=inv.separate, **sections
    )


def _prepare_dir(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = sorted(
        p for p in out_dir.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
    )
    if stale and not overwrite:
        shown = ", ".join(p.name for p in stale[:5]) + (", ..." if len(stale) > 5 else "")
        raise FileExistsError(
            f"{out_dir} already holds inventory files ({shown}); they would be merged "
            "into the estate when it is read: choose an empty directory, or replace them"
        )
    for p in stale:
        p.unlink()


def write_yaml(
    inv: Inventory,
    out_dir: Path | str,
    split: Split = "organisation",
    *,
    overwrite: bool = False,
    header: str | None = None,
) -> list[Path]:
    """Write the inventory as YAML files in ``out_dir``; return the paths written.

    ``split="single"`` writes one ``estate.yaml`` that loads back equal to ``inv``;
    ``split="organisation"`` writes ``estate.yaml`` and one file per organisation,
    loading back equal to :func:`split_order` ``(inv)``. ``header`` is written as
    comment lines at the top of ``estate.yaml``.
    """
    if split not in ("organisation", "single"):
        raise ValueError(f"split must be 'organisation' or 'single', not {split!r}")
    out = Path(out_dir)
    _prepare_dir(out, overwrite)
    written: list[Path] = []
    if split == "single":
        sections = {key: list(getattr(inv, key)) for key in SECTIONS}
        path = out / ESTATE_FILE
        doc = _yaml_doc(inv.estate, inv.separate, sections, inv.uncertainty)
        path.write_text(_dump_yaml(doc, header), encoding="utf-8")
        return [path]
    for name, sections in _split_sections(inv).items():
        is_estate = name == ESTATE_FILE
        doc = _yaml_doc(
            inv.estate if is_estate else None,
            inv.separate if is_estate else [],
            sections,
            inv.uncertainty if is_estate else None,
        )
        path = out / name
        path.write_text(_dump_yaml(doc, header if is_estate else None), encoding="utf-8")
        written.append(path)
    return sorted(written)


# --------------------------------------------------------------------------- tables


def _check_tabular(inv: Inventory) -> None:
    if inv.uncertainty is not None:
        raise UnrepresentableError(
            "the uncertainty block has no table form; write YAML instead (or keep the "
            "block in a YAML file beside the tables)"
        )
    if inv.estate.shared_service == []:
        raise UnrepresentableError(
            "estate.shared_service is an empty list, which a CSV or XLSX cell cannot "
            "tell apart from no list at all (every organisation); write YAML instead"
        )


def _list_cell(value: Iterable[Any]) -> str:
    parts = []
    for v in value:
        if isinstance(v, Dependency):
            parts.append(f"{v.workload}:{_text(_number(float(v.max_latency_ms)))}")
        elif isinstance(v, Upgrade):
            amounts = (_text(_number(float(v.cost))), _text(_number(float(v.annual_cost))))
            parts.append(f"{v.accreditation}:{amounts[0]}:{amounts[1]}:{v.lead_months}")
        else:
            parts.append(_text(v))
    return ";".join(parts)


def _text(value: Any) -> str:
    """A value as CSV text that the loader reads back exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(_number(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return _list_cell(value)
    return str(value)


def _csv_cell(value: Any) -> str:
    """A value as a CSV cell: text that a spreadsheet would run as a formula (``=...``,
    ``+...``, ``-...``, ``@...``) gets a leading apostrophe (:func:`csv_escape`, undone
    by the reader); numbers, dates and booleans are written as they are."""
    text = _text(value)
    return csv_escape(text) if isinstance(value, str | list | tuple) else text


def _rows(inv: Inventory) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """(section, columns, rows of field values) for the estate, separate and each section."""
    yield "estate", _columns(Estate), [[v for _, v in _fields(inv.estate)]]
    yield "separate", ["a", "b"], [list(pair) for pair in inv.separate]
    for key, model in SECTIONS.items():
        items = getattr(inv, key)
        yield key, _columns(model), [[v for _, v in _fields(it)] for it in items]


def write_csv(inv: Inventory, out_dir: Path | str, *, overwrite: bool = False) -> list[Path]:
    """Write ``estate.csv`` and one ``<section>.csv`` per non-empty section; return the paths.

    Columns are the field names in model order; rows are in inventory order, so the
    directory loads back equal to ``inv``.
    """
    _check_tabular(inv)
    out = Path(out_dir)
    _prepare_dir(out, overwrite)
    written = []
    for section, columns, rows in _rows(inv):
        if not rows:
            continue
        path = out / f"{section}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)  # RFC 4180 CRLF: a CR inside a value gets quoted
            writer.writerow(columns)
            for row in rows:
                cells = [_csv_cell(v) for v in row]
                for column, cell in zip(columns, cells, strict=True):
                    if "\0" in cell:
                        raise UnrepresentableError(
                            f"{section} field '{column}' holds a NUL character, which "
                            f"the CSV reader refuses: {cell!r}"
                        )
                writer.writerow(cells)
        written.append(path)
    return sorted(written)


def _xlsx_value(value: Any) -> Any:
    """A value as an XLSX cell value that reads back exactly.

    Numbers stay numbers when the 16 significant digits openpyxl writes give the
    same float back (every value typed by a person); otherwise the cell holds the
    exact ``repr`` as text, which the loader parses. Dates stay dates.
    """
    if value is None or isinstance(value, bool | int | dt.date):
        return value
    if isinstance(value, float):
        number = _number(value)
        if isinstance(number, int) and abs(number) < 10**15:
            return number
        if math.isfinite(value) and float(f"{value:.16g}") == value:
            return value
        return repr(value)
    if isinstance(value, list | tuple):
        return _list_cell(value)
    return str(value)


def write_xlsx(inv: Inventory, path: Path | str, *, overwrite: bool = False) -> Path:
    """Write one workbook with a sheet per section (estate and separate included).

    Every section gets a sheet, with its header row even when it has no items, so the
    workbook doubles as a template. Loads back equal to ``inv``.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    _check_tabular(inv)
    target = Path(path)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; choose another name or overwrite")
    # Every value is converted and checked before the workbook is started, so a refusal
    # never leaves a half-written workbook behind.
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for section, columns, rows in _rows(inv):
        values = [[_xlsx_value(v) for v in row] for row in rows]
        for row in values:
            for column, value in zip(columns, row, strict=True):
                if not isinstance(value, str):
                    continue
                if "\r" in value:
                    # XML reading turns a carriage return into a line feed.
                    raise UnrepresentableError(
                        f"{section} field '{column}' holds a carriage return, which "
                        f"XLSX reads back as a line feed: {value!r}"
                    )
                if ILLEGAL_CHARACTERS_RE.search(value):
                    raise UnrepresentableError(
                        f"{section} field '{column}' holds a control character "
                        f"that XLSX cannot store: {value!r}"
                    )
        sheets.append((section, columns, values))
    target.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    for section, columns, values in sheets:
        sheet = book.create_sheet(section)
        sheet.append(columns)
        for row in values:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, str):
                    # A text cell, always: never a formula ('=...') or an error code.
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    book.save(target)
    return target
