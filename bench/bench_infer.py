"""Inference benchmark: claims/s of several ways to run one model, int8 quality, streaming memory.

    python bench/bench_infer.py --model runs/default [--data data/test.jsonl] [--n 2000]
                                [--threads 2] [--stream-lines 100000] [--json-out bench.json]

On the same model and the same claims, in one process:
  (a) one claim at a time        Predictor.predict([claim]) per claim
  (b) fixed batches of 32        tokenise + pad 32 claims in input order, forward, softmax
  (c) claimstance fp32           Predictor.predict(all claims): length-sorted, token-budget batches
  (d) claimstance int8           the same with quantize="int8" (after a warm-up that compiles)
  (e) fp32 forward only          model(**batch) on (c)'s pre-tokenised batches: the ceiling for (c)
  (f) int8 forward only          the same for the int8 model, on its own (smaller) batches
Each is run --repeats times, interleaved so that noise from other jobs hits all alike; the table
shows the best run (the median is in the JSON). Quality: macro-F1 of fp32 and int8 against the
gold labels, per task and per language, and int8's agreement with fp32. Memory: max RSS of a
`claims-infer` child process on a --stream-lines JSONL file made by repeating the claims.
This is a script, not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from infer.inputs import encode_for, pad  # noqa: E402
from infer.predict import Predictor  # noqa: E402

SPLITS = ("test", "validation", "train")
# (name, numerator, denominator, minimum ratio)
FLOORS = [("c >= 1.8 a", "c", "a", 1.8), ("c >= 1.3 b", "c", "b", 1.3),
          ("c >= 0.9 e", "c", "e", 0.9), ("d >= 2.5 c", "d", "c", 2.5)]
MAX_RSS_MB = 1536
MAX_F1_DROP = 1.0  # points of macro-F1, per task
LABELS = {"a": "one claim at a time", "b": "fixed batches of 32", "c": "claimstance fp32",
          "d": "claimstance int8", "e": "fp32 forward only", "f": "int8 forward only"}


# ---------------------------------------------------------------- data

def data_files(data: str | None) -> list[Path]:
    """--data as given; else the final splits in data/; else the raw rows in data/raw/."""
    if data:
        return [Path(data)]
    splits = [ROOT / "data" / f"{s}.jsonl" for s in SPLITS]
    if any(p.is_file() for p in splits):
        return [p for p in splits if p.is_file()]
    return sorted((ROOT / "data" / "raw").glob("*.jsonl"))


def load_rows(files: list[Path], n: int, seed: int = 0) -> list[dict]:
    """n claims with text, drawn without replacement (a fixed shuffle mixes the languages)."""
    rows = []
    for path in files:
        with path.open(encoding="utf-8") as f:
            rows += [r for r in map(json.loads, filter(str.strip, f)) if r.get("text")]
    if not rows:
        raise SystemExit(f"no claims found in {', '.join(map(str, files))}")
    random.Random(seed).shuffle(rows)
    return rows[:n]


# ---------------------------------------------------------------- the ways to predict

def one_at_a_time(pred: Predictor, texts: list[str], targets: list[str | None]) -> None:
    for text, target in zip(texts, targets, strict=True):
        pred.predict([text], [target])


def fixed_batches(pred: Predictor, texts: list[str], targets: list[str | None],
                  size: int = 32) -> None:
    """The usual loop: batches in input order, each padded to its own longest claim."""
    cfg = pred.config
    with torch.inference_mode():
        for start in range(0, len(texts), size):
            items = encode_for(cfg, pred.tokenizer, texts[start:start + size],
                               targets[start:start + size])
            feats = [{k: v for k, v in it.items() if k != "truncated"} for it in items]
            inputs = pad(pred.tokenizer, feats)
            for z in pred.model(**inputs).logits:
                torch.softmax(z, dim=-1).argmax(-1).tolist()


def forward_only(pred: Predictor, batches: list) -> Callable[[], None]:
    def run() -> None:
        with torch.inference_mode():
            for batch in batches:
                pred.model(**batch.inputs)
    return run


def labels_of(preds: list[dict], tasks: list[str]) -> dict[str, list[str]]:
    return {t: [p[t]["label"] for p in preds] for t in tasks}


# ---------------------------------------------------------------- timing

def time_modes(modes: dict[str, tuple[Callable[[], None], int]],
               repeats: int) -> dict[str, dict]:
    """claims/s of each (run, claim count); repeats interleaved so a busy spell slows all alike."""
    runs: dict[str, list[float]] = {k: [] for k in modes}
    for r in range(repeats):
        for key, (fn, n) in modes.items():
            start = time.perf_counter()
            fn()
            runs[key].append(n / (time.perf_counter() - start))
            print(f"  repeat {r + 1}/{repeats} ({key}) {LABELS[key]}: {runs[key][-1]:.1f} claims/s",
                  file=sys.stderr, flush=True)
    return {k: {"best": max(v), "median": statistics.median(v), "runs": v} for k, v in runs.items()}


# ---------------------------------------------------------------- quality

def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 in points over the labels that occur in `gold` (as train.metrics does)."""
    g, p = np.asarray(gold), np.asarray(pred)
    scores = []
    for label in sorted(set(gold)):
        tp = np.sum((p == label) & (g == label))
        fp = np.sum((p == label) & (g != label))
        fn = np.sum((p != label) & (g == label))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return 100.0 * float(np.mean(scores)) if scores else float("nan")


def quality(rows: list[dict], fp32: dict[str, list[str]], int8: dict[str, list[str]]) -> dict:
    """Per task, overall and per language: fp32 and int8 macro-F1 vs gold, int8 vs fp32."""
    out: dict = {}
    langs = sorted({r.get("lang") or "?" for r in rows})
    for task in fp32:
        groups = {"all": list(range(len(rows)))}
        groups |= {lang: [i for i, r in enumerate(rows) if (r.get("lang") or "?") == lang]
                   for lang in langs}
        out[task] = {name: _group_quality(rows, task, idx, fp32[task], int8[task])
                     for name, idx in groups.items() if idx}
    return out


def _group_quality(rows, task, idx, fp32, int8) -> dict:
    pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
    res = {"n": len(idx),
           "agreement": float(np.mean([fp32[i] == int8[i] for i in idx])),
           "f1_int8_vs_fp32": macro_f1(pick(fp32), pick(int8))}
    gold_idx = [i for i in idx if rows[i].get(task)]
    if gold_idx:
        gold = [rows[i][task] for i in gold_idx]
        res["f1_fp32"] = macro_f1(gold, [fp32[i] for i in gold_idx])
        res["f1_int8"] = macro_f1(gold, [int8[i] for i in gold_idx])
        res["f1_drop"] = res["f1_fp32"] - res["f1_int8"]
    return res


# ---------------------------------------------------------------- memory

def claims_infer_command() -> list[str] | None:
    """`claims-infer` from this venv, else `python -m infer`; None while the CLI is not written."""
    if not (ROOT / "infer" / "cli.py").is_file():
        return None
    exe = Path(sys.executable).with_name("claims-infer")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("claims-infer")
    return [found] if found else [sys.executable, "-m", "infer"]


def stream_memory(model: str, rows: list[dict], lines: int, threads: int,
                  extra: list[str]) -> dict:
    """Peak RSS of claims-infer on a `lines`-line JSONL made by repeating `rows`."""
    cmd = claims_infer_command()
    if cmd is None:
        print("memory: skipped, infer/cli.py (claims-infer) does not exist yet", file=sys.stderr)
        return {"skipped": "claims-infer not available"}
    with tempfile.TemporaryDirectory(prefix="bench_stream_") as tmp:
        src, dst = Path(tmp) / "claims.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for i in range(lines):
                r = rows[i % len(rows)]
                f.write(json.dumps({"id": f"s{i}", "text": r["text"], "target": r.get("target")},
                                   ensure_ascii=False) + "\n")
        cmd = [*cmd, "--model", model, "--input", str(src), "--output", str(dst),
               "--threads", str(threads), "--quiet", *extra]
        print(f"memory: {' '.join(cmd)}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # wait4 gives this child's own rusage (its peak RSS), unlike RUSAGE_CHILDREN.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        written = sum(1 for _ in dst.open(encoding="utf-8")) if dst.is_file() else 0
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    res = {"command": cmd, "lines": lines, "exit_code": code,
           "written": written, "seconds": seconds, "claims_per_s": written / seconds,
           "peak_rss_mb": peak_mb}
    if code != 0:
        res["stderr_tail"] = err[-2000:]
    return res


# ---------------------------------------------------------------- report

def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "torch": torch.__version__,
            "python": platform.python_version()}


def floors(speed: dict, qual: dict, memory: dict) -> list[dict]:
    out = []
    for name, num, den, minimum in FLOORS:
        if num in speed and den in speed:
            ratio = speed[num]["best"] / speed[den]["best"]
            out.append({"floor": name, "value": round(ratio, 2), "ok": ratio >= minimum})
    for task, groups in qual.items():
        if "f1_drop" in groups["all"]:
            drop = groups["all"]["f1_drop"]
            out.append({"floor": f"{task} macro-F1 drop <= {MAX_F1_DROP}", "value": round(drop, 2),
                        "ok": drop <= MAX_F1_DROP})
    if "peak_rss_mb" in memory:
        ok = memory["exit_code"] == 0 and memory["peak_rss_mb"] < MAX_RSS_MB
        out.append({"floor": f"peak RSS < {MAX_RSS_MB} MB", "value": round(memory["peak_rss_mb"]),
                    "ok": ok})
    return out


def print_report(res: dict) -> None:
    speed = res["speed"]
    print(f"\n{res['n']} claims, {res['threads']} threads, {res['machine']['cpu']} "
          f"({res['machine']['cpus']} CPUs), torch {res['machine']['torch']}")
    print(f"{'':4}{'mode':24}{'claims/s (best)':>16}{'median':>10}{'x (c)':>8}")
    for key, s in speed.items():
        rel = s["best"] / speed["c"]["best"] if "c" in speed else float("nan")
        print(f"({key}) {LABELS[key]:24}{s['best']:>16.1f}{s['median']:>10.1f}{rel:>8.2f}")
    if "int8_warmup_s" in res:
        print(f"int8 set-up (quantise + compile on first batches): {res['int8_warmup_s']:.0f} s")
    for task, groups in res.get("quality", {}).items():
        print(f"\n{task}: macro-F1 (points) fp32 / int8 / drop, int8-vs-fp32 F1, agreement")
        for name, g in groups.items():
            gold = (f"{g['f1_fp32']:6.2f} {g['f1_int8']:6.2f} {g['f1_drop']:+6.2f}"
                    if "f1_drop" in g else f"{'no gold labels':>20}")
            print(f"  {name:5} n={g['n']:5}  {gold}   {g['f1_int8_vs_fp32']:6.2f}  "
                  f"{g['agreement']:.3f}")
    mem = res.get("memory", {})
    if "peak_rss_mb" in mem:
        print(f"\nclaims-infer on {mem['lines']} lines: peak RSS {mem['peak_rss_mb']:.0f} MB, "
              f"{mem['claims_per_s']:.0f} claims/s, exit {mem['exit_code']}")
    elif mem:
        print(f"\nmemory: {mem.get('skipped')}")
    print()
    for f in res["floors"]:
        print(f"{'ok  ' if f['ok'] else 'FAIL'} {f['floor']:32} {f['value']}")


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="trained claimstance model folder")
    p.add_argument("--data", default=None, help="JSONL claims [default: data/{test,validation,"
                   "train}.jsonl, else data/raw/*.jsonl]")
    p.add_argument("--n", type=int, default=2000, help="claims to time and score")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--n-single", type=int, default=None,
                   help="claims for (a) one at a time [default: --n]; its claims/s barely "
                   "depends on the count, so fewer saves minutes")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per mode (best is shown)")
    p.add_argument("--stream-lines", type=int, default=100_000,
                   help="lines of the JSONL streamed through claims-infer (0: skip)")
    p.add_argument("--stream-args", default="",
                   help="extra claims-infer arguments for the memory run, e.g. '--quantize int8'")
    p.add_argument("--no-int8", action="store_true", help="skip (d), (f) and the quality check")
    p.add_argument("--modes", default="abcdef", help="which rows to time, e.g. 'cdef'")
    p.add_argument("--json-out", default=None, help="write all results here as JSON")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    files = data_files(args.data)
    rows = load_rows(files, args.n)
    texts, targets = [r["text"] for r in rows], [r.get("target") for r in rows]
    res: dict = {"model": args.model, "data": [str(f) for f in files], "n": len(rows),
                 "threads": args.threads, "repeats": args.repeats, "machine": machine()}
    print(f"{len(rows)} claims from {', '.join(map(str, files))}", file=sys.stderr, flush=True)

    fp32 = Predictor.from_pretrained(args.model, device="cpu")
    tasks = list(fp32.tasks)
    items = encode_for(fp32.config, fp32.tokenizer, texts, targets)
    batches = list(fp32.batches(items))
    res["mean_tokens"] = float(np.mean([len(it["input_ids"]) for it in items]))
    single = min(args.n_single or len(rows), len(rows))
    modes = {"a": lambda: one_at_a_time(fp32, texts[:single], targets[:single]),
             "b": lambda: fixed_batches(fp32, texts, targets),
             "c": lambda: fp32.predict(texts, targets),
             "e": forward_only(fp32, batches)}
    fp32.predict(texts[:64], targets[:64])  # warm-up: first-call allocations and caches

    int8 = None
    if not args.no_int8:
        from infer.quantize import quantize_model

        start = time.perf_counter()
        int8 = Predictor(quantize_model(copy.deepcopy(fp32.model), "int8", "cpu"),
                         fp32.tokenizer, device="cpu")
        int8.predict(texts, targets)  # compiles on the first batches; every shape after reuses it
        res["int8_warmup_s"] = time.perf_counter() - start
        print(f"int8 ready after {res['int8_warmup_s']:.0f} s", file=sys.stderr, flush=True)
        # (f) times the int8 model on its own batches: it prefers a smaller token budget.
        modes |= {"d": lambda: int8.predict(texts, targets),
                  "f": forward_only(int8, list(int8.batches(items)))}

    order = [k for k in args.modes if k in modes]
    counts = {k: single if k == "a" else len(rows) for k in order}
    res["speed"] = time_modes({k: (modes[k], counts[k]) for k in order}, args.repeats)
    res["claims_timed"] = counts
    if int8 is not None:
        res["quality"] = quality(rows, labels_of(fp32.predict(texts, targets), tasks),
                                 labels_of(int8.predict(texts, targets), tasks))
    modes.clear()  # the memory run is a separate process: free our models first
    int8 = fp32 = None
    gc.collect()
    res["memory"] = (stream_memory(args.model, rows, args.stream_lines, args.threads,
                                   args.stream_args.split())
                     if args.stream_lines else {"skipped": "--stream-lines 0"})
    res["floors"] = floors(res["speed"], res.get("quality", {}), res["memory"])
    print_report(res)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
