"""One module per `planner` command; importing this package registers them all."""

from planner.cli.commands import bench, check, diff, graph, optimise, report, schema, validate  # noqa: F401
