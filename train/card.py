"""The model card (README.md) written next to a trained model: data, config, metrics, provenance."""

from __future__ import annotations

from pathlib import Path

import yaml

from infer.model import ClaimConfig
from train.config import Config


def _metrics_table(split_metrics: dict) -> list[str]:
    langs = sorted({code for m in split_metrics.values() for code in m.get("per_language", {})})
    head = "| task | accuracy | macro-F1 | weighted F1 | ECE raw | ECE calibrated | " + " | ".join(
        f"macro-F1 {c}" for c in langs) + " |"
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for task, m in split_metrics.items():
        per_lang = " | ".join(f"{m.get('per_language', {}).get(c, float('nan')):.3f}" for c in langs)
        lines.append(f"| {task} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['weighted_f1']:.3f} | "
                     f"{m['ece_raw']:.3f} | {m['ece']:.3f} | {per_lang} |")
    return lines


def write_model_card(out: Path, config: Config, model_config: ClaimConfig, summary: dict,
                     split_sizes: dict[str, int]) -> None:
    lines = [
        "---",
        "library_name: claimstance",
        "tags: [claimstance, text-classification, stance-detection, multilingual]",
        "---",
        "# claimstance claim model",
        "",
        "Predicts for each claim in news text its **type** (speech act) and its **stance** toward a "
        "target, following the claimstance annotation guideline (LABELS.md).",
        "",
        "## Base model",
        f"- `{model_config.base_model}`: {model_config.base_model_note}",
        f"- pooling: {model_config.pooling}"
        f"{' + target tokens' if model_config.target_pooling else ''}; input prefix: {model_config.input_prefix!r}; "
        f"max length: {model_config.max_length} tokens; schema version {model_config.schema_version}",
        "",
        "## Labels",
        *[f"- `{task}`: {', '.join(labels)}" for task, labels in model_config.tasks.items()],
        "",
        "## Data",
        f"- source: `{config.data.files or config.data.path}`",
        *[f"- {split}: {n} rows" for split, n in split_sizes.items()],
        "",
        f"## Training\n- {summary['seconds']:.0f} s, {summary['train_samples_per_second']:.1f} "
        f"samples/s, peak memory {summary['peak_memory_mb']:.0f} MB",
        f"- calibration temperatures (fitted on validation): {model_config.temperatures}",
        "",
    ]
    for split in ("validation", "test"):
        if split in summary:
            lines += [f"## Metrics: {split}", "", *_metrics_table(summary[split]), ""]
    lines += ["## Config", "", "```yaml", yaml.safe_dump(config.to_dict(), sort_keys=False,
                                                         allow_unicode=True).rstrip(), "```", ""]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
