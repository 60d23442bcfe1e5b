"""Train and evaluate variants of one config; print one line of test figures per variant.

    python bench/sweep.py --config configs/default.yaml --out runs/sweep \
        --variant base= \
        --variant e8="--train.epochs=8" \
        --variant no-target-pooling="--model.target_pooling=false" [--parallel 2] [--split test]

Each variant is `claims-train` with the variant's dotted overrides (plus --common ones), then
`claims-eval` on the split. Printed and appended to OUT/results.jsonl per variant: macro-F1 per
task, overall and per language, the baseline's, ECE after calibration, target reading and the
training time. This is how the shipped config was chosen; differences of 1-2 points between
seeds are noise on the 458-row test split, so compare several seeds before believing one.
A script, not a test: each variant is a full training run.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True, help="folder for the runs, reports and results.jsonl")
    p.add_argument("--variant", action="append", required=True, metavar="NAME=OVERRIDES",
                   help='e.g. e8="--train.epochs=8 --train.seed=1"; "base=" for the config as is')
    p.add_argument("--common", default="", help="overrides for every variant")
    p.add_argument("--data", default="data", help="labeled data for claims-eval")
    p.add_argument("--split", default="test")
    p.add_argument("--parallel", type=int, default=1, help="variants trained at once")
    return p.parse_args(argv)


def run_variant(name: str, overrides: list[str], args: argparse.Namespace) -> dict:
    out = Path(args.out)
    model_dir, report_dir = out / "runs" / name, out / "reports" / name
    start = time.time()
    train = [sys.executable, "-m", "train", "--config", args.config, "--output-dir", str(model_dir),
             *shlex.split(args.common), *overrides]
    done = subprocess.run(train, capture_output=True, text=True)
    if done.returncode:
        return {"name": name, "error": "train", "tail": done.stderr[-2000:]}
    seconds = time.time() - start
    evaluate = [sys.executable, "-m", "train.evaluate", "--model", str(model_dir),
                "--data", args.data, "--split", args.split, "--report-dir", str(report_dir)]
    done = subprocess.run(evaluate, capture_output=True, text=True)
    if done.returncode:
        return {"name": name, "error": "eval", "tail": done.stderr[-2000:]}
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {"name": name, "overrides": overrides, "train_s": round(seconds), **figures(report)}


def figures(report: dict) -> dict:
    res = {"target_reading": round(report["target_reading"]["model"]["share"], 3)}
    for task, block in report["tasks"].items():
        model = block["model"]
        res[task] = round(model["macro_f1"], 3)
        res[f"{task}_baseline"] = round(block["baseline"]["macro_f1"], 3)
        res[f"{task}_per_language"] = {k: round(v["macro_f1"], 3)
                                       for k, v in model["per_language"].items()}
        res[f"{task}_ece"] = round(model["calibration"]["ece"], 3)
    return res


def line(res: dict) -> str:
    if "error" in res:
        return f"{res['name']:<24} FAILED in {res['error']}: {res['tail'][-300:]}"
    parts = [f"{res['name']:<24}"]
    for task in (k for k in res if f"{k}_per_language" in res):
        worst = min(res[f"{task}_per_language"].items(), key=lambda kv: kv[1])
        parts.append(f"{task} {res[task]:.3f} (min {worst[0]} {worst[1]:.3f}, "
                     f"ECE {res[f'{task}_ece']:.3f})")
    parts.append(f"target reading {res['target_reading']:.3f}  {res['train_s']} s")
    return "  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    variants = []
    for spec in args.variant:
        name, _, overrides = spec.partition("=")
        if not name or "/" in name:
            raise SystemExit(f"--variant {spec!r}: expected NAME=OVERRIDES")
        variants.append((name, shlex.split(overrides)))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with ThreadPoolExecutor(args.parallel) as pool, \
            (Path(args.out) / "results.jsonl").open("a", encoding="utf-8") as log:
        for res in pool.map(lambda v: run_variant(v[0], v[1], args), variants):
            print(line(res), flush=True)
            log.write(json.dumps(res) + "\n")
            log.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
