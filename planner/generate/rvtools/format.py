"""What an RVTools export holds, as plain dataclasses: one :class:`Export` per vCenter.

RVTools (Dell, formerly Robware) dumps a vCenter's inventory into one workbook, a sheet
(or CSV file) per tab. ``spec/import.md`` reads four of them -- ``vInfo`` (VMs),
``vHost``, ``vCluster``, ``vDatastore``. The dataclasses hold the fields of those rows
that the import reads; :mod:`~planner.generate.rvtools.rows` derives every other column
from them, and :mod:`~planner.generate.rvtools.write` writes the files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Powerstate = Literal["poweredOn", "poweredOff", "suspended"]
UNITS: tuple[str, ...] = ("MiB", "MB")

EXPORT_TIME = dt.datetime(2026, 3, 2, 9, 30, 0)
"""When every synthetic export was taken (fixed, so files are reproducible)."""
RVTOOLS_VERSION = {"MiB": ("4", "4.7.1.4"), "MB": ("3", "3.11.9.2")}
"""(major, full) RVTools version written to vMetaData for each unit style."""


@dataclass(slots=True)
class ExportVM:
    """One row of vInfo: a virtual machine or template, as far as the import reads it."""

    vm: str
    powerstate: Powerstate
    template: bool
    cpus: int
    memory_mib: int
    provisioned_mib: float
    in_use_mib: float
    folder: str
    resource_pool: str
    annotation: str
    networks: list[str]
    """Port groups of its NICs, at most 8 (``Network #1``..``Network #8``)."""
    datacenter: str
    cluster: str
    host: str
    os: str
    """Guest OS according to the configuration file, e.g. 'Red Hat Enterprise Linux 9 (64-bit)'."""
    vcenter: str


@dataclass(slots=True)
class ExportHost:
    """One row of vHost: an ESXi host."""

    host: str
    datacenter: str
    cluster: str
    cores: int
    memory_mib: int
    vcenter: str


@dataclass(slots=True)
class ExportDatastore:
    """One row of vDatastore. ``cluster_name`` is '' for a host's local datastore."""

    name: str
    capacity_mib: float
    cluster_name: str
    vcenter: str


@dataclass(slots=True)
class Export:
    """One RVTools export: everything one vCenter (``VI SDK Server``) holds."""

    vcenter: str
    vms: list[ExportVM] = field(default_factory=list)
    hosts: list[ExportHost] = field(default_factory=list)
    datastores: list[ExportDatastore] = field(default_factory=list)


@dataclass(slots=True)
class Sheet:
    """A sheet as written: its name, header row and data rows (``None``: empty cell)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
