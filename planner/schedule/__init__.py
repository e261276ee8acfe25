"""The migration schedule: the month of every move, and when rooms close and open."""

from planner.schedule.cpsat import METHODS, schedule_migration
from planner.schedule.result import Schedule

__all__ = ["METHODS", "Schedule", "schedule_migration"]
