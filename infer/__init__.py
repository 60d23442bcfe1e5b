"""claimstance inference: load a trained claim model and predict type and stance.

This package is the lean serving install: it never imports `train`, `datasets` or scikit-learn.
"""

from __future__ import annotations

from infer.labels import DEFAULT_TASKS, SCHEMA_VERSION, STANCES, TYPES
from infer.model import ClaimConfig, ClaimModel

__all__ = [
    "DEFAULT_TASKS",
    "SCHEMA_VERSION",
    "STANCES",
    "TYPES",
    "ClaimConfig",
    "ClaimModel",
    "Predictor",
]


def __getattr__(name: str):
    # Predictor pulls in tqdm and the tokenizer stack; import it lazily, only when asked for.
    if name == "Predictor":
        from infer.predict import Predictor

        return Predictor
    raise AttributeError(name)
