"""planner: choose which machine rooms and service desks a shared ICT service keeps,
where every workload goes, and in what order it moves."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("planner")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
