"""The migration schedule: the month of every move, and when rooms close and open."""

from planner.schedule.model import Schedule, Target, schedule_migration

__all__ = ["Schedule", "Target", "schedule_migration"]
