"""Small RVTools exports, a base estate and a mapping, written directly (openpyxl, csv,
plain YAML text) for the `planner import rvtools` tests; no project writer is used, so
the expected figures below are worked out by hand from these rows.

The estate: county (sites hq, depot) and city (sites guildhall, far; far is linked to
nothing). Rooms hq-dc (at hq) and guildhall-mr (at guildhall, which states vcpu: 1000
itself); colo is a candidate. Zone official travels over psn (hq-guildhall 3 ms,
hq-depot 5 ms); zone secure over lan2, which has no links.

vc1 (a workbook, 4.x MiB headers), vCenter vc1.local:
  fin-app  County/Finance  HQ         2 CPU  4096 MiB  102400 MiB
  fin-db   County/Finance  HQ         4      16384     512000
  fin-dr   County/Finance  Guildhall  2      4096      102400
  cctv     County/CCTV     HQ         1      2048      1048576   (network SECURE-1: zone secure)
  gold     template                   2      4096      40960     (skipped: template)
  legacy-old County/Finance HQ        1      1024      10240     (skipped: skip rule *-old)
  spare    City/Spare      Guildhall  1      1536      10240     (powered off, kept)
  hosts esx1, esx2 (HQ, HQ-C1, 16 cores, 262144 MiB each), esx3 (Guildhall, GH-C1, 8, 131072)
  datastores ds1 (HQ-C1, 4 TiB), ds2 (GH-C1, 2 TiB)

vc2 (a CSV folder, older MB headers), vCenter vc2.local:
  fin-app  City/Revs  Guildhall-2  2 CPU  2048 MB  20480 MB   (same name as vc1's fin-app)
  revs-db  City/Revs  Guildhall-2  4      8192     204800
  host esx4 (Guildhall-2, GH2-C1, 8 cores, 65536 MB); datastore ds3 (GH2-C1, 1 TiB)
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

VINFO_HEADER = [
    "VM", "Powerstate", "Template", "SRM Placeholder", "CPUs", "Memory", "Provisioned MiB",
    "In Use MiB", "Folder", "Resource pool", "Annotation", "Network #1", "Network #2",
    "Datacenter", "Cluster", "Host", "OS according to the configuration file", "VI SDK Server",
]  # fmt: skip
VHOST_HEADER = ["Host", "Datacenter", "Cluster", "# Cores", "# Memory", "VI SDK Server"]
VDATASTORE_HEADER = ["Name", "Capacity MiB", "Cluster name", "VI SDK Server"]
VCLUSTER_HEADER = ["Name", "NumHosts"]

TIB = 1024 * 1024


def vm(
    name: str,
    cpus: Any,
    memory: Any,
    provisioned: Any,
    folder: str,
    datacenter: str,
    cluster: str,
    host: str,
    vcenter: str,
    *,
    power: str = "poweredOn",
    template: Any = False,
    network: str = "LAN",
    pool: str = "Resources",
    annotation: str = "",
) -> list[Any]:
    """One vInfo row in the order of :data:`VINFO_HEADER`."""
    return [
        name, power, template, False, cpus, memory, provisioned, provisioned, folder, pool,
        annotation, network, "", datacenter, cluster, host, "Microsoft Windows Server 2019",
        vcenter,
    ]  # fmt: skip


VC1_VMS = [
    vm("fin-app", 2, 4096, 102400, "County/Finance", "HQ", "HQ-C1", "esx1", "vc1.local"),
    vm("fin-db", 4, 16384, 512000, "County/Finance", "HQ", "HQ-C1", "esx2", "vc1.local"),
    vm("fin-dr", 2, 4096, 102400, "County/Finance", "Guildhall", "GH-C1", "esx3", "vc1.local"),
    vm("cctv", 1, 2048, TIB, "County/CCTV", "HQ", "HQ-C1", "esx1", "vc1.local",
       network="SECURE-1"),
    vm("gold", 2, 4096, 40960, "Templates", "HQ", "HQ-C1", "esx1", "vc1.local", template=True,
       power="poweredOff"),
    vm("legacy-old", 1, 1024, 10240, "County/Finance", "HQ", "HQ-C1", "esx2", "vc1.local"),
    vm("spare", 1, 1536, 10240, "City/Spare", "Guildhall", "GH-C1", "esx3", "vc1.local",
       power="poweredOff"),
]  # fmt: skip
VC1_HOSTS = [
    ["esx1", "HQ", "HQ-C1", 16, 262144, "vc1.local"],
    ["esx2", "HQ", "HQ-C1", 16, 262144, "vc1.local"],
    ["esx3", "Guildhall", "GH-C1", 8, 131072, "vc1.local"],
]
VC1_DATASTORES = [
    ["ds1", 4 * TIB, "HQ-C1", "vc1.local"],
    ["ds2", 2 * TIB, "GH-C1", "vc1.local"],
]

VC2_VMS = [
    vm("fin-app", 2, 2048, 20480, "City/Revs", "Guildhall-2", "GH2-C1", "esx4", "vc2.local"),
    vm("revs-db", 4, 8192, 204800, "City/Revs", "Guildhall-2", "GH2-C1", "esx4", "vc2.local"),
]
VC2_HOSTS = [["esx4", "Guildhall-2", "GH2-C1", 8, 65536, "vc2.local"]]
VC2_DATASTORES = [["ds3", TIB, "GH2-C1", "vc2.local"]]

MB_NAMES = {"Provisioned MiB": "Provisioned MB", "In Use MiB": "In Use MB",
            "Capacity MiB": "Capacity MB"}  # fmt: skip


def sheets(
    vms: Sequence[list[Any]],
    hosts: Sequence[list[Any]],
    datastores: Sequence[list[Any]],
    *,
    mb: bool = False,
) -> dict[str, list[list[Any]]]:
    """Sheet name -> rows (header first) of one export."""

    def header(names: list[str]) -> list[Any]:
        return [MB_NAMES.get(n, n) if mb else n for n in names]

    return {
        "vInfo": [header(VINFO_HEADER), *vms],
        "vHost": [header(VHOST_HEADER), *hosts],
        "vCluster": [VCLUSTER_HEADER, ["HQ-C1", 2]],
        "vDatastore": [header(VDATASTORE_HEADER), *datastores],
    }


def write_xlsx(path: Path, tabs: dict[str, list[list[Any]]]) -> Path:
    """A workbook with one sheet per entry (cells written as given)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv_folder(folder: Path, tabs: dict[str, list[list[Any]]], *, bom: bool = True) -> Path:
    """A folder of RVTools_tab<sheet>.csv files (UTF-8, with a BOM as RVTools writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tabs.items():
        with (folder / f"RVTools_tab{name}.csv").open(
            "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
        ) as fh:
            csv.writer(fh).writerows(rows)
    return folder


def vc1(tmp: Path) -> Path:
    return write_xlsx(tmp / "vc1.xlsx", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES))


def vc2(tmp: Path) -> Path:
    return write_csv_folder(tmp / "vc2", sheets(VC2_VMS, VC2_HOSTS, VC2_DATASTORES, mb=True))


BASE_ESTATE = """\
estate: {name: Import test, start: 2027-04-01}
networks: [{id: psn}, {id: lan2}]
zones:
  - {id: official, networks: [psn]}
  - {id: secure, networks: [lan2]}
organisations:
  - {id: county, desk: county-desk, tickets_per_year: 2000}
  - {id: city, desk: county-desk, tickets_per_year: 1000}
sites:
  - {id: hq, organisation: county, lat: 52.2, lon: -2.2}
  - {id: depot, organisation: county, lat: 52.3, lon: -2.1}
  - {id: guildhall, organisation: city, lat: 52.19, lon: -2.22}
  - {id: far, organisation: city, lat: 53.0, lon: -1.0}
links:
  - {a: hq, b: guildhall, network: psn, latency_ms: 3}
  - {a: hq, b: depot, network: psn, latency_ms: 5}
service_desks:
  - {id: county-desk, site: hq, seats: 10, fixed_cost: 1000, cost_per_fte: 30000,
     tickets_per_fte: 1000}
"""

BASE_ROOMS = """\
rooms:
  - {id: hq-dc, site: hq, racks: 10, power_kw: 40, annual_cost: 100000}
  - {id: guildhall-mr, site: guildhall, racks: 4, power_kw: 10, annual_cost: 50000,
     vcpu: 1000}
  - {id: colo, site: depot, status: candidate, racks: 20, power_kw: 80, annual_cost: 60000,
     open_cost: 10000}
"""

MAPPING = """\
rooms:
  - {match: {datacenter: "HQ"}, room: hq-dc}
  - {match: {datacenter: "Guildhall*"}, room: guildhall-mr}
zones:
  - {match: {network: "SECURE-*"}, zone: secure}
  - {default: official}
owners:
  - {match: {folder: "City/*"}, organisation: city}
  - {default: county}
workloads:
  group_by: folder
skip:
  match: [{name: "*-old"}]
compute:
  vcpu_per_core: 4
  memory_headroom: 0.5
  storage_headroom: 0.5
defaults:
  migration_cost_per_vm: 1000
  migration_days_per_vm: 0.25
  max_latency_ms: 10
"""


def base_estate(tmp: Path) -> Path:
    """The base estate directory: estate.yaml and rooms.yaml."""
    base = tmp / "base"
    base.mkdir()
    (base / "estate.yaml").write_text(BASE_ESTATE, encoding="utf-8")
    (base / "rooms.yaml").write_text(BASE_ROOMS, encoding="utf-8")
    return base


def mapping(tmp: Path, text: str = MAPPING, name: str = "mapping.yaml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path
