"""Score one task from raw logits: metrics overall and per language, confusion, calibration, errors.

Everything derives from one pass of raw logits: the label is the argmax (temperature never
changes it), scores are softmax(logits / T) with the model's fitted T, and ECE is reported both
at T = 1 (what the network itself says) and at the fitted T (what users of `Predictor` see).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from train.metrics import (
    confusion,
    expected_calibration_error,
    reliability_bins,
    softmax,
    task_metrics,
)

if TYPE_CHECKING:
    from train.eval_data import Claims

TOP_ERRORS = 15


def per_language(y: np.ndarray, pred: np.ndarray, labels: list[str], langs: np.ndarray) -> dict:
    return {code: task_metrics(y[langs == code], pred[langs == code], labels)
            for code in sorted(set(langs.tolist()))}


def score_predictions(pred: np.ndarray, gold: np.ndarray, labels: list[str],
                      langs: np.ndarray) -> dict:
    """Metrics of predicted ids against gold ids (-1 = no gold label, left out)."""
    keep = gold >= 0
    y, p = gold[keep], pred[keep]
    out = task_metrics(y, p, labels)
    out["per_language"] = per_language(y, p, labels, langs[keep])
    out["confusion"] = confusion(y, p, len(labels))
    return out


def score_logits(logits: np.ndarray, gold: np.ndarray, labels: list[str], temperature: float,
                 langs: np.ndarray) -> dict:
    """`score_predictions` of the argmax plus ECE and reliability bins before/after scaling."""
    out = score_predictions(logits.argmax(1), gold, labels, langs)
    keep = gold >= 0
    z, y = logits[keep], gold[keep]
    raw, cal = softmax(z), softmax(z, temperature)
    out["calibration"] = {
        "temperature": float(temperature),
        "ece_raw": expected_calibration_error(raw, y),
        "ece": expected_calibration_error(cal, y),
        "bins_raw": reliability_bins(raw, y),
        "bins": reliability_bins(cal, y),
    }
    lang = langs[keep]
    for code, m in out["per_language"].items():
        m["ece"] = expected_calibration_error(cal[lang == code], y[lang == code])
    return out


def difference(model: dict, base: dict) -> dict:
    """Model minus baseline: overall and per language (positive = the model is better)."""
    keys = ("accuracy", "macro_f1", "weighted_f1")
    return {
        **{k: model[k] - base[k] for k in keys},
        "per_language": {code: {k: m[k] - base["per_language"][code][k] for k in keys}
                         for code, m in model["per_language"].items()
                         if code in base["per_language"]},
    }


def top_errors(logits: np.ndarray, gold: np.ndarray, labels: list[str], temperature: float,
               rows: Claims, k: int = TOP_ERRORS) -> list[dict]:
    """The k wrong predictions with the highest calibrated score: the ones a user would trust."""
    probs = softmax(logits, temperature)
    pred = probs.argmax(1)
    wrong = np.flatnonzero((gold >= 0) & (pred != gold))
    order = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:k]
    return [{"id": rows.ids[i], "lang": rows.langs[i], "text": rows.texts[i],
             "target": rows.targets[i], "gold": labels[gold[i]], "predicted": labels[pred[i]],
             "score": float(probs[i, pred[i]])} for i in order]
