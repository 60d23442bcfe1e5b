"""`Predictor`: batched, length-sorted inference with calibrated scores; labels come back as strings.

Inputs are sorted by token length and cut into batches under a token budget, so a batch of short
headlines is not padded to the length of one long sentence; results are put back in input order.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from tqdm.auto import tqdm
from transformers import AutoTokenizer

from infer.inputs import encode_for, pad
from infer.labels import DEFAULT_TASKS, SCHEMA_VERSION
from infer.model import ClaimConfig, ClaimModel

logger = logging.getLogger(__name__)

TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spm.model", "vocab.txt")


class ModelDirError(ValueError):
    """A model folder cannot be used: missing files, unknown label maps or a newer schema."""


def check_model_dir(path: str | Path) -> ClaimConfig:
    """Validate a model folder before any work is done; returns its config."""
    path = Path(path)
    if not path.is_dir():
        raise ModelDirError(f"model folder not found: {path}")
    missing = [f for f in ("config.json", "model.safetensors") if not (path / f).is_file()]
    if not any((path / f).is_file() for f in TOKENIZER_FILES):
        missing.append("tokenizer (tokenizer.json)")
    if missing:
        raise ModelDirError(f"{path} is not a complete claimstance model: missing {', '.join(missing)}")
    try:
        raw = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelDirError(f"{path}/config.json is not valid JSON: {e}") from e
    if not isinstance(raw, dict):
        raise ModelDirError(f"{path}/config.json: expected a JSON object")
    if raw.get("model_type") != ClaimConfig.model_type:
        raise ModelDirError(f"{path}/config.json: model_type is {raw.get('model_type')!r}, "
                            f"expected {ClaimConfig.model_type!r}")
    version = raw.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ModelDirError(f"{path}/config.json: schema_version {version!r} is newer than this "
                            f"claimstance supports ({SCHEMA_VERSION}); upgrade claimstance")
    specs = raw.get("task_specs")
    if not isinstance(specs, list) or not specs:
        raise ModelDirError(f"{path}/config.json: task_specs missing or empty")
    for spec in specs:
        name, labels = (spec.get("name"), spec.get("labels")) if isinstance(spec, dict) else (None, None)
        if not isinstance(name, str) or not isinstance(labels, list) or len(labels) < 2:
            raise ModelDirError(f"{path}/config.json: malformed task spec {spec!r}")
        known = DEFAULT_TASKS.get(name)
        if known is not None and (unknown := sorted(set(labels) - set(known))):
            raise ModelDirError(f"{path}/config.json: task {name!r} has unknown labels {unknown} "
                                f"(known: {list(known)})")
    try:
        return ClaimConfig.from_pretrained(path)
    except (ValueError, TypeError) as e:  # e.g. duplicate labels, an unknown pooling
        raise ModelDirError(f"{path}/config.json: {e}") from e


@dataclass
class Batch:
    positions: list[int]
    inputs: dict[str, torch.Tensor]


class Predictor:
    """Predicts every task of a claimstance model for claims or whole articles."""

    def __init__(self, model: ClaimModel, tokenizer, device: str | torch.device = "cpu",
                 max_batch_tokens: int | None = None, max_batch_size: int = 128):
        self.model = model
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        # On CPU, bigger batches add activation memory (about 40 MB per 1,000 tokens of batch for
        # e5-small) and no speed; a GPU wants more tokens per launch; an int8 model says its own.
        self.max_batch_tokens = (max_batch_tokens or getattr(model, "preferred_batch_tokens", None)
                                 or (16384 if self.device.type == "cuda" else 4096))
        self.max_batch_size = max_batch_size

    @classmethod
    def from_pretrained(cls, path: str | Path, device: str | None = None, quantize: str | None = None,
                        **kwargs) -> Predictor:
        check_model_dir(path)
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        model = ClaimModel.from_pretrained(path).eval().to(device)
        tokenizer = AutoTokenizer.from_pretrained(path)
        if quantize is not None:
            from infer.quantize import quantize_model

            model = quantize_model(model, quantize, device)
        return cls(model, tokenizer, device=device, **kwargs)

    @property
    def config(self) -> ClaimConfig:
        return self.model.config

    @property
    def tasks(self) -> dict[str, list[str]]:
        return self.config.tasks

    def batches(self, items: list[dict]) -> Iterator[Batch]:
        """Length-sorted batches under the token budget (longest first, so memory peaks early)."""
        order = sorted(range(len(items)), key=lambda i: len(items[i]["input_ids"]), reverse=True)
        start = 0
        while start < len(order):
            longest = len(items[order[start]]["input_ids"])
            size = max(1, min(self.max_batch_size, self.max_batch_tokens // max(longest, 1)))
            positions = order[start:start + size]
            start += size
            padded = pad(self.tokenizer, [items[i] for i in positions])
            yield Batch(positions, {k: v.to(self.device) for k, v in padded.items()})

    @torch.inference_mode()
    def predict_logits(self, texts: Sequence[str], targets: Sequence[str | None] | None = None,
                       progress: bool = False) -> tuple[dict[str, torch.Tensor], list[bool]]:
        """Raw logits per task, in input order, and whether each claim was truncated."""
        items = encode_for(self.config, self.tokenizer, texts, targets)
        out = {name: torch.empty(len(items), len(labels)) for name, labels in self.tasks.items()}
        bar = tqdm(total=len(items), unit="claim", disable=not progress, leave=False)
        for batch in self.batches(items):
            logits = self.model(**batch.inputs).logits
            index = torch.tensor(batch.positions)
            for name, z in zip(self.tasks, logits, strict=True):
                out[name][index] = z.float().cpu()
            bar.update(len(batch.positions))
        bar.close()
        return out, [it["truncated"] for it in items]

    def predict(self, texts: Sequence[str], targets: Sequence[str | None] | None = None, *,
                all_scores: bool = False, progress: bool = False) -> list[dict]:
        """Per claim: {task: {"label", "score"[, "scores"]}, ..., "truncated": bool}.

        Scores are softmax probabilities after the model's calibration temperature."""
        if isinstance(texts, str):
            raise TypeError("predict() takes a list of texts; wrap a single text in a list")
        logits, truncated = self.predict_logits(texts, targets, progress=progress)
        results: list[dict] = [{} for _ in texts]
        for name, labels in self.tasks.items():
            probs = torch.softmax(logits[name] / self.config.temperatures[name], dim=-1)
            best = probs.argmax(-1, keepdim=True)
            # Plain lists first: indexing a tensor per row costs microseconds each.
            top, ids = probs.gather(1, best).squeeze(1).tolist(), best.squeeze(1).tolist()
            rows = probs.tolist() if all_scores else None
            for i, (k, score) in enumerate(zip(ids, top, strict=True)):
                entry = {"label": labels[k], "score": score}
                if rows is not None:
                    entry["scores"] = dict(zip(labels, rows[i], strict=True))
                results[i][name] = entry
        for res, cut in zip(results, truncated, strict=True):
            res["truncated"] = cut
        return results

    def predict_documents(self, docs: Sequence[str], targets: Sequence[str | None] | None = None,
                          *, all_scores: bool = False, progress: bool = False) -> list[list[dict]]:
        """Segment each article into claim units and predict each; units keep their offsets,
        unit index and speaker. `targets` gives one target per document (or None)."""
        from infer.segment import segment

        units = [segment(doc) for doc in docs]
        flat = [u for doc_units in units for u in doc_units]
        doc_targets = list(targets) if targets is not None else [None] * len(docs)
        flat_targets = [t for t, doc_units in zip(doc_targets, units, strict=True) for _ in doc_units]
        preds = self.predict([u.text for u in flat], flat_targets, all_scores=all_scores,
                             progress=progress)
        out, k = [], 0
        for doc_units in units:
            out.append([{**u.as_dict(), **preds[k + j]} for j, u in enumerate(doc_units)])
            k += len(doc_units)
        return out
