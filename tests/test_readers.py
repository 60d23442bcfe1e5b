"""infer.readers: formats, line numbers, rejects, column mapping, laziness and documents."""

from __future__ import annotations

import io
import itertools
import sys

import pytest
from fake_job import BAD_JSONL, write_lines

from infer.errors import UsageError
from infer.readers import Columns, Record, Reject, input_format, read_documents, read_records


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


def test_input_formats_from_extensions_and_clear_errors():
    assert input_format("a.CSV") == "csv" and input_format("-") == "jsonl"
    assert input_format("-", documents=True) == "txt"
    with pytest.raises(UsageError, match="--input-format"):
        input_format("claims.xlsx")
    with pytest.raises(UsageError, match="--documents"):
        input_format("article.txt")
