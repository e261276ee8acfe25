"""The mapping file: how VMs become workloads (their rooms, zones and owners, how they
are grouped, which are skipped) and how hosts become room capacity.

Read with the inventory's line-aware YAML reader, so every problem names the mapping
file and line; each section is a pydantic model with ``extra="forbid"`` (a typo is an
error, not a silent default). :func:`check_ids` then checks every room, zone and
organisation the mapping names against the base estate.

Rule lists (``rooms``, ``zones``, ``owners``) are read in order: the first rule whose
``match`` holds gives the value; ``{default: ID}`` matches everything and must be the
last entry.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import Id, Inventory, Latency, Money, PersonDays
from planner.inventory.parse import model_findings
from planner.inventory.raw import LineDict, key_line, kind, line_of
from planner.inventory.yaml_reader import read_yaml

RuleKind = Literal["rooms", "zones", "owners"]
TARGET: dict[str, str] = {"rooms": "room", "zones": "zone", "owners": "organisation"}
"""The key naming each rule list's value."""

SECTIONS = ("rooms", "zones", "owners", "workloads", "skip", "compute", "defaults")

GROUP_BY = ("vm", "folder", "annotation", "resource_pool")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, str_strip_whitespace=False
    )


class Match(_Model):
    """Conditions on a VM (or host); each is a shell-style glob, case-sensitive; all
    given must hold."""

    vm: str | None = Field(default=None, validation_alias=AliasChoices("vm", "name"))
    """The VM's name (vInfo 'VM'); `name` is accepted for it too."""
    folder: str | None = None
    """The VM's folder (vInfo 'Folder')."""
    resource_pool: str | None = None
    """The VM's resource pool (vInfo 'Resource pool')."""
    annotation: str | None = None
    """The VM's annotation (vInfo 'Annotation')."""
    network: str | None = None
    """Any of the VM's networks (vInfo 'Network #1' to 'Network #8')."""
    datacenter: str | None = None
    """The datacenter (vInfo or vHost 'Datacenter')."""
    cluster: str | None = None
    """The cluster (vInfo or vHost 'Cluster')."""
    host: str | None = None
    """The ESXi host (vInfo or vHost 'Host')."""
    os: str | None = None
    """The guest OS (vInfo 'OS according to the configuration file')."""
    vcenter: str | None = None
    """The vCenter (vInfo 'VI SDK Server')."""

    def globs(self) -> dict[str, str]:
        """The conditions given: match key -> glob."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class RoomRule(_Model):
    """`{match: {...}, room: ID}`: VMs (and hosts) that match run in this room today."""

    match: Match
    """What the VM or host must match."""
    room: Id
    """A room of the base estate (an existing one)."""


class ZoneRule(_Model):
    """`{match: {...}, zone: ID}`: VMs that match are in this security zone."""

    match: Match
    """What the VM must match."""
    zone: Id
    """A zone of the base estate."""


class OwnerRule(_Model):
    """`{match: {...}, organisation: ID}`: VMs that match belong to this organisation."""

    match: Match
    """What the VM must match."""
    organisation: Id
    """An organisation of the base estate."""


class Default(_Model):
    """`{default: ID}`: every VM no earlier rule matched; the last entry of its list."""

    default: Id
    """The room, zone or organisation."""


RULE_MODELS: dict[str, type[_Model]] = {"rooms": RoomRule, "zones": ZoneRule, "owners": OwnerRule}


class Workloads(_Model):
    """How VMs are grouped into workloads."""

    group_by: str = "folder"
    """vm, folder, annotation, resource_pool or name:<regex with one group>."""
    id_prefix: str = Field(default="", pattern=r"^[a-z0-9._-]*$", max_length=32)
    """Put before every imported workload's id (lower-case letters, digits, '.', '_', '-')."""

    @field_validator("group_by")
    @classmethod
    def _group_by(cls, value: str) -> str:
        if value in GROUP_BY:
            return value
        if not value.startswith("name:"):
            raise ValueError(
                f"group_by {value!r} is not one of vm, folder, annotation, resource_pool or "
                "name:<regex with one group>"
            )
        try:
            pattern = re.compile(value[5:])
        except re.error as exc:
            raise ValueError(f"the regex {value[5:]!r} does not compile: {exc}") from exc
        if pattern.groups != 1:
            raise ValueError(
                f"the regex {value[5:]!r} has {pattern.groups} groups; give exactly one, "
                "the part of the VM name that names its workload, e.g. name:^([a-z]+)-"
            )
        return value


class Skip(_Model):
    """VMs left out of the import (each listed in the report with its reason)."""

    templates: bool = True
    """Leave out templates (vInfo 'Template' true)."""
    powered_off: bool = False
    """Leave out powered-off VMs (by default they still need a home)."""
    srm_placeholders: bool = True
    """Leave out Site Recovery Manager placeholders (vInfo 'SRM Placeholder' true): they
    stand for VMs counted in another vCenter."""
    match: list[Match] = Field(default_factory=list)
    """VMs dropped on purpose: any that matches one of these."""


class Compute(_Model):
    """How host hardware becomes room capacity."""

    vcpu_per_core: float = Field(default=4, gt=0, le=1000, allow_inf_nan=False)
    """vCPUs a physical core carries (the overcommit ratio)."""
    memory_headroom: float = Field(default=0.8, gt=0, le=10, allow_inf_nan=False)
    """Share of host memory workloads may use (above 1: memory overcommit)."""
    storage_headroom: float = Field(default=0.8, gt=0, le=10, allow_inf_nan=False)
    """Share of datastore capacity workloads may use (above 1: thin provisioning)."""


class Defaults(_Model):
    """Fields the export cannot know, the same for every imported workload."""

    migration_cost_per_vm: Money = 1500
    """One-off cost of moving one VM, GBP: a workload's migration_cost is this times its
    VMs."""
    migration_days_per_vm: PersonDays = 0.5
    """Person-days to move one VM (at most 2 decimal places): a workload's migration_days
    is this times its VMs."""
    max_latency_ms: Latency | None = 30
    """Most latency from each user site to the workload's room, ms (null: no limit)."""
    users_from_owner_sites: bool = True
    """Users of a workload: the sites of its organisation that reach its room today within
    max_latency_ms over its zone's networks (false: no users)."""


@dataclass
class Rule:
    """One entry of a rule list."""

    match: dict[str, str] | None
    """Match key -> glob (None: a default, matching everything)."""
    target: str
    """The room, zone or organisation id it gives."""
    line: int | None
    """Line of the entry in the mapping file."""
    target_line: int | None
    """Line of its room/zone/organisation/default key."""

    @property
    def label(self) -> str:
        return f"line {self.line}" if self.line is not None else "a rule"


@dataclass
class Mapping:
    """A mapping file read and checked on its own (not yet against the base estate)."""

    path: str
    rules: dict[str, list[Rule]] = field(default_factory=dict)
    workloads: Workloads = field(default_factory=Workloads)
    skip: Skip = field(default_factory=Skip)
    skip_rules: list[Rule] = field(default_factory=list)
    compute: Compute = field(default_factory=Compute)
    defaults: Defaults = field(default_factory=Defaults)

    def keys_used(self) -> set[str]:
        """Every match key any rule names (and the field group_by reads)."""
        used = {
            k
            for rules in (*self.rules.values(), self.skip_rules)
            for r in rules
            for k in (r.match or {})
        }
        if self.workloads.group_by in GROUP_BY:
            used.add(self.workloads.group_by)
        return used


# --------------------------------------------------------------------------- reading


def read_mapping(path: Path, findings: Findings) -> Mapping | None:
    """The mapping file, or None when it cannot be read as one; every problem (with its
    line) goes to ``findings``."""
    shown = str(path)
    doc = _read_document(path, shown, findings)
    if doc is None:
        return None
    reader = _Reader(shown, findings)
    mapping = Mapping(shown)
    for key in doc:
        if key not in SECTIONS:
            reader.error(
                key_line(doc, key),
                "mapping",
                None,
                str(key),
                f"unknown section '{key}'",
                f"use: {', '.join(SECTIONS)}",
            )
    for name in ("rooms", "zones", "owners"):
        mapping.rules[name] = reader.rules(name, doc.get(name), key_line(doc, name))
    mapping.workloads = reader.section("workloads", doc, Workloads)
    mapping.skip = reader.section("skip", doc, Skip)
    mapping.skip_rules = reader.skip_rules(doc.get("skip"))
    mapping.compute = reader.section("compute", doc, Compute)
    mapping.defaults = reader.section("defaults", doc, Defaults)
    return mapping


def _read_document(path: Path, shown: str, findings: Findings) -> dict[str, Any] | None:
    def problem(message: str, fix: str, line: int | None = None) -> None:
        findings.add(
            Finding(
                "error", "mapping-file", Location(shown, line), "mapping", None, None, message, fix
            )
        )

    if not path.is_file():
        problem(
            "no such file" if not path.exists() else "not a file",
            "give the mapping YAML file (write one with --init-mapping)",
        )
        return None
    local = Findings()
    try:
        doc = read_yaml(path, local)
    except OSError as exc:
        problem(f"cannot read the file: {exc.strerror or exc}", "check its permissions")
        return None
    for f in local.items:  # the inventory reader's hint names inventory sections
        fix = (
            f"start with the sections: {', '.join(SECTIONS)}"
            if f.code == "not-a-mapping"
            else f.fix
        )
        where = Location(shown, f.where.line)
        findings.add(dataclasses.replace(f, where=where, section="mapping", fix=fix))
    if local.errors:
        return None
    return doc


@dataclass
class _Reader:
    """Turns the raw sections of one mapping file into models, reporting as it goes."""

    shown: str
    findings: Findings

    def error(
        self,
        line: int | None,
        section: str,
        item: str | None,
        field_: str | None,
        message: str,
        fix: str,
    ) -> None:
        self.findings.add(
            Finding(
                "error", "mapping", Location(self.shown, line), section, item, field_, message, fix
            )
        )

    def model(
        self, model: type[_Model], raw: Any, line: int | None, section: str, item: str | None
    ) -> Any:
        """``raw`` validated as ``model``; None (reported) when it is not one. Each problem
        names the line of its key when the reader knows it, else ``line``."""
        try:
            return model.model_validate(dict(raw) if isinstance(raw, dict) else raw)
        except ValidationError as exc:
            found = model_findings(exc, Location(self.shown, line), section, item, model)
            for f in found:
                key = re.split(r"[.\[]", f.field or "", maxsplit=1)[0]
                at = key_line(raw, key) if key else None
                self.findings.add(dataclasses.replace(f, where=Location(self.shown, at or line)))
            return None

    def section(self, name: str, doc: dict[str, Any], model: type[_Model]) -> Any:
        """A settings section (absent or empty: every default)."""
        raw = doc.get(name)
        line = key_line(doc, name)
        if raw is None:
            return model()
        if not isinstance(raw, dict):
            self.error(
                line,
                name,
                None,
                None,
                f"'{name}' must be a mapping of settings, found {kind(raw)}",
                f"write '{name}:' then one setting a line",
            )
            return model()
        if name == "skip":
            raw = _without(raw, "match")  # its rules are read one by one, with their lines
        return self.model(model, raw, line_of(raw) or line, name, None) or model()

    def rules(self, name: str, raw: Any, line: int | None) -> list[Rule]:
        """A rule list: entries in order, a default only at the end."""
        if raw is None:
            target = TARGET[name]
            self.error(
                line,
                name,
                None,
                None,
                f"the mapping has no '{name}' list",
                f"add '{name}:' with rules such as "
                f'{{match: {{datacenter: "DC1*"}}, {target}: ID}} or {{default: ID}}',
            )
            return []
        if not isinstance(raw, list) or not raw:
            self.error(
                line_of(raw) or line,
                name,
                None,
                None,
                f"'{name}' must be a list of rules, found {kind(raw)}",
                "write each rule as '- {match: {...}, ...}' or '- {default: ID}'",
            )
            return []
        out: list[Rule] = []
        for index, entry in enumerate(raw):
            rule = self.rule(name, index, entry, line_of(entry) or line_of(raw))
            if rule is None:
                continue
            if out and out[-1].match is None:
                self.error(
                    rule.line,
                    name,
                    f"{name}[{index}]",
                    None,
                    f"this rule follows the default ({out[-1].label}) and is never used",
                    "move the default to the end of the list",
                )
            out.append(rule)
        return out

    def rule(self, name: str, index: int, entry: Any, line: int | None) -> Rule | None:
        label = f"{name}[{index}]"
        if not isinstance(entry, dict):
            self.error(
                line,
                name,
                label,
                None,
                f"each rule must be a mapping, found {kind(entry)}",
                "write '- {match: {...}, ...}' or '- {default: ID}'",
            )
            return None
        model = Default if "default" in entry else RULE_MODELS[name]
        parsed = self.model(model, entry, line, name, label)
        if parsed is None:
            return None
        if isinstance(parsed, Default):
            return Rule(None, parsed.default, line, key_line(entry, "default") or line)
        key = TARGET[name]
        return self.matching(
            parsed.match, getattr(parsed, key), line, key_line(entry, key), name, label
        )

    def matching(
        self,
        match: Match,
        target: str,
        line: int | None,
        target_line: int | None,
        name: str,
        label: str,
    ) -> Rule | None:
        globs = match.globs()
        if not globs:
            self.error(
                line,
                name,
                label,
                "match",
                "an empty match holds for every VM",
                "name at least one key (vm, folder, ...), or write {default: ID}",
            )
            return None
        return Rule(globs, target, line, target_line or line)

    def skip_rules(self, raw: Any) -> list[Rule]:
        if not isinstance(raw, dict) or raw.get("match") is None:
            return []
        entries = raw["match"]
        line = key_line(raw, "match")
        if not isinstance(entries, list):
            self.error(
                line,
                "skip",
                None,
                "match",
                f"'match' must be a list, found {kind(entries)}",
                'write match: [{vm: "*-old"}, ...]',
            )
            return []
        out = []
        for index, entry in enumerate(entries):
            where = line_of(entry) or line
            parsed = self.model(Match, entry, where, "skip", f"match[{index}]")
            if parsed is not None:
                rule = self.matching(parsed, "skip", where, where, "skip", f"match[{index}]")
                if rule is not None:
                    out.append(rule)
        return out


def _without(raw: dict[str, Any], key: str) -> LineDict:
    """A raw mapping without ``key``, keeping the lines of the others."""
    out = LineDict({k: v for k, v in raw.items() if k != key})
    out.line = line_of(raw) or 0
    out.key_lines = getattr(raw, "key_lines", None)
    return out


# --------------------------------------------------------------------------- base ids


def check_ids(mapping: Mapping, inv: Inventory, findings: Findings) -> None:
    """Every room, zone and organisation the mapping names is in the base estate (rooms:
    existing ones, since imported VMs run in them today)."""
    existing = {r.id for r in inv.rooms if r.status == "existing"}
    known: dict[str, tuple[set[str], list[str]]] = {
        "rooms": (set(inv.room), [r.id for r in inv.rooms if r.id in existing]),
        "zones": (set(inv.zone), [z.id for z in inv.zones]),
        "owners": (set(inv.organisation), [o.id for o in inv.organisations]),
    }
    for name, rules in mapping.rules.items():
        ids, listed = known[name]
        for rule in rules:
            if rule.target not in ids:
                findings.add(_unknown(mapping.path, name, rule, listed))
            elif name == "rooms" and rule.target not in existing:
                findings.add(_id_problem(
                    mapping.path, name, rule, "candidate-room",
                    f"room '{rule.target}' is a candidate room: nothing runs in it today",
                    "map the VMs to the existing room they run in",
                ))  # fmt: skip


def _unknown(path: str, name: str, rule: Rule, listed: list[str]) -> Finding:
    what = TARGET[name]
    shown = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
    plural = "organisations" if name == "owners" else name
    return _id_problem(
        path, name, rule, f"unknown-{what}", f"no {what} '{rule.target}' in the base estate",
        f"use the id of one of its {'existing ' if name == 'rooms' else ''}{plural}: "
        f"{shown or '(none)'}",
    )  # fmt: skip


def _id_problem(path: str, name: str, rule: Rule, code: str, message: str, fix: str) -> Finding:
    where = Location(path, rule.target_line)
    return Finding("error", code, where, name, None, TARGET[name], message, fix)
