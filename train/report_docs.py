"""The Markdown section of a document-mode evaluation: segmentation and speakers."""

from __future__ import annotations


def _f3(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head),
            *["| " + " | ".join(r) + " |" for r in rows]]


def _row(name: str, t: dict) -> list[str]:
    s, sp = t["segmentation"], t["speaker"]
    return [name, str(s["gold"]), str(s["predicted"]), str(s["matched"]), _f3(s["precision"]),
            _f3(s["recall"]), _f3(s["f1"]), _f3(sp["accuracy"]), _f3(sp["named"]["accuracy"])]


def _units(title: str, units: list[dict]) -> list[str]:
    if not units:
        return []
    rows = [[u["article"], f"{u['start']}:{u['end']}", " ".join(u["text"].split()).replace("|", "\\|")]
            for u in units]
    return [f"**{title}** (first {len(units)})", "", *_table(["article", "span", "text"], rows), ""]


def document_lines(docs: dict) -> list[str]:
    head = ["", "gold units", "predicted", "matched", "precision", "recall", "F1",
            "speaker accuracy", "speaker accuracy (named)"]
    rows = [_row("all", docs)] + [_row(code, t) for code, t in docs["per_language"].items()]
    per_doc = [[d["name"], d["lang"], str(d["gold"]), str(d["predicted"]), str(d["matched"]),
                _f3(d["f1"]), _f3(d["speaker_accuracy"])] for d in docs["per_document"]]
    return [
        "## Documents", "",
        f"Gold articles: {docs['articles']}. A predicted unit matches a gold unit only on the exact "
        "span; type and stance below are scored on the matched units, with the gold target. "
        "Speaker accuracy is over matched units (empty = narration, matches empty); "
        "'named' counts only units whose gold speaker is named.", "",
        *_table(head, rows), "",
        *_table(["article", "lang", "gold units", "predicted", "matched", "F1", "speaker accuracy"],
                per_doc), "",
        *_units("Missed gold units", docs["missed"]),
        *_units("Spurious predicted units", docs["spurious"]),
    ]
