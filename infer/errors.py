"""The errors of `claims-infer`, one per exit code.

Reading, writing, the resume checks and the job all raise them, and `infer.cli` turns each into
its exit code; keeping them apart from the steps that raise them lets every step import them
without importing the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infer.readers import Reject


class UsageError(ValueError):
    """Bad options or files found before any work is done (CLI exit code 2)."""


class InputError(ValueError):
    """A bad input record under `on_error="fail"` (CLI exit code 3)."""

    def __init__(self, reject: Reject, source: str):
        self.reject = reject
        super().__init__(f"{reject.source or source}:{reject.line}: {reject.reason}")


class OutputError(RuntimeError):
    """Rows that the output format cannot hold (e.g. a Parquet column that changes type)."""
