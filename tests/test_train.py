"""Training on the tiny model: weights move, artifacts round-trip, resume is exact, broken
checkpoints are skipped, bad configs and data fail clearly, and DDP on 2 CPU processes works."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from conftest import tiny_overrides, write_tiny_data
from safetensors.torch import load_file
from transformers import TrainerCallback

from train.cli import main as train_main
from train.config import load_config
from train.fit import fit
from train.loop import latest_checkpoint

ROOT = Path(__file__).parent.parent


def test_training_changes_weights_and_writes_artifacts(tiny_base, tiny_model):
    before = load_file(str(tiny_base / "model.safetensors"))
    after = load_file(str(tiny_model / "model.safetensors"))
    name = "encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(before[name], after[f"encoder.{name}"])
    for f in ("config.json", "model.safetensors", "tokenizer.json", "train_config.yaml",
              "train_log.jsonl", "metrics.json", "README.md"):
        assert (tiny_model / f).is_file(), f
    metrics = json.loads((tiny_model / "metrics.json").read_text())
    assert set(metrics["test"]) == {"type", "stance"}
    assert "per_language" in metrics["test"]["type"]
    config = json.loads((tiny_model / "config.json").read_text())
    assert config["model_type"] == "claimstance" and config["schema_version"] == 1
    assert set(config["temperatures"]) == {"type", "stance"}
    assert not list(tiny_model.rglob("*.bin")) and not list(tiny_model.rglob("*.pkl"))


def test_round_trip_predicts_label_strings(tiny_model):
    from infer import Predictor

    predictor = Predictor.from_pretrained(tiny_model, device="cpu")
    out = predictor.predict(["NATO warns Russia over drones.", "3152 visitors online"], ["Russia", None])
    assert out[0]["type"]["label"] in predictor.tasks["type"]
    assert out[1]["stance"]["label"] in {"support", "oppose", "neutral"}
    assert 0.0 < out[0]["stance"]["score"] <= 1.0


class StopAt(TrainerCallback):
    """Sends this process a SIGINT (a Ctrl-C) once training reaches `step`."""

    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            os.kill(os.getpid(), signal.SIGINT)


def _resume_config(base, data):
    return load_config(None, tiny_overrides(base, data, **{
        "train.max_steps": 12, "train.eval_strategy": "steps", "train.save_steps": 4,
        "train.save_total_limit": 10}))


def test_interrupt_then_resume_matches_uninterrupted(tmp_path, tiny_base, tiny_data, monkeypatch):
    full = tmp_path / "full"
    fit(_resume_config(tiny_base, tiny_data), full)

    import train.loop

    original = train.loop.build_trainer

    def with_stop(*args, **kwargs):
        trainer, interrupt = original(*args, **kwargs)
        trainer.add_callback(StopAt(6))
        return trainer, interrupt

    part = tmp_path / "part"
    monkeypatch.setattr(train.loop, "build_trainer", with_stop)
    monkeypatch.setattr("train.fit.build_trainer", with_stop)
    result = fit(_resume_config(tiny_base, tiny_data), part)
    assert result.interrupted
    assert latest_checkpoint(part / "checkpoints").name in {"checkpoint-6", "checkpoint-7"}
    assert not (part / "model.safetensors").exists()  # no final model from a stopped run

    monkeypatch.setattr("train.fit.build_trainer", original)
    result = fit(_resume_config(tiny_base, tiny_data), part, resume=True)
    assert not result.interrupted
    a = load_file(str(full / "model.safetensors"))
    b = load_file(str(part / "model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=1e-6, msg=key)


def test_corrupt_latest_checkpoint_is_skipped(tmp_path, caplog):
    for step in (4, 8):
        ckpt = tmp_path / f"checkpoint-{step}"
        ckpt.mkdir()
        from safetensors.torch import save_file

        save_file({"w": torch.zeros(2)}, str(ckpt / "model.safetensors"))
        (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": step}))
        for f in ("optimizer.pt", "scheduler.pt"):
            (ckpt / f).write_bytes(b"x")
    latest = tmp_path / "checkpoint-8" / "model.safetensors"
    latest.write_bytes(latest.read_bytes()[:20])  # a write cut short
    (tmp_path / "checkpoint-12").mkdir()  # an empty folder left by a crash
    with caplog.at_level("WARNING"):
        assert latest_checkpoint(tmp_path) == tmp_path / "checkpoint-4"
    assert "checkpoint-8" in caplog.text and "checkpoint-12" in caplog.text


def test_resume_without_checkpoint_starts_fresh(tmp_path, tiny_base, tiny_data, caplog):
    config = load_config(None, tiny_overrides(tiny_base, tiny_data, **{"train.max_steps": 2}))
    with caplog.at_level("WARNING"):
        fit(config, tmp_path / "out", resume=True)
    assert "no complete checkpoint" in caplog.text
    assert (tmp_path / "out" / "model.safetensors").is_file()


@pytest.mark.parametrize("extra, message", [
    ({"data.path": "/nonexistent/folder"}, "could not be loaded as a hub dataset"),
    ({"data.text_column": "body"}, "lacks column(s) ['body']"),
    ({"tasks.type.column": "kind"}, "lacks column(s) ['kind']"),
    ({"train.learning_rate": "fast"}, "train.learning_rate must be a number"),
])
def test_bad_config_or_data_errors(tmp_path, tiny_base, tiny_data, capsys, extra, message):
    rc = train_main(["--output-dir", str(tmp_path / "o"), *tiny_overrides(tiny_base, tiny_data, **extra)])
    assert rc == 1
    assert message in capsys.readouterr().err


def test_label_only_in_evaluation_split_is_an_error(tmp_path, tiny_base, capsys):
    data = write_tiny_data(tmp_path / "data")
    rows = [json.loads(x) for x in (data / "train.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["type"] != "denial"]
    (data / "train.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    rc = train_main(["--output-dir", str(tmp_path / "o"), *tiny_overrides(tiny_base, data)])
    assert rc == 1
    err = capsys.readouterr().err
    assert "labels ['denial'] appear only in evaluation data" in err


def test_unknown_label_is_an_error(tmp_path, tiny_base, capsys):
    data = write_tiny_data(tmp_path / "data")
    with (data / "test.jsonl").open("a") as f:
        f.write(json.dumps({"id": "x", "text": "t", "lang": "en", "type": "opinion",
                            "stance": "neutral", "target": ""}) + "\n")
    rc = train_main(["--output-dir", str(tmp_path / "o"), *tiny_overrides(tiny_base, data)])
    assert rc == 1
    assert "labels ['opinion'] are not in the task's label list" in capsys.readouterr().err


def test_single_task_config(tmp_path, tiny_base, tiny_data):
    out = tmp_path / "stance_only"
    config = load_config(None, [*tiny_overrides(tiny_base, tiny_data, **{"train.max_steps": 3}),
                                "--tasks.type=false"])
    fit(config, out)
    from infer import Predictor

    predictor = Predictor.from_pretrained(out, device="cpu")
    assert list(predictor.tasks) == ["stance"]
    assert set(predictor.predict(["a claim"])[0]) == {"stance", "truncated"}


def test_ddp_two_cpu_processes(tmp_path, tiny_base, tiny_data):
    out = tmp_path / "ddp"
    torchrun = shutil.which("torchrun", path=str(Path(sys.executable).parent)) or "torchrun"
    cmd = [torchrun, "--nproc_per_node=2", "--master_port=29533", "-m", "train",
           "--output-dir", str(out), *tiny_overrides(tiny_base, tiny_data, **{"train.max_steps": 4})]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from infer import Predictor

    predictor = Predictor.from_pretrained(out, device="cpu")
    assert predictor.predict(["NATO plans joint exercises with Japan."])[0]["type"]["label"]
    state = json.loads((out / "metrics.json").read_text())
    assert "test" in state


@pytest.mark.parametrize(("native", "expected"), [(True, "bf16"), (False, "fp32")])
def test_auto_precision_on_cpu_follows_native_bf16(monkeypatch, native, expected):
    from train import loop

    monkeypatch.setattr(loop, "cpu_has_bf16", lambda: native)
    assert loop.resolve_precision("auto", gpu=False) == expected
    assert loop.resolve_precision("fp32", gpu=False) == "fp32"


def test_fp16_on_cpu_is_an_error():
    from train.loop import resolve_precision

    with pytest.raises(ValueError, match=r"fp16.*needs a GPU"):
        resolve_precision("fp16", gpu=False)
