"""Read an estate from a directory of YAML, CSV and XLSX files (or one such file).

Layout (``spec/inventory-format.md``): every ``*.yaml``/``*.yml`` file is a
mapping of top-level keys; files are read in sorted order, lists are
concatenated and exactly one file holds ``estate:``. CSV and XLSX are
alternatives for any section: ``rooms.csv`` (or a sheet named ``rooms`` in a
workbook) has one row per room and one column per field. List fields hold
``;``-separated values (``users: guildhall;county-hall``); ``depends_on``
cells hold ``workload:max_latency_ms`` entries; ``separate`` has columns
``a`` and ``b``; the ``estate`` section is a single row.

Nothing here raises on bad input: every finding is collected, with file, line,
item and field, and the items that did load are returned as an inventory.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import (
    SECTIONS,
    TOP_LEVEL_KEYS,
    Estate,
    Id,
    Inventory,
    Item,
)

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


# --------------------------------------------------------------------------- YAML


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on (and, from YAML, each key's line)."""

    line: int = 0
    key_lines: dict[str, int] | None = None


class _LineList(list[Any]):
    """A sequence that remembers the line it started on."""

    line: int = 0


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that records mapping lines and reports duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, str | None]] = []
        """(key, line, id of the mapping when it has one) for every repeated key."""
        self._text = stream

    def get_single_data(self) -> Any:
        """Parse with libyaml when it is installed (3x faster: 21 s -> 7 s for a national
        estate); on any error parse again in pure Python, so findings read as before."""
        if _CYamlLoader is not None:
            fast = _CYamlLoader(self._text)
            try:
                doc = fast.get_single_data()
            except yaml.YAMLError:
                pass
            else:
                self.duplicate_keys = fast.duplicate_keys
                return doc
            finally:
                fast.dispose()
        return super().get_single_data()


def _construct_mapping(loader: _YamlLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    mapping = _LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    repeated: list[tuple[str, int]] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            repeated.append((key, key_node.start_mark.line + 1))
        mapping.key_lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)
    ident = mapping.get("id")
    label = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else None
    loader.duplicate_keys.extend((key, line, label) for key, line in repeated)
    return mapping


def _construct_sequence(loader: _YamlLoader, node: yaml.SequenceNode) -> _LineList:
    seq = _LineList(loader.construct_sequence(node, deep=True))
    seq.line = node.start_mark.line + 1
    return seq


_YamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_YamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)

_CYamlLoader: Any = None
"""The same loader on libyaml's parser, when PyYAML was built with it."""
if getattr(yaml, "CSafeLoader", None) is not None:

    class _CYamlLoaderClass(yaml.CSafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicate_keys: list[tuple[str, int, str | None]] = []

    _CYamlLoaderClass.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        _construct_mapping,
    )
    _CYamlLoaderClass.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
        _construct_sequence,
    )
    _CYamlLoader = _CYamlLoaderClass


def _line(obj: Any) -> int | None:
    return obj.line if isinstance(obj, _LineDict | _LineList) else None


def _key_line(mapping: Any, key: str) -> int | None:
    """Line of a key in a YAML mapping, when known."""
    lines = mapping.key_lines if isinstance(mapping, _LineDict) else None
    return lines.get(key) if lines else None


# --------------------------------------------------------------------------- tables


def _list_fields(model: type[BaseModel]) -> set[str]:
    """Names of the fields whose type is a list (possibly optional)."""
    names = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = typing.get_args(ann) if isinstance(ann, types.UnionType) else (ann,)
        if any(typing.get_origin(a) is list for a in args):
            names.add(name)
    return names


def _str_fields(model: type[BaseModel]) -> set[str]:
    """Names of the fields whose type is a string (ids, names)."""
    names = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = typing.get_args(ann) if isinstance(ann, types.UnionType) else (ann,)
        if str in args:
            names.add(name)
    return names


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_cell(value: Any) -> list[str]:
    text = _cell_text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


def _parse_dependencies(value: Any) -> list[Any]:
    """'wl-a:2;wl-b:5' -> [{'workload': 'wl-a', 'max_latency_ms': '2'}, ...]."""
    entries: list[Any] = []
    for part in _split_cell(value):
        workload, sep, latency = part.rpartition(":")
        if not sep:
            entries.append(part)  # reported by the model: a dependency needs a latency
            continue
        entries.append({"workload": workload.strip(), "max_latency_ms": latency.strip()})
    return entries


def _row_to_item(section: str, row: dict[str, Any], line: int) -> _LineDict:
    """Turn one CSV/XLSX row into the mapping a YAML file would have held."""
    model = Estate if section == "estate" else SECTIONS[section]
    list_fields = _list_fields(model)
    str_fields = _str_fields(model)
    item = _LineDict()
    item.line = line
    for key, value in row.items():
        if key is None or value is None:
            continue
        key = str(key).strip()
        if isinstance(value, str) and not value.strip():
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if key == "depends_on":
            item[key] = _parse_dependencies(value)
        elif key in list_fields:
            item[key] = _split_cell(value)
        elif key in str_fields and isinstance(value, int | float) and not isinstance(value, bool):
            item[key] = _cell_text(value)
        else:
            item[key] = value
    return item


def _table_rows(section: str, rows: list[tuple[int, dict[str, Any]]]) -> list[Any]:
    """(line, row) pairs -> the list a YAML file would have held under ``section``.

    Rows of a file or sheet that names no list section are kept as they are;
    :func:`load_estate` reports the unknown section.
    """
    if section not in SECTIONS:
        out: list[Any] = []
        for line, row in rows:
            raw = _LineDict(row)
            raw.line = line
            out.append(raw)
        return out
    return [_row_to_item(section, row, line) for line, row in rows]


def _read_csv(path: Path, findings: Findings) -> dict[str, Any]:
    section = path.stem
    text = _decode(path, findings, "save the file as UTF-8 CSV")
    if "\0" in text:
        findings.add(
            _file_problem(
                path, "encoding", "the file contains NUL bytes", "save it again as plain UTF-8 CSV"
            )
        )
        return {}
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows: list[tuple[int, dict[str, Any]]] = []
        start = 2
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        findings.add(
            Finding(
                "error",
                "csv-syntax",
                Location(path.name, reader.line_num),
                "file",
                None,
                None,
                f"CSV syntax error: {exc}",
                "check the quoting on that line",
            )
        )
        return {}
    rows = [
        (line, r)
        for line, r in rows
        if any((v or "").strip() for v in r.values() if isinstance(v, str))
    ]
    if section == "estate":
        if len(rows) != 1:
            findings.add(
                _file_problem(
                    path,
                    "estate-rows",
                    f"estate.csv must have exactly one row, has {len(rows)}",
                    "keep one row of estate settings",
                )
            )
            return {}
        line, row = rows[0]
        return {"estate": _row_to_item("estate", row, line)}
    return {section: _table_rows(section, rows)}


def _read_xlsx(path: Path, findings: Findings) -> dict[str, Any]:
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable workbook is the user's file, not our bug
        findings.add(
            _file_problem(
                path,
                "xlsx-unreadable",
                f"cannot read the workbook: {exc}",
                "save it again as .xlsx from Excel or LibreOffice",
            )
        )
        return {}
    data: dict[str, Any] = {}
    for sheet in book.worksheets:
        section = sheet.title.strip()
        values = list(sheet.iter_rows(values_only=True))
        while values and all(v is None for v in values[-1]):
            values.pop()
        if not values:
            continue
        header = [str(h).strip() if h is not None else None for h in values[0]]
        rows = [
            (n, {h: v for h, v in zip(header, row, strict=False) if h is not None})
            for n, row in enumerate(values[1:], start=2)
        ]
        rows = [
            (n, r) for n, r in rows if any(v is not None and str(v).strip() for v in r.values())
        ]
        if section == "estate":
            if len(rows) != 1:
                findings.add(
                    _file_problem(
                        path,
                        "estate-rows",
                        f"sheet 'estate' must have exactly one row, has {len(rows)}",
                        "keep one row of settings",
                    )
                )
                continue
            line, row = rows[0]
            data["estate"] = _row_to_item("estate", row, line)
        else:
            data[section] = _table_rows(section, rows)
    book.close()
    return data


def _decode(path: Path, findings: Findings, fix: str) -> str:
    """The file's text. Bytes that are not UTF-8 are reported (with their line) and read
    as U+FFFD, so one accented letter in a name does not hide the rest of the file."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end]
        findings.add(
            Finding(
                "error",
                "encoding",
                Location(path.name, line),
                "file",
                None,
                None,
                f"not UTF-8 text: byte {bad.hex(' ')} at offset {exc.start} ({exc.reason}); "
                "it was read as the replacement character U+FFFD",
                fix,
            )
        )
        return data.decode("utf-8-sig", errors="replace")


def _read_yaml(path: Path, findings: Findings) -> dict[str, Any]:
    text = _decode(path, findings, "save the file as UTF-8")
    try:
        loader = _YamlLoader(text)  # checks for characters YAML forbids
    except yaml.reader.ReaderError as exc:
        findings.add(
            Finding(
                "error",
                "encoding",
                Location(path.name, text[: exc.position].count("\n") + 1),
                "file",
                None,
                None,
                f"character U+{exc.character:04X} is not allowed in YAML text",
                "remove it (a control character, often pasted in or from a binary file)",
            )
        )
        return {}
    try:
        doc = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        findings.add(
            Finding(
                "error",
                "yaml-syntax",
                Location(path.name, line),
                "file",
                None,
                None,
                f"YAML syntax error: {exc.problem or exc}",
                "fix the indentation or quoting at that line",
            )
        )
        return {}
    except yaml.YAMLError as exc:
        findings.add(
            _file_problem(path, "yaml-syntax", f"YAML error: {exc}", "check the file is YAML text")
        )
        return {}
    finally:
        loader.dispose()
    for key, line, label in loader.duplicate_keys:
        findings.add(
            Finding(
                "error",
                "duplicate-key",
                Location(path.name, line),
                "file",
                label,
                key,
                f"key '{key}' appears twice in the same mapping; the first value would be lost",
                "remove or merge one of them",
            )
        )
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        findings.add(
            _file_problem(
                path,
                "not-a-mapping",
                f"the file must be a mapping of top-level keys, found {_kind(doc)}",
                f"start with keys such as: {', '.join(TOP_LEVEL_KEYS)}",
            )
        )
        return {}
    return doc


def _file_problem(path: Path, code: str, message: str, fix: str) -> Finding:
    return Finding("error", code, Location(path.name), "file", None, None, message, fix)


# --------------------------------------------------------------------------- items


def _pydantic_findings(
    exc: ValidationError, where: Location, section: str, item: str | None, model: type[Item]
) -> list[Finding]:
    out = []
    for err in exc.errors(include_url=False):
        loc = err.get("loc", ())
        field_name = ""
        for part in loc:
            field_name += (
                f"[{part}]" if isinstance(part, int) else (f".{part}" if field_name else str(part))
            )
        kind = err.get("type", "")
        msg = err.get("msg", "invalid value")
        value = err.get("input")
        if kind == "missing":
            message = "required field is missing"
            fix = f"add '{field_name}'"
            desc = _field_doc(model, loc)
            if desc:
                fix += f" ({desc})"
        elif kind == "value_error":  # a model's own rule: its message says what and how
            ctx_error = (err.get("ctx") or {}).get("error")
            message = str(ctx_error) if ctx_error is not None else msg
            fix = ""
        elif kind == "extra_forbidden":
            message = "unknown field"
            known = ", ".join(_known_fields(model, loc))
            fix = f"remove it or correct the spelling; known fields: {known}"
        else:
            shown = (
                repr(value)
                if not isinstance(value, dict | list)
                else ("a mapping" if isinstance(value, dict) else "a list")
            )
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message = f"{msg} (got {shown})"
            fix = _type_fix(kind, model, loc)
        out.append(
            Finding(
                "error",
                f"field-{kind or 'invalid'}".replace("_", "-"),
                where,
                section,
                item,
                field_name or None,
                message,
                fix,
            )
        )
    return out


def _field_model(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model owning the last named part of an error location."""
    current: type[BaseModel] = model
    names = [p for p in loc if isinstance(p, str)]
    for name in names[:-1]:
        info = current.model_fields.get(name)
        if info is None:
            return None
        ann = info.annotation
        inner = [
            a for a in typing.get_args(ann) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if not inner:
            return None
        current = inner[0]
    return current


def _field_doc(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    owner = _field_model(model, loc)
    names = [p for p in loc if isinstance(p, str)]
    if owner is None or not names or names[-1] not in owner.model_fields:
        return ""
    return (owner.model_fields[names[-1]].description or "").split("\n")[0]


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    owner = _field_model(model, loc) or model
    return list(owner.model_fields)


def _type_fix(kind: str, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    desc = _field_doc(model, loc)
    hint = {
        "float_parsing": "write a number such as 12 or 1.5",
        "float_type": "write a number such as 12 or 1.5",
        "int_parsing": "write a whole number",
        "int_type": "write a whole number",
        "int_from_float": "write a whole number",
        "bool_parsing": "write true or false",
        "bool_type": "write true or false",
        "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
        "date_parsing": "write a date as YYYY-MM-DD",
        "date_type": "write a date as YYYY-MM-DD",
        "string_type": "write text (quote it if it looks like a number, date or yes/no)",
        "string_pattern_mismatch": "ids may not contain spaces or ';'",
        "string_too_short": "it may not be empty",
        "list_type": "write a list, e.g. [a, b]",
        "greater_than_equal": "it may not be negative",
        "greater_than": "it must be greater than zero",
        "less_than_equal": "it is above the allowed maximum",
        "literal_error": "use one of the allowed values",
        "value_error": "",
    }.get(kind, "correct the value")
    if desc and hint:
        return f"{hint} ({desc})"
    return hint or desc


def _item_label(section: str, raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        ident = raw.get("id")
        if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
            return str(ident).strip()
    return f"{section}[{index}]"


def _parse_items(
    section: str, raw_list: Any, path: Path, findings: Findings, rejected: set[tuple[str, str]]
) -> list[tuple[Item, Location, str]]:
    model = SECTIONS[section]
    if not isinstance(raw_list, list):
        findings.add(
            Finding(
                "error",
                "not-a-list",
                Location(path.name, _line(raw_list)),
                section,
                None,
                None,
                f"'{section}' must be a list of items, found {_kind(raw_list)}",
                "write each item as '- id: ...'",
            )
        )
        return []
    out = []
    for index, raw in enumerate(raw_list):
        where = Location(path.name, _line(raw))
        label = _item_label(section, raw, index)
        if not isinstance(raw, dict):
            findings.add(
                Finding(
                    "error",
                    "not-a-mapping",
                    where,
                    section,
                    label,
                    None,
                    f"each entry of '{section}' must be a mapping of fields, found {_kind(raw)}",
                    "write it as '- id: ...'",
                )
            )
            continue
        try:
            item = model.model_validate(dict(raw))
        except ValidationError as exc:
            findings.extend(_pydantic_findings(exc, where, section, label, model))
            if "id" in raw:
                rejected.add((section, label))
            continue
        out.append((item, where, label))
    return out


_ID = TypeAdapter(Id)


def _parse_separate(raw: Any, path: Path, findings: Findings) -> list[tuple[str, str, Location]]:
    """The zone pairs of one file's ``separate`` list, each with where it was written."""
    if not isinstance(raw, list):
        findings.add(
            Finding(
                "error",
                "not-a-list",
                Location(path.name, _line(raw)),
                "separate",
                None,
                None,
                f"'separate' must be a list of zone pairs, found {_kind(raw)}",
                "write e.g. '- [nhs, official]'",
            )
        )
        return []
    pairs = []
    for index, entry in enumerate(raw):
        where = Location(path.name, _line(entry) or _line(raw))
        label = f"separate[{index}]"
        pair: Any = entry
        if isinstance(entry, dict):
            pair = [entry.get("a"), entry.get("b")]
            extra = [k for k in entry if k not in ("a", "b")]
            if None in extra:  # csv.DictReader keeps surplus cells under the key None
                cells = entry[None] if isinstance(entry[None], list) else [entry[None]]
                findings.add(
                    Finding(
                        "error",
                        "field-extra-forbidden",
                        where,
                        "separate",
                        label,
                        None,
                        f"the row has more cells than columns (extra: "
                        f"{', '.join(repr(c) for c in cells)})",
                        "give each row two cells, under columns 'a' and 'b'",
                    )
                )
                continue
            if extra:
                findings.add(
                    Finding(
                        "error",
                        "field-extra-forbidden",
                        where,
                        "separate",
                        label,
                        ", ".join(str(k) for k in extra),
                        "unknown column",
                        "use columns 'a' and 'b'",
                    )
                )
                continue
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(z, str) and z.strip() for z in pair)
        ):
            shown = repr(entry) if not isinstance(entry, dict) else "a mapping"
            findings.add(
                Finding(
                    "error",
                    "bad-pair",
                    where,
                    "separate",
                    label,
                    None,
                    f"each entry must be a pair of zone ids, found {shown}",
                    "write e.g. '- [nhs, official]'",
                )
            )
            continue
        a, b = pair[0].strip(), pair[1].strip()
        bad = [z for z in (a, b) if not _valid_id(z)]
        if bad:
            findings.add(
                Finding(
                    "error",
                    "bad-pair",
                    where,
                    "separate",
                    label,
                    None,
                    f"{bad[0]!r} is not a zone id",
                    "ids may not contain spaces or ';'",
                )
            )
            continue
        pairs.append((a, b, where))
    return pairs


def _valid_id(text: str) -> bool:
    try:
        _ID.validate_python(text)
    except ValidationError:
        return False
    return True


def _kind(value: Any) -> str:
    """What a YAML value is, in the words of the format: 'a mapping', 'a list', 'text'..."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) <= 40 else "text"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    return f"{type(value).__name__} ({value!r})"


def _read_file(path: Path, findings: Findings) -> dict[str, Any]:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return _read_yaml(path, findings)
    if suffix == ".csv":
        return _read_csv(path, findings)
    if suffix == ".xlsx":
        return _read_xlsx(path, findings)
    findings.add(  # only reachable when one file is named on the command line
        _file_problem(
            path,
            "unsupported-file",
            f"'{suffix or path.name}' is not an estate file type",
            "give the estate directory, or one .yaml, .yml, .csv or .xlsx file",
        )
    )
    return {}


def load_estate(path: Path | str) -> Loaded:
    """Read and merge every input file of an estate; never raises on bad content."""
    root = Path(path)
    findings = Findings()
    if not root.exists():
        findings.add(
            Finding(
                "error",
                "not-found",
                Location(str(root)),
                "file",
                None,
                None,
                "no such file or directory",
                "give the estate directory (holding estate.yaml)",
            )
        )
        return Loaded(Inventory(estate=PLACEHOLDER_ESTATE), root, [], findings=findings)
    files = inventory_files(root)
    loaded = Loaded(Inventory(estate=PLACEHOLDER_ESTATE), root, files, findings=findings)
    if not files:
        findings.add(
            Finding(
                "error",
                "no-files",
                Location(str(root)),
                "file",
                None,
                None,
                "no .yaml, .yml, .csv or .xlsx files here",
                "point at the estate directory",
            )
        )
        return loaded

    estate: Estate | None = None
    estate_where: Location | None = None
    separate: list[tuple[str, str]] = []
    items: dict[str, list[Item]] = {s: [] for s in SECTIONS}
    for file in files:
        doc = _read_file(file, findings)
        for key, raw in doc.items():
            if key not in TOP_LEVEL_KEYS:
                findings.add(
                    Finding(
                        "error",
                        "unknown-section",
                        Location(file.name, _line(raw) or _key_line(doc, key)),
                        "file",
                        None,
                        str(key),
                        f"unknown top-level key '{key}'",
                        f"use one of: {', '.join(TOP_LEVEL_KEYS)}"
                        if file.suffix.lower() in YAML_SUFFIXES
                        else f"name the file or sheet after a section: {', '.join(TOP_LEVEL_KEYS)}",
                    )
                )
                continue
            if key == "estate":
                where = Location(file.name, _line(raw))
                if estate_where is not None:
                    findings.add(
                        Finding(
                            "error",
                            "duplicate-estate",
                            where,
                            "estate",
                            None,
                            None,
                            f"a second estate block (the first is in {estate_where})",
                            "keep exactly one estate block",
                        )
                    )
                    continue
                estate_where = where
                loaded.locations[("estate", "estate")] = where
                if not isinstance(raw, dict):
                    findings.add(
                        Finding(
                            "error",
                            "not-a-mapping",
                            where,
                            "estate",
                            None,
                            None,
                            f"the estate block must be a mapping of settings, found {_kind(raw)}",
                            "write 'estate:' then 'name: ...', 'start: ...'",
                        )
                    )
                    continue
                try:
                    estate = Estate.model_validate(dict(raw))
                except ValidationError as exc:
                    findings.extend(_pydantic_findings(exc, where, "estate", None, Estate))
            elif key == "separate":
                for a, b, where in _parse_separate(raw, file, findings):
                    loaded.locations[("separate", f"separate[{len(separate)}]")] = where
                    separate.append((a, b))
            else:
                for item, where, _label in _parse_items(key, raw, file, findings, loaded.rejected):
                    ident = getattr(item, "id", None)
                    if ident is None:  # links have no id: keyed by position in the merged list
                        items[key].append(item)
                        loaded.locations[(key, f"#{len(items[key]) - 1}")] = where
                    elif (key, ident) in loaded.locations:
                        # Reported by check_duplicate_ids; the first definition stands, so
                        # the other checks see one item per id.
                        loaded.duplicates.append((key, ident, where))
                    else:
                        items[key].append(item)
                        loaded.locations[(key, ident)] = where
    if estate_where is None:
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
    loaded.inventory = Inventory(
        estate=estate or PLACEHOLDER_ESTATE,
        separate=separate,
        **items,
    )
    return loaded
