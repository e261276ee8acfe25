"""The names a generated estate is made of: town-name parts, colocation providers, and the
council, police and NHS systems its workloads are named after.

Pure data: the order of every tuple is part of the generator's output (the random
stream picks from them by position).
"""

from __future__ import annotations

PREFIXES = (
    "Ash", "Brook", "Thorn", "Wyke", "Elm", "Mar", "Stan", "Ford", "Kel", "Bram",
    "Hal", "Wen", "Oak", "Rad", "Sel", "Tad", "Wal", "Whit", "Ald", "Bur",
    "Chal", "Dun", "Eden", "Fal", "Gran", "Hart", "Ing", "Kirk", "Lang", "Mill",
    "Nor", "Ox", "Pen", "Ray", "Sand", "Tam", "Ul", "Ver", "Wes", "Yar",
    "Ab", "Cran", "Dal", "Fern", "Glen", "Hol", "Lin", "Mere",
)  # fmt: skip
"""First halves of town names."""
SUFFIXES = (
    "ford", "bury", "ham", "ton", "ley", "wick", "field", "by", "worth", "stead",
    "mouth", "minster", "cester", "dale", "well", "hurst", "combe", "thorpe", "gate", "bridge",
    "brook", "wood", "marsh", "mere", "holme",
)  # fmt: skip
"""Second halves of town names."""
DISTRICT_PREFIXES = ("North ", "South ", "East ", "West ", "Mid ", "Upper ", "Vale of ")
"""Put before a district's town name now and then ("Vale of Ashford")."""
PROVIDERS = (
    "Midlands Colocation",
    "Albion Data Centres",
    "Northgate Hosting",
    "Shire Digital Infrastructure",
    "Pennine Data Halls",
    "Wessex Colocation",
)
"""Operators of the candidate colocation halls."""

# Systems: (name, has a database).
COMMON = (
    ("Finance ERP", True),
    ("Payroll and HR", True),
    ("Email and calendar", False),
    ("File and print servers", False),
    ("Active Directory and identity", False),
    ("Document management", True),
    ("Customer relationship management", True),
    ("Intranet", False),
    ("Public website CMS", True),
    ("Telephony and contact centre", False),
    ("Backup and archive", False),
    ("GIS mapping", True),
    ("Business intelligence", True),
    ("Procurement and contracts", False),
    ("Property and asset management", True),
    ("Complaints and FOI", False),
    ("Fleet management", False),
    ("Print and mail room", False),
    ("Remote access gateway", False),
    ("Monitoring and logging", False),
    ("Patch and antivirus management", False),
    ("Document scanning", False),
    ("Payments gateway", True),
    ("Legal case management", False),
    ("Committee management", False),
    ("Building management systems", False),
    ("CCTV recording", False),
    ("Emergency planning", False),
    ("Room and resource booking", False),
    ("Health and safety incidents", False),
)
"""Systems every council runs."""
UPPER_TIER = (
    ("Adult social care case management", True),
    ("Children's services case management", True),
    ("Education management", True),
    ("School admissions", False),
    ("Highways asset management", True),
    ("Libraries management", True),
    ("Public health records", False),
    ("Trading standards", False),
    ("Registrars (births, deaths and marriages)", False),
    ("Pensions administration", True),
    ("Concessionary travel", False),
    ("Archives catalogue", False),
    ("Care provider payments", True),
    ("Special educational needs", False),
)
"""Systems of county and unitary councils."""
LOWER_TIER = (
    ("Revenues and benefits", True),
    ("Planning and building control", True),
    ("Housing management", True),
    ("Homelessness case management", False),
    ("Waste and recycling collection", True),
    ("Licensing", False),
    ("Environmental health", False),
    ("Parking enforcement", True),
    ("Land charges", False),
    ("Electoral registration", True),
    ("Leisure bookings", False),
    ("Cemeteries and crematorium", False),
    ("Street cleansing", False),
    ("Grounds maintenance", False),
)
"""Systems of district and unitary councils."""
POLICE = (
    ("Command and control", True),
    ("Records management system", True),
    ("Custody system", True),
    ("Crime recording", True),
    ("Intelligence system", True),
    ("Digital evidence management", False),
    ("ANPR back office", True),
    ("Case file preparation", False),
    ("Duty management", True),
    ("Firearms licensing", False),
    ("Body-worn video storage", False),
    ("Mobile data", False),
    ("Forensic case management", False),
    ("Police email", False),
    ("Police directory services", False),
    ("Police file servers", False),
    ("Crime analysis", True),
    ("Vetting system", False),
    ("Property and exhibits", False),
    ("Control room telephony", False),
    ("Professional standards", False),
    ("Police HR and payroll", True),
    ("Missing persons", False),
    ("Collision reporting", False),
)
"""Systems of a police force."""
NHS = (
    ("Patient administration system", True),
    ("Electronic patient record", True),
    ("Pathology LIMS", True),
    ("Radiology PACS", True),
    ("E-prescribing", False),
    ("Clinical correspondence", False),
    ("Theatre management", False),
    ("Maternity system", True),
    ("Emergency department system", True),
    ("Community care records", True),
    ("Mental health records", True),
    ("Pharmacy stock", False),
    ("Bed management", False),
    ("Clinical coding", False),
    ("Data warehouse", True),
    ("Staff rostering", False),
    ("Order communications", False),
    ("NHS mail relay", False),
)
"""Systems of an NHS body."""
