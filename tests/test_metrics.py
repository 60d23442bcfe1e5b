"""Metrics against numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from train.metrics import confusion, expected_calibration_error, reliability_bins, task_metrics
from train.scoring import score_logits

LABELS = ["a", "b", "c", "d"]  # "d" never occurs: it must not drag macro-F1 down
GOLD = np.array([0, 0, 0, 1, 1, 2])
PRED = np.array([0, 0, 1, 1, 2, 2])


def test_task_metrics_match_a_hand_computed_example():
    # a: TP 2, FP 0, FN 1 -> P 1, R 2/3, F1 0.8 (support 3)
    # b: TP 1, FP 1, FN 1 -> P 1/2, R 1/2, F1 0.5 (support 2)
    # c: TP 1, FP 1, FN 0 -> P 1/2, R 1, F1 2/3 (support 1)
    m = task_metrics(GOLD, PRED, LABELS)
    assert m["n"] == 6
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert m["weighted_f1"] == pytest.approx((3 * 0.8 + 2 * 0.5 + 1 * 2 / 3) / 6)
    a, b, c, d = (m["per_class"][k] for k in LABELS)
    assert (a["precision"], a["recall"], a["f1"], a["support"]) == pytest.approx((1, 2 / 3, 0.8, 3))
    assert (b["precision"], b["recall"], b["f1"], b["support"]) == pytest.approx((0.5, 0.5, 0.5, 2))
    assert (c["precision"], c["recall"], c["f1"], c["support"]) == pytest.approx((0.5, 1, 2 / 3, 1))
    assert d["support"] == 0


def test_confusion_rows_are_gold_columns_predicted():
    assert confusion(GOLD, PRED, 4) == [[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]]


def test_score_logits_splits_by_language_and_skips_rows_without_gold():
    logits = np.eye(4)[np.append(PRED, 3)] * 3.0  # argmax = PRED, plus one unlabeled row
    gold = np.append(GOLD, -1)
    langs = np.array(["en", "en", "uk", "uk", "uk", "en", "de"], dtype=object)
    out = score_logits(logits, gold, LABELS, 1.0, langs)
    assert out["n"] == 6 and out["accuracy"] == pytest.approx(4 / 6)
    assert set(out["per_language"]) == {"en", "uk"}  # "de" has no gold label
    # en: rows 0, 1, 5 -> gold a a c, pred a a c: all right; uk: rows 2, 3, 4 -> 1 of 3 right.
    assert out["per_language"]["en"]["accuracy"] == 1.0
    assert out["per_language"]["uk"]["accuracy"] == pytest.approx(1 / 3)
    assert out["confusion"][0] == [2, 1, 0, 0]


def test_ece_matches_a_hand_computed_example():
    probs = np.array([[0.9, 0.1], [0.1, 0.9], [0.7, 0.3], [0.3, 0.7], [0.7, 0.3]])
    gold = np.array([0, 0, 0, 1, 1])
    # 5 bins: (0.8, 1] holds conf 0.9 twice with 1 of 2 right: gap |0.5 - 0.9| = 0.4, weight 2/5;
    # (0.6, 0.8] holds conf 0.7 three times with 2 of 3 right: gap |2/3 - 0.7| = 1/30, weight 3/5.
    assert expected_calibration_error(probs, gold, n_bins=5) == pytest.approx(0.4 * 0.4 + 0.6 / 30)
    bins = reliability_bins(probs, gold, n_bins=5)
    assert [b["count"] for b in bins] == [0, 0, 0, 3, 2]
    assert bins[4]["accuracy"] == 0.5 and bins[4]["confidence"] == pytest.approx(0.9)


def test_ece_of_empty_input_is_zero():
    assert expected_calibration_error(np.zeros((0, 3)), np.zeros(0, dtype=int)) == 0.0
