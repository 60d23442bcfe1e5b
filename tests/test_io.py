"""infer.io: readers, rejects, writers and resume, with a fake model (no torch work, fast)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from pathlib import Path

import pytest

from infer.io import (
    Checkpoint,
    Columns,
    InputError,
    Job,
    JobOptions,
    OutputPlan,
    Record,
    Reject,
    RejectLog,
    RowBuilder,
    UsageError,
    check_output,
    chunked,
    input_format,
    open_sink,
    output_format,
    read_documents,
    read_records,
    start_output,
)
from infer.segment import segment

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


def test_jsonl_reader_rejects_each_bad_kind_with_its_line(tmp_path):
    items = list(read_records(str(write_lines(tmp_path / "in.jsonl", BAD_JSONL)), "jsonl"))
    good = [it for it in items if isinstance(it, Record)]
    bad = {it.line: it for it in items if isinstance(it, Reject)}
    assert [(r.line, r.id, r.text) for r in good] == [(1, "a", "NATO is worried."),
                                                      (8, 8, "No id here.")]
    assert good[1].extra == {"lang": "en"} and good[1].target is None
    assert sorted(bad) == [2, 3, 4, 5, 6, 9]
    assert "invalid JSON" in bad[2].reason and bad[2].raw == "{not json"
    assert "not a JSON object" in bad[3].reason
    assert bad[4].reason.startswith("missing field 'text'") and bad[4].field == "text"
    assert bad[5].reason == "empty field 'text'"
    assert "not UTF-8" in bad[6].reason and "caf\ufffd" in bad[6].raw
    assert "not a string" in bad[9].reason


def test_column_mapping_default_target_and_required_columns(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [
        {"key": 1, "body": "Claim one.", "about": "NATO"},
        {"key": 2, "body": "Claim two."},  # no target column: the default target
        {"body": "Claim three.", "about": "EU"},  # explicitly configured id column missing
        {"key": 4, "text": "Wrong column name."},
    ])
    cols = Columns(text="body", target="about", id="key", required=frozenset({"key"}))
    items = list(read_records(str(path), "jsonl", cols, default_target="Russia"))
    assert [(it.id, it.target) for it in items[:2]] == [(1, "NATO"), (2, "Russia")]
    assert isinstance(items[2], Reject) and items[2].field == "key" and items[2].line == 3
    assert isinstance(items[3], Reject) and items[3].field == "body"
    assert "has: key, text" in items[3].reason


def test_csv_reader_tracks_physical_lines_and_rejects(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        "\ufeffid,text,target,src\n"
        'a,"First claim,\nspread over two lines.",NATO,x\n'  # lines 2-3
        "b,Second claim.,,y\n"  # 4: empty target -> default
        "c,Too,many,fields,here\n"  # 5
        "\n"  # 6 blank
        "d,,EU,z\n".encode()  # 7 empty text
        + b"e,Bad \xff byte.,EU,z\n"  # 8
        + b"f,Last one.,EU,z\n"  # 9
    )
    items = list(read_records(str(path), "csv", default_target="Russia"))
    kinds = [(type(it).__name__, it.line) for it in items]
    assert kinds == [("Record", 2), ("Record", 4), ("Reject", 5), ("Reject", 7), ("Reject", 8),
                     ("Record", 9)]
    assert items[0].text == "First claim,\nspread over two lines." and items[0].extra == {"src": "x"}
    assert items[0].raw == 'a,"First claim,\nspread over two lines.",NATO,x'
    assert items[1].target == "Russia"
    assert "5 fields, the header has 4" in items[2].reason
    assert "not UTF-8" in items[4].reason and "\ufffd" in items[4].raw


def test_tsv_with_a_wrong_header_rejects_every_row(tmp_path):
    path = tmp_path / "in.tsv"
    path.write_text("id\tbody\n1\tOne.\n2\tTwo.\n", encoding="utf-8")
    items = list(read_records(str(path), "tsv"))
    assert [(it.line, it.field) for it in items] == [(2, "text"), (3, "text")]
    items = list(read_records(str(path), "tsv", Columns(text="body")))
    assert [it.text for it in items] == ["One.", "Two."]


def test_parquet_reader_streams_row_batches(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{"id": i, "text": f"Claim {i}." if i != 3 else "", "n": i * 2} for i in range(1, 2501)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=1000)
    items = list(read_records(str(tmp_path / "in.parquet"), "parquet"))
    assert len(items) == 2500 and items[2499].line == 2500 and items[2499].extra == {"n": 5000}
    assert isinstance(items[2], Reject) and items[2].line == 3 and '"n": 6' in items[2].raw


def test_reading_is_lazy(monkeypatch):
    """Records come out before the input ends: memory stays flat however big the file."""

    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            line = b'{"text": "Another claim about NATO."}\n'
            buffer[:len(line)] = line
            return len(line)

    stdin = io.TextIOWrapper(io.BufferedReader(Endless()))
    monkeypatch.setattr(sys, "stdin", stdin)
    first = list(itertools.islice(read_records("-", "jsonl"), 5))
    assert [r.line for r in first] == [1, 2, 3, 4, 5]


def test_documents_from_a_folder_a_file_and_a_table(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "b.txt").write_text("Second article. It has two sentences.", encoding="utf-8")
    (folder / "a.txt").write_text("First article.", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"Broken \xfe article.")
    (folder / "notes.md").write_text("not a document", encoding="utf-8")
    items = list(read_documents(str(folder), input_format(str(folder), documents=True)))
    assert [(it.id if isinstance(it, Record) else None, it.line) for it in items] == [
        ("a", 1), ("b", 2), (None, 3)]
    assert "not UTF-8" in items[2].reason and items[2].source.endswith("c.txt")
    single = list(read_documents(str(folder / "b.txt"), "txt", default_target="NATO"))
    assert single[0].id == "b" and single[0].target == "NATO"
    table = write_lines(tmp_path / "docs.jsonl", [{"doc": "An article.", "id": "x", "site": "s"}])
    (doc,) = read_documents(str(table), "jsonl", Columns(text="doc"))
    assert (doc.id, doc.text, doc.extra) == ("x", "An article.", {"site": "s"})


def test_formats_from_extensions_and_clear_errors(tmp_path):
    assert input_format("a.CSV") == "csv" and input_format("-") == "jsonl"
    assert input_format("-", documents=True) == "txt"
    assert output_format("x.parquet") == "parquet" and output_format("-") == "jsonl"
    with pytest.raises(UsageError, match="--input-format"):
        input_format("claims.xlsx")
    with pytest.raises(UsageError, match="--documents"):
        input_format("article.txt")
    with pytest.raises(UsageError, match="--format"):
        output_format("out.xml")


def test_chunks_count_document_units():
    small = [Record(i, "t", None, i) for i in range(5)]
    assert [len(c) for c in chunked(small, 2)] == [2, 2, 1]
    docs = [Record(i, "t", None, i, units=[0] * n) for i, n in enumerate([3, 1, 1, 5])]
    assert [len(c) for c in chunked(docs, 2)] == [1, 2, 1]


# --- the job -----------------------------------------------------------------------------------


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


# --- resume ------------------------------------------------------------------------------------


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
