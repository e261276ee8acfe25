"""Inventories: the model of an estate, how it is read from files and how it is checked."""
