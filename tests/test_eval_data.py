"""Evaluation data: column defaults from the model's training config, label checks, and where
the baseline's training data comes from."""

from __future__ import annotations

import json

import pytest
import yaml

from train.data import DataError
from train.eval_data import (
    Claims,
    UnknownLabelsError,
    baseline_source,
    gold_ids,
    load_claims,
    resolve_columns,
)

TASKS = {"type": ["report", "warning"], "stance": ["support", "oppose", "neutral"]}


def write_rows(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_columns_come_from_train_config_unless_given(tmp_path):
    config = {"data": {"text_column": "claim", "target_column": "about", "lang_column": None},
              "tasks": {"type": {"column": "speech_act"}, "stance": {}}}
    (tmp_path / "train_config.yaml").write_text(yaml.safe_dump(config))
    cols = resolve_columns(tmp_path, ["type", "stance"])
    assert (cols.text, cols.target, cols.lang) == ("claim", "about", None)
    assert cols.tasks == {"type": "speech_act", "stance": "stance"} and not cols.explicit
    cols = resolve_columns(tmp_path, ["type"], text="body", lang="language")
    assert (cols.text, cols.lang, cols.explicit) == ("body", "language", {"text", "lang"})


def test_load_claims_reads_rows_and_names_missing_columns(tmp_path):
    rows = [{"text": "A.", "type": "report", "stance": "neutral", "lang": "en", "target": " NATO "},
            {"text": "B.", "type": "", "stance": "oppose", "lang": "uk", "target": None}]
    path = write_rows(tmp_path / "x.jsonl", rows)
    cols = resolve_columns(tmp_path, list(TASKS))
    claims = load_claims(str(path), "test", cols)
    assert claims.targets == ["NATO", ""] and claims.langs == ["en", "uk"]
    assert claims.labels["type"] == ["report", None] and claims.ids == ["row-0", "row-1"]
    cols.text = "body"
    with pytest.raises(DataError, match=r"missing column\(s\) \['body'\]"):
        load_claims(str(path), "test", cols)
    with pytest.raises(DataError, match=r"no such file or folder: nope\.jsonl"):
        load_claims("nope.jsonl", "test", cols)


def test_unknown_labels_are_listed_per_task():
    claims = Claims(texts=["a", "b", "c"], targets=["", "", ""], langs=["en"] * 3, ids=["1", "2", "3"],
                    labels={"type": ["report", "opinion", None], "stance": ["pro", "oppose", "neutral"]},
                    source="eval.jsonl")
    with pytest.raises(UnknownLabelsError) as err:
        gold_ids(claims, TASKS)
    assert "type: ['opinion']" in str(err.value) and "stance: ['pro']" in str(err.value)
    lenient = gold_ids(claims, TASKS, strict=False)
    assert lenient["type"].tolist() == [0, -1, -1] and lenient["stance"].tolist() == [-1, 1, 2]


def test_baseline_source_prefers_flag_then_neighbour_then_recorded(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for split in ("train", "test"):
        write_rows(data / f"{split}.jsonl", [{"text": "x"}])
    model = tmp_path / "model"
    model.mkdir()
    assert baseline_source(str(data), "test", model, "other.csv") == ("other.csv", "train")
    assert baseline_source(str(data / "test.jsonl"), "test", model, None) == (str(data / "train.jsonl"), "train")
    assert baseline_source(str(data), "test", model, None) == (str(data / "train.jsonl"), "train")
    # Evaluating on the training split itself, or in document mode: fall back to the record.
    assert baseline_source(str(data), "train", model, None) is None
    (model / "train_config.yaml").write_text(yaml.safe_dump({"data": {"path": str(data)}}))
    assert baseline_source("articles/", "test", model, None, documents=True) == (str(data), "train")
