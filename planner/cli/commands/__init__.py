"""One module per `planner` command; importing this package registers them all."""

from planner.cli.commands import graph, schema, validate  # noqa: F401
