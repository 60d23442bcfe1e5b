"""Reading `claims-infer` input: claims from tables, documents from text, one record at a time.

Claims come from JSONL, CSV, TSV or Parquet (by extension or an explicit format; `-` is stdin),
documents from a .txt file, a folder of .txt files or any of those tables. Records are read one at
a time (Parquet by row batches), so memory stays flat however big the input is. Each record keeps
its line number (the 1-based physical line where it starts; the row number for Parquet, the file's
position for a folder) and all its other columns, which are carried through to the output.

Bad input loses nothing: a line that is not valid JSON, not a JSON object, not UTF-8, has a
missing, empty or non-string text, a missing explicitly configured column, or a CSV row of the
wrong width becomes a `Reject` instead of a `Record`; the job writes it to
`<output>.rejects.jsonl` as `{"line", "reason", "raw"}` (raw = the original line decoded with
errors=replace) and goes on. With `on_error="fail"` the first one stops the job (`InputError`).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from infer.errors import UsageError

INPUT_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
                    ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt"}
INPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet", "txt")
_MISSING = object()


# ---------------------------------------------------------------------------------------------
# Records and rejects


@dataclass(frozen=True)
class Columns:
    """Which input columns hold the text, target and id. Columns named in `required` (those the
    user configured explicitly) must be present; otherwise a missing target falls back to the
    default target and a missing id to the line number."""

    text: str = "text"
    target: str = "target"
    id: str = "id"
    required: frozenset[str] = frozenset()


@dataclass
class Record:
    """One good input record: a claim, or a document in document mode."""

    line: int
    text: str
    target: str | None
    id: Any
    extra: dict = field(default_factory=dict)
    raw_line: str | None = None
    source: str = ""
    units: list | None = None  # document mode: segment.Unit list, filled in by the job
    row: dict | None = None  # the parsed row, for formats without a raw line (Parquet)

    @property
    def raw(self) -> str:
        if self.raw_line is not None:
            return self.raw_line
        return json.dumps(self.row if self.row is not None else {"text": self.text},
                          ensure_ascii=False, default=str)


@dataclass
class Reject:
    """An input record that could not be predicted (or, with `kept`, a truncated one that was)."""

    line: int
    reason: str
    raw: str
    field: str | None = None
    kept: bool = False
    id: Any = None
    unit: int | None = None
    source: str = ""

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"line": self.line, "reason": self.reason}
        if self.field is not None:
            out["field"] = self.field
        if self.kept:
            out["kept"] = True
        if self.id is not None:
            out["id"] = self.id
        if self.unit is not None:
            out["unit"] = self.unit
        if self.source:
            out["file"] = self.source
        out["raw"] = self.raw
        return out


Item = Record | Reject


def _columns_list(obj: dict) -> str:
    names = [str(k) for k in obj]
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return shown or "none"


def to_record(obj: dict, line: int, raw: str | None, columns: Columns,
              default_target: str | None, source: str = "") -> Item:
    """Check one parsed row and pick out text, target and id; the rest become `extra`."""

    def reject(reason: str, column: str) -> Reject:
        raw_text = raw if raw is not None else json.dumps(obj, ensure_ascii=False, default=str)
        return Reject(line, reason, raw_text, field=column, source=source)

    text = obj.get(columns.text, _MISSING)
    if text is _MISSING:
        return reject(f"missing field {columns.text!r} (has: {_columns_list(obj)})", columns.text)
    if text is not None and not isinstance(text, str):
        return reject(f"field {columns.text!r} is not a string (got {type(text).__name__})",
                      columns.text)
    if not text or not text.strip():
        return reject(f"empty field {columns.text!r}", columns.text)
    target = obj.get(columns.target, _MISSING)
    if target is _MISSING and columns.target in columns.required:
        return reject(f"missing field {columns.target!r} (has: {_columns_list(obj)})",
                      columns.target)
    if target is not _MISSING and target is not None and not isinstance(target, str):
        return reject(f"field {columns.target!r} is not a string (got {type(target).__name__})",
                      columns.target)
    ident = obj.get(columns.id, _MISSING)
    if ident is _MISSING and columns.id in columns.required:
        return reject(f"missing field {columns.id!r} (has: {_columns_list(obj)})", columns.id)
    if ident is _MISSING or ident is None or ident == "":
        ident = line
    if target is _MISSING or not target:
        target = default_target or None
    own = {columns.text, columns.target, columns.id}
    extra = {k: v for k, v in obj.items() if k not in own}
    return Record(line, text, target, ident, extra, raw, source, row=None if raw else obj)


# ---------------------------------------------------------------------------------------------
# Readers


def input_format(path: str, given: str | None = None, *, documents: bool = False) -> str:
    """The input format: the given one, else from the extension; `folder` for a directory."""
    if given:
        if given not in INPUT_FORMATS:
            raise UsageError(f"unknown input format {given!r} (choose from {INPUT_FORMATS})")
        if given == "txt" and not documents:
            raise UsageError("--input-format txt reads one document: add --documents")
        return given
    if path == "-":
        return "txt" if documents else "jsonl"
    if Path(path).is_dir():
        if not documents:
            raise UsageError(f"{path} is a folder: folders of .txt files need --documents")
        return "folder"
    fmt = INPUT_EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {path} from its extension; "
                         f"use --input-format ({', '.join(INPUT_FORMATS)})")
    if fmt == "txt" and not documents:
        raise UsageError(f"{path} is a text file, read as one document: add --documents")
    return fmt


def _decode(data: bytes) -> tuple[str, str | None]:
    """(text, error): strict UTF-8, else the text decoded with errors=replace and a reason."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return data.decode("utf-8", errors="replace"), f"bytes that are not UTF-8 (at byte {e.start})"


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[int, str, dict | Reject]]:
    """(line number, raw line, parsed object or Reject) for each non-blank physical line."""
    for number, data in enumerate(stream, start=1):
        text, error = _decode(data.rstrip(b"\r\n"))
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        if error:
            yield number, text, Reject(number, error, text)
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield number, text, Reject(number, f"invalid JSON: {e.msg} (column {e.colno})", text)
            continue
        if not isinstance(obj, dict):
            yield number, text, Reject(number, f"not a JSON object (got {type(obj).__name__})",
                                       text)
            continue
        yield number, text, obj


class _LineTracker:
    """Feeds decoded physical lines to csv.reader and remembers which lines (and whether any
    had bytes that are not UTF-8) made up the row it returned last."""

    def __init__(self, stream: IO[bytes]):
        self.lines = enumerate(stream, start=1)
        self.start = 1
        self.pieces: list[str] = []
        self.error: str | None = None

    def __iter__(self) -> _LineTracker:
        return self

    def __next__(self) -> str:
        number, data = next(self.lines)
        text, error = _decode(data)
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not self.pieces:
            self.start = number
        self.pieces.append(text)
        self.error = self.error or error
        return text

    def take(self) -> tuple[int, str, str | None]:
        out = (self.start, "".join(self.pieces).rstrip("\r\n"), self.error)
        self.pieces, self.error = [], None
        return out


def _csv_rows(stream: IO[bytes], delimiter: str) -> Iterator[tuple[int, str, dict | Reject]]:
    # Fields may hold whole articles: lift csv's 128 KiB field limit.
    csv.field_size_limit(2**31 - 1)
    tracker = _LineTracker(stream)
    reader = csv.reader(tracker, delimiter=delimiter)
    header: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            line, raw, _ = tracker.take()
            yield line, raw, Reject(line, f"bad CSV: {e}", raw)
            continue
        line, raw, error = tracker.take()
        if not row:
            continue
        if header is None:
            header = row
            continue
        if error:
            yield line, raw, Reject(line, error, raw)
        elif len(row) != len(header):
            yield line, raw, Reject(line, f"row has {len(row)} fields, the header has "
                                          f"{len(header)}", raw)
        else:
            yield line, raw, dict(zip(header, row, strict=True))


def _parquet_rows(path: str, batch_size: int = 1024) -> Iterator[tuple[int, None, dict]]:
    import pyarrow.parquet as pq  # lazily: only Parquet users need pyarrow

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            number += 1
            yield number, None, row


def _open_binary(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else open(path, "rb")


def _table_rows(path: str, fmt: str) -> Iterator[tuple[int, str | None, dict | Reject]]:
    if fmt == "parquet":
        if path == "-":
            raise UsageError("Parquet cannot be read from stdin; pass a file")
        yield from _parquet_rows(path)
        return
    stream = _open_binary(path)
    try:
        if fmt == "jsonl":
            yield from _jsonl_rows(stream)
        else:
            yield from _csv_rows(stream, "\t" if fmt == "tsv" else ",")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_records(path: str, fmt: str, columns: Columns | None = None,
                 default_target: str | None = None) -> Iterator[Item]:
    """Records (or Rejects) of a JSONL/CSV/TSV/Parquet file, lazily, in file order."""
    columns = columns or Columns()
    for line, raw, row in _table_rows(path, fmt):
        if isinstance(row, Reject):
            yield row
        else:
            yield to_record(row, line, raw, columns, default_target)


def _text_document(data: bytes, line: int, doc_id: str, default_target: str | None,
                   source: str = "") -> Item:
    text, error = _decode(data)
    text = text.removeprefix("\ufeff")
    if error:
        return Reject(line, error, text, source=source)
    if not text.strip():
        return Reject(line, "empty document", text, field="text", source=source)
    return Record(line, text, default_target or None, doc_id, {}, text, source)


def read_documents(path: str, fmt: str, columns: Columns | None = None,
                   default_target: str | None = None) -> Iterator[Item]:
    """Documents: one .txt file (or stdin), a folder of .txt files (sorted, id = file stem), or
    a table whose `columns.text` column holds the document."""
    if fmt == "txt":
        if path == "-":
            yield _text_document(sys.stdin.buffer.read(), 1, "stdin", default_target)
        else:
            yield _text_document(Path(path).read_bytes(), 1, Path(path).stem, default_target)
    elif fmt == "folder":
        files = sorted(p for p in Path(path).iterdir() if p.suffix.lower() == ".txt" and p.is_file())
        if not files:
            raise UsageError(f"{path} holds no .txt files")
        for number, file in enumerate(files, start=1):
            yield _text_document(file.read_bytes(), number, file.stem, default_target, str(file))
    else:
        yield from read_records(path, fmt, columns, default_target)
