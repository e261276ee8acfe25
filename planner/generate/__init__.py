"""Random estates of any size that are valid today and shaped like English local government.

:func:`generate` makes an :class:`~planner.inventory.items.Inventory` from a number
of councils and a seed; the same arguments always give the same inventory (one
``random.Random(seed)`` drives every choice, and nothing iterates over a set or
depends on hashing). ``planner generate`` writes it with
:func:`planner.inventory.write.write_yaml`, split by organisation; the inventory is
returned in that split order, so the files load back equal to it.

Councils are grouped into areas: a county with 3-7 districts, or a unitary alone
(about a fifth of the areas are counties, so a little over half of the councils
are in two-tier areas, as in England), spread over England (lat 50.5-54.8, lon
-3.5 to 1.5). Each area has about one candidate colocation hall, and often a
police force and an NHS body in their own zones and networks; the first area
always has both, so even a one-council estate exercises every zone. Councils have
20-60 workloads (mean about 40; counties a little more), police forces 15-40, NHS
bodies 10-30. The numbers are the generator's assumptions, chosen to match
``shared/context.md`` where it gives a figure; each module's docstring gives its own.

Opt-in, ``generate(councils, seed, decisions=True)`` (``planner generate
--decisions``) adds the decisions beyond keep-or-close (spec/decisions.md): in every
area with a police force or NHS body, the lead council's main room or the area's
candidate hall offers accreditation upgrades (``pasf``, ``dspt``) and gets a
candidate secure suite for each partner, linked to the partner's network. They are
drawn from a random stream of their own, so everything else is the same estate
(only the estate's name, the hosts' upgrades, the suites and their links differ).

One job a module:

* :mod:`~planner.generate.estate` -- the order of the steps, and the inventory;
* :mod:`~planner.generate.geography` -- the map, and the areas placed on it;
* :mod:`~planner.generate.organisations` -- councils and partners, their sites, desks;
* :mod:`~planner.generate.rooms` -- existing rooms planned and sized, candidate halls;
* :mod:`~planner.generate.workloads` -- systems, their databases and DR replicas;
* :mod:`~planner.generate.networks` -- networks, zones and the links between HQs;
* :mod:`~planner.generate.decisions` -- upgrades and secure suites (opt-in);
* :mod:`~planner.generate.records` -- the working records and the shared random run;
* :mod:`~planner.generate.catalogues` -- names of towns, providers and systems.
"""

from planner.generate.estate import generate
from planner.generate.geography import LAT_RANGE, LON_RANGE
from planner.generate.records import DR_MIN_DISTANCE_KM, START

__all__ = ["DR_MIN_DISTANCE_KM", "LAT_RANGE", "LON_RANGE", "START", "generate"]
