"""The label schema: the fixed label strings of ../shared/LABELS.md, shared by train and infer.

The order of each list is the id order of the default heads. It is part of the schema: a trained
model stores its own label lists in its config, so changing this order never breaks old models.
"""

from __future__ import annotations

# Bumped when the meaning of a saved model config changes; a model with a newer version is refused.
SCHEMA_VERSION = 1

TYPES: tuple[str, ...] = (
    "assessment",
    "concern",
    "warning",
    "prediction",
    "plan",
    "call_to_action",
    "accusation",
    "denial",
    "report",
    "non_claim",
)
STANCES: tuple[str, ...] = ("support", "oppose", "neutral")

DEFAULT_TASKS: dict[str, tuple[str, ...]] = {"type": TYPES, "stance": STANCES}
