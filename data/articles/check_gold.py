"""Check the document-level gold set in this folder and print a per-language table.

    python data/articles/check_gold.py          (any Python >= 3.10, no dependencies)

For every `<lang>-<slug>.txt` there must be a `<lang>-<slug>.gold.jsonl` (and the reverse), and:
- each row has exactly the fields unit, start, end, text, type, stance, target, speaker;
- `unit` counts 0, 1, 2, ... and the units are in document order without overlap;
- text[start:end] == row["text"], with no surrounding whitespace and no line break inside;
- the units cover every non-empty line: whatever of a line no unit covers is whitespace;
- type and stance are labels of LABELS.md; a non_claim is neutral with an empty target;
- the article has 150 to 500 words (whitespace-separated tokens);
- the seed article is byte-identical to the Censor.NET item as received.
Exit status 1 and one line per problem when anything fails.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = ("assessment", "concern", "warning", "prediction", "plan", "call_to_action", "accusation",
         "denial", "report", "non_claim")
STANCES = ("support", "oppose", "neutral")
FIELDS = ("unit", "start", "end", "text", "type", "stance", "target", "speaker")
LANGS = {"en": 6, "uk": 6, "ru": 6, "de": 5, "pl": 5}  # language: minimum number of articles
WORDS = (150, 500)
SEED = "en-censor-net-nato-dprk.txt"
SEED_SHA256 = "2cdcb209fed6b1aca0009cf9ef23cb3331285eaf55c6bf3e6b63b6f64bca5794"
NAME = re.compile(r"^(?P<lang>[a-z]{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
ABBREV = {"assessment": "ass", "concern": "con", "warning": "war", "prediction": "pre",
          "plan": "pla", "call_to_action": "cta", "accusation": "acc", "denial": "den",
          "report": "rep", "non_claim": "non"}


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, without its line break."""
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        spans.append((offset, offset + len(content)))
        offset += len(line)
    return spans


def check_article(txt: Path, errors: list[str]) -> tuple[int, list[dict]]:
    text = txt.read_text(encoding="utf-8")
    gold = txt.with_name(txt.name[: -len(".txt")] + ".gold.jsonl")
    where = gold.name
    rows: list[dict] = []
    if not gold.exists():
        errors.append(f"{txt.name}: no gold file {gold.name}")
        return len(text.split()), rows
    for n, raw in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            errors.append(f"{where}:{n}: empty line")
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}:{n}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict) or tuple(row) != FIELDS:
            errors.append(f"{where}:{n}: fields must be {', '.join(FIELDS)} in this order")
            continue
        rows.append(row)

    words = len(text.split())
    if not WORDS[0] <= words <= WORDS[1]:
        errors.append(f"{txt.name}: {words} words, outside {WORDS[0]}-{WORDS[1]}")

    lines = line_spans(text)
    covered = [False] * len(text)
    previous_end = 0
    for i, row in enumerate(rows):
        at = f"{where}: unit {row.get('unit')!r}"
        if row["unit"] != i:
            errors.append(f"{at}: expected unit index {i}")
        start, end, unit_text = row["start"], row["end"], row["text"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            errors.append(f"{at}: bad offsets {start!r}, {end!r}")
            continue
        if start < previous_end:
            errors.append(f"{at}: starts at {start}, before the previous unit ends ({previous_end})")
        previous_end = end
        if text[start:end] != unit_text:
            errors.append(f"{at}: text[{start}:{end}] != text {unit_text!r}")
        if unit_text != unit_text.strip() or "\n" in unit_text or "\r" in unit_text:
            errors.append(f"{at}: unit text has surrounding whitespace or a line break")
        if not any(a <= start and end <= b for a, b in lines):
            errors.append(f"{at}: unit crosses a line boundary")
        for k in range(start, end):
            covered[k] = True
        if row["type"] not in TYPES:
            errors.append(f"{at}: unknown type {row['type']!r}")
        if row["stance"] not in STANCES:
            errors.append(f"{at}: unknown stance {row['stance']!r}")
        for key in ("text", "target", "speaker"):
            if not isinstance(row[key], str):
                errors.append(f"{at}: {key} must be a string")
        if row["type"] == "non_claim" and (row["stance"] != "neutral" or row["target"].strip()):
            errors.append(f"{at}: a non_claim must be neutral with an empty target")

    for number, (a, b) in enumerate(lines, 1):
        missed = "".join(ch for k, ch in enumerate(text[a:b], a) if not covered[k] and not ch.isspace())
        if missed:
            errors.append(f"{txt.name}: line {number}: text not covered by any unit: {missed[:60]!r}")
    return words, rows


def main() -> int:
    errors: list[str] = []
    texts = sorted(p for p in HERE.glob("*.txt"))
    for gold in sorted(HERE.glob("*.gold.jsonl")):
        if not gold.with_name(gold.name[: -len(".gold.jsonl")] + ".txt").exists():
            errors.append(f"{gold.name}: no article {gold.name[: -len('.gold.jsonl')]}.txt")

    seed = HERE / SEED
    if not seed.exists() or hashlib.sha256(seed.read_bytes()).hexdigest() != SEED_SHA256:
        errors.append(f"{SEED}: missing or not byte-identical to the seed article as received")

    per_lang: dict[str, dict] = {lang: {"articles": 0, "words": 0, "units": 0, "types": Counter(),
                                        "stances": Counter()} for lang in LANGS}
    for txt in texts:
        match = NAME.match(txt.name)
        if not match or match.group("lang") not in LANGS:
            errors.append(f"{txt.name}: name must be <lang>-<slug>.txt with lang in {', '.join(LANGS)}")
            continue
        words, rows = check_article(txt, errors)
        stats = per_lang[match.group("lang")]
        stats["articles"] += 1
        stats["words"] += words
        stats["units"] += len(rows)
        stats["types"].update(r["type"] for r in rows)
        stats["stances"].update(r["stance"] for r in rows)

    for lang, minimum in LANGS.items():
        if per_lang[lang]["articles"] < minimum:
            errors.append(f"{lang}: {per_lang[lang]['articles']} articles, at least {minimum} needed")

    head = f"{'lang':4} {'art':>3} {'words':>6} {'units':>5} " + " ".join(
        f"{ABBREV[t]:>3}" for t in TYPES) + f" {'sup':>4} {'opp':>4} {'neu':>4}"
    print(head)
    print("-" * len(head))
    total = {"articles": 0, "words": 0, "units": 0, "types": Counter(), "stances": Counter()}
    for lang in [*LANGS, "all"]:
        s = total if lang == "all" else per_lang[lang]
        if lang == "all":
            print("-" * len(head))
        else:
            for key in ("articles", "words", "units"):
                total[key] += s[key]
            total["types"].update(s["types"])
            total["stances"].update(s["stances"])
        print(f"{lang:4} {s['articles']:>3} {s['words']:>6} {s['units']:>5} "
              + " ".join(f"{s['types'][t]:>3}" for t in TYPES)
              + "".join(f" {s['stances'][st]:>4}" for st in STANCES))
    print("types: " + ", ".join(f"{ABBREV[t]}={t}" for t in TYPES))

    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    print(f"{len(texts)} articles checked: " + ("OK" if not errors else f"{len(errors)} problems"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
