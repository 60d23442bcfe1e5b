"""Labeled claims for evaluation: where they come from, which columns hold what, label checks.

Loading goes through `train.data.load_splits`, so evaluation reads exactly the formats training
reads (JSONL/CSV/Parquet files, a folder of split files, a `datasets` hub name). Column names
default to the ones the model was trained with (its saved train_config.yaml).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from datasets import Dataset

from train.config import DataConfig
from train.data import FORMATS, DataError, _split_file, load_splits

logger = logging.getLogger(__name__)

CONFIG_FILE = "train_config.yaml"
NO_LANG = "unknown"


class UnknownLabelsError(DataError):
    """Gold labels the model has no head output for: the model cannot be scored on them."""


@dataclass
class Columns:
    """Which column holds what; `explicit` names those given on the command line."""

    text: str = "text"
    target: str | None = "target"
    lang: str | None = "lang"
    id: str | None = "id"
    tasks: dict[str, str] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)


@dataclass
class Claims:
    """Evaluation rows as plain lists; `labels[task][i]` is None where row i has no gold label."""

    texts: list[str]
    targets: list[str]
    langs: list[str]
    ids: list[str]
    labels: dict[str, list[str | None]]
    source: str = ""

    def __len__(self) -> int:
        return len(self.texts)


def train_config(model_dir: str | Path) -> dict:
    """The model's saved training config as a raw mapping ({} when absent or unreadable)."""
    path = Path(model_dir) / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        logger.warning("%s is not valid YAML (%s); using default column names", path, exc)
        return {}
    return raw if isinstance(raw, dict) else {}


def resolve_columns(model_dir: str | Path, tasks: list[str], *, text: str | None = None,
                    target: str | None = None, lang: str | None = None) -> Columns:
    """Command-line names first, then the training config's, then the schema's defaults."""
    raw = train_config(model_dir)
    data = raw.get("data") or {}
    task_cfg = raw.get("tasks") or {}
    given = {"text": text, "target": target, "lang": lang}
    return Columns(
        text=text or data.get("text_column") or "text",
        target=target or data.get("target_column", "target"),
        lang=lang or data.get("lang_column", "lang"),
        id=data.get("id_column", "id"),
        tasks={t: ((task_cfg.get(t) or {}).get("column") or t) for t in tasks},
        explicit={k for k, v in given.items() if v},
    )


def _looks_like_path(source: str) -> bool:
    return Path(source).suffix.lower() in FORMATS or source.startswith((".", "/", "~"))


def load_split(source: str, split: str, hub_config: str | None = None) -> Dataset:
    """One split from a claims file (the split name is then ignored), a folder of split files
    or a `datasets` hub name."""
    path = Path(source).expanduser()
    if path.is_file():
        return load_splits(DataConfig(files={split: str(path)}))[split]
    if path.is_dir():
        return load_splits(DataConfig(files={split: str(_split_file(path, split))}))[split]
    if _looks_like_path(source):
        raise DataError(f"no such file or folder: {source}")
    cfg = DataConfig(path=source, hub_config=hub_config, train_split=split,
                     validation_split=split, test_split=None)
    return load_splits(cfg)[split]


def to_claims(ds: Dataset, cols: Columns, source: str) -> Claims:
    """Plain lists from a Dataset; a missing text or label column is an error naming it."""
    have = set(ds.column_names)
    required = [cols.text, *cols.tasks.values()]
    required += [c for key in ("target", "lang") if key in cols.explicit
                 and (c := getattr(cols, key))]
    if missing := [c for c in required if c not in have]:
        raise DataError(f"{source}: missing column(s) {missing}; it has {sorted(have)} "
                        f"(name them with --text-column/--target-column/--lang-column)")
    n = len(ds)
    for key in ("target", "lang"):
        name = getattr(cols, key)
        if name and name not in have:
            logger.warning("%s: no %r column; every row gets an empty %s", source, name, key)
    return Claims(
        texts=[str(v or "") for v in ds[cols.text]],
        targets=[str(v or "").strip() for v in _column(ds, cols.target, n)],
        langs=[str(v or NO_LANG) for v in _column(ds, cols.lang, n)],
        ids=[str(v) if v not in (None, "") else f"row-{i}"
             for i, v in enumerate(_column(ds, cols.id, n))],
        labels={t: [v if v not in (None, "") else None for v in ds[c]] for t, c in cols.tasks.items()},
        source=source,
    )


def _column(ds: Dataset, name: str | None, n: int) -> list:
    return ds[name] if name and name in ds.column_names else [None] * n


def load_claims(source: str, split: str, cols: Columns, hub_config: str | None = None,
                fallback: Columns | None = None) -> Claims:
    """Claims of one split; with `fallback`, columns missing under `cols` are tried under it
    (the baseline's training data may use the evaluated file's names or the training config's)."""
    where = source if Path(source).is_file() else f"{source} [{split}]"
    ds = load_split(source, split, hub_config)
    try:
        return to_claims(ds, cols, where)
    except DataError:
        if fallback is None:
            raise
        return to_claims(ds, fallback, where)


def gold_ids(claims: Claims, tasks: dict[str, list[str]], strict: bool = True) -> dict[str, np.ndarray]:
    """Gold label ids per task (-1: no label). Labels the model does not know are one error
    listing them all, or with `strict=False` (baseline training data) rows left out of that task."""
    unknown = {t: sorted({v for v in claims.labels[t] if v is not None} - set(labels))
               for t, labels in tasks.items()}
    if any(unknown.values()):
        lines = [f"  {t}: {vals} (the model knows: {', '.join(tasks[t])})"
                 for t, vals in unknown.items() if vals]
        if strict:
            raise UnknownLabelsError(f"{claims.source}: labels the model does not know:\n"
                                     + "\n".join(lines))
        logger.warning("%s: rows with labels the model does not know are left out:\n%s",
                       claims.source, "\n".join(lines))
    index = {t: {lab: i for i, lab in enumerate(labels)} for t, labels in tasks.items()}
    return {t: np.array([index[t].get(v, -1) if v is not None else -1 for v in claims.labels[t]],
                        dtype=int) for t in tasks}


def baseline_source(data: str, split: str, model_dir: str | Path, explicit: str | None,
                    documents: bool = False) -> tuple[str, str] | None:
    """(source, split) of the baseline's training data: --baseline-train, else the train split
    next to the evaluated data, else the training data recorded with the model; None if none."""
    train_split = (train_config(model_dir).get("data") or {}).get("train_split") or "train"
    if explicit:
        return explicit, train_split
    if not documents and (nearby := _train_next_to(data, split, train_split)):
        return nearby
    recorded = train_config(model_dir).get("data") or {}
    files = recorded.get("files") or {}
    if files.get(train_split) and Path(files[train_split]).is_file():
        return files[train_split], train_split
    path = recorded.get("path")
    if path and (Path(path).is_dir() or not _looks_like_path(path)):
        return path, train_split
    return None


def _train_next_to(data: str, split: str, train_split: str) -> tuple[str, str] | None:
    path = Path(data)
    if path.is_file():
        if path.stem == train_split:
            return None
        folder = path.parent
    elif path.is_dir():
        if split == train_split:
            return None
        folder = path
    else:  # a hub dataset: its own train split
        return (data, train_split) if split != train_split else None
    try:
        return str(_split_file(folder, train_split)), train_split
    except DataError:
        return None
