"""Staff accounting: desk and operations FTE before and after, in total, by organisation
(with transfers between organisations, posts removed and added, staff staying local) and
by site (docs/plan-format.md, "Staff accounting")."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

from planner.checker.amounts import num, q
from planner.checker.context import Ctx
from planner.checker.figures import Figures

FTE_TOLERANCE = Fraction(1, 10**9)
"""FTE figures are exact up to the float noise of a JSON number (1e-9 per item)."""

Posts = dict[str, dict[str, Fraction]]
"""Site or organisation -> desk_fte_before/after, ops_fte_before/after -> FTE."""

IDENTITY_KEYS = (
    "desk_fte_before",
    "ops_fte_before",
    "desk_fte_after",
    "ops_fte_after",
    "transfer_out",
    "transfer_in",
    "removed",
    "added",
)
"""The keys of a row the staff identity is checked on, when it has them all."""


def _fte_ok(plan_value: Any, exact: Fraction, items: int) -> bool:
    return abs(q(plan_value) - exact) <= FTE_TOLERANCE * max(items, 1)


def check_staff(ctx: Ctx, f: Figures) -> None:
    inv = ctx.inv
    staff = ctx.plan["staff"]
    open_rooms = {r.id for r in inv.rooms if ctx.room_open_in_plan(r)}
    _check_totals(ctx, f, staff, open_rooms)
    site_posts = _site_posts(ctx, f, open_rooms)
    org_posts: Posts = defaultdict(lambda: defaultdict(Fraction))
    for site, posts in site_posts.items():
        for key, value in posts.items():
            org_posts[ctx.owner_of_site(site)][key] += value
    transfer_out, transfer_in = _transfers(ctx)
    rows = staff.get("by_organisation")
    if isinstance(rows, list):
        _check_organisation_rows(ctx, rows, org_posts, transfer_out, transfer_in)
    sites = staff.get("by_site")
    if isinstance(sites, list):
        _check_site_rows(ctx, sites, site_posts)


def _check_totals(ctx: Ctx, f: Figures, staff: dict[str, Any], open_rooms: set[str]) -> None:
    inv = ctx.inv
    totals = {
        "desk_fte_before": Fraction(sum(f.fte_before.values())),
        "desk_fte_after": Fraction(sum(f.fte_after.values())),
        "ops_fte_before": sum(
            (q(r.ops_fte) for r in inv.rooms if r.status == "existing"), Fraction(0)
        ),
        "ops_fte_after": sum((q(r.ops_fte) for r in inv.rooms if r.id in open_rooms), Fraction(0)),
    }
    for key, exact in totals.items():
        if not _fte_ok(staff[key], exact, len(inv.rooms)):
            ctx.add("staff", (key,), f"staff.{key} is {staff[key]}, recomputed {num(exact)}")


def _site_posts(ctx: Ctx, f: Figures, open_rooms: set[str]) -> Posts:
    """Posts per site: its desks' FTE and its rooms' operations FTE, before and after."""
    site_posts: Posts = defaultdict(lambda: defaultdict(Fraction))
    for d in ctx.inv.service_desks:
        site_posts[d.site]["desk_fte_before"] += f.fte_before[d.id]
        site_posts[d.site]["desk_fte_after"] += f.fte_after[d.id]
    for r in ctx.inv.rooms:
        if r.status == "existing":
            site_posts[r.site]["ops_fte_before"] += q(r.ops_fte)
        if r.id in open_rooms:
            site_posts[r.site]["ops_fte_after"] += q(r.ops_fte)
    return site_posts


def _transfers(ctx: Ctx) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """FTE moving between organisations with the desks' work: out of the owner of an
    organisation's desk today, into the owner of its desk in the plan."""
    inv = ctx.inv
    transfer_out: dict[str, Fraction] = defaultdict(Fraction)
    transfer_in: dict[str, Fraction] = defaultdict(Fraction)
    for o in inv.organisations:
        new = ctx.serves[o.id]
        if new == o.desk or o.desk not in inv.desk:
            continue
        old_owner = ctx.owner_of_site(inv.desk[o.desk].site)
        new_owner = ctx.owner_of_site(inv.desk[new].site)
        if old_owner != new_owner:
            amount = Fraction(o.tickets_per_year) / q(inv.desk[new].tickets_per_fte)
            transfer_out[old_owner] += amount
            transfer_in[new_owner] += amount
    return transfer_out, transfer_in


def _check_organisation_rows(
    ctx: Ctx,
    rows: list[dict[str, Any]],
    org_posts: Posts,
    transfer_out: dict[str, Fraction],
    transfer_in: dict[str, Fraction],
) -> None:
    """staff.by_organisation: one row per organisation, each figure recomputed."""
    inv = ctx.inv
    seen: set[str] = set()
    for row in rows:
        oid = row["id"]
        if oid not in inv.organisation:
            ctx.add("staff", (oid,), f"staff.by_organisation lists '{oid}', not an organisation")
            continue
        if oid in seen:
            ctx.add("staff", (oid,), f"staff.by_organisation lists '{oid}' twice")
            continue
        seen.add(oid)
        posts = org_posts[oid]
        before = posts["desk_fte_before"] + posts["ops_fte_before"]
        after = posts["desk_fte_after"] + posts["ops_fte_after"]
        out, into = transfer_out[oid], transfer_in[oid]
        change = after - before + out - into
        expected = {
            "desk_fte_before": posts["desk_fte_before"],
            "desk_fte_after": posts["desk_fte_after"],
            "ops_fte_before": posts["ops_fte_before"],
            "ops_fte_after": posts["ops_fte_after"],
            "transfer_out": out,
            "transfer_in": into,
            "removed": max(-change, Fraction(0)),
            "added": max(change, Fraction(0)),
            "stay_local": before - out - max(-change, Fraction(0)),
        }
        for key, exact in expected.items():
            if key in row and not _fte_ok(row[key], exact, len(inv.organisations)):
                ctx.add(
                    "staff",
                    (oid, key),
                    f"organisation '{oid}' staff {key} is {row[key]}, recomputed {num(exact)}",
                )
        if all(k in row for k in IDENTITY_KEYS):
            _check_identity(ctx, oid, row)
    for o in inv.organisations:
        if o.id not in seen:
            ctx.add("staff", (o.id,), f"staff.by_organisation has no row for '{o.id}'")


def _check_identity(ctx: Ctx, oid: str, row: dict[str, Any]) -> None:
    """A row adds up on its own figures: after = before - transfer_out + transfer_in -
    removed + added, one of removed and added is zero, stay_local = before - transfer_out -
    removed."""
    b = q(row["desk_fte_before"]) + q(row["ops_fte_before"])
    a = q(row["desk_fte_after"]) + q(row["ops_fte_after"])
    rhs = b - q(row["transfer_out"]) + q(row["transfer_in"]) - q(row["removed"]) + q(row["added"])
    if abs(a - rhs) > FTE_TOLERANCE * 8:
        ctx.add(
            "staff",
            (oid, "identity"),
            f"organisation '{oid}': after {num(a)} != before - transfer_out + "
            f"transfer_in - removed + added = {num(rhs)}",
        )
    if row["removed"] != 0 and row["added"] != 0:
        ctx.add(
            "staff",
            (oid, "identity"),
            f"organisation '{oid}' has both removed {row['removed']} and added "
            f"{row['added']}; one of them is zero",
        )
    if "stay_local" in row:
        local = b - q(row["transfer_out"]) - q(row["removed"])
        if abs(q(row["stay_local"]) - local) > FTE_TOLERANCE * 3:
            ctx.add(
                "staff",
                (oid, "stay_local"),
                f"organisation '{oid}' stay_local {row['stay_local']} != before - "
                f"transfer_out - removed = {num(local)}",
            )


def _check_site_rows(ctx: Ctx, sites: list[dict[str, Any]], site_posts: Posts) -> None:
    """staff.by_site: a row for every site with posts, each figure recomputed."""
    inv = ctx.inv
    seen: set[str] = set()
    for row in sites:
        sid = row["site"]
        if sid not in inv.site:
            ctx.add("staff", (sid,), f"staff.by_site lists '{sid}', not a site")
            continue
        if sid in seen:
            ctx.add("staff", (sid,), f"staff.by_site lists '{sid}' twice")
            continue
        seen.add(sid)
        if "organisation" in row and row["organisation"] != ctx.owner_of_site(sid):
            ctx.add(
                "staff",
                (sid, "organisation"),
                f"site '{sid}' belongs to '{ctx.owner_of_site(sid)}', not '{row['organisation']}'",
            )
        for key in ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after"):
            exact = site_posts.get(sid, {}).get(key, Fraction(0))
            if key in row and not _fte_ok(row[key], exact, len(inv.rooms)):
                ctx.add(
                    "staff",
                    (sid, key),
                    f"site '{sid}' staff {key} is {row[key]}, recomputed {num(exact)}",
                )
    for sid, posts in site_posts.items():
        if sid not in seen and any(posts.values()):
            ctx.add("staff", (sid,), f"staff.by_site has no row for site '{sid}', which has posts")
