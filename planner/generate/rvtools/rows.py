"""An RVTools export's sheets as rows: every column of RVTools 4.7, in its order.

:func:`sheets` turns an :class:`~planner.generate.rvtools.format.Export` into the sheets
``vInfo``, ``vCluster``, ``vHost``, ``vDatastore`` and ``vMetaData`` with all their
columns (:mod:`~planner.generate.rvtools.columns`), so that a reader is tested against a
realistic width (92 columns in vInfo), not only the columns it needs, and must find
those by header name.

The export's dataclasses give the columns the import reads. Every other column (DNS
name, IP address, VM ID and UUIDs, creation date, HW version, file paths, host hardware,
backup status...) is derived from them and from a random stream seeded with the
vCenter's name, so the same export always gives the same rows. Sheet-wide figures (VMs
and vCPUs per host, cluster totals, datastore usage) are computed from the export, so
the sheets agree with each other.

Values have the types RVTools writes: numbers as numbers, ``Template`` and the other
flags as booleans, dates as datetimes, absent values as ``None`` (an empty cell).
``units="MB"`` renames the headers as RVTools 3.x wrote them (``Provisioned MB``,
``Capacity MB``, ``Video Ram KB``...); the values are the same (RVTools' "MB" were MiB).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter, defaultdict
from typing import Any

from planner.generate.rvtools.columns import (
    VCLUSTER,
    VCLUSTER_FIXED,
    VDATASTORE,
    VDATASTORE_FIXED,
    VHOST,
    VHOST_FIXED,
    VINFO,
    VINFO_FIXED,
    VMETADATA,
    host_hardware,
)
from planner.generate.rvtools.format import (
    EXPORT_TIME,
    RVTOOLS_VERSION,
    UNITS,
    Export,
    ExportDatastore,
    ExportHost,
    ExportVM,
    Sheet,
)


def header(name: str, units: str) -> str:
    """A 4.x header as the unit style writes it ('Provisioned MiB' -> 'Provisioned MB')."""
    if units not in UNITS:
        raise ValueError(f"units must be 'MiB' or 'MB', not {units!r}")
    return name.replace("MiB", "MB").replace("KiB", "KB") if units == "MB" else name


def sheets(export: Export, units: str = "MiB") -> list[Sheet]:
    """The sheets of ``export`` in RVTools' order: vInfo, vCluster, vHost, vDatastore,
    vMetaData."""
    header("", units)  # refuse unknown units before any work
    derived = _Derived(export)
    columns = [
        ("vInfo", VINFO, [derived.vinfo(i, vm) for i, vm in enumerate(export.vms)]),
        ("vCluster", VCLUSTER, derived.vcluster()),
        ("vHost", VHOST, [derived.vhost(i, h) for i, h in enumerate(export.hosts)]),
        (
            "vDatastore",
            VDATASTORE,
            [derived.vdatastore(i, d) for i, d in enumerate(export.datastores)],
        ),
        ("vMetaData", VMETADATA, [_metadata(export, units)]),
    ]
    return [
        Sheet(name, [header(h, units) for h in names], [_ordered(name, names, r) for r in rows])
        for name, names, rows in columns
    ]


def _ordered(sheet: str, names: tuple[str, ...], row: dict[str, Any]) -> list[Any]:
    unknown = set(row) - set(names)
    if unknown:
        raise AssertionError(f"{sheet}: values for unknown columns {sorted(unknown)}")
    return [row.get(name) for name in names]


def _metadata(export: Export, units: str) -> dict[str, Any]:
    major, full = RVTOOLS_VERSION[units]
    return {
        "RVTools major version": int(major),
        "RVTools version": full,
        "xlsx creation datetime": EXPORT_TIME,
        "Server": export.vcenter,
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _domain(vcenter: str) -> str:
    return vcenter.split(".", 1)[1] if "." in vcenter else "local"


class _Derived:
    """The columns an export does not state, derived from it reproducibly.

    One random stream, seeded with the vCenter's name, is drawn in row order (vInfo,
    then vHost, then vDatastore), so the rows depend on the export alone.
    """

    def __init__(self, export: Export) -> None:
        self.export = export
        self.rng = random.Random(f"rvtools:{export.vcenter}")
        self.sdk_uuid = _uuid(self.rng)
        self.domain = _domain(export.vcenter)
        self.vm_datastore = self._place_vms()
        self.host_vms: Counter[str] = Counter()
        self.host_on: Counter[str] = Counter()
        self.host_vcpus: Counter[str] = Counter()
        self.host_vram: Counter[str] = Counter()
        for vm in export.vms:
            if vm.template:
                continue
            self.host_vms[vm.host] += 1
            if vm.powerstate == "poweredOn":
                self.host_on[vm.host] += 1
                self.host_vcpus[vm.host] += vm.cpus
                self.host_vram[vm.host] += vm.memory_mib
        self._datastore_usage()

    def _place_vms(self) -> list[str]:
        """The datastore each VM's files are on: one of its cluster's, drawn from a stream
        of its own (so the other columns do not depend on how many datastores there are)."""
        by_cluster: dict[str, list[str]] = defaultdict(list)
        for ds in self.export.datastores:
            if ds.cluster_name:
                by_cluster[ds.cluster_name].append(ds.name)
        rng = random.Random(f"rvtools-datastores:{self.export.vcenter}")
        placed = []
        for vm in self.export.vms:
            stores = by_cluster.get(vm.cluster) or ["datastore1"]
            placed.append(stores[rng.randrange(len(stores))])
        return placed

    def vinfo(self, index: int, vm: ExportVM) -> dict[str, Any]:
        """A vInfo row: the VM's fields, state, sizes and identity, then its settings."""
        rng = self.rng
        on = vm.powerstate == "poweredOn"
        swap = vm.memory_mib if on else 0
        age = dt.timedelta(days=rng.randint(30, 4000), seconds=rng.randint(0, 86399))
        created = EXPORT_TIME - age
        row: dict[str, Any] = {
            **VINFO_FIXED,
            "VM": vm.vm,
            "Powerstate": vm.powerstate,
            "Template": vm.template,
            "DNS Name": f"{vm.vm.lower()}.{self.domain}" if on else None,
            "Guest state": "running" if on else "notRunning",
            "Heartbeat": "green" if on else "gray",
            "PowerOn": EXPORT_TIME - dt.timedelta(minutes=rng.randint(60, 200_000)) if on else None,
            "Suspended To Memory": vm.powerstate == "suspended",
            "Suspend time": created if vm.powerstate == "suspended" else None,
            "Creation date": created,
            "Change Version": f"{created:%Y-%m-%dT%H:%M:%S}.{rng.randint(0, 999999):06d}Z",
            "CPUs": vm.cpus,
            "Overall Cpu Readiness": rng.randint(0, 3) if on else None,
            "Memory": vm.memory_mib,
            "Active Memory": int(vm.memory_mib * rng.uniform(0.04, 0.35)) if on else 0,
            "NICs": len(vm.networks),
            "Disks": 1 + (vm.provisioned_mib > 200 * 1024) + (vm.provisioned_mib > 900 * 1024),
            "Total disk capacity MiB": _number(vm.provisioned_mib - swap),
            "Primary IP Address": self._ip(vm, index) if on else None,
            "Resource pool": vm.resource_pool or None,
            "Folder ID": f"group-v{1000 + (hash_text(vm.folder) % 90000)}",
            "Folder": vm.folder or None,
            "Provisioned MiB": _number(vm.provisioned_mib),
            "In Use MiB": _number(vm.in_use_mib),
            "Unshared MiB": _number(vm.in_use_mib - swap),
            "Annotation": vm.annotation or None,
            "Datacenter": vm.datacenter,
            "Cluster": vm.cluster or None,
            "Host": vm.host,
            "OS according to the configuration file": vm.os or None,
            "OS according to the VMware Tools": (vm.os or None) if on else None,
            "VM ID": f"vm-{1000 + 7 * index + rng.randint(0, 6)}",
            "SMBIOS UUID": _uuid(rng),
            "VM UUID": _uuid(rng),
            "VI SDK Server": vm.vcenter,
            "VI SDK UUID": self.sdk_uuid,
        }
        row.update(self._vinfo_settings(index, vm))
        for k, network in enumerate(vm.networks[:8], start=1):
            row[f"Network #{k}"] = network
        return row

    def _vinfo_settings(self, index: int, vm: ExportVM) -> dict[str, Any]:
        """The VM's configuration columns: devices, HA, boot, firmware, files, backup."""
        rng = self.rng
        on = vm.powerstate == "poweredOn"
        windows = vm.os.startswith("Microsoft")
        efi = rng.random() < 0.6
        home = f"[{self.vm_datastore[index]}] {vm.vm}"
        backed_up = EXPORT_TIME - dt.timedelta(hours=rng.randint(4, 30))
        return {
            "EnableUUID": not windows,
            "CBT": not vm.template,
            "Video Ram KiB": 8192 if windows else 4096,
            "DAS protection": True if on else None,
            "EFI Secure boot": efi and windows,
            "Firmware": "efi" if efi else "bios",
            "HW version": rng.choice(("vmx-13", "vmx-14", "vmx-15", "vmx-19", "vmx-19", "vmx-20")),
            "Path": f"{home}/{vm.vm}.vmx",
            "Log directory": home,
            "Snapshot directory": home,
            "Suspend directory": home,
            "Backup status": None if vm.template else rng.choice(("Success", "Success", "Warning")),
            "Last backup": None if vm.template else f"{backed_up:%d/%m/%Y %H:%M:%S}",
        }

    def _ip(self, vm: ExportVM, index: int) -> str:
        vlan = int("".join(c for c in vm.networks[0] if c.isdigit()) or 1) if vm.networks else 1
        return f"10.{vlan % 250}.{(index // 250) % 250}.{index % 250 + 2}"

    def vhost(self, index: int, host: ExportHost) -> dict[str, Any]:
        rng = self.rng
        hw = host_hardware(host.cores)
        on, vcpus = self.host_on[host.host], self.host_vcpus[host.host]
        boot = EXPORT_TIME - dt.timedelta(days=rng.randint(5, 200), minutes=rng.randint(0, 1439))
        serial = "".join(rng.choice("0123456789BCDFGHJKLMNPQRSTVWXYZ") for _ in range(7))
        return {
            **VHOST_FIXED,
            "Host": host.host,
            "Datacenter": host.datacenter,
            "Cluster": host.cluster or None,
            "CPU Model": hw.cpu_model,
            "Speed": hw.mhz,
            "# CPU": hw.sockets,
            "Cores per CPU": host.cores // hw.sockets,
            "# Cores": host.cores,
            "CPU usage %": rng.randint(8, 55),
            "# Memory": host.memory_mib,
            "Memory usage %": rng.randint(35, 75),
            "# HBAs": rng.choice((2, 3, 4)),
            "# VMs total": self.host_vms[host.host],
            "# VMs": on,
            "VMs per Core": round(on / host.cores, 2),
            "# vCPUs": vcpus,
            "vCPUs per Core": round(vcpus / host.cores, 2),
            "vRAM": self.host_vram[host.host],
            "VM Used memory": int(self.host_vram[host.host] * rng.uniform(0.1, 0.4)),
            "Current EVC": hw.evc,
            "Max EVC": hw.evc,
            "Boot time": boot,
            "Domain": self.domain,
            "DNS Search Order": self.domain,
            "Vendor": hw.vendor,
            "Model": hw.model,
            "Serial number": serial,
            "Service tag": serial,
            "BIOS Vendor": hw.vendor,
            "BIOS Version": hw.bios,
            "Certificate Issuer": f"O=VMware, CN=CA, DC={self.export.vcenter}",
            "Certificate Start Date": boot - dt.timedelta(days=400),
            "Certificate Expiry Date": boot + dt.timedelta(days=1425),
            "Certificate Subject": f"CN={host.host}",
            "Object ID": f"host-{100 + 3 * index}",
            "UUID": _uuid(rng),
            "VI SDK Server": host.vcenter,
            "VI SDK UUID": self.sdk_uuid,
        }

    def vcluster(self) -> list[dict[str, Any]]:
        hosts: dict[str, list[ExportHost]] = defaultdict(list)
        for h in self.export.hosts:
            if h.cluster:
                hosts[h.cluster].append(h)
        rows = []
        for index, (name, members) in enumerate(hosts.items()):
            cores = sum(h.cores for h in members)
            mhz = sum(h.cores * host_hardware(h.cores).mhz for h in members)
            memory = sum(h.memory_mib for h in members)
            rows.append(
                {
                    **VCLUSTER_FIXED,
                    "Name": name,
                    "NumHosts": len(members),
                    "numEffectiveHosts": len(members),
                    "TotalCpu": mhz,
                    "NumCpuCores": cores,
                    "NumCpuThreads": 2 * cores,
                    "Effective Cpu": int(mhz * 0.92),
                    "TotalMemory": memory * 1024 * 1024,
                    "Effective Memory": int(memory * 0.94),
                    "Num VMotions": 50 * len(members) + index,
                    "Object ID": f"domain-c{10 + 7 * index}",
                    "VI SDK Server": members[0].vcenter,
                    "VI SDK UUID": self.sdk_uuid,
                }
            )
        return rows

    def vdatastore(self, index: int, ds: ExportDatastore) -> dict[str, Any]:
        on_it = self.ds_vms[ds.name]
        in_use = min(self.ds_in_use[ds.name], ds.capacity_mib)
        members = [
            h.host for h in self.export.hosts if ds.cluster_name and h.cluster == ds.cluster_name
        ]
        cluster_capacity = self.cluster_capacity.get(ds.cluster_name)
        local = not ds.cluster_name
        return {
            **VDATASTORE_FIXED,
            "Name": ds.name,
            "# VMs total": on_it,
            "# VMs": on_it,
            "Capacity MiB": _number(ds.capacity_mib),
            "Provisioned MiB": _number(self.ds_provisioned[ds.name]),
            "In Use MiB": _number(in_use),
            "Free MiB": _number(ds.capacity_mib - in_use),
            "Free %": int(100 * (ds.capacity_mib - in_use) / ds.capacity_mib)
            if ds.capacity_mib
            else 0,
            "SIOC enabled": not local,
            "SIOC Threshold": None if local else 30,
            "# Hosts": max(1, len(members)),
            "Hosts": ", ".join(members) if members else None,
            "Cluster name": ds.cluster_name or None,
            "Cluster capacity MiB": None if cluster_capacity is None else _number(cluster_capacity),
            "Cluster free space MiB": None
            if local
            else _number(self.cluster_free[ds.cluster_name]),
            "URL": f"ds:///vmfs/volumes/{_uuid(self.rng)[:23].replace('-', '')}/",
            "Object ID": f"datastore-{200 + 5 * index}",
            "VI SDK Server": ds.vcenter,
            "VI SDK UUID": self.sdk_uuid,
        }

    def _datastore_usage(self) -> None:
        """VMs, provisioned and used space per datastore, capacity and free space per cluster."""
        self.ds_vms: Counter[str] = Counter()
        self.ds_provisioned: Counter[str] = Counter()
        self.ds_in_use: Counter[str] = Counter()
        for vm, store in zip(self.export.vms, self.vm_datastore, strict=True):
            self.ds_vms[store] += 1
            self.ds_provisioned[store] += int(vm.provisioned_mib)
            self.ds_in_use[store] += int(vm.in_use_mib)
        self.cluster_capacity: dict[str, float] = defaultdict(float)
        self.cluster_free: dict[str, float] = defaultdict(float)
        for ds in self.export.datastores:
            if ds.cluster_name:
                used = min(self.ds_in_use[ds.name], ds.capacity_mib)
                self.cluster_capacity[ds.cluster_name] += ds.capacity_mib
                self.cluster_free[ds.cluster_name] += ds.capacity_mib - used


def hash_text(text: str) -> int:
    """A stable small hash of a text (Python's ``hash`` of a str changes between runs)."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_003
    return value
