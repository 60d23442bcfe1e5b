"""`claims-train`: fine-tune a claim model from a YAML config, or check a data file.

    claims-train --config configs/default.yaml --output-dir runs/default [--train.epochs=3 ...]
    claims-train data check data/
"""

from __future__ import annotations

import argparse
import logging
import sys

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="claims-train",
        description="Fine-tune a multilingual claim type / stance model. Any further "
        "--section.key=value argument overrides the config (e.g. --train.learning_rate=3e-5).",
    )
    parser.add_argument("--config", help="YAML config (see configs/)")
    parser.add_argument("--output-dir", required=True, help="folder for the model and its reports")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the latest complete checkpoint in OUTPUT_DIR/checkpoints")
    parser.add_argument("-v", "--verbose", action="store_true")
    args, rest = parser.parse_known_args(argv)
    bad = [a for a in rest if not (a.startswith("--") and "." in a.split("=", 1)[0])]
    if bad:
        parser.error(f"unrecognised argument(s) {bad}; overrides look like --train.epochs=3")
    return args, rest


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["data", "check"]:
        from train.validate import main as check_main

        return check_main(argv[2:])
    args, overrides = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from pathlib import Path

    from train.config import ConfigError, load_config
    from train.data import DataError

    try:
        config = load_config(args.config, overrides)
        from train.fit import fit

        result = fit(config, Path(args.output_dir), resume=args.resume)
    except (ConfigError, DataError, FileNotFoundError) as exc:
        print(f"claims-train: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if result.interrupted:
        print(f"claims-train: interrupted after saving a checkpoint; continue with --resume "
              f"({result.seconds:.0f} s, peak memory {result.peak_memory_mb:.0f} MB)", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary(result))
    return EXIT_OK


def summary(result) -> str:
    lines = [f"model saved to {result.output_dir}",
             f"time {result.seconds:.0f} s | {result.train_samples_per_second:.1f} train samples/s | "
             f"peak memory {result.peak_memory_mb:.0f} MB"]
    for split, tasks in result.metrics.items():
        for task, m in tasks.items():
            lines.append(f"{split:>10} {task:<8} macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}  "
                         f"ECE {m['ece_raw']:.3f} -> {m['ece']:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
