"""Write the example RVTools exports of inventories/wychavon-vmware/ from the tables below.

    python inventories/wychavon-vmware/make_export.py [OUT_DIR]

writes, into OUT_DIR (default: the ``exports/`` folder beside this script):

* ``wychavon-vcenter.xlsx``: Wychavon's vCenter (``wdc-vcsa01.wychavon.local``), one
  RVTools 4.x workbook (``Provisioned MiB``...), datacenter ``Pershore`` (the server
  room of the Civic Centre);
* ``malvern-vcenter/``: Malvern Hills' vCenter (``mhdc-vc01.malvernhills.local``), a
  folder of RVTools CSV tabs (``RVTools_tabvInfo.csv``...) from an older RVTools 3.x,
  whose headers still say ``MB`` (``Provisioned MB``...), datacenter ``Malvern`` (the
  server room of the Council House).

The same tables always give the same bytes (the project's writer,
``planner.generate.rvtools``, fixes every time stamp and derives the columns the import
does not read from a random stream seeded with the vCenter's name), so the files in
``exports/`` can be checked against this script: tests/test_example_vmware.py does.

Every VM, host and datastore is invented; the systems are those any English district
council runs (revenues and benefits, planning, CRM, GIS, finance, HR, waste, elections,
card payments, file and print, remote desktops...). Sizes are typical, not measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

from planner.generate.rvtools import (
    Export,
    ExportDatastore,
    ExportHost,
    ExportVM,
    write_csv_folder,
    write_xlsx,
)
from planner.generate.rvtools.format import Powerstate

HERE = Path(__file__).resolve().parent
GIB = 1024  # MiB
TIB = 1024 * 1024  # MiB

# ----------------------------------------------------------------------------- vocabulary

OS = {
    "w16": "Microsoft Windows Server 2016 (64-bit)",
    "w19": "Microsoft Windows Server 2019 (64-bit)",
    "w22": "Microsoft Windows Server 2022 (64-bit)",
    "rh9": "Red Hat Enterprise Linux 9 (64-bit)",
    "pho": "VMware Photon OS (64-bit)",
}
"""Guest OS codes of the tables -> RVTools' 'OS according to the configuration file'."""

SYSTEMS = {
    "Revenues": "Revenues and benefits (council tax, business rates, housing benefit)",
    "Planning": "Planning, building control and land charges",
    "CRM": "Customer services CRM and online forms",
    "GIS": "Geographic information system and local land and property gazetteer",
    "Finance": "Financial management (ledger, payables, receivables)",
    "HR": "HR and payroll",
    "Waste": "Waste and recycling collection rounds and in-cab devices",
    "Elections": "Electoral registration and elections management",
    "Payments": "Card payments (PCI DSS cardholder data environment)",
    "Citrix": "Citrix virtual apps and desktops",
    "RDS": "Remote desktop services",
    "FileServices": "File and print",
    "Exchange": "Exchange (hybrid with Microsoft 365)",
    "Intranet": "Intranet",
    "Infrastructure": "Directory, databases, patching, backup and monitoring",
}
"""The system (the first part of a table row's folder) -> the start of the VM's annotation."""

POWER: dict[str, Powerstate] = {"on": "poweredOn", "off": "poweredOff"}

# A VM row: name, folder (below the council's top folder), vCPUs, memory GiB, disk GiB
# (the VMDKs; a powered-on VM's provisioned space also holds its swap file, i.e. its
# memory), port group, power state, guest OS code. A folder that is not a system of
# SYSTEMS (Templates, vCLS) is written as given, without the council's top folder.
Row = tuple[str, str, int, int, int, str, str, str]

# The sizes are chosen for the walk-through (README.md, "Where vCPU binds"): Pershore's
# hosts give 86 cores x 4 = 344 vCPU; Wychavon's VMs use 256 of them (72 in the Citrix
# farm), Malvern Hills' need 156 (68 in the remote desktop farm, 88 in the rest).
# fmt: off
WYCHAVON_VMS: list[Row] = [
    # Revenues and benefits
    ("WDC-REVAPP01",    "Revenues/Live",        4,  16,  150, "VLAN110-Servers", "on",  "w19"),
    ("WDC-REVAPP02",    "Revenues/Live",        4,  16,  150, "VLAN110-Servers", "on",  "w19"),
    ("WDC-REVSQL01",    "Revenues/Live",        8,  64,  800, "VLAN110-Servers", "on",  "w19"),
    ("WDC-REVDIP01",    "Revenues/Live",        4,  16, 2000, "VLAN110-Servers", "on",  "w19"),
    ("WDC-REVWEB01",    "Revenues/Live",        2,   8,   80, "VLAN120-DMZ",     "on",  "w22"),
    ("WDC-REVTST01",    "Revenues/Test",        4,  16,  150, "VLAN110-Servers", "on",  "w19"),
    ("WDC-REVSQLT01",   "Revenues/Test",        4,  32,  500, "VLAN110-Servers", "on",  "w19"),
    # Planning, building control, land charges
    ("WDC-UNIAPP01",    "Planning/Live",        4,  16,  120, "VLAN110-Servers", "on",  "w19"),
    ("WDC-UNISQL01",    "Planning/Live",        8,  48,  600, "VLAN110-Servers", "on",  "w19"),
    ("WDC-PLANDMS01",   "Planning/Live",        4,  16, 3000, "VLAN110-Servers", "on",  "w19"),
    ("WDC-PUBACC01",    "Planning/Live",        2,   8,   80, "VLAN120-DMZ",     "on",  "rh9"),
    ("WDC-UNITST01",    "Planning/Test",        4,  16,  120, "VLAN110-Servers", "off", "w19"),
    # Customer services
    ("WDC-CRMAPP01",    "CRM/Live",             4,  16,  100, "VLAN110-Servers", "on",  "w22"),
    ("WDC-CRMWEB01",    "CRM/Live",             2,   8,   80, "VLAN120-DMZ",     "on",  "w22"),
    ("WDC-CRMINT01",    "CRM/Live",             2,   8,   80, "VLAN110-Servers", "on",  "w22"),
    # GIS and the gazetteer
    ("WDC-GIS01",       "GIS/Live",             4,  32,  500, "VLAN110-Servers", "on",  "w19"),
    ("WDC-GISWEB01",    "GIS/Live",             2,   8,  100, "VLAN120-DMZ",     "on",  "w19"),
    ("WDC-GISSQL01",    "GIS/Live",             4,  32,  400, "VLAN110-Servers", "on",  "w19"),
    # Finance, HR and payroll
    ("WDC-FINAPP01",    "Finance/Live",         4,  16,  150, "VLAN110-Servers", "on",  "w19"),
    ("WDC-FINSQL01",    "Finance/Live",         8,  32,  500, "VLAN110-Servers", "on",  "w19"),
    ("WDC-HRAPP01",     "HR/Live",              4,  16,  100, "VLAN110-Servers", "on",  "w19"),
    ("WDC-HRSQL01",     "HR/Live",              4,  32,  300, "VLAN110-Servers", "on",  "w19"),
    # Waste, elections
    ("WDC-WASTE01",     "Waste/Live",           4,  16,  100, "VLAN110-Servers", "on",  "w22"),
    ("WDC-WASTEMOB01",  "Waste/Live",           2,   8,   80, "VLAN120-DMZ",     "on",  "w22"),
    ("WDC-ELEC01",      "Elections/Live",       4,  16,  200, "VLAN110-Servers", "on",  "w19"),
    # Card payments: their own port group, the PCI DSS zone
    ("WDC-PAY01",       "Payments/Live",        4,  16,  100, "VLAN140-PCI",     "on",  "w22"),
    ("WDC-PAYWEB01",    "Payments/Live",        2,   8,   80, "VLAN140-PCI",     "on",  "w22"),
    # Citrix: the largest user of vCPU and memory, and stateless (any room will do)
    ("WDC-CTXDDC01",    "Citrix/Live",          4,   8,   80, "VLAN130-Citrix",  "on",  "w22"),
    ("WDC-CTXSF01",     "Citrix/Live",          4,   8,   80, "VLAN130-Citrix",  "on",  "w22"),
    ("WDC-CTXVDA01",    "Citrix/Live",         16,  64,  120, "VLAN130-Citrix",  "on",  "w22"),
    ("WDC-CTXVDA02",    "Citrix/Live",         16,  64,  120, "VLAN130-Citrix",  "on",  "w22"),
    ("WDC-CTXVDA03",    "Citrix/Live",         16,  64,  120, "VLAN130-Citrix",  "on",  "w22"),
    ("WDC-CTXVDA04",    "Citrix/Live",         16,  64,  120, "VLAN130-Citrix",  "on",  "w22"),
    # File and print; FS01 was replaced by FS02 and is kept, switched off, "just in case"
    ("WDC-FS02",        "FileServices/Live",    4,  16, 4000, "VLAN110-Servers", "on",  "w22"),
    ("WDC-FS03",        "FileServices/Live",    4,  16, 3000, "VLAN110-Servers", "on",  "w22"),
    ("WDC-PRINT01",     "FileServices/Live",    2,   8,   80, "VLAN110-Servers", "on",  "w22"),
    ("WDC-FS01-old",    "FileServices/Live",    4,  16, 4000, "VLAN110-Servers", "off", "w16"),
    # Exchange hybrid, intranet
    ("WDC-EXHYB01",     "Exchange/Live",        4,  16,  200, "VLAN110-Servers", "on",  "w19"),
    ("WDC-INTRA01",     "Intranet/Live",        2,   8,  100, "VLAN110-Servers", "on",  "w22"),
    # Infrastructure (management cluster)
    ("WDC-SQLAG01A",    "Infrastructure",      16, 128, 1500, "VLAN110-Servers", "on",  "w22"),
    ("WDC-SQLAG01B",    "Infrastructure",      16, 128, 1500, "VLAN110-Servers", "on",  "w22"),
    ("WDC-DC01",        "Infrastructure",       2,   8,   80, "VLAN10-Mgmt",     "on",  "w22"),
    ("WDC-DC02",        "Infrastructure",       2,   8,   80, "VLAN10-Mgmt",     "on",  "w22"),
    ("WDC-WSUS01",      "Infrastructure",       2,   8,  500, "VLAN10-Mgmt",     "on",  "w19"),
    ("WDC-MECM01",      "Infrastructure",       4,  16,  800, "VLAN10-Mgmt",     "on",  "w19"),
    ("WDC-PKI01",       "Infrastructure",       2,   4,   60, "VLAN10-Mgmt",     "on",  "w19"),
    ("WDC-NPS01",       "Infrastructure",       2,   4,   60, "VLAN10-Mgmt",     "on",  "w19"),
    ("VEEAM01",         "Infrastructure",       4,  16,  200, "VLAN10-Mgmt",     "on",  "w22"),
    ("VEEAM-PROXY01",   "Infrastructure",       4,   8,   80, "VLAN10-Mgmt",     "on",  "w22"),
    ("PRTG01",          "Infrastructure",       4,   8,  200, "VLAN10-Mgmt",     "on",  "w22"),
    ("wdc-vcsa01",      "Infrastructure",       4,  21,  579, "VLAN10-Mgmt",     "on",  "pho"),
    # templates and vSphere Cluster Services VMs
    ("TPL-W2022",       "Templates",            2,   8,   80, "VLAN110-Servers", "off", "w22"),
    ("TPL-W2019",       "Templates",            2,   8,   80, "VLAN110-Servers", "off", "w19"),
    ("TPL-RHEL9",       "Templates",            2,   4,   40, "VLAN110-Servers", "off", "rh9"),
    ("vCLS-4c1d0a2e",   "vCLS",                 1,   0,    2, "",                "on",  "pho"),
    ("vCLS-7f3b9e51",   "vCLS",                 1,   0,    2, "",                "on",  "pho"),
    ("vCLS-b2e8c4d7",   "vCLS",                 1,   0,    2, "",                "on",  "pho"),
]

MALVERN_VMS: list[Row] = [
    # Revenues and benefits
    ("MHDC-REVAPP01",   "Revenues/Live",        4,  16,  150, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-REVSQL01",   "Revenues/Live",        8,  48,  600, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-REVDIP01",   "Revenues/Live",        4,  16, 1500, "MHDC-Servers",    "on",  "w19"),
    # Planning
    ("MHDC-UNIAPP01",   "Planning/Live",        4,  16,  120, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-UNISQL01",   "Planning/Live",        8,  32,  500, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-PLANDMS01",  "Planning/Live",        4,  16, 2500, "MHDC-Servers",    "on",  "w19"),
    # Customer services, GIS
    ("MHDC-CRM01",      "CRM/Live",             4,  16,  100, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-CRMWEB01",   "CRM/Live",             2,   8,   80, "MHDC-DMZ",        "on",  "w19"),
    ("MHDC-GIS01",      "GIS/Live",             4,  16,  400, "MHDC-Servers",    "on",  "w19"),
    # Finance, HR and payroll, waste
    ("MHDC-FIN01",      "Finance/Live",         4,  16,  150, "MHDC-Servers",    "on",  "w16"),
    ("MHDC-FINSQL01",   "Finance/Live",         4,  32,  400, "MHDC-Servers",    "on",  "w16"),
    ("MHDC-HR01",       "HR/Live",              2,  16,  150, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-WASTE01",    "Waste/Live",           2,   8,  100, "MHDC-Servers",    "on",  "w19"),
    # Elections: switched off between elections, still needs a home
    ("MHDC-ELEC01",     "Elections/Live",       2,   8,  150, "MHDC-Servers",    "off", "w19"),
    # Card payments
    ("MHDC-PAY01",      "Payments/Live",        2,   8,  100, "MHDC-PCI",        "on",  "w19"),
    # Remote desktops
    ("MHDC-RDSGW01",    "RDS/Live",             2,   8,   80, "MHDC-DMZ",        "on",  "w19"),
    ("MHDC-RDSCB01",    "RDS/Live",             2,   8,   80, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-RDSH01",     "RDS/Live",            16,  64,  150, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-RDSH02",     "RDS/Live",            16,  64,  150, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-RDSH03",     "RDS/Live",            16,  64,  150, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-RDSH04",     "RDS/Live",            16,  64,  150, "MHDC-Servers",    "on",  "w19"),
    # File and print, on-premises Exchange (its 2013 predecessor kept, switched off)
    ("MHDC-FS01",       "FileServices/Live",    4,  16, 3000, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-PRINT01",    "FileServices/Live",    2,   8,   80, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-EXCH01",     "Exchange/Live",        8,  32, 1200, "MHDC-Servers",    "on",  "w19"),
    ("MHDC-EXCH13-old", "Exchange/Live",        4,  16,  800, "MHDC-Servers",    "off", "w16"),
    # Infrastructure
    ("MHDC-DC01",       "Infrastructure",       2,   8,   80, "MHDC-Mgmt",       "on",  "w19"),
    ("MHDC-DC02",       "Infrastructure",       2,   8,   80, "MHDC-Mgmt",       "on",  "w19"),
    ("MHDC-WSUS01",     "Infrastructure",       2,   8,  400, "MHDC-Mgmt",       "on",  "w16"),
    ("VEEAM01",         "Infrastructure",       4,  16,  200, "MHDC-Mgmt",       "on",  "w19"),
    ("VEEAM-PROXY01",   "Infrastructure",       4,   8,   80, "MHDC-Mgmt",       "on",  "w19"),
    ("PRTG01",          "Infrastructure",       2,   8,  100, "MHDC-Mgmt",       "on",  "w19"),
    ("mhdc-vc01",       "Infrastructure",       4,  19,  400, "MHDC-Mgmt",       "on",  "pho"),
    # templates and vSphere Cluster Services VMs
    ("TPL-W2022",       "Templates",            2,   8,   80, "MHDC-Servers",    "off", "w22"),
    ("TPL-W2019",       "Templates",            2,   8,   80, "MHDC-Servers",    "off", "w19"),
    ("vCLS-0e9a61c3",   "vCLS",                 1,   0,    2, "",                "on",  "pho"),
    ("vCLS-5d27f80b",   "vCLS",                 1,   0,    2, "",                "on",  "pho"),
]

# A host row: name, cluster, cores, memory GiB.
WYCHAVON_HOSTS = [
    ("wdc-esx01.wychavon.local",      "PER-PROD", 28,  768),
    ("wdc-esx02.wychavon.local",      "PER-PROD", 28,  768),
    ("wdc-esx03.wychavon.local",      "PER-PROD", 20,  512),
    ("wdc-esx04.wychavon.local",      "PER-MGMT", 10,  256),
]
MALVERN_HOSTS = [
    ("mhdc-esx01.malvernhills.local", "MHDC-CL1", 20,  512),
    ("mhdc-esx02.malvernhills.local", "MHDC-CL1", 20,  512),
    ("mhdc-esx03.malvernhills.local", "MHDC-CL1", 20,  512),
]

# A datastore row: name, cluster ('' for a host's local disk, which the import leaves
# out), capacity TiB.
WYCHAVON_DATASTORES = [
    ("PER-SAN-DS01",   "PER-PROD", 16),
    ("PER-SAN-DS02",   "PER-PROD", 16),
    ("PER-SAN-DS03",   "PER-PROD", 16),
    ("PER-MGMT-DS01",  "PER-MGMT",  4),
    ("datastore1",     "",          0.5),
]
MALVERN_DATASTORES = [
    ("MHDC-VMFS01",    "MHDC-CL1", 10),
    ("MHDC-VMFS02",    "MHDC-CL1", 10),
    ("datastore1 (1)", "",          0.25),
    ("datastore1 (2)", "",          0.25),
    ("datastore1 (3)", "",          0.25),
]
# fmt: on


# ----------------------------------------------------------------------------- exports


def council_export(
    vcenter: str,
    datacenter: str,
    top_folder: str,
    vms: list[Row],
    hosts: list[tuple[str, str, int, int]],
    datastores: list[tuple[str, str, float]],
) -> Export:
    """One vCenter's export: its VMs spread over the hosts of their cluster in turn
    (VMs on a management port group, vCLS and templates on the management cluster if
    there is one)."""
    export = Export(vcenter)
    clusters = sorted({cluster for _, cluster, _, _ in hosts})
    management = next((c for c in clusters if c.endswith("MGMT")), clusters[0])
    production = next(c for c in clusters if not c.endswith("MGMT"))
    members = {c: [h for h, cluster, _, _ in hosts if cluster == c] for c in clusters}
    turn = dict.fromkeys(clusters, 0)
    for name, folder, cpus, memory_gib, disk_gib, network, power, os in vms:
        system = folder.split("/")[0]
        managed = network.endswith("Mgmt") or system in ("Templates", "vCLS")
        cluster = management if managed else production
        host = members[cluster][turn[cluster] % len(members[cluster])]
        turn[cluster] += 1
        template = system == "Templates"
        memory = memory_gib * GIB if memory_gib else 128  # a vCLS VM has 128 MiB
        swap = memory if power == "on" else 0
        disk = disk_gib * GIB
        export.vms.append(
            ExportVM(
                vm=name,
                powerstate=POWER[power],
                template=template,
                cpus=cpus,
                memory_mib=memory,
                provisioned_mib=disk + swap,
                in_use_mib=disk * 0.55 + swap,
                folder=f"{top_folder}/{folder}" if system in SYSTEMS else folder,
                resource_pool="Resources",
                annotation=annotation(name, folder),
                networks=[network] if network else [],
                datacenter=datacenter,
                cluster=cluster,
                host=host,
                os=OS[os],
                vcenter=vcenter,
            )
        )
    for name, cluster, cores, memory_gib in hosts:
        export.hosts.append(ExportHost(name, datacenter, cluster, cores, memory_gib * GIB, vcenter))
    for name, cluster, capacity_tib in datastores:
        export.datastores.append(ExportDatastore(name, capacity_tib * TIB, cluster, vcenter))
    return export


def annotation(name: str, folder: str) -> str:
    """The VM's notes: its system and environment ('' for templates and vCLS)."""
    system, _, environment = folder.partition("/")
    if system not in SYSTEMS:
        return ""
    text = SYSTEMS[system]
    if environment and environment != "Live":
        text += f" - {environment.lower()}"
    if name.endswith("-old"):
        text += " - replaced, kept switched off"
    return text


def exports() -> tuple[Export, Export]:
    """(Wychavon's export, Malvern Hills' export)."""
    wychavon = council_export(
        "wdc-vcsa01.wychavon.local",
        "Pershore",
        "Wychavon",
        WYCHAVON_VMS,
        WYCHAVON_HOSTS,
        WYCHAVON_DATASTORES,
    )
    malvern = council_export(
        "mhdc-vc01.malvernhills.local",
        "Malvern",
        "Malvern Hills",
        MALVERN_VMS,
        MALVERN_HOSTS,
        MALVERN_DATASTORES,
    )
    return wychavon, malvern


def main(out: Path) -> list[Path]:
    """Write both exports into ``out``; returns the files written."""
    wychavon, malvern = exports()
    written = [write_xlsx(wychavon, out / "wychavon-vcenter.xlsx", units="MiB")]
    written += write_csv_folder(malvern, out / "malvern-vcenter", units="MB")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "exports"
    for path in main(target):
        print(path)
