"""Write an evaluation result as report.md (people), report.json (machines) and PNG figures.

The Markdown is rendered from the same dict that goes into report.json, so the two never
disagree. Tables are plain pipe tables (GitHub and terminals); confusion matrices are also
fixed-width text blocks, readable without any renderer.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from train import plots
from train.report_docs import document_lines

logger = logging.getLogger(__name__)

MAX_TEXT = 160


def write_report(result: dict, out_dir: Path) -> Path:
    """Figures, report.json and report.md into `out_dir`; returns the Markdown path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = {}
    for task, t in result["tasks"].items():
        m = t["model"]
        figures[f"confusion-{task}"] = plots.confusion_png(
            m["confusion"], t["labels"], out_dir / f"confusion-{task}.png", f"{task}: confusion").name
        cal = m["calibration"]
        figures[f"reliability-{task}"] = plots.reliability_png(
            cal["bins_raw"], cal["bins"], out_dir / f"reliability-{task}.png",
            f"{task}: reliability", cal["temperature"]).name
    result["figures"] = figures
    (out_dir / "report.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False, default=_plain) + "\n", encoding="utf-8")
    md = out_dir / "report.md"
    md.write_text(markdown(result), encoding="utf-8")
    logger.info("report written to %s", out_dir)
    return md


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def f3(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def signed(x: float | None) -> str:
    return "–" if x is None else f"{x:+.3f}"


def cell(text: str) -> str:
    """Table-safe text: one line, pipes escaped, long texts cut."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head),
            *["| " + " | ".join(r) + " |" for r in rows]]


def markdown(result: dict) -> str:
    lines = [f"# Evaluation: `{Path(result['model']).name}` on {result['data']}", ""]
    lines += [f"- model: `{result['model']}`", f"- data: `{result['data']}` ({result['rows']} {_unit(result)})",
              f"- created: {result['created']}",
              "- calibration temperatures (fitted on validation in training): "
              + ", ".join(f"{t} {v:.3f}" for t, v in result["temperatures"].items()),
              f"- baseline: {_baseline_note(result['baseline'])}", ""]
    lines += ["## Summary", "", *summary_table(result), ""]
    lines += _target_lines(result.get("target_reading"))
    if "documents" in result:
        lines += document_lines(result["documents"])
    for task, t in result["tasks"].items():
        lines += task_lines(task, t, result["figures"])
    lines += ["## How to read this report", "", *READING_NOTES, ""]
    return "\n".join(lines)


def _unit(result: dict) -> str:
    return "matched gold units" if result["mode"] == "documents" else "rows"


def _baseline_note(info: dict) -> str:
    if "skipped" in info:
        return f"none ({info['skipped']})"
    return f"{info['description']}; trained on `{info['train']}` ({info['rows']} rows)"


def summary_table(result: dict) -> list[str]:
    rows = []
    for task, t in result["tasks"].items():
        m, b, d = t["model"], t.get("baseline"), t.get("difference")
        cal = m["calibration"]
        rows.append([task, str(m["n"]), f3(m["accuracy"]), f3(m["macro_f1"]), f3(m["weighted_f1"]),
                     f3(b and b["macro_f1"]), signed(d and d["macro_f1"]),
                     f3(cal["ece_raw"]), f3(cal["ece"])])
    return table(["task", "n", "accuracy", "macro-F1", "weighted F1", "baseline macro-F1",
                  "Δ macro-F1", "ECE (T = 1)", "ECE (fitted T)"], rows)


def _target_lines(tr: dict | None) -> list[str]:
    if not tr:
        return []
    m, b = tr["model"], tr.get("baseline")
    lines = ["## Target reading", ""]
    if not m["groups"]:
        return [*lines, "No contrast groups (one text, >= 2 targets, >= 2 gold stances) in this data.", ""]
    rows = [["model", str(m["groups"]), str(m["rows"]), str(m["all_right"]), f3(m["share"])]]
    if b:
        rows.append(["baseline", str(b["groups"]), str(b["rows"]), str(b["all_right"]), f3(b["share"])])
    return [*lines, *table(["", "groups", "rows", "groups all right", "share"], rows), ""]


def task_lines(task: str, t: dict, figures: dict) -> list[str]:
    m, b, d = t["model"], t.get("baseline"), t.get("difference")
    labels = t["labels"]
    lines = [f"## Task `{task}`", "", "### Per class", ""]
    predicted = dict(zip(labels, np.asarray(m["confusion"]).sum(axis=0).tolist(), strict=True))
    # Classes neither in the gold data nor predicted would only add rows of zeros.
    lines += table(["label", "precision", "recall", "F1", "support", "predicted", "baseline F1"],
                   [[lab, f3(c["precision"]), f3(c["recall"]), f3(c["f1"]), str(c["support"]),
                     str(predicted[lab]), f3(b and b["per_class"][lab]["f1"])]
                    for lab, c in m["per_class"].items() if c["support"] or predicted[lab]])
    lines += ["", "### Per language", ""]
    lines += table(["lang", "n", "accuracy", "macro-F1", "weighted F1", "ECE", "baseline macro-F1",
                    "Δ macro-F1"],
                   [[code, str(x["n"]), f3(x["accuracy"]), f3(x["macro_f1"]), f3(x["weighted_f1"]),
                     f3(x["ece"]), f3(b and b["per_language"][code]["macro_f1"]),
                     signed(d and d["per_language"].get(code, {}).get("macro_f1"))]
                    for code, x in m["per_language"].items()])
    lines += ["", "<details><summary>Per class, per language</summary>", ""]
    for code, x in m["per_language"].items():
        lines += [f"**{code}**", "", *table(["label", "precision", "recall", "F1", "support"], [
            [lab, f3(c["precision"]), f3(c["recall"]), f3(c["f1"]), str(c["support"])]
            for lab, c in x["per_class"].items() if c["support"]]), ""]
    lines += ["</details>", "", "### Confusion matrix", "", *confusion_text(m["confusion"], labels),
              "", f"![{task} confusion matrix]({figures[f'confusion-{task}']})", ""]
    cal = m["calibration"]
    lines += ["### Calibration", "",
              f"ECE {f3(cal['ece_raw'])} at T = 1, {f3(cal['ece'])} at the fitted "
              f"T = {cal['temperature']:.3f}.", "",
              f"![{task} reliability diagram]({figures[f'reliability-{task}']})", ""]
    lines += [f"### Most confident mistakes (top {len(t['errors'])})", ""]
    lines += table(["#", "score", "gold", "predicted", "target", "lang", "text"],
                   [[str(i), f3(e["score"]), e["gold"], e["predicted"], cell(e["target"]) or "–",
                     e["lang"], cell(e["text"])] for i, e in enumerate(t["errors"], 1)]) \
        if t["errors"] else ["No mistakes."]
    return [*lines, ""]


def short_names(labels: list[str], min_len: int = 5) -> list[str]:
    """The shortest prefixes (>= min_len) that keep the labels apart, for narrow columns."""
    for k in range(min_len, max(map(len, labels)) + 1):
        names = [lab[:k] for lab in labels]
        if len(set(names)) == len(names):
            return names
    return list(labels)


def confusion_text(matrix: list[list[int]], labels: list[str]) -> list[str]:
    """Fixed-width matrix: rows gold, columns predicted (label prefixes)."""
    heads = short_names(labels)
    width = max(max(map(len, heads)), len(str(max(max(r) for r in matrix))))
    first = max(len("gold \\ predicted"), *map(len, labels))
    out = ["```", "gold \\ predicted".ljust(first) + " " + " ".join(h.rjust(width) for h in heads)]
    out += [lab.ljust(first) + " " + " ".join(str(n).rjust(width) for n in row)
            for lab, row in zip(labels, matrix, strict=True)]
    return [*out, "```"]


READING_NOTES = [
    "- **macro-F1** averages F1 over the classes present in the gold data, so rare speech acts "
    "count as much as `report`; **weighted F1** weights by support.",
    "- **ECE** (expected calibration error, 15 equal-width bins) is the average gap between the "
    "model's confidence and its accuracy. 0.05 means: scores are off by about 5 points on "
    "average. `T = 1` is the raw network; the fitted `T` is what `Predictor` scores use. In the "
    "reliability diagram, points below the diagonal are over-confident.",
    "- **Baseline**: TF-IDF character n-grams + logistic regression trained on the same training "
    "split; **Δ** is model minus baseline (positive: the model is better).",
    "- **Target reading**: among texts labeled with several targets and different stances, the "
    "share whose stances are all right. A model that ignores the target scores 0 here.",
    "- **Most confident mistakes** are sorted by the calibrated score of the wrong label: these "
    "are the errors a user would believe; check them for label noise as well as model errors.",
]


def summary(result: dict, md_path: Path) -> str:
    """A few lines for stdout."""
    lines = []
    for task, t in result["tasks"].items():
        m, b, d = t["model"], t.get("baseline"), t.get("difference")
        cal = m["calibration"]
        base = f" | baseline {f3(b['macro_f1'])} ({signed(d['macro_f1'])})" if b else ""
        lines.append(f"{task:<8} n={m['n']:<5} accuracy {f3(m['accuracy'])}  macro-F1 "
                     f"{f3(m['macro_f1'])}{base} | ECE {f3(cal['ece_raw'])} -> {f3(cal['ece'])}")
    tr = result.get("target_reading")
    if tr and tr["model"]["groups"]:
        m = tr["model"]
        lines.append(f"target reading: {m['all_right']}/{m['groups']} groups all right ({f3(m['share'])})")
    if docs := result.get("documents"):
        s = docs["segmentation"]
        lines.append(f"segmentation P {f3(s['precision'])} R {f3(s['recall'])} F1 {f3(s['f1'])}; "
                     f"speaker accuracy {f3(docs['speaker']['accuracy'])}")
    lines.append(f"report: {md_path}")
    return "\n".join(lines)
