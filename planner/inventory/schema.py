"""JSON Schema of one inventory YAML file (every top-level key optional: files merge)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from planner.inventory.items import Estate, Inventory, Uncertainty

SCHEMA_ID = "https://planner.invalid/schema/inventory-file.json"


def file_schema() -> dict[str, Any]:
    """The schema of a single YAML file of an estate.

    It is the inventory's schema with no required top-level key (the estate
    block lives in one file only, lists are spread over partners' files) and
    no extra top-level keys.
    """
    schema = TypeAdapter(Inventory).json_schema(mode="validation")
    schema["required"] = []
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "planner inventory file"
    schema["description"] = (
        "One YAML file of a planner estate. Files of a directory are merged: lists are "
        "concatenated and exactly one file holds the estate block."
    )
    estate_ref = {"$ref": f"#/$defs/{Estate.__name__}"}
    schema["properties"]["estate"] = estate_ref
    # Absent means the defaults; written, it is a mapping (the loader refuses null).
    schema["properties"]["uncertainty"] = {
        "$ref": f"#/$defs/{Uncertainty.__name__}",
        "description": Inventory.model_fields["uncertainty"].description,
    }
    return schema
