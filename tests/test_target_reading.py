from __future__ import annotations

import numpy as np

from train.target_reading import contrast_groups, target_reading

TEXTS = ["NATO is concerned about Russia.", "nato is concerned about  RUSSIA!",
         "NATO is concerned about Russia.", "Other text.", "Other text.", "Third.", "Third.",
         "Third."]
TARGETS = ["Russia", "NATO", "", "Russia", "NATO", "A", "B", "C"]
# support 0, oppose 1, neutral 2; -1: no gold stance
GOLD = np.array([1, 2, 0, 2, 2, 1, 0, -1])


def test_groups_need_two_targets_and_two_gold_stances():
    groups = contrast_groups(TEXTS, TARGETS, GOLD)
    # Rows 0-2 share a text after normalisation (case, punctuation, spaces) and disagree on
    # stance; rows 3-4 agree (neutral twice): no group; row 7 has no gold stance.
    assert sorted(groups) == [[0, 1, 2], [5, 6]]


def test_share_counts_groups_with_every_stance_right():
    groups = contrast_groups(TEXTS, TARGETS, GOLD)
    pred = np.array([1, 2, 0, 0, 0, 1, 1, 0])  # first group all right, row 6 wrong
    assert target_reading(groups, GOLD, pred) == {"groups": 2, "rows": 5, "all_right": 1, "share": 0.5}


def test_no_groups_gives_no_share():
    assert target_reading([], GOLD, GOLD)["share"] is None
