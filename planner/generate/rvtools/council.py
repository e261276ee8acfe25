"""The council estate the synthetic RVTools exports describe: who, where, and what runs.

A Worcestershire-like shared ICT service: a county and six district councils, a police
force and an NHS trust, each with its HQ (real places, rounded coordinates). Their
machine rooms are vSphere datacenters named after the buildings (``CountyHall``,
``Guildhall``, ``Hindlip``...), in the order the generator takes them: with few
clusters only the first few exist. Police systems run only in the police datacenter on
``PSNP-`` port groups, NHS systems only in the NHS one on ``HSCN-`` port groups, so a
mapping by network or folder puts them in their zones and their rooms can be isolated.

Pure data: the order of every tuple is part of the generator's output.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.generate.catalogues import COMMON, LOWER_TIER, NHS, POLICE, UPPER_TIER
from planner.inventory.items import OrganisationKind

DOMAIN = "ict.worcestershire.gov.uk"
"""DNS domain of the vCenters and hosts (the VMs' is their vCenter's)."""
VCENTER = "vcsa{:02d}." + DOMAIN
"""vCenter (``VI SDK Server``) names by number, from 1."""
SHARED_FOLDER = "Shared"
"""Top folder of the shared service's own infrastructure (owned by the county)."""


class Partner(NamedTuple):
    """An organisation, its HQ site, and the systems its VMs run."""

    id: str
    name: str
    kind: OrganisationKind
    folder: str
    """Top-level vCenter folder of its VMs."""
    code: str
    """VM name prefix."""
    zone: str
    tickets: int
    vetting: tuple[str, ...]
    site: str
    site_name: str
    lat: float
    lon: float
    systems: tuple[tuple[str, bool], ...]
    """(system, has a database) -- the application folders of its VMs."""


COUNTY = "worcs-cc"
PARTNERS: tuple[Partner, ...] = (
    Partner("worcs-cc", "Worcestershire County Council", "county", "County", "WCC", "official",
            62000, (), "county-hall", "County Hall, Worcester", 52.1886, -2.1837,
            COMMON + UPPER_TIER),
    Partner("worcester", "Worcester City Council", "district", "Worcester", "CITY", "official",
            21000, (), "guildhall", "Guildhall, Worcester", 52.1920, -2.2206,
            COMMON + LOWER_TIER),
    Partner("west-mercia-police", "West Mercia Police", "police", "Police", "WMP", "police",
            45000, ("npv3",), "hindlip-hall", "Hindlip Hall", 52.2266, -2.1610, POLICE),
    Partner("hw-health-care", "Herefordshire and Worcestershire Health and Care NHS Trust",
            "nhs", "NHS", "HWHC", "nhs", 30000, (), "isaac-maddox-house",
            "Isaac Maddox House, Worcester", 52.1950, -2.2079, NHS),
    Partner("wyre-forest", "Wyre Forest District Council", "district", "WyreForest", "WFDC",
            "official", 16000, (), "wyre-forest-house", "Wyre Forest House, Kidderminster",
            52.3829, -2.2410, COMMON + LOWER_TIER),
    Partner("wychavon", "Wychavon District Council", "district", "Wychavon", "WDC", "official",
            18000, (), "civic-centre", "Civic Centre, Pershore", 52.1118, -2.0783,
            COMMON + LOWER_TIER),
    Partner("bromsgrove", "Bromsgrove District Council", "district", "Bromsgrove", "BDC",
            "official", 14000, (), "parkside", "Parkside, Bromsgrove", 52.3353, -2.0579,
            COMMON + LOWER_TIER),
    Partner("redditch", "Redditch Borough Council", "borough", "Redditch", "RBC", "official",
            15000, (), "redditch-town-hall", "Town Hall, Redditch", 52.3068, -1.9456,
            COMMON + LOWER_TIER),
    Partner("malvern-hills", "Malvern Hills District Council", "district", "Malvern", "MHDC",
            "official", 12000, (), "council-house", "Council House, Malvern", 52.1106,
            -2.3197, COMMON + LOWER_TIER),
)  # fmt: skip
PARTNER = {p.id: p for p in PARTNERS}


class Datacentre(NamedTuple):
    """A vSphere datacenter: one machine room of one organisation."""

    name: str
    code: str
    """Prefix of its cluster and host names."""
    organisation: str
    room: str
    room_name: str
    weight: float
    """Its share of the clusters and hosts, relative to the others."""


DATACENTRES: tuple[Datacentre, ...] = (
    Datacentre("CountyHall", "CH", "worcs-cc", "county-hall-dc", "County Hall data centre", 3),
    Datacentre("Guildhall", "GH", "worcester", "guildhall-mr", "Guildhall machine room", 1.2),
    Datacentre("Hindlip", "HL", "west-mercia-police", "hindlip-dc", "Hindlip PASF room", 1.5),
    Datacentre("ShrubHill", "SH", "hw-health-care", "shrub-hill-dc", "Shrub Hill data centre", 1),
    Datacentre("WyreForestHouse", "WF", "wyre-forest", "wyre-forest-house-mr",
               "Wyre Forest House machine room", 0.8),
    Datacentre("CivicCentre", "CC", "wychavon", "civic-centre-mr", "Civic Centre machine room",
               0.8),
    Datacentre("Parkside", "PS", "bromsgrove", "parkside-mr", "Parkside machine room", 0.6),
    Datacentre("RedditchTownHall", "RT", "redditch", "redditch-town-hall-mr",
               "Town Hall machine room", 0.6),
    Datacentre("MalvernCouncilHouse", "MH", "malvern-hills", "council-house-mr",
               "Council House machine room", 0.5),
)  # fmt: skip
"""In the order they come into being as the number of clusters grows."""

ACCREDITATIONS = {"official": ("psn",), "police": ("psn", "pasf"), "nhs": ("dspt",)}
"""Accreditations of a room by the zone of the organisation it belongs to."""

SHARED_SYSTEMS: tuple[tuple[str, bool], ...] = (
    ("Active Directory and identity", False),
    ("Backup and archive", False),
    ("Monitoring and logging", True),
    ("Patch and antivirus management", True),
    ("Remote access gateway", False),
    ("File and print servers", False),
)
"""The shared service's infrastructure, in every council datacenter."""

PRIMARY_NETWORK = {
    "official": "Corp-Servers-VLAN{}",
    "dmz": "Corp-DMZ-VLAN{}",
    "police": "PSNP-Ops-VLAN{}",
    "nhs": "HSCN-Clinical-VLAN{}",
}
"""First port group of a VM by zone (or DMZ cluster); the VLAN number is filled in."""
PRIMARY_VLAN = {"official": 110, "dmz": 200, "police": 410, "nhs": 510}
EXTRA_NETWORKS = {
    "official": ("PSN-Gateway-VLAN300", "Backup-VLAN900", "Corp-SQL-VLAN130", "Mgmt-VLAN10",
                 "Corp-Citrix-VLAN120", "Corp-Storage-VLAN910", "Corp-Print-VLAN140",
                 "Corp-Voice-VLAN150"),
    "police": ("PSNP-Custody-VLAN420", "PSNP-Backup-VLAN490", "PSNP-Mgmt-VLAN430",
               "PSNP-ANPR-VLAN440", "PSNP-Storage-VLAN491", "PSNP-Control-VLAN450",
               "PSNP-Evidence-VLAN460", "PSNP-Voice-VLAN470"),
    "nhs": ("HSCN-Admin-VLAN520", "HSCN-Backup-VLAN590", "HSCN-Mgmt-VLAN530",
            "HSCN-PACS-VLAN540", "HSCN-Storage-VLAN591", "HSCN-Lab-VLAN550",
            "HSCN-N3-Legacy-VLAN560", "HSCN-Voice-VLAN570"),
}  # fmt: skip
"""Further port groups a VM may have, by zone (each holds 7 or more, for 8 NICs)."""

OPERATING_SYSTEMS: tuple[tuple[str, float], ...] = (
    ("Microsoft Windows Server 2019 (64-bit)", 30),
    ("Microsoft Windows Server 2022 (64-bit)", 20),
    ("Microsoft Windows Server 2016 or later (64-bit)", 19),
    ("Microsoft Windows Server 2012 (64-bit)", 7),
    ("Red Hat Enterprise Linux 8 (64-bit)", 8),
    ("Red Hat Enterprise Linux 9 (64-bit)", 5),
    ("Ubuntu Linux (64-bit)", 5),
    ("CentOS 7 (64-bit)", 3),
    ("Other 4.x or later Linux (64-bit)", 3),
)
"""Guest OS (as vSphere names it) and weight."""
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("TPL-W2022", "Microsoft Windows Server 2022 (64-bit)"),
    ("TPL-W2019", "Microsoft Windows Server 2019 (64-bit)"),
    ("TPL-RHEL9", "Red Hat Enterprise Linux 9 (64-bit)"),
    ("TPL-UBU2204", "Ubuntu Linux (64-bit)"),
    ("TPL-W2016", "Microsoft Windows Server 2016 or later (64-bit)"),
    ("TPL-RHEL8", "Red Hat Enterprise Linux 8 (64-bit)"),
)
"""Template names in the order each vCenter gets them (so every vCenter has TPL-W2022)."""

ENVIRONMENTS: tuple[tuple[str, float], ...] = (
    ("Prod", 62), ("Test", 20), ("Dev", 10), ("Training", 3), ("DR", 5),
)  # fmt: skip
ROLES_WITH_DATABASE: tuple[tuple[str, float], ...] = (
    ("APP", 45), ("SQL", 25), ("WEB", 20), ("INT", 10),
)  # fmt: skip
ROLES_WITHOUT: tuple[tuple[str, float], ...] = (
    ("APP", 60), ("WEB", 20), ("FS", 10), ("RDS", 10),
)  # fmt: skip
CLUSTER_PURPOSES = ("PROD", "PROD", "DMZ", "MGMT", "PROD", "PROD", "DMZ", "PROD")
"""Purpose of a datacenter's clusters in turn (then PROD)."""

VCPUS: tuple[tuple[int, float], ...] = ((2, 50), (4, 34), (8, 12), (16, 4))
GIB_PER_VCPU: tuple[int, ...] = (2, 2, 4, 4, 4, 8)
HOST_CORES: tuple[int, ...] = (16, 20, 24, 28, 32, 40, 48, 56, 64, 96, 128)
"""Cores of the hosts sold (one or two sockets), smallest first."""
HOST_GIB: tuple[int, ...] = (256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096)
"""Memory of the hosts sold, GiB, smallest first."""
DATASTORE_TIB: tuple[int, ...] = (2, 4, 8, 16, 32)
"""LUN sizes, TiB; a cluster gets at most 24 datastores of the smallest size that allows."""
LOCAL_DATASTORE_GIB: tuple[int, ...] = (232, 446, 893)
"""Boot-disk datastores some hosts have (not in a cluster)."""
