"""``--init-mapping``: a commented mapping file to start from, written from the exports.

It lists what the exports hold, so the rules can be written without opening them: a
room rule per datacenter (with its clusters, VMs and hosts in comments), the
networks found (as commented zone rules), an owner rule per top-level folder, and
every other setting at its default with a word on what it does. Room, zone and
organisation ids are placeholders (``CHANGE-ME-room``...) to be replaced by ids of
the base estate; with ``--base`` the ids it has are listed at the top. Names are
quoted for YAML and their glob characters escaped, so each rule matches exactly the
name found.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from planner.importer.exports import Export
from planner.importer.groups import clean
from planner.importer.mapping import Compute, Defaults, Skip
from planner.inventory.items import Inventory

MAX_LISTED = 100
"""Longest list of clusters, networks or folders written out (the rest are counted)."""
MAX_FOLDER_RULES = 50

ROOM, ZONE, OWNER = "CHANGE-ME-room", "CHANGE-ME-zone", "CHANGE-ME-organisation"


def _count(n: int, what: str) -> str:
    """'1 VM', '1,024 VMs'."""
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def glob_literal(name: str) -> str:
    """A glob matching exactly ``name`` (``*``, ``?`` and ``[`` escaped), quoted for YAML."""
    escaped = "".join(f"[{c}]" if c in "*?[" else c for c in name)
    return json.dumps(escaped, ensure_ascii=False)


def render_template(exports: list[Export], base: Inventory | None, command: str) -> str:
    """The text of the mapping template."""
    parts = [
        _header(exports, base, command),
        _rooms(exports),
        _zones(exports),
        _owners(exports),
        _settings(),
    ]
    return "\n".join(parts)


def _header(exports: list[Export], base: Inventory | None, command: str) -> str:
    lines = [
        f"Mapping for `planner import rvtools`, written by: {command}",
        "Exports read:",
        *(
            f"  {clean(e.shown)}: vCenter {clean(', '.join(e.vcenters)) or '(none)'}; "
            f"{_count(len(e.vms), 'VM')}, "
            f"{len(e.hosts):,} hosts, {len(e.datastores):,} datastores"
            for e in exports
        ),
        "",
        "Replace every CHANGE-ME-... id with an id of the base estate, then run:",
        "  planner import rvtools EXPORT... --base BASE --mapping THIS_FILE --out OUT --dry-run",
        "Rules: the first whose match holds gives the value; {default: ID} ends a list.",
        "Match keys: vm, folder, resource_pool, annotation, network (any of the VM's),",
        "datacenter, cluster, host, os, vcenter. Values are shell-style globs (* ? [...]),",
        "case-sensitive; every key of one match must hold. Room rules also place hosts",
        "(by datacenter, cluster, host, vcenter) to size each room's capacity.",
    ]
    if base is not None:
        lines += [
            "",
            "Base estate ids:",
            *_wrapped("  rooms: ", [r.id for r in base.rooms if r.status == "existing"]),
            *_wrapped("  zones: ", [z.id for z in base.zones]),
            *_wrapped("  organisations: ", [o.id for o in base.organisations]),
        ]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _wrapped(prefix: str, ids: list[str], width: int = 86) -> list[str]:
    lines, line = [], prefix
    for ident in ids or ["(none)"]:
        if len(line) + len(ident) > width and line != prefix:
            lines.append(line.rstrip(", "))
            line = " " * len(prefix)
        line += ident + ", "
    lines.append(line.rstrip(", "))
    return lines


def _rooms(exports: list[Export]) -> str:
    vms: Counter[str] = Counter()
    hosts: Counter[str] = Counter()
    clusters: dict[str, Counter[str]] = defaultdict(Counter)
    for e in exports:
        for vm in e.vms:
            vms[vm.datacenter] += 1
            clusters[vm.datacenter][vm.cluster] += 1
        for h in e.hosts:
            hosts[h.datacenter] += 1
            clusters[h.datacenter][h.cluster] += 0
    lines = ["rooms:    # the room each VM (and host) runs in today: one rule per datacenter"]
    for dc in sorted(set(vms) | set(hosts)):
        found = sorted(clusters[dc])
        shown = ", ".join(
            f"{clean(c) or '(no cluster)'} ({_count(clusters[dc][c], 'VM')})" for c in found
        )
        lines.append(f"  # clusters in {clean(dc) or '(no datacenter)'}: {_cut(shown)}")
        lines.append(
            f"  - {{match: {{datacenter: {glob_literal(dc)}}}, room: {ROOM}}}"
            f"    # {_count(vms[dc], 'VM')}, {_count(hosts[dc], 'host')}"
        )
    if len(lines) == 1:
        lines.append(f"  - {{default: {ROOM}}}")
    return "\n".join(lines) + "\n"


def _cut(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 4] + " ..."


def _zones(exports: list[Export]) -> str:
    networks: Counter[str] = Counter(n for e in exports for vm in e.vms for n in vm.networks)
    lines = ["zones:    # the security zone of each VM's workload"]
    if networks:
        lines.append("  # networks found (VMs on each); e.g. a zone for a network:")
        for name, n in _listed(networks.most_common()):
            lines.append(
                f"  # - {{match: {{network: {glob_literal(name)}}}, zone: {ZONE}}}"
                f"    # {_count(n, 'VM')}"
            )
    lines.append(f"  - {{default: {ZONE}}}")
    return "\n".join(lines) + "\n"


def _owners(exports: list[Export]) -> str:
    tops: dict[str, Counter[str]] = defaultdict(Counter)
    for e in exports:
        for vm in e.vms:
            lead = "/" if vm.folder.startswith("/") else ""
            path = vm.folder.strip("/")
            if path:
                top, _, rest = path.partition("/")
                tops[lead + top]["below" if rest else "in"] += 1
    lines = ["owners:    # the organisation each VM's workload belongs to"]
    if tops:
        lines.append("  # top-level folders found (VMs in each):")
    ordered = sorted(tops, key=lambda t: (-sum(tops[t].values()), t))
    for index, top in enumerate(ordered):
        globs = ([top] if tops[top]["in"] else []) + ([top + "/*"] if tops[top]["below"] else [])
        count = sum(tops[top].values())
        for glob in globs:
            escaped = glob_literal(top)[:-1] + ('/*"' if glob.endswith("/*") else '"')
            rule = f"{{match: {{folder: {escaped}}}, organisation: {OWNER}}}"
            prefix = "  - " if index < MAX_FOLDER_RULES else "  # - "
            lines.append(f"{prefix}{rule}    # {_count(count, 'VM')}")
    lines.append(f"  - {{default: {OWNER}}}")
    return "\n".join(lines) + "\n"


def _listed(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return list(items)[:MAX_LISTED]


def _settings() -> str:
    skip, compute, defaults = Skip(), Compute(), Defaults()
    return f"""workloads:
  group_by: folder    # vm | folder | annotation | resource_pool | name:<regex with one group>
  id_prefix: ""       # put before every imported workload's id, e.g. "vm-"
skip:
  templates: {_yaml(skip.templates)}     # leave out templates
  powered_off: {_yaml(skip.powered_off)}  # false: a powered-off VM still needs a home
  srm_placeholders: {_yaml(skip.srm_placeholders)}  # leave out SRM placeholder VMs
  match: []           # VMs dropped on purpose, e.g. [{{vm: "*-old"}}, {{folder: "Retired/*"}}]
compute:              # how host hardware becomes room capacity
  vcpu_per_core: {_yaml(compute.vcpu_per_core)}    # vCPUs per physical core (overcommit ratio)
  memory_headroom: {_yaml(compute.memory_headroom)}  # usable share of host memory
  storage_headroom: {_yaml(compute.storage_headroom)}  # usable share of datastore capacity
defaults:             # for every imported workload
  migration_cost_per_vm: {_yaml(defaults.migration_cost_per_vm)}  # GBP, one-off, per VM moved
  migration_days_per_vm: {_yaml(defaults.migration_days_per_vm)}  # person-days per VM moved
  max_latency_ms: {_yaml(defaults.max_latency_ms)}       # from each user site to the room
  users_from_owner_sites: {_yaml(defaults.users_from_owner_sites)}  # users: owner's sites in reach
"""


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
