"""Everything one import decided, gathered for the report and the summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.importer.build import Items
from planner.importer.capacity import Capacities
from planner.importer.exports import Export
from planner.importer.groups import Grouping
from planner.importer.mapping import Mapping
from planner.importer.placement import REASONS, Placement
from planner.inventory.items import Inventory


@dataclass
class Outcome:
    """The inputs and every decision of an import."""

    exports: list[Export]
    mapping: Mapping
    base: Inventory
    base_path: str
    placement: Placement
    grouping: Grouping
    capacities: Capacities
    items: Items

    @property
    def vms_read(self) -> int:
        return sum(len(e.vms) for e in self.exports)

    @property
    def skip_counts(self) -> Counter[str]:
        """Skip reason (as the report names it) -> VMs."""
        return Counter(REASONS[s.reason] for s in self.placement.skipped)

    @property
    def rooms_with_capacity(self) -> list[str]:
        """Rooms imported VMs run in that state (or now get) a compute capacity."""
        return [r for r, cap in self.capacities.rooms.items() if cap.stated or cap.computed]

    def summary(self) -> str:
        """One line: VMs read, in workloads, skipped; workloads; rooms with capacity."""
        skipped = self.skip_counts
        why = ", ".join(f"{reason} {n:,}" for reason, n in sorted(skipped.items()))
        return (
            f"{self.vms_read:,} VMs read from {len(self.exports)} export(s): "
            f"{len(self.placement.placed):,} in {len(self.items.workloads):,} workloads, "
            f"{len(self.placement.skipped):,} skipped" + (f" ({why})" if why else "") + "; "
            f"{len(self.rooms_with_capacity)} of {len(self.capacities.rooms)} rooms with "
            "compute capacity"
        )
