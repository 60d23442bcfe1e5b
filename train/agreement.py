"""Inter-annotator agreement: Cohen's kappa per head between the data and a blind second pass.

    python -m train.agreement data/ data/agreement/second_pass.jsonl

The second pass labels a random sample of claims seeing only the guideline, the text and the
target. Disagreements are listed for adjudication.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

HEADS = ("type", "stance")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_first_pass(folder: Path) -> dict[str, dict]:
    return {row["id"]: row for path in sorted(folder.glob("*.jsonl")) for row in read_jsonl(path)}


def agreement(first: dict[str, dict], second: list[dict]) -> dict:
    missing = [r["id"] for r in second if r["id"] not in first]
    if missing:
        raise KeyError(f"second-pass ids not in the data: {missing[:10]}")
    out = {"n": len(second)}
    for head in HEADS:
        a = [first[r["id"]][head] for r in second]
        b = [r[head] for r in second]
        out[head] = {
            "kappa": float(cohen_kappa_score(a, b)),
            "raw_agreement": sum(x == y for x, y in zip(a, b, strict=True)) / max(len(a), 1),
        }
    out["disagreements"] = [
        {"id": r["id"], "text": first[r["id"]]["text"], "target": first[r["id"]].get("target", ""),
         **{f"{h}_first": first[r["id"]][h] for h in HEADS}, **{f"{h}_second": r[h] for h in HEADS}}
        for r in second if any(first[r["id"]][h] != r[h] for h in HEADS)
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.agreement", description=__doc__.split("\n")[1])
    parser.add_argument("data", help="folder with the labeled split files")
    parser.add_argument("second_pass", help="JSONL with id, type, stance from the blind second pass")
    parser.add_argument("--disagreements", help="write the disagreements to this JSONL file")
    args = parser.parse_args(argv)
    result = agreement(load_first_pass(Path(args.data)), read_jsonl(Path(args.second_pass)))
    for head in HEADS:
        print(f"{head:<7} Cohen's kappa {result[head]['kappa']:.3f}  "
              f"raw agreement {result[head]['raw_agreement']:.1%}  (n={result['n']})")
    print(f"{len(result['disagreements'])} rows disagree on at least one head")
    if args.disagreements:
        with open(args.disagreements, "w", encoding="utf-8") as f:
            for row in result["disagreements"]:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
