"""Temperature scaling makes over-confident scores honest and never changes a label."""

from __future__ import annotations

import numpy as np

from train.calibrate import fit_temperature
from train.metrics import expected_calibration_error, softmax


def overconfident(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Logits that put ~0.99 on the argmax, which is right only ~70% of the time."""
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 3, n)
    guess = np.where(rng.random(n) < 0.7, gold, rng.integers(0, 3, n))
    logits = 6.0 * np.eye(3)[guess] + rng.normal(0, 0.5, (n, 3))
    return logits, gold


def test_temperature_scaling_lowers_ece_on_overconfident_logits():
    fit_logits, fit_gold = overconfident(2000, seed=0)
    test_logits, test_gold = overconfident(2000, seed=1)
    t = fit_temperature(fit_logits, fit_gold)
    assert t > 1.5  # over-confident scores are softened
    before = expected_calibration_error(softmax(test_logits), test_gold)
    after = expected_calibration_error(softmax(test_logits, t), test_gold)
    assert before > 0.15
    assert after < before / 3
    assert (softmax(test_logits, t).argmax(1) == test_logits.argmax(1)).all()


def test_rows_without_labels_are_ignored_and_no_labels_give_one():
    logits, gold = overconfident(500, seed=2)
    masked = gold.copy()
    masked[::2] = -1
    assert fit_temperature(logits, masked) == fit_temperature(logits[1::2], gold[1::2])
    assert fit_temperature(logits, np.full(500, -1)) == 1.0
