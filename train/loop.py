"""The training loop: a transformers `Trainer` with a multi-task loss, resumable checkpoints,
early stopping on mean macro-F1, and a clean stop on Ctrl-C."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from torch.nn import functional as F
from transformers import EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments

from train.config import Config
from train.metrics import task_metrics

logger = logging.getLogger(__name__)

CHECKPOINT_PREFIX = "checkpoint-"
# Files without which a Trainer checkpoint cannot be resumed exactly.
CHECKPOINT_FILES = ("model.safetensors", "trainer_state.json", "optimizer.pt", "scheduler.pt")


class MultiTaskTrainer(Trainer):
    """Sums one weighted cross-entropy per task; rows without a label (-100) are ignored."""

    def __init__(self, *args, tasks: dict[str, dict], head_learning_rate: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = tasks  # name -> {"weight": float, "class_weights": Tensor | None}
        self.head_learning_rate = head_learning_rate

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = {name: inputs.pop(f"labels_{name}") for name in self.tasks}
        outputs = model(**inputs)
        loss = 0.0
        for (name, spec), logits in zip(self.tasks.items(), outputs.logits, strict=True):
            weight = spec["class_weights"]
            weight = weight.to(logits.device, logits.dtype) if weight is not None else None
            task_loss = F.cross_entropy(logits, labels[name], weight=weight, ignore_index=-100)
            # A batch may hold no labelled row for a task; its NaN loss must not poison the sum.
            loss = loss + spec["weight"] * torch.nan_to_num(task_loss)
        outputs.loss = loss
        return (loss, outputs) if return_outputs else loss

    def create_optimizer(self, model=None):
        if self.head_learning_rate is None or self.optimizer is not None:
            return super().create_optimizer(model)
        model = model or self.model
        decay = set(self.get_decay_parameter_names(model))
        groups: dict[tuple[bool, bool], list] = {}
        for name, param in model.named_parameters():
            if param.requires_grad:
                groups.setdefault((name.startswith("heads."), name in decay), []).append(param)
        self.optimizer = torch.optim.AdamW(
            [
                {"params": params,
                 "lr": self.head_learning_rate if is_head else self.args.learning_rate,
                 "weight_decay": self.args.weight_decay if decays else 0.0}
                for (is_head, decays), params in groups.items()
            ],
            lr=self.args.learning_rate,
        )
        return self.optimizer


def make_compute_metrics(task_labels: dict[str, list[str]]):
    def compute_metrics(eval_pred) -> dict[str, float]:
        logits, labels = eval_pred.predictions, eval_pred.label_ids
        logits = logits if isinstance(logits, (tuple, list)) else (logits,)
        labels = labels if isinstance(labels, (tuple, list)) else (labels,)
        out = {}
        for (name, names), z, y in zip(task_labels.items(), logits, labels, strict=True):
            keep = y >= 0
            m = task_metrics(y[keep], z[keep].argmax(-1), names)
            out[f"{name}_macro_f1"] = m["macro_f1"]
            out[f"{name}_accuracy"] = m["accuracy"]
        out["mean_macro_f1"] = float(np.mean([out[f"{n}_macro_f1"] for n in task_labels]))
        return out

    return compute_metrics


class JsonlLogCallback(TrainerCallback):
    """Appends every Trainer log record (loss, lr, eval metrics) to a JSONL file."""

    def __init__(self, path: Path):
        self.path = path

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and logs:
            with self.path.open("a", encoding="utf-8") as f:
                record = {"step": state.global_step, "epoch": state.epoch, "time": time.time(), **logs}
                f.write(json.dumps(record) + "\n")


class InterruptCallback(TrainerCallback):
    """First Ctrl-C: finish the current step, save a checkpoint, stop. A second one aborts."""

    def __init__(self):
        self.interrupted = False
        self._previous = None

    def on_train_begin(self, args, state, control, **kwargs):
        self._previous = signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, frame):
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True
        logger.warning("interrupt: saving a checkpoint after this step, then stopping "
                       "(Ctrl-C again to abort without saving)")

    def on_step_end(self, args, state, control, **kwargs):
        if self.interrupted:
            control.should_save = True
            control.should_training_stop = True

    def on_train_end(self, args, state, control, **kwargs):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def checkpoint_problem(path: Path) -> str | None:
    """Why a checkpoint folder cannot be resumed from, or None when it is complete and readable."""
    for name in CHECKPOINT_FILES:
        if not (path / name).is_file() or (path / name).stat().st_size == 0:
            return f"{name} is missing or empty"
    try:
        state = json.loads((path / "trainer_state.json").read_text())
        if "global_step" not in state:
            return "trainer_state.json has no global_step"
        with safe_open(str(path / "model.safetensors"), framework="pt") as f:
            if not list(f.keys()):
                return "model.safetensors holds no tensors"
    except Exception as exc:  # any parse error means a partial write
        return f"unreadable ({type(exc).__name__}: {exc})"
    return None


def latest_checkpoint(folder: Path) -> Path | None:
    """The newest complete checkpoint under `folder`; broken ones are skipped with a warning."""
    candidates = []
    for path in folder.glob(f"{CHECKPOINT_PREFIX}*"):
        suffix = path.name[len(CHECKPOINT_PREFIX):]
        if path.is_dir() and suffix.isdigit():
            candidates.append((int(suffix), path))
    for _, path in sorted(candidates, reverse=True):
        problem = checkpoint_problem(path)
        if problem is None:
            return path
        logger.warning("skipping checkpoint %s: %s", path, problem)
    return None


def cpu_has_bf16() -> bool:
    """Native bf16 matmuls (AMX or AVX512-BF16): there bf16 autocast halves a training step;
    elsewhere bf16 is emulated and slower than fp32."""
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in probes)


def resolve_precision(requested: str, gpu: bool) -> str:
    """`auto`: bf16 (else fp16) on GPU; on CPU bf16 autocast where the CPU computes it natively,
    else fp32. The weights and optimizer state stay fp32 either way."""
    if requested == "auto":
        if gpu:
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return "bf16" if cpu_has_bf16() else "fp32"
    if requested == "fp16" and not gpu:
        raise ValueError("train.precision='fp16' needs a GPU; use auto, bf16 or fp32 on CPU")
    if requested == "bf16" and not gpu and not cpu_has_bf16():
        logger.warning("this CPU has no native bf16 (AMX / AVX512-BF16): bf16 will be slow")
    return requested


def training_arguments(config: Config, checkpoint_dir: Path, task_names: list[str]) -> TrainingArguments:
    t = config.train
    gpu = torch.cuda.is_available()
    precision = resolve_precision(t.precision, gpu)
    logger.info("precision: %s on %s", precision, "GPU" if gpu else "CPU")
    strategy = t.eval_strategy
    return TrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=t.epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.eval_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,  # a float in [0, 1) is a ratio of the total steps
        lr_scheduler_type="linear",
        seed=t.seed,
        data_seed=t.seed,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        use_cpu=not gpu,  # transformers accepts bf16 without a GPU only when told it is on CPU
        eval_strategy=strategy,
        save_strategy=strategy,
        eval_steps=t.save_steps if strategy == "steps" else None,
        save_steps=t.save_steps,
        save_total_limit=t.save_total_limit,
        load_best_model_at_end=True,
        metric_for_best_model="mean_macro_f1",
        greater_is_better=True,
        logging_steps=t.logging_steps,
        report_to="none",
        remove_unused_columns=False,
        label_names=[f"labels_{n}" for n in task_names],
        train_sampling_strategy="group_by_length" if t.group_by_length else "random",
        dataloader_num_workers=t.dataloader_workers,
        dataloader_pin_memory=gpu,
        # torchrun on CPU machines: gloo is the backend that works there.
        ddp_backend="gloo" if not gpu and int(os.environ.get("WORLD_SIZE", "1")) > 1 else None,
        ddp_find_unused_parameters=False,
    )


def freeze(model, embeddings: bool, layers: int) -> None:
    """Stop gradients into the word embeddings and/or the lowest `layers` transformer layers."""
    if embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad_(False)
    if layers:
        stack = getattr(getattr(model.encoder, "encoder", None), "layer", None)
        if stack is None or layers > len(stack):
            raise ValueError(f"train.freeze_layers={layers}: the encoder has "
                             f"{len(stack) if stack is not None else 'no'} freezable layers")
        for layer in stack[:layers]:
            layer.requires_grad_(False)


def build_trainer(config, model, tokenizer, encoded, task_labels, class_weights, checkpoint_dir,
                  log_path: Path) -> tuple[MultiTaskTrainer, InterruptCallback]:
    from train.data import Collator

    freeze(model, config.train.freeze_embeddings, config.train.freeze_layers)
    interrupt = InterruptCallback()
    callbacks = [JsonlLogCallback(log_path), interrupt]
    if config.train.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(config.train.early_stopping_patience))
    tasks = {
        name: {"weight": config.tasks[name].loss_weight, "class_weights": class_weights.get(name)}
        for name in task_labels
    }
    trainer = MultiTaskTrainer(
        model=model,
        args=training_arguments(config, checkpoint_dir, list(task_labels)),
        train_dataset=encoded[config.data.train_split],
        eval_dataset=encoded[config.data.validation_split],
        data_collator=Collator(tokenizer),
        compute_metrics=make_compute_metrics(task_labels),
        callbacks=callbacks,
        tasks=tasks,
        head_learning_rate=config.train.head_learning_rate,
    )
    return trainer, interrupt


def predict_logits(trainer: Trainer, dataset, task_names: list[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per-task logits and gold label ids for a dataset (distributed-safe via Trainer.predict)."""
    out = trainer.predict(dataset, metric_key_prefix="predict")
    logits = out.predictions if isinstance(out.predictions, (tuple, list)) else (out.predictions,)
    labels = out.label_ids if isinstance(out.label_ids, (tuple, list)) else (out.label_ids,)
    return [np.asarray(z) for z in logits], [np.asarray(y) for y in labels]
