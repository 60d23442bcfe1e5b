"""Slow: the real offline multilingual-e5-small through the whole path (a few training steps on a
slice of the bundled data, then document inference on the seed article)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from train.config import load_config
from train.fit import fit

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_few_steps_on_real_base_model_then_seed_article(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    data = tmp_path / "data"
    data.mkdir()
    seen: dict[str, set] = {"type": set(), "stance": set()}
    written = {}
    for split, step in (("train", 38), ("validation", 10), ("test", 10)):
        rows = [json.loads(x) for x in (ROOT / "data" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        rows = rows[::step]  # a slice across languages and writers
        if split == "train":
            seen = {h: {r[h] for r in rows} for h in seen}
        else:  # keep evaluation labels the small training slice has seen
            rows = [r for r in rows if all(r[h] in seen[h] for h in seen)][:48]
        written[split] = len(rows)
        (data / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    config = load_config(ROOT / "configs" / "default.yaml", [
        f"--data.path={data}", "--train.max_steps=4", "--train.batch_size=16",
        "--train.eval_strategy=steps", "--train.save_steps=4", "--train.early_stopping_patience=null"])
    fit(config, tmp_path / "model")
    card = (tmp_path / "model" / "README.md").read_text()
    assert "4-bit" in card  # the model card states the dequantised provenance
    from infer import Predictor

    predictor = Predictor.from_pretrained(tmp_path / "model", device="cpu")
    assert predictor.config.input_prefix == "query: "
    article = (ROOT / "data" / "articles" / "en-censor-net-nato-dprk.txt").read_text(encoding="utf-8")
    units = predictor.predict_documents([article])[0]
    assert len(units) >= 12
    for unit in units:
        assert article[unit["start"]:unit["end"]] == unit["text"]
        assert unit["type"]["label"] in predictor.tasks["type"]
    metrics = json.loads((tmp_path / "model" / "metrics.json").read_text())
    assert metrics["test"]["type"]["n"] == written["test"] > 30
