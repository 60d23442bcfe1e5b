"""infer.job: chunking, good lines and rejects in order, on_error=fail, document units, with a
fake model (no torch work, fast)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fake_job import BAD_JSONL, read_jsonl, run_job, write_lines

from infer.errors import InputError
from infer.job import chunked
from infer.readers import Record


def test_chunks_count_document_units():
    small = [Record(i, "t", None, i) for i in range(5)]
    assert [len(c) for c in chunked(small, 2)] == [2, 2, 1]
    docs = [Record(i, "t", None, i, units=[0] * n) for i, n in enumerate([3, 1, 1, 5])]
    assert [len(c) for c in chunked(docs, 2)] == [1, 2, 1]


def test_job_writes_good_lines_in_order_and_every_reject(tmp_path):
    lines = [*BAD_JSONL, {"id": "long", "text": "word " * 60, "type": "warning"}]  # line 10
    inp = write_lines(tmp_path / "in.jsonl", lines)
    stats = run_job(inp, tmp_path / "out.jsonl", all_scores=True)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in rows] == ["a", 8, "long"]
    assert rows[0]["stance"] == "oppose" and rows[0]["type_scores"] == {"report": 0.5,
                                                                         "warning": 0.5}
    assert rows[1]["lang"] == "en" and rows[2]["input_type"] == "warning"  # gold kept apart
    assert rows[2]["truncated"] is True and rows[0]["truncated"] is False
    rejects = read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")
    assert [r["line"] for r in rejects] == [2, 3, 4, 5, 6, 9, 10]
    kept = rejects[-1]
    assert kept["kept"] is True and kept["reason"] == ("truncated to 48 tokens; predicted on "
                                                       "the start") and kept["id"] == "long"
    assert all(set(r) >= {"line", "reason", "raw"} for r in rejects)
    assert (stats.read, stats.written, stats.rejected, stats.truncated) == (9, 3, 6, 1)
    assert not Path(f"{tmp_path / 'out.jsonl'}.progress.json").exists()


def test_on_error_fail_names_file_line_and_field(tmp_path):
    inp = write_lines(tmp_path / "in.jsonl", [{"text": "Fine."}, {"id": 2}, {"text": "Fine."}])
    with pytest.raises(InputError) as err:
        run_job(inp, tmp_path / "out.jsonl", on_error="fail")
    assert str(err.value) == f"{inp}:2: missing field 'text' (has: id)"
    assert err.value.reject.field == "text"


def test_document_job_rows_slice_the_document(tmp_path):
    doc = ("Росія та КНДР підписали угоду\n\nNATO is confident. Stoltenberg said that the "
           "war goes on.\n")
    inp = write_lines(tmp_path / "docs.jsonl", [{"id": "d1", "text": doc, "site": "x"},
                                                {"id": "d2", "text": " \n "}])
    run_job(inp, tmp_path / "out.jsonl", documents=True)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in rows] == ["d1:0", "d1:1", "d1:2"]
    assert all(doc[r["start"]:r["end"]] == r["text"] for r in rows)
    assert rows[2]["speaker"] == "Stoltenberg" and rows[0]["site"] == "x"
    (reject,) = read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")
    assert reject["line"] == 2 and reject["reason"] == "empty field 'text'"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_is_handed_back_on_glibc():
    from infer.job import _malloc_trim, release_freed_memory

    assert _malloc_trim() is not None
    release_freed_memory()  # returns quietly; the streaming memory figure is in bench/
