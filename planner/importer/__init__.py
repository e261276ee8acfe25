"""Import what councils already hold: RVTools exports onto a hand-written base estate.

``planner import rvtools`` reads one or more RVTools exports (:mod:`.tables` opens
the files, workbooks with python-calamine, :mod:`.cells` reads a cell, :mod:`.exports` makes
records of the rows) and a mapping file (:mod:`.mapping`) that says which room, zone
and organisation each VM belongs to (:mod:`.rules` matches, :mod:`.placement`
decides or skips), groups the VMs into workloads (:mod:`.groups`), sizes the rooms
from their hosts and datastores (:mod:`.capacity`), chooses users that keep today's
estate valid (:mod:`.users`), builds the inventory items (:mod:`.build`, rounding by
:mod:`.amounts`) and writes them as ``imported.yaml`` (:mod:`.output`) beside a
report (:mod:`.report`) of everything decided (:mod:`.outcome`). :mod:`.run` strings
it together without any I/O to the terminal; :mod:`.template` writes a mapping to
start from. The contract is spec/import.md; docs/import.md is the user's page.

This package sits beside :mod:`planner.generate`: it uses the inventory (models,
loader, validator, graph) and nothing above it; the command line
(:mod:`planner.cli.commands.import_`) writes the files with :mod:`planner.files`.
"""

from planner.importer.run import IMPORTED, REPORT, Request, Result, run_import

__all__ = ["IMPORTED", "REPORT", "Request", "Result", "run_import"]
