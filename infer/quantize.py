"""Int8 CPU inference: the encoder exported, quantised with torchao's PT2E x86 flow, compiled.

`quantize_model(model, "int8", "cpu")` replaces the model's encoder by `Int8Encoder`: the encoder
is captured with `torch.export` (dynamic batch and length), every Linear gets int8 weights (one
scale per output channel) and dynamically quantised int8 activations (scale and zero point
computed per batch at run time), by torchao's `X86InductorQuantizer`; `torch.compile` with weight
freezing then lowers each quantised linear to oneDNN's fused `qlinear` (on CPUs with AMX, the
AMX int8 matmul; bias and GELU fused in). Pooling and the task heads stay fp32 and eager: they are
tiny and their logits decide every label.

Why this path. Measured on the 2-core Xeon dev VM (AVX512-VNNI + AMX), the shipped
multilingual-e5-small model, 2,000 claims, 2 threads, batches of ~1,000 tokens (README, "Speed"):

- PT2E + X86InductorQuantizer (this module): 2.9-3.7x fp32 forward; macro-F1 drop 0.1 (type) and
  0.8 (stance), 99.4% / 97.0% of labels as fp32. Export + quantise take 3 s, the compile on the
  first batch about 40 s.
- torchao `Int8DynamicActivationInt8WeightConfig` + compile (the previous choice): per-token
  activation scales, so closer to fp32 (99.9% / 99.3% same labels), but its matmuls run as
  `aten::_int_mm`, which oneDNN serves from its legacy VNNI GEMM, not AMX: about 2.2x, compile
  90-130 s.
- ONNX Runtime `quantize_dynamic`, per-channel weights: about 1.9x, 2 points of type macro-F1 lost,
  and export + quantise add 15-75 s per load.
- `torch.ao.quantization.quantize_dynamic`: deprecated in torch 2.13, about 1.8x, 9 points lost.

torchao is an optional dependency (`pip install 'claimstance[quant]'`); `infer` never imports it
unless int8 is asked for.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import shutil
import warnings
from contextlib import contextmanager
from types import SimpleNamespace

import torch
from torch import nn

MODES = ("int8",)

# Token budget per batch that `Predictor` uses by default for an int8 model. The int8 matmuls run
# faster on batches that stay in cache: on the 2-core dev VM, 1,024 tokens gave 20-30% more
# claims/s than fp32's 4,096; fp32 itself is flat from 1,024 to 4,096.
INT8_BATCH_TOKENS = 1024


class QuantizationUnavailable(ImportError):
    """The optional quantisation dependencies (or a C++ compiler for torch.compile) are missing."""


def quantize_model(model: nn.Module, mode: str, device: str | torch.device = "cpu") -> nn.Module:
    """Return `model` ready for int8 inference on `device`, with the same interface.

    The model's encoder is replaced in place by an `Int8Encoder`; the first forward call compiles
    (about 40 s, once per process); later calls are fast."""
    if mode not in MODES:
        raise ValueError(f"unknown quantization mode {mode!r}; choose from {MODES}")
    device = torch.device(device)
    if device.type != "cpu":
        raise ValueError(f"int8 quantization targets CPU inference, got device {device}; "
                         "on a GPU run the fp32 (or half-precision) model instead")
    pt2e = _import_pt2e()
    _require_cxx_compiler()
    model.eval()
    model.encoder = Int8Encoder.from_encoder(model.encoder, pt2e, max_length=model.config.max_length)
    model.preferred_batch_tokens = INT8_BATCH_TOKENS
    return model


class Int8Encoder(nn.Module):
    """A Hugging Face encoder as an int8 graph: same call, returns `(last_hidden_state,)`."""

    def __init__(self, graph: nn.Module, config, uses_token_types: bool):
        super().__init__()
        self.graph = graph
        self.config = config
        self.uses_token_types = uses_token_types
        # dynamic=True: one compiled graph for every batch shape instead of one per shape.
        # Compiling is lazy: nothing happens before the first batch.
        self._compiled = torch.compile(graph, dynamic=True)

    @classmethod
    def from_encoder(cls, encoder: nn.Module, pt2e: SimpleNamespace, max_length: int) -> Int8Encoder:
        # Every HF encoder we ship takes token_type_ids; passing zeros equals passing None.
        uses_token_types = "token_type_ids" in inspect.signature(encoder.forward).parameters
        graph = _export_int8(encoder.eval(), pt2e, max_length, uses_token_types)
        return cls(graph, encoder.config, uses_token_types)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None) -> tuple[torch.Tensor]:
        inputs = [input_ids, attention_mask]
        if self.uses_token_types:
            inputs.append(torch.zeros_like(input_ids) if token_type_ids is None else token_type_ids)
        n = input_ids.shape[0]
        if n == 1:
            # A batch of one would make dynamo specialise on the size and compile again;
            # repeating the row keeps every batch on the one dynamic graph.
            inputs = [torch.cat([t, t]) for t in inputs]
        # Freezing turns the weights into constants, which lets inductor pre-pack the int8 weights
        # for oneDNN and fuse each quantised linear. (Passed as `torch.compile(options=...)` it
        # does not reach the PT2E lowering: the prepack op then fails on fake tensors.)
        with torch._inductor.config.patch(freezing=True), warnings.catch_warnings():
            # torch's own int8 lowering copies a tensor the way it warns users not to.
            warnings.filterwarnings("ignore", message="To copy construct from a tensor")
            return (self._compiled(*inputs)[:n],)


class _HiddenStates(nn.Module):
    """The encoder with positional inputs and one tensor out: what torch.export wants."""

    def __init__(self, encoder: nn.Module):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]


def _export_int8(encoder: nn.Module, pt2e: SimpleNamespace, max_length: int, token_types: bool) -> nn.Module:
    """Export with a dynamic batch and length, insert int8 quant/dequant, convert (no compile)."""
    batch = torch.export.Dim("batch", min=1, max=65536)
    length = torch.export.Dim("length", min=2, max=max(max_length, 8))
    # Any valid ids do: the graph has no data-dependent branches, and dynamic quantisation needs
    # no calibration statistics.
    example = [torch.ones(3, 8, dtype=torch.long), torch.ones(3, 8, dtype=torch.long)]
    if token_types:
        example.append(torch.zeros(3, 8, dtype=torch.long))
    shapes = tuple({0: batch, 1: length} for _ in example)
    with torch.no_grad():
        graph = torch.export.export(_HiddenStates(encoder), tuple(example),
                                    dynamic_shapes=shapes).module()
        quantizer = pt2e.X86InductorQuantizer()
        # Dynamic: activation scales are computed per batch at run time, so no calibration data.
        quantizer.set_global(pt2e.get_default_x86_inductor_quantization_config(is_dynamic=True))
        prepared = pt2e.prepare_pt2e(graph, quantizer)
        prepared(*example)
        return pt2e.convert_pt2e(prepared)


def quantized_linears(model: nn.Module) -> list[str]:
    """Names of the linear ops whose weight comes from an int8 tensor (for tests and reports)."""
    encoder = getattr(model, "encoder", None)
    if not isinstance(encoder, Int8Encoder):
        return []
    dequant = torch.ops.quantized_decomposed.dequantize_per_channel.default
    names = []
    for node in encoder.graph.graph.nodes:
        if node.target is torch.ops.aten.linear.default:
            weight = node.args[1]
            if isinstance(weight, torch.fx.Node) and weight.target is dequant:
                names.append(node.name)
    return names


def _import_pt2e() -> SimpleNamespace:
    """torchao's PT2E quantisation entry points; a clear error if torchao is missing."""
    try:
        with _quiet_import():
            flow = importlib.import_module("torchao.quantization.pt2e.quantize_pt2e")
            x86 = importlib.import_module(
                "torchao.quantization.pt2e.quantizer.x86_inductor_quantizer")
    except ImportError as exc:
        raise QuantizationUnavailable(
            "int8 quantization needs torchao: pip install 'claimstance[quant]' "
            f"(or pip install torchao) [{exc}]") from exc

    return SimpleNamespace(
        prepare_pt2e=flow.prepare_pt2e, convert_pt2e=flow.convert_pt2e,
        X86InductorQuantizer=x86.X86InductorQuantizer,
        get_default_x86_inductor_quantization_config=x86.get_default_x86_inductor_quantization_config)


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
