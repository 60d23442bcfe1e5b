"""`claims-eval`: score a trained claim model on labeled data and write a report.

    claims-eval --model runs/default --data data/ [--split test] [--report-dir DIR]
    claims-eval --model runs/default --data data/articles/ --documents

Writes report.md, report.json and PNG figures to DIR (default MODEL/eval-<split>) and prints a
short summary. Exit status: 0 done, 1 missing files/columns or an unusable model, 2 labels the
model does not know (or bad arguments).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR, EXIT_LABELS = 0, 1, 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="claims-eval", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="trained model folder (claims-train output)")
    p.add_argument("--data", required=True, help="claims file (.jsonl/.csv/.parquet), folder of "
                   "split files, `datasets` hub name, or with --documents a folder of gold articles")
    p.add_argument("--split", default="test", help="split to read from a folder or hub dataset")
    p.add_argument("--report-dir", help="where to write the report (default MODEL/eval-<split>)")
    p.add_argument("--documents", action="store_true",
                   help="--data holds articles: <name>.txt with <name>.gold.jsonl")
    p.add_argument("--baseline-train", help="training data for the baseline (default: the train "
                   "split next to --data, else the model's recorded training data)")
    p.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline")
    for col in ("text", "target", "lang"):
        p.add_argument(f"--{col}-column", help=f"{col} column (default: as in training)")
    p.add_argument("--hub-config", help="config name of a hub dataset")
    p.add_argument("--device", help="cpu, cuda, ... (default: cuda when available)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


def evaluate_claims(predictor, claims, gold: dict[str, np.ndarray], baseline=None) -> dict:
    """Every task's scores from one pass of raw logits, plus baseline and target reading."""
    from train.scoring import difference, score_logits, score_predictions, top_errors
    from train.target_reading import contrast_groups, target_reading

    if not len(claims):
        return {"tasks": {}, "target_reading": None}
    logits, _ = predictor.predict_logits(claims.texts, claims.targets, progress=sys.stderr.isatty())
    base_pred = baseline.predict(claims.texts, claims.targets) if baseline else {}
    langs = np.asarray(claims.langs, dtype=object)
    tasks = {}
    for name, labels in predictor.tasks.items():
        z, temp = logits[name].numpy(), predictor.config.temperatures[name]
        entry = {"labels": labels, "model": score_logits(z, gold[name], labels, temp, langs),
                 "errors": top_errors(z, gold[name], labels, temp, claims)}
        if name in base_pred:
            entry["baseline"] = score_predictions(base_pred[name], gold[name], labels, langs)
            entry["difference"] = difference(entry["model"], entry["baseline"])
        tasks[name] = entry
    reading = None
    if "stance" in tasks:
        y = gold["stance"]
        groups = contrast_groups(claims.texts, claims.targets, y)
        reading = {"model": target_reading(groups, y, logits["stance"].numpy().argmax(1)),
                   "baseline": target_reading(groups, y, base_pred["stance"])
                   if "stance" in base_pred else None}
    return {"tasks": tasks, "target_reading": reading}


def prepare_baseline(args: argparse.Namespace, cols, tasks: dict[str, list[str]]):
    """(fitted baseline or None, what the report says about it)."""
    from train.baseline import DESCRIPTION, fit_baseline
    from train.data import DataError
    from train.eval_data import baseline_source, gold_ids, load_claims, resolve_columns

    if args.no_baseline:
        return None, {"skipped": "--no-baseline"}
    found = baseline_source(args.data, args.split, args.model, args.baseline_train, args.documents)
    if found is None:
        return None, {"skipped": "no training data found; pass --baseline-train"}
    source, split = found
    try:
        train = load_claims(source, split, cols, args.hub_config,
                            fallback=resolve_columns(args.model, list(tasks)))
    except DataError as exc:
        if args.baseline_train:
            raise
        logger.warning("baseline skipped: cannot load its training data: %s", exc)
        return None, {"skipped": f"cannot load training data {source!r}"}
    model = fit_baseline(train.texts, train.targets, gold_ids(train, tasks, strict=False))
    return model, {"description": DESCRIPTION, "train": train.source, "rows": len(train)}


def run(args: argparse.Namespace) -> tuple[dict, Path]:
    from infer.predict import Predictor, check_model_dir
    from train.data import DataError
    from train.eval_data import gold_ids, load_claims, resolve_columns

    config = check_model_dir(args.model)
    tasks = config.tasks
    cols = resolve_columns(args.model, list(tasks), text=args.text_column,
                           target=args.target_column, lang=args.lang_column)
    section = None
    if args.documents:
        from train.docs_eval import evaluate_documents, gold_claims, load_articles

        articles = load_articles(args.data)
        gold_ids(gold_claims(articles, list(tasks)), tasks)  # every gold label, matched or not
        claims, section = evaluate_documents(articles, list(tasks))
        name = "documents"
    else:
        claims = load_claims(args.data, args.split, cols, args.hub_config)
        if not len(claims):
            raise DataError(f"{claims.source}: no rows to evaluate")
        name = Path(args.data).stem if Path(args.data).is_file() else args.split
    gold = gold_ids(claims, tasks)
    baseline, baseline_info = prepare_baseline(args, cols, tasks)
    predictor = Predictor.from_pretrained(args.model, device=args.device)
    result = {"model": str(args.model), "data": str(args.data), "split": name,
              "mode": "documents" if args.documents else "claims", "rows": len(claims),
              "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "temperatures": dict(predictor.config.temperatures),
              "baseline": baseline_info, **evaluate_claims(predictor, claims, gold, baseline)}
    if section is not None:
        result["documents"] = section
    return result, Path(args.report_dir or Path(args.model) / f"eval-{name}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    import datasets

    from infer.predict import ModelDirError
    from train.data import DataError
    from train.eval_data import UnknownLabelsError
    from train.report import summary, write_report

    if not args.verbose:
        datasets.disable_progress_bars()
    try:
        result, out_dir = run(args)
    except UnknownLabelsError as exc:
        print(f"claims-eval: error: {exc}", file=sys.stderr)
        return EXIT_LABELS
    except (DataError, ModelDirError, FileNotFoundError) as exc:
        print(f"claims-eval: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(summary(result, write_report(result, out_dir)))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
