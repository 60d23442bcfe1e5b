"""Split labeled claims into train / validation / test, stratified by language and type.

Rows that must stay together travel as one unit: rows sharing one text (contrast groups, whose
targets differ) and rows sharing a `group` (a text and its translations). Deterministic per seed.

    python -m train.split SOURCE_FILES... --out data/ [--seed 13]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from train.validate import normalise

SPLITS = ("train", "validation", "test")
TEST_SHARE = VALIDATION_SHARE = 0.1


def units_of(rows: list[dict]) -> list[list[dict]]:
    """Union of rows linked by the same normalised text or the same `group` id."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        keys = ["t:" + normalise(row["text"])] + (["g:" + row["group"]] if row.get("group") else [])
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    units = defaultdict(list)
    for i, row in enumerate(rows):
        units[find(i)].append(row)
    return list(units.values())


def drop_duplicates(rows: list[dict]) -> tuple[list[dict], int]:
    """Keep the first row of each (normalised text, normalised target)."""
    seen, kept = set(), []
    for row in rows:
        key = (normalise(row["text"]), normalise(row.get("target") or ""))
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept, len(rows) - len(kept)


def split_rows(rows: list[dict], seed: int = 13) -> dict[str, list[dict]]:
    strata = defaultdict(list)
    for unit in units_of(rows):
        strata[(unit[0]["lang"], unit[0]["type"])].append(unit)
    rng = random.Random(seed)
    out = {name: [] for name in SPLITS}
    for key in sorted(strata):
        units = strata[key]
        rng.shuffle(units)
        total = sum(len(u) for u in units)
        done = 0
        for unit in units:
            # Walk the shuffled units: the first tenth (by rows, at each unit's midpoint) goes to
            # test, the next tenth to validation, the rest to train.
            mid = (done + len(unit) / 2) / total
            name = "test" if mid < TEST_SHARE else "validation" if mid < TEST_SHARE + VALIDATION_SHARE else "train"
            out[name].extend(unit)
            done += len(unit)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.split", description=__doc__.split("\n")[0])
    parser.add_argument("sources", nargs="+", help="JSONL files of labeled claims")
    parser.add_argument("--out", required=True, help="folder for train/validation/test.jsonl")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for src in args.sources
            for line in Path(src).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows, dropped = drop_duplicates(rows)
    print(f"{len(rows)} rows ({dropped} exact duplicates dropped)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, part in split_rows(rows, args.seed).items():
        part.sort(key=lambda r: r["id"])
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for row in part:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(part)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
