"""The solver core: a council-agnostic facility-location problem, its CP-SAT model,
the solve loop and infeasibility cores."""
