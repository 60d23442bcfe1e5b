"""Int8 CPU inference: dynamic int8 linears from torchao, compiled by inductor.

`quantize_model(model, "int8", "cpu")` turns every encoder `nn.Linear` into an int8 linear
(per-row int8 weights, activations quantised per token at run time) and wraps the model in
`torch.compile` with weight freezing. In the compiled model each matmul is an int8 x int8 -> int32
`aten::_int_mm` (oneDNN, VNNI on x86), and inductor fuses the per-token quantise / dequantise
steps into its C++ kernels around it. The classification heads stay in fp32: they are tiny and
their logits decide every label.

Where the time goes (torch profiler, 2-core dev VM, batches of ~1,000 tokens): int8 matmuls
about 43%, the fused element-wise kernels (quantise, dequantise, layer norm, GELU) about 36%,
attention (SDPA, fp32) about 20%. Tried and not kept: bf16 for the non-matmul remainder (no
faster), eager attention compiled by inductor (slower), inductor `max_autotune` (same kernels),
torchao's PT2E `X86InductorQuantizer` path (the fused oneDNN `qlinear` runs no faster than
`_int_mm` here).

Why this backend. Measured on the 2-core Xeon dev machine (AVX512-VNNI + AMX), a claimstance
multilingual-e5-small model, length-sorted batches of 64, 2 threads (see README, "Speed"):

- torchao + torch.compile (this module): 2.0-2.9x the claims/s of fp32 eager, type/stance
  labels 99.9%/99.3% identical to fp32 on the shipped model. Cost: a one-off compile on the first batch (40 s to 3 min;
  inductor caches it on disk, so later runs are faster) and a C++ compiler on the machine.
- torchao without compile: 4x *slower* than fp32 (the quantise/dequantise steps run as separate
  eager ops), so compiling is not optional.
- ONNX Runtime (`quantize_dynamic`, per-channel weights): about 1.9x fp32, but one activation scale
  per tensor cost 2 points of type macro-F1, and export + quantise add 15-75 s per load.
- `torch.ao.quantization.quantize_dynamic`: deprecated in torch 2.13, about 1.8x fp32, and its
  per-tensor activation scales cost 9 points of type macro-F1 on our model.

torchao is an optional dependency (`pip install 'claimstance[quant]'`); `infer` never imports it
unless int8 is asked for.
"""

from __future__ import annotations

import importlib
import logging
import shutil
from contextlib import contextmanager

import torch
from torch import nn

MODES = ("int8",)


class QuantizationUnavailable(ImportError):
    """The optional quantisation dependencies (or a C++ compiler for torch.compile) are missing."""


def quantize_model(model: nn.Module, mode: str, device: str | torch.device = "cpu") -> nn.Module:
    """Return `model` ready for int8 inference on `device`; same `model(**inputs).logits` interface.

    The model's encoder linears are replaced in place; use the returned module from then on.
    The first forward call compiles (slow, once per process); later calls are fast."""
    if mode not in MODES:
        raise ValueError(f"unknown quantization mode {mode!r}; choose from {MODES}")
    device = torch.device(device)
    if device.type != "cpu":
        raise ValueError(f"int8 quantization targets CPU inference, got device {device}; "
                         "on a GPU run the fp32 (or half-precision) model instead")
    ao = _import_torchao()
    _require_cxx_compiler()
    model.eval()
    # Symmetric per-token activations: what oneDNN's fused int8 linear lowering matches.
    config = ao.Int8DynamicActivationInt8WeightConfig(set_inductor_config=False)
    ao.quantize_(model, config, filter_fn=is_encoder_linear)
    return CompiledClaimModel(model)


def is_encoder_linear(module: nn.Module, fqn: str) -> bool:
    """Linear layers that get int8 weights: all but the task heads."""
    return isinstance(module, nn.Linear) and not fqn.startswith("heads")


def quantized_linears(model: nn.Module) -> list[str]:
    """Names of the Linear layers whose weight is an int8 tensor (for tests and reports)."""
    model = getattr(model, "model", model)
    return [name for name, m in model.named_modules()
            if isinstance(m, nn.Linear) and _is_int8_weight(m.weight)]


def _is_int8_weight(weight: torch.Tensor) -> bool:
    # torchao weights are tensor subclasses that keep their int8 payload in `qdata`.
    qdata = getattr(weight, "qdata", None)
    return type(weight) is not nn.Parameter and isinstance(qdata, torch.Tensor) \
        and qdata.dtype == torch.int8


class CompiledClaimModel(nn.Module):
    """The quantised model behind `torch.compile`, with the wrapped model's `config`."""

    # Token budget per batch that `Predictor` uses by default. The int8 matmuls run faster on
    # batches that stay in cache: on the 2-core dev VM, 1,024 tokens gave 20-30% more claims/s
    # than fp32's 4,096 (and 16,384 was slower than fp32); fp32 itself is flat from 1,024 to 4,096.
    preferred_batch_tokens = 1024

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model
        # dynamic=True: one graph for every batch shape instead of a recompile per shape;
        # freezing lets inductor pre-pack the int8 weights for oneDNN.
        self._compiled = torch.compile(model, dynamic=True, options={"freezing": True})

    @property
    def config(self):
        return self.model.config

    def forward(self, **inputs: torch.Tensor):
        n = inputs["input_ids"].shape[0]
        if n == 1:
            # A batch of one would make dynamo specialise on the size and compile again;
            # repeating the row keeps every batch on the one dynamic graph.
            inputs = {k: _twice(v) for k, v in inputs.items()}
        out = self._compiled(**inputs)
        if n == 1:
            out.logits = tuple(z[:1] for z in out.logits)
        return out


def _twice(t: torch.Tensor) -> torch.Tensor:
    return torch.cat([t, t], dim=0)


def _import_torchao():
    """torchao.quantization, with the x86 int8 lowering registered; a clear error if missing."""
    try:
        with _quiet_import():
            ao = importlib.import_module("torchao.quantization")
    except ImportError as exc:
        raise QuantizationUnavailable(
            "int8 quantization needs torchao: pip install 'claimstance[quant]' "
            f"(or pip install torchao) [{exc}]") from exc
    try:
        # torchao >= 0.16 registers inductor's int8 -> onednn.qlinear patterns only when the x86
        # quantizer module is imported; without them int8 runs unfused and slower than fp32.
        with _quiet_import():
            importlib.import_module("torchao.quantization.pt2e.quantizer.x86_inductor_quantizer")
    except ImportError:  # moved in a later torchao, which registers the patterns itself
        pass
    return ao


@contextmanager
def _quiet_import():
    # torchao logs a warning for each CUDA-only extension it cannot load on a CPU build.
    loggers = [logging.getLogger(n) for n in ("torchao", "torch.utils._pytree")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _require_cxx_compiler() -> None:
    if not any(shutil.which(c) for c in ("g++", "c++", "clang++")):
        raise QuantizationUnavailable(
            "int8 quantization compiles the model with torch.compile, which needs a C++ "
            "compiler (g++ or clang++); install one or run without --quantize")
