"""int8 quantisation (`infer.quantize`): agreement with fp32 and that the linears really are int8."""

from __future__ import annotations

import shutil
import sys

import pytest
import torch

from infer.quantize import QuantizationUnavailable, quantize_model, quantized_linears


def _claims(data) -> tuple[list[str], list[str]]:
    import json

    rows = [json.loads(line) for line in (data / "test.jsonl").read_text().splitlines()]
    return [r["text"] for r in rows], [r["target"] for r in rows]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown quantization mode"):
        quantize_model(torch.nn.Linear(2, 2), "int4", "cpu")


def test_missing_torchao_gives_a_clear_error(monkeypatch):
    for name in ("torchao.quantization", "torchao.quantization.pt2e.quantize_pt2e"):
        monkeypatch.setitem(sys.modules, name, None)  # makes the import fail
    with pytest.raises(QuantizationUnavailable, match=r"claimstance\[quant\]"):
        quantize_model(torch.nn.Linear(2, 2), "int8", "cpu")


def test_missing_torchao_is_an_import_error():
    # claims-infer reports an ImportError from the model load as "--quantize ... not available".
    assert issubclass(QuantizationUnavailable, ImportError)


@pytest.fixture(scope="session")
def int8_ready() -> None:
    """Skips before the (slow) tiny model is trained when int8 cannot run here."""
    pytest.importorskip("torchao", reason="optional dependency: pip install 'claimstance[quant]'")
    if not any(shutil.which(c) for c in ("g++", "c++", "clang++")):
        pytest.skip("torch.compile needs a C++ compiler")


def test_int8_agrees_with_fp32_and_quantizes_the_encoder(int8_ready, tiny_model, tiny_data):
    from infer.predict import Predictor

    texts, targets = _claims(tiny_data)
    fp32 = Predictor.from_pretrained(tiny_model, device="cpu").predict(texts, targets)
    int8 = Predictor.from_pretrained(tiny_model, device="cpu", quantize="int8")

    names = quantized_linears(int8.model)
    assert len(names) == 2 * 6  # 2 layers x (q, k, v, o, up, down); the heads stay fp32
    assert all(type(h) is torch.nn.Linear and h.weight.dtype == torch.float32
               for h in int8.model.heads)
    assert int8.max_batch_tokens == 1024  # the int8 model's preferred budget, not fp32's 4096

    # Odd sizes on purpose: a batch of one goes through the same compiled graph.
    for n in (len(texts), 1):
        preds = int8.predict(texts[:n], targets[:n])
        assert len(preds) == n
        for task in int8.tasks:
            same = sum(p[task]["label"] == q[task]["label"] for p, q in zip(fp32, preds, strict=False))
            assert same >= 0.8 * n, f"{task}: int8 agrees with fp32 on {same}/{n}"
            assert all(0.0 <= p[task]["score"] <= 1.0 for p in preds)
