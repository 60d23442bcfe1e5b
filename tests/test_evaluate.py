"""`claims-eval` end to end on the tiny trained model."""

from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pytest

from infer.predict import Predictor
from train.evaluate import EXIT_ERROR, EXIT_LABELS, EXIT_OK, main

PNGS = {"confusion-type.png", "confusion-stance.png", "reliability-type.png", "reliability-stance.png"}
CONTRAST = [  # one text, two targets, two stances: a target-reading group
    {"id": "c1", "text": "NATO condemned Russia's strikes.", "target": "Russia", "lang": "en",
     "type": "accusation", "stance": "oppose"},
    {"id": "c2", "text": "NATO condemned Russia's strikes.", "target": "NATO", "lang": "en",
     "type": "accusation", "stance": "neutral"},
]


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def model_copy(tiny_model, tmp_path):
    """The tiny model in a private folder, so the default report dir lands there."""
    return shutil.copytree(tiny_model, tmp_path / "model", ignore=shutil.ignore_patterns("checkpoints"))


def test_cli_writes_report_with_baseline_calibration_and_target_reading(model_copy, tiny_data,
                                                                        tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(tiny_data / "train.jsonl", data / "train.jsonl")
    rows = read_jsonl(tiny_data / "test.jsonl") + CONTRAST
    write_jsonl(data / "test.jsonl", rows)

    assert main(["--model", str(model_copy), "--data", str(data)]) == EXIT_OK
    out_dir = model_copy / "eval-test"
    assert {"report.md", "report.json"} | PNGS <= {p.name for p in out_dir.iterdir()}
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    stdout = capsys.readouterr().out
    assert "macro-F1" in stdout and str(out_dir / "report.md") in stdout

    assert report["rows"] == len(rows) and report["baseline"]["train"].endswith("train.jsonl")
    predictor = Predictor.from_pretrained(model_copy, device="cpu")
    preds = predictor.predict([r["text"] for r in rows], [r["target"] for r in rows])
    for task in ("type", "stance"):
        t = report["tasks"][task]
        # Scores come from the same logits `Predictor.predict` uses.
        right = np.mean([p[task]["label"] == r[task] for p, r in zip(preds, rows, strict=True)])
        assert t["model"]["accuracy"] == pytest.approx(right)
        cal = t["model"]["calibration"]
        assert cal["temperature"] == pytest.approx(predictor.config.temperatures[task])
        assert 0 <= cal["ece_raw"] <= 1 and 0 <= cal["ece"] <= 1
        assert t["difference"]["macro_f1"] == pytest.approx(t["model"]["macro_f1"] - t["baseline"]["macro_f1"])
        assert set(t["model"]["per_language"]) == {"en", "uk", "ru"}
        assert set(t["difference"]["per_language"]) == {"en", "uk", "ru"}
        assert len(t["errors"]) <= 15
        scores = [e["score"] for e in t["errors"]]
        assert scores == sorted(scores, reverse=True)
    assert report["target_reading"]["model"]["groups"] == 1
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "## Target reading" in md and "ECE (T = 1)" in md and "```" in md


def test_unknown_labels_exit_2_and_list_them(tiny_model, tiny_data, tmp_path, capsys):
    rows = read_jsonl(tiny_data / "test.jsonl")[:5]
    rows[0]["type"], rows[1]["stance"] = "opinion", "pro"
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    code = main(["--model", str(tiny_model), "--data", str(path), "--report-dir", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == EXIT_LABELS
    assert "type: ['opinion']" in err and "stance: ['pro']" in err and "the model knows" in err
    assert not (tmp_path / "r").exists()


def test_missing_files_and_columns_are_named(tiny_model, tiny_data, tmp_path, capsys):
    rows = [{k: v for k, v in r.items() if k != "stance"} for r in read_jsonl(tiny_data / "test.jsonl")]
    path = write_jsonl(tmp_path / "nostance.jsonl", rows)
    base = ["--model", str(tiny_model), "--report-dir", str(tmp_path / "r"), "--no-baseline"]
    assert main([*base, "--data", str(path)]) == EXIT_ERROR
    assert "missing column(s) ['stance']" in capsys.readouterr().err
    assert main([*base, "--data", str(tmp_path / "none.jsonl")]) == EXIT_ERROR
    assert "no such file or folder" in capsys.readouterr().err
    assert main([*base, "--data", str(tmp_path), "--split", "dev"]) == EXIT_ERROR
    assert "no file for split 'dev'" in capsys.readouterr().err
    assert main(["--model", str(tmp_path / "nomodel"), "--data", str(path)]) == EXIT_ERROR
    assert "model folder not found" in capsys.readouterr().err


def test_csv_with_other_column_names(tiny_model, tiny_data, tmp_path):
    rows = read_jsonl(tiny_data / "test.jsonl")[:12]
    path = tmp_path / "eval.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["claim", "about", "language", "type", "stance"])
        writer.writeheader()
        writer.writerows({"claim": r["text"], "about": r["target"], "language": r["lang"],
                          "type": r["type"], "stance": r["stance"]} for r in rows)
    out = tmp_path / "r"
    code = main(["--model", str(tiny_model), "--data", str(path), "--report-dir", str(out),
                 "--text-column", "claim", "--target-column", "about", "--lang-column", "language",
                 "--baseline-train", str(tiny_data)])
    assert code == EXIT_OK
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["rows"] == 12 and report["split"] == "eval"
    assert report["baseline"]["train"].endswith("[train]")


def test_document_mode_scores_segmentation_and_matched_units(tiny_model, tmp_path, capsys):
    text = "NATO warns Russia - Stoltenberg\n\nRussian troops shelled Kharkiv overnight. Peskov said the West is lying.\n"
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "en-a.txt").write_text(text, encoding="utf-8")
    gold = [("NATO warns Russia - Stoltenberg", "warning", "oppose", "Russia", "Stoltenberg"),
            ("Russian troops shelled Kharkiv overnight.", "report", "oppose", "Russia", ""),
            ("Peskov said the West is lying.", "accusation", "oppose", "the West", "Peskov")]
    write_jsonl(arts / "en-a.gold.jsonl", [
        {"unit": i, "start": text.index(s), "end": text.index(s) + len(s), "text": s, "type": ty,
         "stance": st, "target": tg, "speaker": sp} for i, (s, ty, st, tg, sp) in enumerate(gold)])
    out = tmp_path / "r"
    assert main(["--model", str(tiny_model), "--data", str(arts), "--documents",
                 "--report-dir", str(out)]) == EXIT_OK
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["mode"] == "documents" and report["rows"] == 3
    assert report["documents"]["segmentation"]["f1"] == 1.0
    assert report["documents"]["speaker"]["accuracy"] == 1.0
    assert report["tasks"]["stance"]["model"]["n"] == 3
    assert "## Documents" in (out / "report.md").read_text(encoding="utf-8")
    assert "segmentation P 1.000" in capsys.readouterr().out
