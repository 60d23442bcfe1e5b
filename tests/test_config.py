from __future__ import annotations

import pytest

from train.config import ConfigError, load_config


def test_defaults_have_both_heads():
    config = load_config(None)
    assert list(config.tasks) == ["type", "stance"]
    assert config.tasks["stance"].labels == ["support", "oppose", "neutral"]


def test_dotted_overrides_are_typed():
    config = load_config(None, ["--train.learning_rate=3e-5", "--train.epochs=2",
                                "--tasks.stance.class_weighting=balanced"])
    assert config.train.learning_rate == pytest.approx(3e-5)
    assert config.train.epochs == 2
    assert config.tasks["stance"].class_weighting == "balanced"


def test_single_task_by_dropping_a_head():
    config = load_config(None, ["--tasks.type=false"])
    assert list(config.tasks) == ["stance"]


def test_yaml_file_and_custom_task(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("tasks:\n  sentiment:\n    column: label\n    labels: [pos, neg]\n"
                    "train:\n  epochs: 1\n")
    config = load_config(path)
    assert list(config.tasks) == ["sentiment"]
    assert config.tasks["sentiment"].column == "label"


@pytest.mark.parametrize("override, message", [
    ("--train.lr=3", "unknown key(s) train.lr"),
    ("--train.batch_size=0", "train.batch_size must be a positive integer, got 0"),
    ("--model.pooling=max", "got 'max'"),
    ("--train.learning_rate=fast", "train.learning_rate must be a number, got 'fast'"),
    ("--tasks.stance.class_weighting=inverse", "got 'inverse'"),
    ("--nonsense.key=1", "unknown top-level key(s) nonsense"),
    ("--train.precision=fp8", "got 'fp8'"),
])
def test_bad_values_are_quoted(override, message):
    with pytest.raises(ConfigError, match=None) as info:
        load_config(None, [override])
    assert message in str(info.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_shipped_configs_load():
    from pathlib import Path

    configs = sorted((Path(__file__).parent.parent / "configs").glob("*.yaml"))
    assert configs
    for path in configs:
        load_config(path)
