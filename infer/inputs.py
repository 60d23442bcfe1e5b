"""Build model inputs from (target, text) exactly the same way in training and inference.

The target is the first segment of a text pair and the claim the second, so the encoder reads
"what about" before "what is said"; an empty target gives a single segment. The model's
`input_prefix` (e.g. e5's "query: ") opens the first segment. Over-long inputs lose tokens from
the longer segment first, which is the claim unless a target is absurdly long.
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers.tokenization_utils_base import PreTrainedTokenizerBase


def encode(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    targets: Sequence[str | None] | None = None,
    *,
    prefix: str = "",
    max_length: int = 256,
) -> list[dict]:
    """Tokenise each claim; returns per item `input_ids`, `attention_mask` (and
    `token_type_ids` when the tokenizer makes them) plus `truncated`, all unpadded."""
    targets = list(targets) if targets is not None else [None] * len(texts)
    if len(targets) != len(texts):
        raise ValueError(f"got {len(texts)} texts but {len(targets)} targets")
    out: list[dict] = [{} for _ in texts]
    pairs = [i for i, t in enumerate(targets) if t and t.strip()]
    singles = [i for i, t in enumerate(targets) if not (t and t.strip())]
    if pairs:
        batch = tokenizer(
            [prefix + targets[i].strip() for i in pairs],
            [texts[i] for i in pairs],
            truncation="longest_first",
            max_length=max_length,
        )
        _scatter(batch, pairs, out)
    if singles:
        batch = tokenizer(
            [prefix + texts[i] for i in singles], truncation=True, max_length=max_length
        )
        _scatter(batch, singles, out)
    return out


def _scatter(batch, positions: list[int], out: list[dict]) -> None:
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in batch]
    for j, i in enumerate(positions):
        item = {k: batch[k][j] for k in keys}
        # Fast tokenizers keep what truncation cut off; a non-empty overflow means a cut claim.
        item["truncated"] = bool(batch.encodings[j].overflowing)
        out[i] = item
