"""Build model inputs from (target, text) exactly the same way in training and inference.

The target is the first segment of a text pair and the claim the second, so the encoder reads
"what about" before "what is said"; an empty target gives a single segment. The model's
`input_prefix` (e.g. e5's "query: ") opens the first segment. Over-long inputs lose tokens from
the longer segment first, which is the claim unless a target is absurdly long.

Each item also gets a `target_mask` marking the target's own tokens (not the prefix, not the
special tokens), so a model with `target_pooling` can read how the claim treats that target.

Encoding calls the `tokenizers` backend of a transformers fast tokenizer directly, with the
same truncation and special tokens `tokenizer(a, b, truncation="longest_first")` applies (a test
checks this), but without the wrapper's per-call Python overhead, which showed in int8 runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from tokenizers import Encoding, Tokenizer


def backend_of(tokenizer) -> Tokenizer:
    """The `tokenizers.Tokenizer` behind a transformers fast tokenizer (or the argument itself)."""
    backend = getattr(tokenizer, "backend_tokenizer", tokenizer)
    if not isinstance(backend, Tokenizer):
        raise TypeError(f"need a fast tokenizer (tokenizer.json), got {type(tokenizer).__name__}")
    return backend


def encode(
    tokenizer,
    texts: Sequence[str],
    targets: Sequence[str | None] | None = None,
    *,
    prefix: str = "",
    max_length: int = 256,
) -> list[dict]:
    """Tokenise each claim; returns per item `input_ids`, `attention_mask`, `target_mask` (and
    `token_type_ids` when the tokenizer gives the second segment its own type) plus
    `truncated`, all unpadded. `tokenizer`: a transformers fast tokenizer or a `tokenizers`
    Tokenizer."""
    targets = list(targets) if targets is not None else [None] * len(texts)
    if len(targets) != len(texts):
        raise ValueError(f"got {len(texts)} texts but {len(targets)} targets")
    backend = backend_of(tokenizer)
    out: list[dict] = [{} for _ in texts]
    pairs = [i for i, t in enumerate(targets) if t and t.strip()]
    singles = [i for i, t in enumerate(targets) if not (t and t.strip())]
    with _truncating(backend, max_length):
        # Models that use token types (BERT) get them, the others (XLM-R, e5) do not, as in
        # transformers; decided per tokenizer, so every item of a batch has the same keys.
        with_types = any(backend.encode("a", "b").type_ids)
        if pairs:
            encodings = backend.encode_batch([(prefix + targets[i].strip(), texts[i]) for i in pairs])
            _scatter(encodings, pairs, out, len(prefix), with_types)
        if singles:
            encodings = backend.encode_batch([prefix + texts[i] for i in singles])
            _scatter(encodings, singles, out, None, with_types)
    return out


def encode_for(config, tokenizer, texts: Sequence[str],
               targets: Sequence[str | None] | None = None) -> list[dict]:
    """`encode` with the input options a model records (`input_prefix`, `max_length`) in its
    `ClaimConfig` (inference) or training's `ModelConfig` (same field names): training, inference
    and the benchmarks all build inputs through this one call."""
    return encode(tokenizer, texts, targets, prefix=config.input_prefix, max_length=config.max_length)


@contextmanager
def _truncating(backend: Tokenizer, max_length: int) -> Iterator[None]:
    """Truncate longest-first, pad nothing; the tokenizer's own settings are put back after."""
    truncation, padding = backend.truncation, backend.padding
    backend.enable_truncation(max_length, strategy="longest_first")
    backend.no_padding()
    try:
        yield
    finally:
        if truncation:
            backend.enable_truncation(**truncation)
        else:
            backend.no_truncation()
        if padding:
            backend.enable_padding(**padding)


def _scatter(encodings: list[Encoding], positions: list[int], out: list[dict],
             prefix_chars: int | None, with_types: bool) -> None:
    for enc, i in zip(encodings, positions, strict=True):
        item = {"input_ids": enc.ids, "attention_mask": enc.attention_mask,
                "target_mask": _target_mask(enc, prefix_chars)}
        if with_types:
            item["token_type_ids"] = enc.type_ids
        # The backend keeps what truncation cut off; a non-empty overflow means a cut claim.
        item["truncated"] = bool(enc.overflowing)
        out[i] = item


def _target_mask(enc: Encoding, prefix_chars: int | None) -> list[int]:
    """1 for tokens of the first segment that hold characters after the prefix, else 0."""
    if prefix_chars is None:
        return [0] * len(enc.ids)
    return [int(seq == 0 and end > prefix_chars)
            for seq, (_, end) in zip(enc.sequence_ids, enc.offsets, strict=True)]


PAD_KEYS = ("input_ids", "attention_mask", "token_type_ids", "target_mask")


def pad(tokenizer, rows: Sequence[dict]) -> dict[str, torch.Tensor]:
    """Pad `encode` items to the longest one, as tensors, on the tokenizer's padding side (what
    `tokenizer.pad` does, plus `target_mask`, without its per-item overhead: it was 2% of an fp32
    run, 10% of an int8 one). `tokenizer`: a transformers tokenizer with a pad token."""
    if tokenizer.pad_token_id is None:
        raise ValueError(f"tokenizer {type(tokenizer).__name__} has no pad token")
    fill = {"input_ids": tokenizer.pad_token_id, "attention_mask": 0,
            "token_type_ids": tokenizer.pad_token_type_id, "target_mask": 0}
    left = tokenizer.padding_side == "left"
    width = max(len(r["input_ids"]) for r in rows)
    out = {}
    for key in (k for k in PAD_KEYS if k in rows[0]):
        filler = [fill[key]] * width
        out[key] = torch.tensor([filler[:width - len(r[key])] + list(r[key]) if left
                                 else list(r[key]) + filler[:width - len(r[key])] for r in rows])
    return out
