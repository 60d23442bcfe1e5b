"""Compare the tool's segmenter (infer.segment) with the gold units, for information only.

    .venv/bin/python data/articles/compare_segmenter.py [--speakers]

Prints every place where the tool's units differ from the gold units, as clusters of overlapping
units: "tool splits" (one gold unit, several tool units), "tool merges" (several gold units, one
tool unit) or "differs". The gold follows the rule "one unit per sentence; a headline and each
page-furniture line are one unit"; it is never adjusted to the tool. With --speakers, also lists
the units whose tool speaker does not match the gold speaker (infer.speakers.same_speaker).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def clusters(gold: list[tuple[int, int]], tool: list[tuple[int, int]]):
    """Groups of gold and tool spans that overlap, for spans not shared exactly by both."""
    shared = set(gold) & set(tool)
    g = [s for s in gold if s not in shared]
    t = [s for s in tool if s not in shared]
    spans = sorted([(a, b, "g") for a, b in g] + [(a, b, "t") for a, b in t])
    group: list[tuple[int, int, str]] = []
    end = -1
    for a, b, who in spans:
        if group and a >= end:
            yield group
            group = []
        group.append((a, b, who))
        end = max(end, b)
    if group:
        yield group


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from infer.segment import segment
    from infer.speakers import same_speaker

    show_speakers = "--speakers" in sys.argv[1:]
    n_diff = n_units = n_speaker_ok = 0
    for txt in sorted(HERE.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        gold = [json.loads(line) for line in
                txt.with_name(txt.name[:-4] + ".gold.jsonl").read_text(encoding="utf-8").splitlines()]
        units = segment(text)
        gold_spans = [(r["start"], r["end"]) for r in gold]
        tool_spans = [(u.start, u.end) for u in units]
        for group in clusters(gold_spans, tool_spans):
            n_g = sum(1 for *_, who in group if who == "g")
            n_t = len(group) - n_g
            kind = ("tool splits" if n_g == 1 and n_t > 1 else
                    "tool merges" if n_t == 1 and n_g > 1 else "differs")
            n_diff += 1
            print(f"{txt.name}: {kind}")
            for a, b, who in group:
                print(f"    {'gold' if who == 'g' else 'tool'} [{a}:{b}] {text[a:b]!r}")
        by_span = {(u.start, u.end): u for u in units}
        for r in gold:
            unit = by_span.get((r["start"], r["end"]))
            if unit is None:
                continue
            n_units += 1
            if same_speaker(unit.speaker, r["speaker"]):
                n_speaker_ok += 1
            elif show_speakers:
                print(f"{txt.name}: unit {r['unit']}: speaker gold {r['speaker']!r} "
                      f"tool {unit.speaker!r}: {r['text'][:70]!r}")
    print(f"{n_diff} segmentation disagreements; speakers agree on {n_speaker_ok} of {n_units} "
          "units segmented alike")
    return 0


if __name__ == "__main__":
    sys.exit(main())
