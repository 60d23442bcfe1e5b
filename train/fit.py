"""One training run, step by step: data -> base model -> Trainer -> calibration -> artifacts."""

from __future__ import annotations

import json
import logging
import resource
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from infer.model import ClaimModel
from train import card, data
from train.base_model import load_base_model
from train.calibrate import fit_temperature
from train.config import Config, save_config
from train.loop import build_trainer, latest_checkpoint, predict_logits
from train.metrics import expected_calibration_error, softmax, task_metrics

logger = logging.getLogger(__name__)

CONFIG_FILE = "train_config.yaml"
LOG_FILE = "train_log.jsonl"
METRICS_FILE = "metrics.json"


@dataclass
class FitResult:
    output_dir: Path
    interrupted: bool = False
    seconds: float = 0.0
    train_samples_per_second: float = 0.0
    peak_memory_mb: float = 0.0
    metrics: dict = field(default_factory=dict)


def split_metrics(logits, labels, task_labels, temperatures, langs=None) -> dict:
    """Metrics per task (overall and per language) and ECE before/after temperature scaling."""
    out = {}
    for (name, names), z, y in zip(task_labels.items(), logits, labels, strict=True):
        keep = y >= 0
        z, y = z[keep], y[keep]
        m = task_metrics(y, z.argmax(-1), names)
        m["ece_raw"] = expected_calibration_error(softmax(z), y)
        m["ece"] = expected_calibration_error(softmax(z, temperatures[name]), y)
        if langs is not None:
            lang = np.asarray(langs, dtype=object)[keep]
            m["per_language"] = {
                code: task_metrics(y[lang == code], z[lang == code].argmax(-1), names)["macro_f1"]
                for code in sorted(set(lang.tolist()))
            }
        out[name] = m
    return out


def peak_memory_mb() -> float:
    # ru_maxrss is in KiB on Linux; it covers this process (the CPU training case).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if torch.cuda.is_available():
        return max(rss, torch.cuda.max_memory_allocated() / 2**20)
    return rss


def fit(config: Config, output_dir: Path, resume: bool = False) -> FitResult:
    start = time.time()
    output_dir.mkdir(parents=True, exist_ok=True)
    checkpoint_dir = output_dir / "checkpoints"
    if config.train.num_threads:
        torch.set_num_threads(config.train.num_threads)

    splits = data.load_splits(config.data)
    data.check_columns(splits, config.data, config.tasks)
    task_labels = data.resolve_labels(splits, config.data, config.tasks)
    base = load_base_model(config.model.base)
    encoded = data.encode_splits(splits, base.tokenizer, config.data, config.model, config.tasks,
                                 task_labels)
    class_weights = {
        name: data.class_weights(encoded[config.data.train_split], name, len(labels))
        for name, labels in task_labels.items()
        if config.tasks[name].class_weighting == "balanced"
    }
    torch.manual_seed(config.train.seed)  # the heads' initialisation is part of the run's seed
    # Every `model:` key but `base` is a ClaimConfig field of the same name.
    options = {k: v for k, v in asdict(config.model).items() if k != "base"}
    model = ClaimModel.from_encoder(base.encoder, task_labels, base_model=base.name,
                                    base_model_note=base.note, **options)
    del base.encoder
    save_config(config, output_dir / CONFIG_FILE)

    trainer, interrupt = build_trainer(config, model, base.tokenizer, encoded, task_labels,
                                       class_weights, checkpoint_dir, output_dir / LOG_FILE)
    checkpoint = None
    if resume:
        checkpoint = latest_checkpoint(checkpoint_dir)
        if checkpoint is None:
            logger.warning("--resume: no complete checkpoint in %s; starting from scratch", checkpoint_dir)
        else:
            logger.info("resuming from %s", checkpoint)
    train_out = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    result = FitResult(output_dir, seconds=time.time() - start,
                       train_samples_per_second=train_out.metrics.get("train_samples_per_second", 0.0))
    if interrupt.interrupted:
        result.interrupted = True
        result.peak_memory_mb = peak_memory_mb()
        return result

    model = trainer.model
    val_logits, val_labels = predict_logits(trainer, encoded[config.data.validation_split], list(task_labels))
    model.config.temperatures = {
        name: fit_temperature(z, y) for name, z, y in zip(task_labels, val_logits, val_labels, strict=True)
    }
    metrics = {"validation": split_metrics(val_logits, val_labels, task_labels, model.config.temperatures,
                                           _column(splits[config.data.validation_split], config.data.lang_column))}
    if config.data.test_split:
        test_logits, test_labels = predict_logits(trainer, encoded[config.data.test_split], list(task_labels))
        metrics["test"] = split_metrics(test_logits, test_labels, task_labels, model.config.temperatures,
                                        _column(splits[config.data.test_split], config.data.lang_column))
    result.seconds = time.time() - start
    result.peak_memory_mb = peak_memory_mb()
    result.metrics = metrics
    if trainer.is_world_process_zero():
        model.save_pretrained(output_dir)
        base.tokenizer.save_pretrained(output_dir)
        summary = {"seconds": result.seconds, "peak_memory_mb": result.peak_memory_mb,
                   "train_samples_per_second": result.train_samples_per_second,
                   "best_checkpoint": trainer.state.best_model_checkpoint, **metrics}
        (output_dir / METRICS_FILE).write_text(json.dumps(summary, indent=2))
        card.write_model_card(output_dir, config, model.config, summary,
                              {s: len(ds) for s, ds in splits.items()})
        if not config.train.keep_checkpoints:
            shutil.rmtree(checkpoint_dir, ignore_errors=True)
    return result


def _column(ds, name: str | None):
    return ds[name] if name and name in ds.column_names else None
