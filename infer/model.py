"""The claim model: one pretrained encoder, a pooling step, one linear head per task.

`ClaimConfig` records everything inference needs to rebuild inputs exactly as training did
(input prefix, pooling, label lists, calibration temperatures); both classes are registered with
the transformers Auto classes, so `AutoModel.from_pretrained(dir)` works with no remote code.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PreTrainedConfig, PreTrainedModel
from transformers.configuration_utils import SubConfigSpec
from transformers.utils import ModelOutput

from infer.labels import DEFAULT_TASKS, SCHEMA_VERSION

POOLINGS = ("mean", "cls")


class ClaimConfig(PreTrainedConfig):
    """Config of a claimstance model; `tasks` maps each head to its ordered label list."""

    model_type = "claimstance"
    sub_configs_defaults = {  # noqa: RUF012 (the transformers convention)
        "encoder_config": SubConfigSpec(config_class=AutoConfig, model_type="bert"),
    }

    encoder_config: dict | PreTrainedConfig | None = None
    # [{"name": task, "labels": [...]}, ...]: a list, since config.json is written with sorted keys
    # and the head order must survive the round trip.
    task_specs: list | None = None
    pooling: str = "mean"
    # Heads also see the mean of the target's own tokens (contextualised by the claim), so the
    # stance head reads how the claim treats *this* target; a plain sentence mean dilutes the
    # few target tokens among the claim's and the head ends up ignoring the target.
    target_pooling: bool = False
    # Prepended to the first input segment; e5 models were trained with "query: ".
    input_prefix: str = ""
    max_length: int = 256
    classifier_dropout: float = 0.1
    # Per-task softmax temperature fitted on validation data (1.0 = uncalibrated).
    temperatures: dict | None = None
    base_model: str = ""
    base_model_note: str = ""
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self, **kwargs):
        super().__post_init__(**kwargs)
        if self.task_specs is None:
            self.task_specs = [{"name": n, "labels": list(ls)} for n, ls in DEFAULT_TASKS.items()]
        if not self.task_specs:
            raise ValueError("ClaimConfig.task_specs must name at least one task")
        for name, labels in self.tasks.items():
            if len(labels) < 2 or len(set(labels)) != len(labels):
                raise ValueError(f"task {name!r} needs >= 2 distinct labels, got {labels!r}")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {self.pooling!r}")
        temps = dict(self.temperatures or {})
        self.temperatures = {name: float(temps.get(name, 1.0)) for name in self.tasks}

    @property
    def tasks(self) -> dict[str, list[str]]:
        """Task name -> ordered label list, in head order."""
        return {spec["name"]: list(spec["labels"]) for spec in self.task_specs}

    def id2label_for(self, task: str) -> dict[int, str]:
        return dict(enumerate(self.tasks[task]))

    def label2id_for(self, task: str) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.tasks[task])}


@dataclass
class ClaimOutput(ModelOutput):
    """Per-task logits, in the order of `config.tasks`."""

    loss: torch.Tensor | None = None
    logits: tuple[torch.Tensor, ...] | None = None


def _build_encoder(config: PreTrainedConfig) -> PreTrainedModel:
    # BERT-like encoders add a pooler we never use; leaving it out avoids unused parameters under DDP.
    model_cls = AutoModel._model_mapping[type(config)]
    if "add_pooling_layer" in inspect.signature(model_cls.__init__).parameters:
        return model_cls(config, add_pooling_layer=False)
    return model_cls(config)


class ClaimModel(PreTrainedModel):
    config_class = ClaimConfig
    base_model_prefix = "claim"
    supports_gradient_checkpointing = True

    def __init__(self, config: ClaimConfig):
        super().__init__(config)
        self.encoder = _build_encoder(config.encoder_config)
        hidden = config.encoder_config.hidden_size * (2 if config.target_pooling else 1)
        self.dropout = nn.Dropout(config.classifier_dropout)
        # A list in `config.tasks` order (a ModuleDict would clash with names such as "type").
        self.heads = nn.ModuleList(nn.Linear(hidden, len(labels)) for labels in config.tasks.values())
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        # Only the heads are ours; the encoder initialises (or loads) its own weights.
        if isinstance(module, nn.Linear) and any(module is h for h in self.heads):
            module.weight.data.normal_(mean=0.0, std=0.02)
            module.bias.data.zero_()

    @classmethod
    def from_encoder(cls, encoder: PreTrainedModel, tasks: dict[str, list[str]],
                     **options) -> ClaimModel:
        """A new model around a pretrained encoder, with freshly initialised heads; `options`
        are `ClaimConfig` fields (pooling, target_pooling, input_prefix, max_length, ...)."""
        config = ClaimConfig(
            encoder_config=encoder.config.to_dict(),
            task_specs=[{"name": n, "labels": list(ls)} for n, ls in tasks.items()],
            **options,
        )
        model = cls(config)
        missing, unexpected = model.encoder.load_state_dict(encoder.state_dict(), strict=False)
        if unexpected or [k for k in missing if "pooler" not in k]:
            raise ValueError(f"encoder weights do not fit: missing={missing} unexpected={unexpected}")
        return model

    def pool(self, hidden: torch.Tensor, attention_mask: torch.Tensor,
             target_mask: torch.Tensor | None = None) -> torch.Tensor:
        """The features the heads read: the sentence vector, then (with `target_pooling`) the
        mean of the target tokens, or the sentence vector again for a claim without target."""
        if self.config.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            pooled = _masked_mean(hidden, attention_mask)
        if not self.config.target_pooling:
            return pooled
        if target_mask is None:
            target_mask = torch.zeros_like(attention_mask)
        has_target = (target_mask.sum(1, keepdim=True) > 0).to(hidden.dtype)
        target = _masked_mean(hidden, target_mask)
        return torch.cat([pooled, has_target * target + (1 - has_target) * pooled], dim=-1)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        target_mask: torch.Tensor | None = None,
    ) -> ClaimOutput:
        extra = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]
        pooled = self.dropout(self.pool(hidden, attention_mask, target_mask))
        return ClaimOutput(logits=tuple(head(pooled) for head in self.heads))


def _masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


AutoConfig.register(ClaimConfig.model_type, ClaimConfig)
AutoModel.register(ClaimConfig, ClaimModel)
