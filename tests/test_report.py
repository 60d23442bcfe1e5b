"""Report writing from a result dict built with the real scoring functions (no model needed)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np

from infer.labels import TYPES
from train.report import cell, confusion_text, markdown, short_names, summary, write_report
from train.scoring import difference, score_logits, score_predictions, top_errors
from train.target_reading import target_reading

LABELS = ["support", "oppose", "neutral"]


def result() -> dict:
    rng = np.random.default_rng(0)
    n = 30
    gold = np.arange(n) % 3
    logits = rng.normal(0, 1, (n, 3)) + 2.0 * np.eye(3)[gold]
    langs = np.array(["en", "uk"] * (n // 2), dtype=object)
    claims = SimpleNamespace(texts=[f"claim {i} | with a pipe" for i in range(n)], targets=["NATO"] * n,
                    langs=list(langs), ids=[str(i) for i in range(n)],
                    labels={"stance": [LABELS[g] for g in gold]})
    model = score_logits(logits, gold, LABELS, 1.3, langs)
    base = score_predictions(np.roll(gold, 1), gold, LABELS, langs)
    return {"model": "/runs/m", "data": "data/", "split": "test", "mode": "claims", "rows": n,
            "created": "2026-01-01T00:00:00+00:00", "temperatures": {"stance": 1.3},
            "baseline": {"description": "tfidf", "train": "data/train.jsonl", "rows": 100},
            "tasks": {"stance": {"labels": LABELS, "model": model, "baseline": base,
                                 "difference": difference(model, base),
                                 "errors": top_errors(logits, gold, LABELS, 1.3, claims)}},
            "target_reading": {"model": target_reading([[0, 1]], gold, gold), "baseline": None}}


def test_write_report_writes_markdown_json_and_figures(tmp_path):
    res = result()
    md = write_report(res, tmp_path / "out")
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert files == {"report.md", "report.json", "confusion-stance.png", "reliability-stance.png"}
    for png in ("confusion-stance.png", "reliability-stance.png"):
        assert (tmp_path / "out" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["tasks"]["stance"]["model"]["calibration"]["temperature"] == 1.3
    assert data["figures"]["confusion-stance"] == "confusion-stance.png"
    text = md.read_text()
    assert "![stance confusion matrix](confusion-stance.png)" in text
    assert "![stance reliability diagram](reliability-stance.png)" in text
    assert "| stance | 30 |" in text and "## Target reading" in text
    assert "claim 0 \\| with a pipe" in text or "\\| with a pipe" in text  # pipes escaped in tables
    assert "report:" in summary(res, md)


def test_markdown_without_baseline_says_why():
    res = result()
    res["baseline"] = {"skipped": "--no-baseline"}
    for t in res["tasks"].values():
        t.pop("baseline"), t.pop("difference")
    res["figures"] = {"confusion-stance": "c.png", "reliability-stance": "r.png"}
    text = markdown(res)
    assert "baseline: none (--no-baseline)" in text
    assert "| stance | 30 |" in text


def test_confusion_text_is_aligned_with_unique_short_headers():
    names = short_names(list(TYPES))
    assert len(set(names)) == len(TYPES) and max(map(len, names)) == 5
    lines = confusion_text([[12, 0, 1], [0, 3, 0], [100, 0, 7]], LABELS)
    assert lines[0] == lines[-1] == "```"
    assert len({len(line) for line in lines[1:-1]}) == 1  # a fixed-width block
    assert lines[4].split() == ["neutral", "100", "0", "7"]


def test_cell_is_one_line_and_cut():
    assert cell("a |\nb") == "a \\| b"
    assert len(cell("x" * 500)) == 160
