"""Load labeled claims (local JSONL/CSV/Parquet or a `datasets` hub name) and encode them.

Label lists are fixed before any id is assigned: from the config, from the schema for the default
heads, or else sorted from the training split, so ids never depend on file order.
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch
from datasets import Dataset, DatasetDict, load_dataset

from infer.inputs import encode_for, pad
from train.config import DataConfig, ModelConfig, TaskConfig

logger = logging.getLogger(__name__)

IGNORE_INDEX = -100  # a row without a label for a task does not count in that task's loss
FORMATS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


class DataError(ValueError):
    """The data does not fit the config: a missing file or column, or unknown labels."""


def _split_file(folder: Path, split: str) -> Path:
    for suffix in FORMATS:
        candidate = folder / f"{split}{suffix}"
        if candidate.is_file():
            return candidate
    raise DataError(f"no file for split {split!r} in {folder} (looked for {split}.jsonl/.csv/.parquet)")


def load_splits(cfg: DataConfig) -> DatasetDict:
    """Each configured split as a Dataset; local files or a hub dataset."""
    if cfg.files:
        files = {split: Path(path) for split, path in cfg.files.items()}
    elif Path(cfg.path).is_dir():
        files = {split: _split_file(Path(cfg.path), split) for split in cfg.split_names()}
    else:
        try:
            ds = load_dataset(cfg.path, cfg.hub_config)
        except Exception as exc:
            raise DataError(f"data.path {cfg.path!r} is no local folder and could not be loaded "
                            f"as a hub dataset: {exc}") from exc
        missing = [s for s in cfg.split_names() if s not in ds]
        if missing:
            raise DataError(f"dataset {cfg.path!r} has no split(s) {missing}; it has {list(ds)}")
        return DatasetDict({s: ds[s] for s in cfg.split_names()})
    out = {}
    for split, path in files.items():
        if not path.is_file():
            raise DataError(f"data file for split {split!r} not found: {path}")
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise DataError(f"{path}: unsupported file type {path.suffix!r} (use .jsonl, .csv, .parquet)")
        out[split] = load_dataset(fmt, data_files=str(path), split="train")
    return DatasetDict(out)


def check_columns(splits: DatasetDict, cfg: DataConfig, tasks: dict[str, TaskConfig]) -> None:
    required = [cfg.text_column, *(t.column for t in tasks.values())]
    for split, ds in splits.items():
        missing = [c for c in required if c not in ds.column_names]
        if missing:
            raise DataError(f"split {split!r} lacks column(s) {missing}; it has {ds.column_names} "
                            f"(map columns with data.text_column / tasks.<name>.column)")


def resolve_labels(splits: DatasetDict, cfg: DataConfig, tasks: dict[str, TaskConfig]) -> dict[str, list[str]]:
    """The ordered label list per task, checked against every split."""
    resolved = {}
    for name, task in tasks.items():
        seen = {s: {v for v in ds[task.column] if v not in (None, "")} for s, ds in splits.items()}
        train_labels = seen[cfg.train_split]
        labels = list(task.labels) if task.labels is not None else sorted(train_labels)
        for split, values in seen.items():
            unknown = sorted(values - set(labels))
            if unknown:
                raise DataError(f"split {split!r}, task {name!r}: labels {unknown} are not in the "
                                f"task's label list {labels}")
            if split != cfg.train_split and (only_eval := sorted(values - train_labels)):
                raise DataError(f"split {split!r}, task {name!r}: labels {only_eval} appear only in "
                                f"evaluation data, never in {cfg.train_split!r}")
        if len(labels) < 2:
            raise DataError(f"task {name!r} needs >= 2 labels, found {labels}")
        resolved[name] = labels
    return resolved


def encode_splits(
    splits: DatasetDict,
    tokenizer,
    data_cfg: DataConfig,
    model_cfg: ModelConfig,
    tasks: dict[str, TaskConfig],
    labels: dict[str, list[str]],
) -> DatasetDict:
    """Tokenise (target, text) pairs and map labels to ids as `labels_<task>` columns."""
    label2id = {name: {lab: i for i, lab in enumerate(labs)} for name, labs in labels.items()}

    def _encode(batch: dict) -> dict:
        texts = [t or "" for t in batch[data_cfg.text_column]]
        targets = batch.get(data_cfg.target_column) if data_cfg.target_column else None
        items = encode_for(model_cfg, tokenizer, texts, targets)
        out = {k: [it[k] for it in items] for k in items[0] if k != "truncated"}
        out["length"] = [len(ids) for ids in out["input_ids"]]  # for length-grouped batches
        for name, task in tasks.items():
            out[f"labels_{name}"] = [
                label2id[name][v] if v not in (None, "") else IGNORE_INDEX for v in batch[task.column]
            ]
        return out

    encoded = {}
    for split, ds in splits.items():
        if data_cfg.target_column and data_cfg.target_column not in ds.column_names:
            ds = ds.add_column(data_cfg.target_column, [""] * len(ds))
        encoded[split] = ds.map(_encode, batched=True, remove_columns=ds.column_names,
                                desc=f"tokenizing {split}")
    return DatasetDict(encoded)


class Collator:
    """Pads token ids (and target masks) to the longest item of the batch and stacks the task
    labels."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        label_keys = [k for k in features[0] if k.startswith("labels_")]
        inputs = [{k: v for k, v in f.items() if k not in label_keys and k != "length"} for f in features]
        batch = pad(self.tokenizer, inputs)
        for key in label_keys:
            batch[key] = torch.tensor([f[key] for f in features], dtype=torch.long)
        return dict(batch)


def class_weights(ds: Dataset, task: str, n_labels: int) -> torch.Tensor:
    """'balanced' weights, n / (k * count), as scikit-learn computes them; unseen classes get 1."""
    ids = torch.tensor([i for i in ds[f"labels_{task}"] if i != IGNORE_INDEX])
    counts = torch.bincount(ids, minlength=n_labels).float()
    weights = ids.numel() / (n_labels * counts.clamp(min=1))
    return torch.where(counts > 0, weights, torch.ones_like(weights))
