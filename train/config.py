"""Typed training configuration: YAML files plus dotted command-line overrides.

Every section is a dataclass validated in `__post_init__` with messages that quote the bad value;
unknown keys are errors, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from infer.labels import DEFAULT_TASKS

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
CLASS_WEIGHTINGS = ("none", "balanced")


class ConfigError(ValueError):
    """A configuration value or key is wrong; the message says which and why."""


@dataclass
class ModelConfig:
    base: str = "intfloat/multilingual-e5-small"
    pooling: str = "mean"
    # Heads also read the mean of the target's tokens (see infer.model.ClaimConfig).
    target_pooling: bool = True
    input_prefix: str = "query: "
    max_length: int = 128
    classifier_dropout: float = 0.1

    def __post_init__(self):
        if self.pooling not in ("mean", "cls"):
            raise ConfigError(f"model.pooling must be 'mean' or 'cls', got {self.pooling!r}")
        if not 8 <= self.max_length <= 8192:
            raise ConfigError(f"model.max_length must be in [8, 8192], got {self.max_length!r}")
        if not 0 <= self.classifier_dropout < 1:
            raise ConfigError(
                f"model.classifier_dropout must be in [0, 1), got {self.classifier_dropout!r}"
            )


@dataclass
class DataConfig:
    # A folder holding <split>.jsonl/.csv/.parquet files, or a `datasets` hub name.
    path: str = "data"
    # Optional explicit files per split ({"train": "my/train.csv", ...}); overrides `path`.
    files: dict[str, str] | None = None
    hub_config: str | None = None
    train_split: str = "train"
    validation_split: str = "validation"
    test_split: str | None = "test"
    text_column: str = "text"
    target_column: str | None = "target"
    lang_column: str | None = "lang"
    id_column: str | None = "id"

    def __post_init__(self):
        if not self.path and not self.files:
            raise ConfigError("data.path or data.files must be set")
        if not self.text_column:
            raise ConfigError(f"data.text_column must be a column name, got {self.text_column!r}")

    def split_names(self) -> list[str]:
        names = [self.train_split, self.validation_split]
        return names + ([self.test_split] if self.test_split else [])


@dataclass
class TaskConfig:
    name: str
    column: str = ""  # defaults to the task name
    labels: list[str] | None = None  # None: the schema's list for type/stance, else sorted train labels
    loss_weight: float = 1.0
    class_weighting: str = "none"

    def __post_init__(self):
        self.column = self.column or self.name
        if self.labels is None and self.name in DEFAULT_TASKS:
            self.labels = list(DEFAULT_TASKS[self.name])
        if self.labels is not None and (
            len(self.labels) < 2 or len(set(self.labels)) != len(self.labels)
        ):
            raise ConfigError(f"tasks.{self.name}.labels needs >= 2 distinct labels, got {self.labels!r}")
        if self.loss_weight <= 0:
            raise ConfigError(f"tasks.{self.name}.loss_weight must be > 0, got {self.loss_weight!r}")
        if self.class_weighting not in CLASS_WEIGHTINGS:
            raise ConfigError(
                f"tasks.{self.name}.class_weighting must be one of {CLASS_WEIGHTINGS}, "
                f"got {self.class_weighting!r}"
            )


@dataclass
class TrainConfig:
    epochs: float = 4.0
    max_steps: int = -1
    batch_size: int = 32
    eval_batch_size: int = 64
    gradient_accumulation_steps: int = 1
    learning_rate: float = 5e-5
    head_learning_rate: float | None = None  # heads start from scratch and may learn faster
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 42
    precision: str = "auto"  # auto: bf16 on GPUs that support it, else fp16 on GPU, fp32 on CPU
    freeze_embeddings: bool = False  # freezes the word embeddings: halves CPU step time and memory
    freeze_layers: int = 0  # freezes the lowest N transformer layers too (no backward through them)
    group_by_length: bool = True  # batches of similar length: far less padding, faster steps
    early_stopping_patience: int | None = 2
    eval_strategy: str = "epoch"  # or "steps" (then every save_steps)
    save_steps: int = 200
    save_total_limit: int = 2
    keep_checkpoints: bool = False  # checkpoints (with pickled optimizer state) only serve --resume
    logging_steps: int = 20
    num_threads: int | None = None
    dataloader_workers: int = 0

    def __post_init__(self):
        positive = {
            "batch_size": self.batch_size,
            "eval_batch_size": self.eval_batch_size,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            "save_steps": self.save_steps,
            "logging_steps": self.logging_steps,
        }
        for key, value in positive.items():
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"train.{key} must be a positive integer, got {value!r}")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ConfigError(f"train.epochs must be > 0, got {self.epochs!r}")
        if not 0 < self.learning_rate < 1:
            raise ConfigError(f"train.learning_rate must be in (0, 1), got {self.learning_rate!r}")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"train.warmup_ratio must be in [0, 1), got {self.warmup_ratio!r}")
        if self.freeze_layers < 0:
            raise ConfigError(f"train.freeze_layers must be >= 0, got {self.freeze_layers!r}")
        if self.precision not in PRECISIONS:
            raise ConfigError(f"train.precision must be one of {PRECISIONS}, got {self.precision!r}")
        if self.eval_strategy not in ("epoch", "steps"):
            raise ConfigError(
                f"train.eval_strategy must be 'epoch' or 'steps', got {self.eval_strategy!r}"
            )


@dataclass
class Config:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    tasks: dict[str, TaskConfig] = field(
        default_factory=lambda: {name: TaskConfig(name) for name in DEFAULT_TASKS}
    )
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self):
        if not self.tasks:
            raise ConfigError("tasks must name at least one task (e.g. type, stance)")

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        for spec in d["tasks"].values():
            spec.pop("name")
        return d


SECTIONS = {"model": ModelConfig, "data": DataConfig, "train": TrainConfig}


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Fit a YAML scalar to the field's type (PyYAML reads '3e-5' as a string, say)."""
    args = typing.get_args(hint) or (hint,)
    if value is None or any(a is typing.Any for a in args):
        return value
    if bool in args:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, got {value!r}")
        return value
    if isinstance(value, bool) and (int in args or float in args):
        raise ConfigError(f"{where} must be a number, got {value!r}")
    if int in args and isinstance(value, int):
        return value
    if float in args and isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            raise ConfigError(f"{where} must be a number, got {value!r}") from None
    if int in args and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{where} must be an integer, got {value!r}") from None
    return value


def _build(cls, values: Any, where: str):
    if not isinstance(values, dict):
        raise ConfigError(f"{where} must be a mapping, got {values!r}")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(where + '.' + k for k in unknown)}; "
                          f"known keys of {where}: {', '.join(sorted(known))}")
    hints = typing.get_type_hints(cls)
    values = {k: _coerce(v, hints[k], f"{where}.{k}") for k, v in values.items()}
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def from_dict(raw: dict[str, Any]) -> Config:
    raw = dict(raw or {})
    unknown = sorted(set(raw) - {*SECTIONS, "tasks"})
    if unknown:
        raise ConfigError(f"unknown top-level key(s) {', '.join(unknown)}; "
                          f"known: model, data, tasks, train")
    kwargs: dict[str, Any] = {k: _build(c, raw.get(k) or {}, k) for k, c in SECTIONS.items()}
    if "tasks" in raw:
        tasks = raw["tasks"] or {}
        if not isinstance(tasks, dict):
            raise ConfigError(f"tasks must be a mapping of task name -> settings, got {tasks!r}")
        kwargs["tasks"] = {
            name: _build(TaskConfig, {**(spec or {}), "name": name}, f"tasks.{name}")
            for name, spec in tasks.items()
            if spec is not False  # `--tasks.stance=false` drops a head
        }
    return Config(**kwargs)


def parse_override(arg: str) -> tuple[list[str], Any]:
    """'--train.learning_rate=3e-5' -> (['train', 'learning_rate'], 3e-05)."""
    body = arg[2:] if arg.startswith("--") else arg
    if "=" not in body:
        raise ConfigError(f"override {arg!r} must look like --section.key=value")
    key, value = body.split("=", 1)
    if not key or "." not in key:
        raise ConfigError(f"override {arg!r} must name a dotted key such as --train.epochs=3")
    return key.split("."), yaml.safe_load(value) if value != "" else ""


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    raw = dict(raw or {})
    for arg in overrides:
        path, value = parse_override(arg)
        node = raw
        for part in path[:-1]:
            child = node.get(part)
            node[part] = dict(child) if isinstance(child, dict) else {}
            node = node[part]
        node[path[-1]] = value
    return raw


def load_config(path: str | Path | None, overrides: list[str] | None = None) -> Config:
    raw: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: top level must be a mapping, got {type(raw).__name__}")
    # Without a `tasks` section the default heads apply, so overrides such as
    # --tasks.type=false (stance only) edit that default set rather than replace it.
    raw.setdefault("tasks", {name: {} for name in DEFAULT_TASKS})
    return from_dict(apply_overrides(raw, overrides or []))


def save_config(config: Config, path: str | Path) -> None:
    Path(path).write_text(yaml.safe_dump(config.to_dict(), sort_keys=False, allow_unicode=True))
