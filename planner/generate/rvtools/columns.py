"""The columns of the RVTools 4.x sheets the generator writes, in RVTools' own order.

Taken from an RVTools 4.7 export: ``vInfo`` has 90 standard columns, then ``Backup
status`` and ``Last backup``, two vCenter custom attributes of the kind every estate has
(RVTools puts custom attributes after ``Annotation``). The names are the contract of
``spec/import.md``; a reader finds the columns it needs among these by name. Note what a
reader may not expect: ``vCluster`` has no ``Datacenter`` column and says
``NumCpuCores``; ``vDatastore``'s ``Cluster name`` is, in RVTools, the datastore cluster
(often empty), which the spec (and this generator) use as the compute cluster.

Also the host hardware the ``vHost`` sheet describes, by core count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

VINFO: tuple[str, ...] = (
    "VM", "Powerstate", "Template", "SRM Placeholder", "Config status", "DNS Name",
    "Connection state", "Guest state", "Heartbeat", "Consolidation Needed", "PowerOn",
    "Suspended To Memory", "Suspend time", "Suspend Interval", "Creation date",
    "Change Version", "CPUs", "Overall Cpu Readiness", "Memory", "Active Memory", "NICs",
    "Disks", "Total disk capacity MiB", "Fixed Passthru HotPlug", "min Required EVC Mode Key",
    "Latency Sensitivity", "Op Notification Timeout", "EnableUUID", "CBT",
    "Primary IP Address", "Network #1", "Network #2", "Network #3", "Network #4",
    "Network #5", "Network #6", "Network #7", "Network #8", "Num Monitors", "Video Ram KiB",
    "Resource pool", "Folder ID", "Folder", "vApp", "DAS protection", "FT State", "FT Role",
    "FT Latency", "FT Bandwidth", "FT Sec. Latency", "Vm Failover In Progress",
    "Provisioned MiB", "In Use MiB", "Unshared MiB", "HA Restart Priority",
    "HA Isolation Response", "HA VM Monitoring", "Cluster rule(s)", "Cluster rule name(s)",
    "Boot Required", "Boot delay", "Boot retry delay", "Boot retry enabled",
    "Boot BIOS setup", "Reboot PowerOff", "EFI Secure boot", "Firmware", "HW version",
    "HW upgrade status", "HW upgrade policy", "HW target", "Path", "Log directory",
    "Snapshot directory", "Suspend directory", "Annotation", "Backup status", "Last backup",
    "Datacenter", "Cluster", "Host", "OS according to the configuration file",
    "OS according to the VMware Tools", "Customization Info", "Guest Detailed Data", "VM ID",
    "SMBIOS UUID", "VM UUID", "VI SDK Server type", "VI SDK API Version", "VI SDK Server",
    "VI SDK UUID",
)  # fmt: skip
"""vInfo: one row per VM and template."""

VHOST: tuple[str, ...] = (
    "Host", "Datacenter", "Cluster", "Config status", "Compliance Check State",
    "in Maintenance Mode", "in Quarantine Mode", "vSAN Fault Domain Name", "CPU Model",
    "Speed", "HT Available", "HT Active", "# CPU", "Cores per CPU", "# Cores", "CPU usage %",
    "# Memory", "Memory Tiering Type", "Memory usage %", "Console", "# NICs", "# HBAs",
    "# VMs total", "# VMs", "VMs per Core", "# vCPUs", "vCPUs per Core", "vRAM",
    "VM Used memory", "VM Memory Swapped", "VM Memory Ballooned", "VMotion support",
    "Storage VMotion support", "Current EVC", "Max EVC", "Assigned License(s)",
    "ATS Heartbeat", "ATS Locking", "Current CPU power man. policy",
    "Supported CPU power man.", "Host Power Policy", "ESX Version", "Boot time",
    "DNS Servers", "DHCP", "Domain", "Domain List", "DNS Search Order", "NTP Server(s)",
    "NTPD running", "Time Zone", "Time Zone Name", "GMT Offset", "Vendor", "Model",
    "Serial number", "Service tag", "OEM specific string", "BIOS Vendor", "BIOS Version",
    "BIOS Date", "Certificate Issuer", "Certificate Start Date", "Certificate Expiry Date",
    "Certificate Status", "Certificate Subject", "Object ID", "AutoDeploy.MachineIdentity",
    "UUID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip
"""vHost: one row per ESXi host (``# Memory`` in MiB)."""

VCLUSTER: tuple[str, ...] = (
    "Name", "Config status", "OverallStatus", "NumHosts", "numEffectiveHosts", "TotalCpu",
    "NumCpuCores", "NumCpuThreads", "Effective Cpu", "TotalMemory", "Effective Memory",
    "Num VMotions", "HA enabled", "Failover Level", "AdmissionControlEnabled",
    "Host monitoring", "HB Datastore Candidate Policy", "Isolation Response",
    "Restart Priority", "Cluster Settings", "Max Failures", "Max Failure Window",
    "Failure Interval", "Min Up Time", "VM Monitoring", "DRS enabled",
    "DRS default VM behavior", "DRS vmotion rate", "DPM enabled", "DPM default behavior",
    "DPM Host Power Action Rate", "Object ID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip
"""vCluster: one row per compute cluster (``TotalMemory`` in bytes, ``TotalCpu`` in MHz)."""

VDATASTORE: tuple[str, ...] = (
    "Name", "Config status", "Address", "Accessible", "Type", "# VMs total", "# VMs",
    "Capacity MiB", "Provisioned MiB", "In Use MiB", "Free MiB", "Free %", "SIOC enabled",
    "SIOC Threshold", "# Hosts", "Hosts", "Cluster name", "Cluster capacity MiB",
    "Cluster free space MiB", "Block size", "Max Blocks", "# Extents", "Major Version",
    "Version", "VMFS Upgradeable", "MHA", "URL", "Object ID", "VI SDK Server", "VI SDK UUID",
)  # fmt: skip
"""vDatastore: one row per datastore."""

VMETADATA: tuple[str, ...] = (
    "RVTools major version", "RVTools version", "xlsx creation datetime", "Server",
)  # fmt: skip
"""vMetaData: one row saying which RVTools wrote the export, when, from which server."""


VINFO_FIXED: dict[str, Any] = {
    "SRM Placeholder": False,
    "Config status": "green",
    "Connection state": "connected",
    "Consolidation Needed": False,
    "Fixed Passthru HotPlug": False,
    "Latency Sensitivity": "normal",
    "Num Monitors": 1,
    "FT State": "notConfigured",
    "Vm Failover In Progress": False,
    "HA Restart Priority": "clusterRestartPriority",
    "HA Isolation Response": "clusterIsolationResponse",
    "HA VM Monitoring": "vmMonitoringDisabled",
    "Boot Required": False,
    "Boot delay": 0,
    "Boot retry delay": 10000,
    "Boot retry enabled": False,
    "Boot BIOS setup": False,
    "Reboot PowerOff": False,
    "HW upgrade status": "none",
    "HW upgrade policy": "never",
    "VI SDK Server type": "VirtualCenter",
    "VI SDK API Version": "8.0.2.0",
}
"""vInfo columns that are the same for every VM here."""

VHOST_FIXED: dict[str, Any] = {
    "Config status": "green",
    "in Maintenance Mode": False,
    "in Quarantine Mode": False,
    "HT Available": True,
    "HT Active": True,
    "# NICs": 4,
    "VM Memory Swapped": 0,
    "VM Memory Ballooned": 0,
    "VMotion support": True,
    "Storage VMotion support": True,
    "Assigned License(s)": "VMware vSphere 8 Enterprise Plus",
    "ATS Heartbeat": "Enabled",
    "ATS Locking": "Enabled",
    "Current CPU power man. policy": "Balanced",
    "Supported CPU power man.": "Current policy: Balanced",
    "Host Power Policy": "Balanced",
    "ESX Version": "VMware ESXi 8.0.2 build-22380479",
    "DNS Servers": "10.0.0.10, 10.0.0.11",
    "DHCP": False,
    "NTP Server(s)": "ntp1.ja.net, ntp2.ja.net",
    "NTPD running": True,
    "Time Zone": "UTC",
    "Time Zone Name": "UTC",
    "GMT Offset": 0,
    "BIOS Date": dt.datetime(2024, 5, 14),
    "Certificate Status": "good",
}
"""vHost columns that are the same for every host here."""

VCLUSTER_FIXED: dict[str, Any] = {
    "Config status": "green",
    "OverallStatus": "green",
    "HA enabled": True,
    "Failover Level": 1,
    "AdmissionControlEnabled": True,
    "Host monitoring": "enabled",
    "HB Datastore Candidate Policy": "allFeasibleDsWithUserPreference",
    "Isolation Response": "none",
    "Restart Priority": "medium",
    "Cluster Settings": "true",
    "Max Failures": 3,
    "Max Failure Window": -1,
    "Failure Interval": 30,
    "Min Up Time": 120,
    "VM Monitoring": "vmMonitoringDisabled",
    "DRS enabled": True,
    "DRS default VM behavior": "fullyAutomated",
    "DRS vmotion rate": 3,
    "DPM enabled": False,
    "DPM default behavior": "manual",
    "DPM Host Power Action Rate": 3,
}
"""vCluster columns that are the same for every cluster here (HA and DRS on)."""

VDATASTORE_FIXED: dict[str, Any] = {
    "Config status": "green",
    "Accessible": True,
    "Type": "VMFS",
    "Block size": 1,
    "Max Blocks": 64 * 1024 * 1024,
    "# Extents": 1,
    "Major Version": 6,
    "Version": "6.82",
    "VMFS Upgradeable": False,
    "MHA": True,
}
"""vDatastore columns that are the same for every datastore here (VMFS 6)."""


class Hardware(NamedTuple):
    """What vHost says about a host's hardware."""

    sockets: int
    cpu_model: str
    mhz: int
    evc: str
    vendor: str
    model: str
    bios: str


_CPUS: dict[int, tuple[str, int, str]] = {
    8: ("Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz", 2100, "intel-cascadelake"),
    10: ("Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", 2400, "intel-cascadelake"),
    12: ("Intel(R) Xeon(R) Gold 5317 CPU @ 3.00GHz", 3000, "intel-icelake"),
    14: ("Intel(R) Xeon(R) Gold 5320T CPU @ 2.30GHz", 2300, "intel-icelake"),
    16: ("Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz", 2900, "intel-icelake"),
    20: ("Intel(R) Xeon(R) Gold 5318Y CPU @ 2.10GHz", 2100, "intel-icelake"),
    24: ("Intel(R) Xeon(R) Gold 6342 CPU @ 2.80GHz", 2800, "intel-icelake"),
    28: ("Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz", 2600, "intel-icelake"),
    32: ("Intel(R) Xeon(R) Platinum 8358 CPU @ 2.60GHz", 2600, "intel-icelake"),
    48: ("AMD EPYC 9454 48-Core Processor", 2750, "amd-zen4"),
    64: ("AMD EPYC 9554 64-Core Processor", 3100, "amd-zen4"),
}
"""Processor by cores per socket."""


def host_hardware(cores: int) -> Hardware:
    """Plausible hardware for a host of ``cores`` cores: two sockets when the cores split
    into two processors of a size sold, else one."""
    sockets = 2 if cores % 2 == 0 and cores // 2 in _CPUS else 1
    per_socket = cores // sockets
    model, mhz, evc = _CPUS.get(
        per_socket, (f"Intel(R) Xeon(R) CPU ({per_socket} cores)", 2400, "intel-icelake")
    )
    if evc == "amd-zen4":
        return Hardware(sockets, model, mhz, evc, "Dell Inc.", "PowerEdge R7625", "1.8.3")
    return Hardware(sockets, model, mhz, evc, "Dell Inc.", "PowerEdge R750", "1.13.2")
