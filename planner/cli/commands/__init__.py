"""One module per `planner` command; importing this package registers them all."""

from planner.cli.commands import diff, graph, report, schema, validate  # noqa: F401
