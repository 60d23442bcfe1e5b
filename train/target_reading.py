"""Target reading: does the model read the stance toward the *given* target, or just the text?

A contrast group is a set of rows sharing one text (after normalisation) with at least two
distinct targets and at least two distinct gold stances: a model that ignores the target must get
at least one row of every such group wrong. The score is the share of groups whose stances are
all predicted right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from train.validate import normalise


def contrast_groups(texts: Sequence[str], targets: Sequence[str], gold: np.ndarray) -> list[list[int]]:
    """Row indices of each contrast group; rows without a gold stance (-1) are left out."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if gold[i] >= 0:
            by_text[normalise(text)].append(i)
    return [rows for rows in by_text.values()
            if len({normalise(targets[i]) for i in rows}) >= 2 and len({int(gold[i]) for i in rows}) >= 2]


def target_reading(groups: list[list[int]], gold: np.ndarray, pred: np.ndarray) -> dict:
    """groups, rows in them, groups all right and their share (None without groups)."""
    right = sum(all(pred[i] == gold[i] for i in rows) for rows in groups)
    return {"groups": len(groups), "rows": sum(len(rows) for rows in groups), "all_right": right,
            "share": right / len(groups) if groups else None}
