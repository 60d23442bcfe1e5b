from __future__ import annotations

import numpy as np

from train.baseline import baseline_inputs, fit_baseline

WORDS = {0: "praise wonderful", 1: "condemn terrible", 2: "met visited"}


def toy(n: int) -> tuple[list[str], list[str], np.ndarray]:
    labels = np.arange(n) % 3
    texts = [f"Row {i}: officials {WORDS[int(y)]} the plan." for i, y in enumerate(labels)]
    return texts, ["NATO"] * n, labels


def test_inputs_put_the_target_first():
    assert baseline_inputs(["Text."], [" Russia "]) == ["Russia | Text."]
    assert baseline_inputs(["Text."], [""]) == [" | Text."]


def test_learns_a_separable_task_and_skips_unlabeled_rows():
    texts, targets, y = toy(60)
    noisy = y.copy()
    noisy[:10] = -1  # rows without a label do not train
    model = fit_baseline(texts, targets, {"stance": noisy})
    test_texts, test_targets, test_y = toy(12)
    pred = model.predict(test_texts, test_targets)["stance"]
    assert (pred == test_y).mean() >= 0.9


def test_a_task_with_one_training_class_predicts_it():
    texts, targets, y = toy(9)
    model = fit_baseline(texts, targets, {"stance": y, "type": np.full(9, 4)})
    assert model.predict(["anything"], [""])["type"].tolist() == [4]
