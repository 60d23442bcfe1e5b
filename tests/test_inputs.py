"""infer.inputs: pairs, target masks, truncation, padding; the same items from the transformers
tokenizer (training) and from tokenizer.json alone (inference)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tokenizers import Tokenizer
from transformers import AutoTokenizer

from infer.inputs import encode, encode_for, pad

TEXTS = ["Russia signed the treaty.", "War.", " ".join(["NATO is deeply concerned"] * 30)]
TARGETS = ["NATO and Russia", None, "Russia"]


@pytest.fixture(scope="module")
def tokenizers(tiny_base):
    wrapper = AutoTokenizer.from_pretrained(tiny_base)
    return wrapper, Tokenizer.from_file(str(tiny_base / "tokenizer.json")), wrapper.pad_token_id


def test_target_mask_marks_the_target_tokens_only(tokenizers):
    _, raw, _ = tokenizers
    pair, single, _ = encode(raw, TEXTS, TARGETS, prefix="query: ", max_length=48)
    marked = [i for i, m in zip(pair["input_ids"], pair["target_mask"], strict=True) if m]
    assert raw.decode(marked).strip() == "NATO and Russia"
    assert len(pair["target_mask"]) == len(pair["input_ids"])
    assert not any(single["target_mask"])


def test_training_and_inference_tokenizers_give_the_same_items(tokenizers):
    wrapper, raw, _ = tokenizers
    a = encode(wrapper, TEXTS, TARGETS, prefix="query: ", max_length=40)
    b = encode(raw, TEXTS, TARGETS, prefix="query: ", max_length=40)
    assert a == b
    # ... and the ids are what transformers itself builds for the pair, truncation included.
    hf = wrapper("query: Russia", TEXTS[2], truncation="longest_first", max_length=40)
    assert b[2]["input_ids"] == hf["input_ids"] and b[2]["truncated"]
    assert len(b[0]["input_ids"]) < 40 and not b[0]["truncated"]


def test_training_and_inference_configs_build_the_same_inputs(tokenizers):
    from infer.model import ClaimConfig
    from train.config import ModelConfig

    wrapper, raw, _ = tokenizers
    training = encode_for(ModelConfig(input_prefix="query: ", max_length=40), wrapper, TEXTS, TARGETS)
    inference = encode_for(ClaimConfig(input_prefix="query: ", max_length=40), raw, TEXTS, TARGETS)
    assert training == inference == encode(raw, TEXTS, TARGETS, prefix="query: ", max_length=40)


def test_encode_leaves_the_tokenizer_settings_alone(tokenizers):
    wrapper, _, _ = tokenizers
    backend = wrapper.backend_tokenizer
    backend.enable_truncation(7)
    encode(wrapper, TEXTS, TARGETS, max_length=40)
    assert backend.truncation["max_length"] == 7
    backend.no_truncation()


def test_pad_right_and_left():
    rows = [{"input_ids": [5, 6, 7], "attention_mask": [1, 1, 1], "target_mask": [0, 1, 0]},
            {"input_ids": [5], "attention_mask": [1], "target_mask": [0]}]
    tokenizer = SimpleNamespace(pad_token_id=1, pad_token_type_id=0, padding_side="right")
    right = pad(tokenizer, rows)
    assert right["input_ids"].tolist() == [[5, 6, 7], [5, 1, 1]]
    assert right["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert right["target_mask"].tolist() == [[0, 1, 0], [0, 0, 0]]
    tokenizer.padding_side = "left"
    assert pad(tokenizer, rows)["input_ids"].tolist() == [[5, 6, 7], [1, 1, 5]]
