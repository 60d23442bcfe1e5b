"""claims-infer end to end on the tiny model: formats, rejects, exit codes, SIGKILL + --resume."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infer.cli import main

ROOT = Path(__file__).parent.parent
SEED = ROOT / "data" / "articles" / "en-censor-net-nato-dprk.txt"
WORDS = (Path(__file__).parent / "fixtures" / "corpus.txt").read_text(encoding="utf-8").split()


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny models gain nothing from threads, and idle OpenMP threads spin on a busy CI box
    (25x slower here under load); `--threads` sets the same global count.
    Put it back for the other modules."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def write_lines(path: Path, lines: list) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else
                               (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False))
                               .encode()) + b"\n" for x in lines))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def infer(model: Path, *args: str) -> int:
    return main(["--model", str(model), "--quiet", *args])


BAD_LINES = [
    {"id": "a", "text": "NATO is confident that the DPRK supports Russia.", "target": "Russia"},
    "{not json",  # 2
    '"just a string"',  # 3
    {"id": "c", "body": "wrong column name"},  # 4
    {"id": "d", "text": ""},  # 5
    b'{"id": "e", "text": "Bad \xc3\x28 bytes."}',  # 6
    {"id": "f", "text": "Die Lage ist ernst, sagte Scholz.", "type": "assessment"},  # 7
    {"id": "g", "text": " ".join(WORDS[:400])},  # 8: longer than the 48-token window
]


def test_claims_with_every_kind_of_bad_input(tiny_model, tmp_path, capsys):
    inp = write_lines(tmp_path / "in.jsonl", BAD_LINES)
    out = tmp_path / "out.jsonl"
    assert main(["--model", str(tiny_model), "--input", str(inp), "--output", str(out)]) == 0
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a", "f", "g"]
    assert rows[0]["target"] == "Russia" and rows[1]["target"] is None
    assert rows[1]["input_type"] == "assessment" and rows[1]["type"] in {
        "assessment", "concern", "warning", "prediction", "plan", "call_to_action",
        "accusation", "denial", "report", "non_claim"}
    assert [r["truncated"] for r in rows] == [False, False, True]
    rejects = read_jsonl(Path(f"{out}.rejects.jsonl"))
    assert [(r["line"], r.get("kept", False)) for r in rejects] == [
        (2, False), (3, False), (4, False), (5, False), (6, False), (8, True)]
    assert "missing field 'text'" in rejects[2]["reason"] and rejects[2]["field"] == "text"
    assert rejects[5]["reason"] == "truncated to 48 tokens; predicted on the start"
    assert rejects[4]["raw"] == '{"id": "e", "text": "Bad \ufffd( bytes."}'
    err = capsys.readouterr().err
    assert "read 8 records, wrote 3 claims, rejected 5, truncated 1" in err
    assert not Path(f"{out}.progress.json").exists()


def test_on_error_fail_stops_with_exit_3(tiny_model, tmp_path, capsys):
    inp = write_lines(tmp_path / "in.jsonl", BAD_LINES)
    out = tmp_path / "out.jsonl"
    assert infer(tiny_model, "--input", str(inp), "--output", str(out), "--on-error", "fail") == 3
    err = capsys.readouterr().err
    assert f"{inp}:2: invalid JSON" in err
    inp = write_lines(tmp_path / "in2.jsonl", [BAD_LINES[0], BAD_LINES[3]])
    assert infer(tiny_model, "--input", str(inp), "--output", str(tmp_path / "o2.jsonl"),
                 "--on-error", "fail") == 3
    assert f"{inp}:2: missing field 'text'" in capsys.readouterr().err


def test_csv_with_mapped_columns_default_target_and_all_scores(tiny_model, tmp_path):
    inp = tmp_path / "in.csv"
    with open(inp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "body", "about", "source"])
        writer.writerow(["k1", "NATO is confident.\nA second line.", "NATO", "x"])
        writer.writerow(["k2", "Russia denies everything.", "", "y"])
    out = tmp_path / "out.csv"
    assert infer(tiny_model, "--input", str(inp), "--output", str(out), "--text-column", "body",
                 "--target-column", "about", "--id-column", "key", "--target", "Russia",
                 "--all-scores") == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["target"], r["source"]) for r in rows] == [("k1", "NATO", "x"),
                                                                   ("k2", "Russia", "y")]
    assert rows[0]["text"] == "NATO is confident.\nA second line."
    scores = json.loads(rows[0]["stance_scores"])
    assert set(scores) == {"support", "oppose", "neutral"}
    assert rows[0]["stance"] == max(scores, key=scores.get)


def test_parquet_in_and_out(tiny_model, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{"id": i, "text": f"Claim {i} about NATO.", "year": 2024} for i in range(5)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    assert infer(tiny_model, "--input", str(tmp_path / "in.parquet"), "--output", str(out)) == 0
    table = pq.read_table(out).to_pylist()
    assert [r["id"] for r in table] == ["0", "1", "2", "3", "4"] and table[0]["year"] == 2024
    assert infer(tiny_model, "--input", str(tmp_path / "in.parquet"), "--output", str(out),
                 "--resume") == 2


def test_demo_table_for_the_seed_article(tiny_model, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # rejects of stdout output land in the cwd
    assert main(["--model", str(tiny_model), "--documents", "--input", str(SEED),
                 "--output", "-", "--format", "table"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["unit", "type", "score", "stance", "score", "speaker", "text"]
    assert len(lines) == 16 and lines[1].split()[0] == "0" and lines[1].endswith("3152 visitors online")
    assert "Stoltenberg" in lines[3] and max(len(line) for line in lines) < 160
    assert "wrote 15 claims" in err
    # The tiny model's 48-token window cuts the long sentences; they are listed, and kept.
    rejects = read_jsonl(tmp_path / "claims-infer.rejects.jsonl")
    assert rejects and all(r["kept"] and r["line"] == 1 for r in rejects)


def test_documents_from_a_folder_and_jsonl(tiny_model, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "b-uk.txt").write_text("Про це заявив Зеленський. Інше речення.", encoding="utf-8")
    (folder / "a-en.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "units.jsonl"
    assert infer(tiny_model, "--documents", "--input", str(folder), "--output", str(out),
                 "--target", "Russia") == 0
    rows = read_jsonl(out)
    assert [r["doc_id"] for r in rows] == ["a-en"] * 15 + ["b-uk"] * 2
    assert rows[-1]["id"] == "b-uk:1" and rows[-2]["speaker"] == "Зеленський"
    docs = {"a-en": SEED.read_text(encoding="utf-8"),
            "b-uk": (folder / "b-uk.txt").read_text(encoding="utf-8")}
    assert all(docs[r["doc_id"]][r["start"]:r["end"]] == r["text"] for r in rows)
    assert {r["target"] for r in rows} == {"Russia"}
    table = write_lines(tmp_path / "docs.jsonl", [{"url": "u1", "article": docs["b-uk"]}])
    out2 = tmp_path / "units2.jsonl"
    assert infer(tiny_model, "--documents", "--input", str(table), "--output", str(out2),
                 "--document-column", "article", "--id-column", "url") == 0
    assert [(r["id"], r["unit"], r["start"]) for r in read_jsonl(out2)] == [("u1:0", 0, 0),
                                                                          ("u1:1", 1, 26)]


def test_stdin_to_stdout(tiny_model, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    data = b"id\ttext\n1\tNATO is confident.\n2\tRussia denies it.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert infer(tiny_model, "--input", "-", "--input-format", "tsv", "--output", "-") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["text"]) for r in rows] == [("1", "NATO is confident."),
                                                    ("2", "Russia denies it.")]
    assert not (tmp_path / "claims-infer.rejects.jsonl").exists()  # no rejects, no file


def test_usage_errors_exit_2_before_any_work(tiny_model, tmp_path, capsys):
    inp = write_lines(tmp_path / "in.jsonl", BAD_LINES[:1])
    out = tmp_path / "out.jsonl"
    assert infer(tiny_model, "--input", str(inp), "--output", str(out)) == 0
    assert infer(tiny_model, "--input", str(inp), "--output", str(out)) == 2
    assert "exists: use --overwrite" in capsys.readouterr().err
    assert infer(tiny_model, "--input", str(inp), "--output", str(out), "--overwrite") == 0
    assert infer(tiny_model, "--input", str(tmp_path / "nope.jsonl"), "--output", "-") == 2
    assert "input not found" in capsys.readouterr().err
    assert infer(tiny_model, "--input", str(inp), "--output", str(tmp_path / "o.xml")) == 2
    assert infer(tiny_model, "--input", str(inp), "--output", str(tmp_path / "no" / "o.jsonl")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert infer(tiny_model, "--input", str(inp), "--output", "-", "--format", "parquet") == 2
    assert infer(tiny_model, "--input", "-", "--output", str(out), "--resume") == 2
    assert main(["--help"]) == 0 and main(["--model", "m"]) == 2
    assert "--input" in capsys.readouterr().err


def test_bad_model_folder_exits_2_and_touches_nothing(tiny_model, tmp_path, capsys):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model, ignore=shutil.ignore_patterns("checkpoints"))
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["schema_version"] = 2
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    inp = write_lines(tmp_path / "in.jsonl", BAD_LINES[:1])
    out = tmp_path / "out.jsonl"
    assert infer(model, "--input", str(inp), "--output", str(out)) == 2
    assert "schema_version 2 is newer" in capsys.readouterr().err
    (model / "model.safetensors").unlink()
    assert infer(model, "--input", str(inp), "--output", str(out)) == 2
    assert "missing model.safetensors" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [model, inp] or set(tmp_path.iterdir()) == {model, inp}


# --- SIGKILL at several points, then --resume ---------------------------------------------------


def big_input(path: Path, n: int) -> Path:
    rng = random.Random(3)
    lines = []
    for i in range(n):
        if i % 97 == 5:
            lines.append("{truncated json")
        elif i % 331 == 17:
            lines.append({"id": i, "text": " ".join(rng.choices(WORDS, k=120))})
        else:
            lines.append({"id": i, "text": " ".join(rng.choices(WORDS, k=rng.randint(2, 8))),
                          "target": rng.choice(["Russia", "NATO", ""]), "n": i})
    return write_lines(path, lines)


def consumed(progress: Path) -> int:
    try:
        return json.loads(progress.read_text(encoding="utf-8"))["consumed"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return -1


def start_and_kill(cmd: list[str], progress: Path, log: Path, *, delay: float | None = None,
                   at: int | None = None, after_commit: float | None = None) -> None:
    """Run the CLI in a subprocess and SIGKILL it after `delay` seconds, once `at` records are
    committed, or `after_commit` seconds after the first commit it makes."""
    with open(log, "ab") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    try:
        if delay is not None:
            time.sleep(delay)
        else:
            start = consumed(progress)
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                now = consumed(progress)
                if (at is not None and now >= at) or (after_commit is not None and now > start):
                    break
                time.sleep(0.003)
            if after_commit:
                time.sleep(after_commit)
        assert proc.poll() is None, f"the job ended before it was killed: {log.read_text()}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()


def test_sigkill_at_several_points_then_resume_is_byte_identical(tiny_model, tmp_path):
    total = 1600
    inp = big_input(tmp_path / "in.jsonl", total)
    common = ["--model", str(tiny_model), "--input", str(inp), "--chunk-size", "16",
              "--threads", "1", "--quiet"]
    reference = tmp_path / "reference.jsonl"
    assert main([*common, "--output", str(reference)]) == 0
    out = tmp_path / "out.jsonl"
    progress = Path(f"{out}.progress.json")
    cmd = [sys.executable, "-m", "infer", *common, "--output", str(out), "--resume"]
    log = tmp_path / "stderr.log"
    start_and_kill(cmd, progress, log, delay=0.3)  # still starting up: nothing written yet
    assert not out.exists()
    start_and_kill(cmd, progress, log, at=400)  # after 25+ committed chunks
    first = consumed(progress)
    assert 400 <= first < total and first % 16 == 0
    start_and_kill(cmd, progress, log, after_commit=0.007)  # most likely mid-chunk
    assert first < consumed(progress) < total
    assert main([*common, "--output", str(out), "--resume"]) == 0
    assert out.read_bytes() == reference.read_bytes(), log.read_text()
    assert Path(f"{out}.rejects.jsonl").read_bytes() == \
        Path(f"{reference}.rejects.jsonl").read_bytes()
    assert not progress.exists()
    rejects = read_jsonl(Path(f"{out}.rejects.jsonl"))
    assert len(read_jsonl(out)) == total - sum(not r.get("kept") for r in rejects)
