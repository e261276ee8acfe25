"""One module per `planner` command; importing this package registers them all."""

from planner.cli.commands import (  # noqa: F401
    bench,
    check,
    convert,
    diff,
    explore,
    generate,
    graph,
    import_,
    optimise,
    report,
    schema,
    validate,
)
