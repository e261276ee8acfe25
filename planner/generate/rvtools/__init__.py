"""Synthetic but realistic RVTools exports of a council estate, for tests and benchmarks.

:func:`synthetic_exports` makes one :class:`Export` per vCenter from a number of VMs,
hosts and vCenters and a seed; the same arguments give equal exports, and the writers
(:func:`write_xlsx`, :func:`write_csv_folder`) turn equal exports into identical files.
:func:`synthetic_mapping` and :func:`write_synthetic_base` give the mapping file and the
base estate that ``planner import rvtools`` needs to turn them into a valid estate.

The shape (numbers are the generator's assumptions):

* About one cluster per 6 hosts; datacenters (machine rooms, see
  :mod:`~planner.generate.rvtools.council`) come into being in a fixed order as the
  clusters grow, up to 9, dealt to the vCenters in turn; each cluster 1+ hosts.
* VMs spread over clusters by hosts (management clusters a third as dense). In a council
  datacenter 80% of VMs are its council's, 20% the shared service's (County Hall: 60%
  the county's, 30% those of councils whose own room does not exist, 10% shared);
  police and NHS datacenters hold only theirs. Folders
  ``<Org>/<system>/<Prod|Test|Dev|Training|DR>``, systems from
  :mod:`~planner.generate.catalogues`; a quarter of VMs have no annotation.
* 2% templates (at least one per vCenter of 10+ VMs, named ``TPL-W2022``... in every
  vCenter), 7% powered off (half of DR), 0.5% suspended. VM names
  ``<ORG>-<ROLE><nnn>`` counted per vCenter, so names repeat across vCenters; a tenth of
  the powered-off ones are leftovers named ``...-old`` (the mapping skips them).
* 2-16 vCPU, 2-8 GiB a vCPU (4-64 GiB), disks 40 GiB-4 TiB (most under 150 GiB);
  a powered-on VM's ``Provisioned MiB`` includes its swap file (its memory).
* Hosts: per cluster the smallest sold size (16-128 cores, 256-4096 GiB) giving
  2.6-3.4 vCPU a core (at most 4: ``vcpu_per_core: 4`` fits) and 55-70% of memory used.
  At 25 VMs a host that is 32-48 cores and 512-1024 GiB; at 100 VMs a host (the
  20,000/200 benchmark) 128 cores and 2-4 TiB. Should even the largest host not hold
  a cluster's VMs, their vCPUs or memory are halved, largest first, until it does.
* Shared datastores per cluster sized so provisioned space fills 60-70% of them;
  30% of hosts also have a local boot datastore (``datastore1 (n)``, no cluster).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from planner.generate.rvtools import council
from planner.generate.rvtools.base import synthetic_base, synthetic_mapping, write_synthetic_base
from planner.generate.rvtools.format import (
    Export,
    ExportDatastore,
    ExportHost,
    ExportVM,
    Powerstate,
)
from planner.generate.rvtools.rows import sheets
from planner.generate.rvtools.write import write_csv_folder, write_xlsx

__all__ = [
    "Export",
    "ExportDatastore",
    "ExportHost",
    "ExportVM",
    "sheets",
    "synthetic_base",
    "synthetic_exports",
    "synthetic_mapping",
    "write_csv_folder",
    "write_synthetic_base",
    "write_xlsx",
]

MIB_PER_GIB = 1024
HOSTS_PER_CLUSTER = 6
TEMPLATE_SHARE = 0.02
T = TypeVar("T")
ROLE_WORDS = {
    "SQL": "database server",
    "WEB": "web server",
    "INT": "integration server",
    "FS": "file server",
    "RDS": "remote desktop host",
}


@dataclass
class _Cluster:
    datacentre: council.Datacentre
    vcenter: str
    name: str
    purpose: str
    hosts: list[str]
    vms: int = 0
    templates: int = 0


def synthetic_exports(vms: int, hosts: int, vcenters: int = 2, seed: int = 0) -> list[Export]:
    """``vms`` VMs and templates on ``hosts`` hosts in ``vcenters`` vCenters (1-9), one
    :class:`Export` each, deterministic for the arguments. ``hosts >= vcenters``."""
    if not 1 <= vcenters <= len(council.DATACENTRES):
        raise ValueError(f"vcenters must be 1-{len(council.DATACENTRES)}, not {vcenters}")
    if hosts < vcenters or vms < 0:
        raise ValueError(f"need vms >= 0 and at least one host per vCenter ({vms}, {hosts})")
    rng = random.Random(seed)
    clusters = _plan_clusters(rng, hosts, vcenters)
    _share_vms(rng, clusters, vms, vcenters)
    exports = {
        council.VCENTER.format(k + 1): Export(council.VCENTER.format(k + 1))
        for k in range(vcenters)
    }
    names: Counter[tuple[str, str]] = Counter()
    homes = _homes({c.datacentre for c in clusters})
    for cluster in clusters:
        export = exports[cluster.vcenter]
        made = [_template(rng, cluster, names) for _ in range(cluster.templates)]
        made += [_vm(rng, cluster, homes, names) for _ in range(cluster.vms - cluster.templates)]
        start = rng.randrange(len(cluster.hosts))
        for k, vm in enumerate(made):
            vm.host = cluster.hosts[(start + k) % len(cluster.hosts)]
        export.vms.extend(made)
        export.hosts.extend(_size_hosts(rng, cluster, made))
        export.datastores.extend(_datastores(rng, cluster, made, names))
    for export in exports.values():
        export.vms.sort(key=lambda v: (v.vm.casefold(), v.vm))
        export.hosts.sort(key=lambda h: h.host)
        export.datastores.sort(key=lambda d: d.name)
    return list(exports.values())


def _spread(rng: random.Random, total: int, weights: list[float], minimum: int) -> list[int]:
    """``total`` split by ``weights`` (jittered +-20%), each at least ``minimum`` if possible."""
    n = len(weights)
    base = min(minimum, total // n) if n else 0
    counts = [base] * n
    left = total - base * n
    jittered = [w * rng.uniform(0.8, 1.2) for w in weights]
    scale = left / sum(jittered) if sum(jittered) > 0 else 0
    shares = [w * scale for w in jittered]
    for k in range(n):
        counts[k] += int(shares[k])
    order = sorted(range(n), key=lambda k: shares[k] - int(shares[k]), reverse=True)
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return counts


def _plan_clusters(rng: random.Random, hosts: int, vcenters: int) -> list[_Cluster]:
    """Datacenters, their clusters (names and purposes) and each cluster's host names."""
    n_clusters = max(vcenters, min(hosts, round(hosts / HOSTS_PER_CLUSTER)))
    dcs = council.DATACENTRES[: max(vcenters, min(len(council.DATACENTRES), n_clusters))]
    per_dc = _spread(rng, n_clusters - len(dcs), [d.weight for d in dcs], 0)
    clusters: list[_Cluster] = []
    for k, (dc, extra) in enumerate(zip(dcs, per_dc, strict=True)):
        seen: Counter[str] = Counter()
        for j in range(1 + extra):
            purpose = council.CLUSTER_PURPOSES[j] if j < len(council.CLUSTER_PURPOSES) else "PROD"
            seen[purpose] += 1
            name = f"{dc.code}-{purpose}{seen[purpose]:02d}"
            clusters.append(
                _Cluster(dc, council.VCENTER.format(k % vcenters + 1), name, purpose, [])
            )
    sizes = _spread(rng, hosts, [0.5 if c.purpose == "MGMT" else 1.0 for c in clusters], 2)
    numbered: Counter[str] = Counter()
    for cluster, size in zip(clusters, sizes, strict=True):
        code = cluster.datacentre.code
        for _ in range(size):
            numbered[code] += 1
            cluster.hosts.append(f"{code.lower()}-esx{numbered[code]:02d}.{council.DOMAIN}")
    return clusters


def _share_vms(rng: random.Random, clusters: list[_Cluster], vms: int, vcenters: int) -> None:
    """VMs per cluster (by hosts; management a third as dense), templates per vCenter."""
    weights = [len(c.hosts) * (1 / 3 if c.purpose == "MGMT" else 1) for c in clusters]
    counts = _spread(rng, vms, weights, 0)
    for cluster, count in zip(clusters, counts, strict=True):
        cluster.vms = count
    for k in range(vcenters):
        vcenter = council.VCENTER.format(k + 1)
        mine = sorted(
            (c for c in clusters if c.vcenter == vcenter and c.purpose != "DMZ"),
            key=lambda c: -c.vms,
        )
        total = sum(c.vms for c in mine)
        wanted = max(1, round(total * TEMPLATE_SHARE)) if total >= 10 else 0
        for j in range(wanted):
            cluster = mine[j % len(mine)]
            if cluster.templates < cluster.vms:
                cluster.templates += 1


def _homes(dcs: set[council.Datacentre]) -> dict[str, list[tuple[str, float]]]:
    """Datacenter -> (owner, weight): whose VMs run there ('Shared': the shared service)."""
    present = {dc.organisation for dc in dcs}
    orphans = [p.id for p in council.PARTNERS if p.zone == "official" and p.id not in present]
    homes: dict[str, list[tuple[str, float]]] = {}
    for dc in dcs:
        if council.PARTNER[dc.organisation].zone != "official":
            homes[dc.name] = [(dc.organisation, 1.0)]
        elif dc.organisation == council.COUNTY:
            share = 0.3 / len(orphans) if orphans else 0.0
            homes[dc.name] = [
                (council.COUNTY, 0.6),
                *((o, share) for o in orphans),
                ("Shared", 0.1),
            ]
        else:
            homes[dc.name] = [(dc.organisation, 0.8), ("Shared", 0.2)]
    return homes


def _pick(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


@cache
def _system_weights(count: int) -> list[float]:
    """A catalogue's first systems are the biggest (1/k^0.6: the first about 11% of 40)."""
    return [1 / (k + 1) ** 0.6 for k in range(count)]


def _networks(rng: random.Random, cluster: _Cluster, zone: str) -> list[str]:
    kind = "dmz" if zone == "official" and cluster.purpose == "DMZ" else zone
    first = council.PRIMARY_NETWORK[kind].format(council.PRIMARY_VLAN[kind] + rng.randrange(6))
    more = rng.choices((0, 1, 2, 3, 4, 5, 6, 7), (720, 200, 50, 20, 4, 3, 2, 1))[0]
    return [first, *rng.sample(council.EXTRA_NETWORKS[zone], more)]


def _vm(
    rng: random.Random,
    cluster: _Cluster,
    homes: dict[str, list[tuple[str, float]]],
    names: Counter[tuple[str, str]],
) -> ExportVM:
    owner = _pick(rng, homes[cluster.datacentre.name])
    partner = council.PARTNER.get(owner)
    folder, code = (partner.folder, partner.code) if partner else (council.SHARED_FOLDER, "INF")
    systems = partner.systems if partner else council.SHARED_SYSTEMS
    zone = partner.zone if partner else "official"
    system, database = rng.choices(systems, _system_weights(len(systems)))[0]
    env = _pick(rng, council.ENVIRONMENTS)
    role = _pick(rng, council.ROLES_WITH_DATABASE if database else council.ROLES_WITHOUT)
    names[(cluster.vcenter, f"{code}-{role}")] += 1
    name = f"{code}-{role}{names[(cluster.vcenter, f'{code}-{role}')]:03d}"
    state = _powerstate(rng, 0.5 if env == "DR" else 0.07)
    old = state == "poweredOff" and env != "DR" and rng.random() < 0.1
    cpus = _pick(rng, council.VCPUS)
    memory_gib = min(64, max(4, cpus * rng.choice(council.GIB_PER_VCPU)))
    disk_gib = _disk_gib(rng, memory_gib)
    swap = memory_gib if state == "poweredOn" else 0
    provisioned = (disk_gib + swap) * MIB_PER_GIB
    used = int(disk_gib * MIB_PER_GIB * rng.uniform(0.3, 0.85)) + swap * MIB_PER_GIB
    return ExportVM(
        vm=f"{name}-old" if old else name,
        powerstate=state,
        template=False,
        cpus=cpus,
        memory_mib=memory_gib * MIB_PER_GIB,
        provisioned_mib=float(provisioned),
        in_use_mib=float(used),
        folder=f"{folder}/{system}/{env}",
        resource_pool=_resource_pool(rng, env),
        annotation="Decommissioned: delete after audit"
        if old
        else _annotation(rng, system, env, role, partner.name if partner else "ICT Shared Service"),
        networks=_networks(rng, cluster, zone),
        datacenter=cluster.datacentre.name,
        cluster=cluster.name,
        host="",
        os=_pick(rng, council.OPERATING_SYSTEMS),
        vcenter=cluster.vcenter,
    )


def _powerstate(rng: random.Random, off: float) -> Powerstate:
    if rng.random() < off:
        return "poweredOff"
    return "suspended" if rng.random() < 0.005 else "poweredOn"


def _disk_gib(rng: random.Random, memory_gib: int) -> int:
    draw = rng.random()
    if draw < 0.65:
        return rng.randint(40, 150)
    if draw < 0.93:
        return rng.randint(150, 500)
    if draw < 0.99:
        return rng.randint(500, 2048)
    return rng.randint(2048, 4096 - memory_gib)


def _resource_pool(rng: random.Random, env: str) -> str:
    if env in ("Test", "Dev", "Training"):
        return "Resources/Non-Production"
    return "Resources/Production" if rng.random() < 0.6 else "Resources"


def _annotation(rng: random.Random, system: str, env: str, role: str, owner: str) -> str:
    what = ROLE_WORDS.get(role, "application server")
    draw = rng.random()
    if draw < 0.25:
        return ""
    if draw < 0.6:
        return f"{system} - {env} {what}"
    if draw < 0.85:
        return f"{system.replace(' and ', ' & ')} ({env}); owner: {owner}"
    group, built = rng.choice("ABCD"), rng.randint(2014, 2025)
    return f"App: {system} | Env: {env} | Patch group {group} | Built {built}"


def _template(rng: random.Random, cluster: _Cluster, names: Counter[tuple[str, str]]) -> ExportVM:
    names[(cluster.vcenter, "TPL")] += 1
    k = names[(cluster.vcenter, "TPL")] - 1
    base, os = council.TEMPLATES[k % len(council.TEMPLATES)]
    name = base if k < len(council.TEMPLATES) else f"{base}-{k // len(council.TEMPLATES) + 1:02d}"
    partner = council.PARTNER[cluster.datacentre.organisation]
    zone = partner.zone
    folder = council.SHARED_FOLDER if zone == "official" else partner.folder
    disk = rng.randint(40, 100)
    return ExportVM(
        vm=name,
        powerstate="poweredOff",
        template=True,
        cpus=2,
        memory_mib=rng.choice((4, 8)) * MIB_PER_GIB,
        provisioned_mib=float(disk * MIB_PER_GIB),
        in_use_mib=float(int(disk * MIB_PER_GIB * rng.uniform(0.15, 0.4))),
        folder=f"{folder}/Templates",
        resource_pool="Resources",
        annotation=f"Gold image, patched {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
        networks=_networks(rng, cluster, zone)[:1],
        datacenter=cluster.datacentre.name,
        cluster=cluster.name,
        host="",
        os=os,
        vcenter=cluster.vcenter,
    )


def _smallest(sizes: tuple[int, ...], at_least: float) -> int:
    return next((s for s in sizes if s >= at_least), sizes[-1])


def _shrink(vms: list[ExportVM], attribute: str, limit: float) -> None:
    """Halve the largest VMs' ``cpus`` or ``memory_mib`` until their sum is within ``limit``."""
    floor = 1 if attribute == "cpus" else MIB_PER_GIB
    while sum(getattr(v, attribute) for v in vms) > limit:
        biggest = max(vms, key=lambda v: getattr(v, attribute))
        old = getattr(biggest, attribute)
        if old <= floor:
            return
        setattr(biggest, attribute, max(floor, old // 2))
        if attribute == "memory_mib" and biggest.powerstate == "poweredOn":
            biggest.provisioned_mib -= old - biggest.memory_mib
            biggest.in_use_mib -= old - biggest.memory_mib


def _size_hosts(rng: random.Random, cluster: _Cluster, vms: list[ExportVM]) -> list[ExportHost]:
    """The cluster's hosts, all one size: the smallest that holds its VMs as the module says."""
    n = len(cluster.hosts)
    ratio, used = rng.uniform(2.6, 3.4), rng.uniform(0.55, 0.70)
    cores = _smallest(council.HOST_CORES, sum(v.cpus for v in vms) / (ratio * n))
    _shrink(vms, "cpus", cores * n * 3.5)
    gib = _smallest(council.HOST_GIB, sum(v.memory_mib for v in vms) / MIB_PER_GIB / (used * n))
    _shrink(vms, "memory_mib", gib * MIB_PER_GIB * n * 0.7)
    return [
        ExportHost(
            host=name,
            datacenter=cluster.datacentre.name,
            cluster=cluster.name,
            cores=cores,
            memory_mib=gib * MIB_PER_GIB - 128 * rng.randint(1, 4),
            vcenter=cluster.vcenter,
        )
        for name in cluster.hosts
    ]


def _datastores(
    rng: random.Random, cluster: _Cluster, vms: list[ExportVM], names: Counter[tuple[str, str]]
) -> list[ExportDatastore]:
    """Shared LUNs holding the cluster's provisioned space at 60-70%, and local boot ones."""
    need_gib = sum(v.provisioned_mib for v in vms) / MIB_PER_GIB / rng.uniform(0.60, 0.70)
    size_tib = _smallest(council.DATASTORE_TIB, need_gib / 1024 / 24)
    count = max(1, math.ceil(need_gib / (size_tib * 1024)))
    each_gib = max(math.ceil(need_gib / count), 512)
    stores = [
        ExportDatastore(
            f"{cluster.name}-VMFS{k + 1:02d}",
            float(each_gib * MIB_PER_GIB),
            cluster.name,
            cluster.vcenter,
        )
        for k in range(count)
    ]
    for _ in cluster.hosts:
        if rng.random() < 0.3:
            names[(cluster.vcenter, "datastore1")] += 1
            k = names[(cluster.vcenter, "datastore1")] - 1
            name = "datastore1" if k == 0 else f"datastore1 ({k})"
            gib = rng.choice(council.LOCAL_DATASTORE_GIB)
            stores.append(ExportDatastore(name, float(gib * MIB_PER_GIB), "", cluster.vcenter))
    return stores
