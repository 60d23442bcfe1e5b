"""Classification metrics shared by training (model selection, model card) and evaluation."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


def task_metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict:
    """Accuracy, macro/weighted F1 and per-class P/R/F1/support over label ids 0..k-1."""
    ids = list(range(len(labels)))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=ids, zero_division=0)
    present = [i for i in ids if s[i] > 0]  # macro over classes that occur in the gold data
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)) if len(y_true) else 0.0,
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))
        if present else 0.0,
        "weighted_f1": float(f1_score(y_true, y_pred, labels=ids, average="weighted", zero_division=0))
        if len(y_true) else 0.0,
        "per_class": {
            labels[i]: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                        "support": int(s[i])}
            for i in ids
        },
    }


def reliability_bins(probs: np.ndarray, y_true: np.ndarray, n_bins: int = 15) -> list[dict]:
    """Equal-width bins of top-class confidence: count, mean confidence and accuracy per bin.

    A bin spans (lo, hi]; the first also takes confidence 0. Empty bins are kept (count 0) so a
    reliability diagram has a fixed x axis."""
    conf = probs.max(axis=1) if len(y_true) else np.zeros(0)
    correct = probs.argmax(axis=1) == y_true if len(y_true) else np.zeros(0, dtype=bool)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, n_bins - 1)
    out = []
    for b in range(n_bins):
        in_bin = bins == b
        n = int(in_bin.sum())
        out.append({"lo": float(edges[b]), "hi": float(edges[b + 1]), "count": n,
                    "confidence": float(conf[in_bin].mean()) if n else 0.0,
                    "accuracy": float(correct[in_bin].mean()) if n else 0.0})
    return out


def expected_calibration_error(probs: np.ndarray, y_true: np.ndarray, n_bins: int = 15) -> float:
    """ECE of the top-class confidence: the support-weighted gap between confidence and accuracy."""
    if len(y_true) == 0:
        return 0.0
    bins = reliability_bins(probs, y_true, n_bins)
    return float(sum(b["count"] * abs(b["accuracy"] - b["confidence"]) for b in bins) / len(y_true))


def confusion(y_true: np.ndarray, y_pred: np.ndarray, n_labels: int) -> list[list[int]]:
    """Counts: rows are gold label ids, columns predicted ids (all labels, even unseen ones)."""
    if len(y_true) == 0:
        return [[0] * n_labels for _ in range(n_labels)]
    return confusion_matrix(y_true, y_pred, labels=list(range(n_labels))).tolist()


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
