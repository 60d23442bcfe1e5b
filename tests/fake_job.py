"""Shared by the I/O tests (readers, writers, resume, job): input files with every kind of bad
line, a fake model, and `run_job`, which wires one job the way `infer.cli.run` does."""

from __future__ import annotations

import json
from pathlib import Path

from infer.job import Job, JobOptions
from infer.readers import input_format, read_documents, read_records
from infer.resume import OutputPlan, check_output, open_sink, start_output
from infer.segment import segment
from infer.writers import RejectLog, RowBuilder

TASKS = ["type", "stance"]


def fake_predict(texts, targets, *, all_scores=False):
    """Deterministic stand-in for Predictor.predict: labels from the text length."""
    out = []
    for text, target in zip(texts, targets, strict=True):
        n = len(text)
        pred = {"type": {"label": ["report", "warning"][n % 2], "score": 0.5 + (n % 7) / 100},
                "stance": {"label": "neutral" if not target else "oppose", "score": 0.6},
                "truncated": n > 200}
        if all_scores:
            pred["type"]["scores"] = {"report": 0.5, "warning": 0.5}
        out.append(pred)
    return out


def write_lines(path: Path, lines: list) -> Path:
    data = b"".join((x if isinstance(x, bytes) else
                     (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)).encode())
                    + b"\n" for x in lines)
    path.write_bytes(data)
    return path


BAD_JSONL = [
    {"id": "a", "text": "NATO is worried.", "target": "Russia"},  # 1 good
    "{not json",  # 2 invalid JSON
    "[1, 2, 3]",  # 3 not an object
    {"id": "d"},  # 4 missing text
    {"id": "e", "text": "   "},  # 5 empty text
    b'{"id": "f", "text": "caf\xe9"}',  # 6 not UTF-8
    "",  # 7 blank: skipped, but still counts as a physical line
    {"text": "No id here.", "lang": "en"},  # 8 good, id = line number
    {"id": "i", "text": 42},  # 9 text not a string
]


def run_job(inp: Path, out: Path, *, fmt="jsonl", chunk=3, resume=False, overwrite=False,
            documents=False, on_error="skip", predict=fake_predict, all_scores=False):
    plan = OutputPlan(str(out), fmt, Path(f"{out}.rejects.jsonl"), {"input": str(inp)},
                      resume, overwrite)
    progress = check_output(plan)
    progress, checkpoint = start_output(plan, progress, chunk)
    sink = open_sink(plan, TASKS, documents=documents, progress=progress)
    read = read_documents if documents else read_records
    job = Job(read(str(inp), input_format(str(inp), documents=documents)), predict,
              RowBuilder(TASKS, documents=documents), sink,
              RejectLog(plan.rejects, progress.rejects_bytes), progress, checkpoint,
              JobOptions(on_error=on_error, all_scores=all_scores, max_length=48,
                         source=str(inp)),
              segment if documents else None)
    return job.run()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
