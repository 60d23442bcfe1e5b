"""infer.writers: CSV, Parquet and table output, and output formats, with a fake model."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fake_job import run_job, write_lines

from infer.errors import UsageError
from infer.writers import output_format


def test_output_formats_from_extensions_and_clear_errors():
    assert output_format("x.parquet") == "parquet" and output_format("-") == "jsonl"
    with pytest.raises(UsageError, match="--format"):
        output_format("out.xml")


def test_csv_parquet_and_table_outputs(tmp_path):
    inp = write_lines(tmp_path / "in.jsonl", [{"id": i, "text": f"Claim number {i}.", "tag": "t"}
                                              for i in range(7)])
    run_job(inp, tmp_path / "out.csv", fmt="csv", all_scores=True)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 7 and rows[0]["truncated"] == "false" and rows[0]["target"] == ""
    assert json.loads(rows[0]["type_scores"]) == {"report": 0.5, "warning": 0.5}
    pq = pytest.importorskip("pyarrow.parquet")
    run_job(inp, tmp_path / "out.parquet", fmt="parquet")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["id"] for r in table] == [str(i) for i in range(7)] and table[0]["tag"] == "t"
    assert not Path(f"{tmp_path}/out.parquet.partial").exists()
    run_job(inp, tmp_path / "out.txt", fmt="table")
    lines = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].split() == ["id", "type", "score", "stance", "score", "speaker", "text"]
    assert lines[1].split()[:3] == ["0", "warning", "0.51"] and lines[1].endswith("Claim number 0.")
