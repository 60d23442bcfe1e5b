"""infer.resume: crash, torn write and resume give identical bytes; atomic progress; output
guards. With a fake model that can crash on cue."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from fake_job import fake_predict, run_job, write_lines

from infer.errors import UsageError
from infer.resume import Checkpoint, OutputPlan, check_output


class Crash(Exception):
    pass


def crashing_after(calls: int):
    count = itertools.count()

    def predict(texts, targets, **kw):
        if next(count) == calls:
            raise Crash
        return fake_predict(texts, targets, **kw)

    return predict


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_a_crash_and_a_torn_write_is_byte_identical(tmp_path, fmt):
    lines = [{"id": i, "text": f"Claim {i} " + "x" * (i % 5), "n": i} if i % 7 else "{bad"
             for i in range(40)]
    lines[11] = {"id": 11, "text": "long " * 50}  # a kept (truncated) reject mid-way
    inp = write_lines(tmp_path / "in.jsonl", lines)
    reference = tmp_path / f"ref.{fmt}"
    run_job(inp, reference, fmt=fmt, chunk=4)
    out = tmp_path / f"out.{fmt}"
    with pytest.raises(Crash):
        run_job(inp, out, fmt=fmt, chunk=4, predict=crashing_after(3))
    progress = Checkpoint(Path(f"{out}.progress.json")).load()
    assert progress.consumed == 12 and progress.output_bytes == out.stat().st_size
    # A kill between writing a chunk and committing it leaves a torn tail: resume must cut it.
    with open(out, "ab") as f:
        f.write(b'{"id": 12, "text": "half a ro')
    with open(f"{out}.rejects.jsonl", "ab") as f:
        f.write(b'{"line": 1')
    with pytest.raises(UsageError, match="--resume"):
        run_job(inp, out, fmt=fmt, chunk=4)
    stats = run_job(inp, out, fmt=fmt, chunk=999, resume=True)  # the recorded chunk size wins
    assert stats.skipped == 12 and stats.read == 28
    assert out.read_bytes() == reference.read_bytes()
    assert Path(f"{out}.rejects.jsonl").read_bytes() == Path(f"{reference}.rejects.jsonl").read_bytes()
    assert not Path(f"{out}.progress.json").exists()


def test_progress_file_is_replaced_atomically_after_each_chunk(tmp_path):
    inp = write_lines(tmp_path / "in.jsonl", [{"text": f"Claim {i}."} for i in range(10)])
    out = tmp_path / "out.jsonl"
    seen = []

    def watching(texts, targets, **kw):
        progress_file = Path(f"{out}.progress.json")
        seen.append(json.loads(progress_file.read_text())["consumed"])
        assert not Path(f"{progress_file}.tmp").exists()
        return fake_predict(texts, targets, **kw)

    run_job(inp, out, chunk=3, predict=watching)
    assert seen == [0, 3, 6, 9]


def test_output_guards(tmp_path):
    inp = write_lines(tmp_path / "in.jsonl", [{"text": "A claim."}])
    out = tmp_path / "out.jsonl"
    run_job(inp, out)
    with pytest.raises(UsageError, match="exists: use --overwrite"):
        run_job(inp, out)
    with pytest.raises(UsageError, match="no progress file"):
        run_job(inp, out, resume=True)
    run_job(inp, out, overwrite=True)
    with pytest.raises(UsageError, match="needs JSONL or CSV"):
        run_job(inp, tmp_path / "out.parquet", fmt="parquet", resume=True)
    with pytest.raises(Crash):
        run_job(inp, tmp_path / "o2.jsonl", predict=crashing_after(0))
    plan = OutputPlan(str(tmp_path / "o2.jsonl"), "jsonl", tmp_path / "r.jsonl",
                      {"input": "other.jsonl"}, resume=True)
    with pytest.raises(UsageError, match=r"different options.*input"):
        check_output(plan)
    # --resume on a job that never started is a fresh start (handy in scripts).
    assert run_job(inp, tmp_path / "fresh.jsonl", resume=True).written == 1
