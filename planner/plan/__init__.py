"""The plan: from a target estate and its schedule to plan.json, checked and written.

:mod:`~planner.plan.timeline` (the estate month by month),
:mod:`~planner.plan.finance` (years, NPV, partners' shares),
:mod:`~planner.plan.staff` (posts before and after),
:mod:`~planner.plan.reasons` (why each room, move and desk),
:mod:`~planner.plan.explain` (why no plan exists),
:mod:`~planner.plan.budget` (``--time-limit`` split between the stages of a run),
:mod:`~planner.plan.assemble` (the plan.json document) and
:mod:`~planner.plan.write` (the independent check, then every file all or nothing).
"""
