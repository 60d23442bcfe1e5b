"""Streaming, crash-safe I/O for `claims-infer`: input formats, output formats, rejects, resume.

Reading. Claims come from JSONL, CSV, TSV or Parquet (by extension or an explicit format; `-` is
stdin), documents from a .txt file, a folder of .txt files or any of those tables. Records are read
one at a time (Parquet by row batches), so memory stays flat however big the input is. Each record
keeps its line number (the 1-based physical line where it starts; the row number for Parquet, the
file's position for a folder) and all its other columns, which are carried through to the output.

Rejects. Bad input loses nothing: a line that is not valid JSON, not a JSON object, not UTF-8, has a
missing, empty or non-string text, a missing explicitly configured column, or a CSV row of the wrong
width becomes a `Reject` in `<output>.rejects.jsonl` as `{"line", "reason", "raw"}` (raw = the
original line decoded with errors=replace) and the job goes on; with `on_error="fail"` the first one
stops the job (`InputError`).

Overlong texts. A claim longer than the model's window is *kept*: the model predicts on its start
(which is where news sentences put the claim), its output record says `"truncated": true`, and it is
also listed in the rejects with reason "truncated to N tokens; predicted on the start" and
`"kept": true`. Dropping it would lose a prediction that is usually right; keeping it silently would
hide that the model never saw the end. It never triggers `on_error="fail"`. For a document unit the
reject's raw is the unit text (the document itself may be megabytes).

Resume. Records are processed in chunks (default 1,024 claims). After each chunk the output and the
rejects are flushed and fsynced, then `<output>.progress.json` is replaced atomically (temp file +
os.replace) with the number of input records consumed and both files' byte sizes. A resumed job
truncates both files to those sizes, which discards anything written after the last commit, skips
the consumed records and appends: the result is byte-identical to an uninterrupted run, because the
chunk boundaries (and so the batches) are the same. The progress file is written before the output
is created and removed only after the last chunk is committed, so a job killed at any point can be
resumed. Parquet cannot be appended after a crash (its footer is written last), so Parquet output
is written to `<output>.partial` and renamed when complete, and `--resume` needs JSONL or CSV.

Scores are rounded to 4 decimals, which keeps files small and their bytes stable.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

logger = logging.getLogger(__name__)

INPUT_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
                    ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt"}
OUTPUT_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                     ".pq": "parquet", ".txt": "table"}
INPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet", "txt")
OUTPUT_FORMATS = ("jsonl", "csv", "parquet", "table")
RESUMABLE_FORMATS = ("jsonl", "csv")
PROGRESS_VERSION = 1
SCORE_DECIMALS = 4
DOCUMENT_FIELDS = ("doc_id", "unit", "start", "end", "speaker")
_MISSING = object()


class UsageError(ValueError):
    """Bad options or files found before any work is done (CLI exit code 2)."""


class InputError(ValueError):
    """A bad input record under `on_error="fail"` (CLI exit code 3)."""

    def __init__(self, reject: Reject, source: str):
        self.reject = reject
        super().__init__(f"{reject.source or source}:{reject.line}: {reject.reason}")


class OutputError(RuntimeError):
    """Rows that the output format cannot hold (e.g. a Parquet column that changes type)."""


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


# ---------------------------------------------------------------------------------------------
# Output rows


class RowBuilder:
    """Turns a record (or a document unit) and its prediction into one flat output row.

    Input columns that clash with an output field (e.g. a gold `type` column) are carried
    through as `input_<name>`, so the prediction never overwrites them."""

    def __init__(self, tasks: Iterable[str], *, documents: bool = False):
        self.tasks = list(tasks)
        self.documents = documents
        reserved = ["id", *(DOCUMENT_FIELDS if documents else ()), "text", "target", "truncated"]
        for task in self.tasks:
            reserved += [task, f"{task}_score", f"{task}_scores"]
        self.reserved = set(reserved)

    def _predictions(self, row: dict, pred: dict) -> None:
        for task in self.tasks:
            entry = pred[task]
            row[task] = entry["label"]
            row[f"{task}_score"] = round(entry["score"], SCORE_DECIMALS)
            if "scores" in entry:
                row[f"{task}_scores"] = {k: round(v, SCORE_DECIMALS)
                                         for k, v in entry["scores"].items()}
        row["truncated"] = bool(pred["truncated"])

    def _extras(self, row: dict, extra: dict) -> None:
        for key, value in extra.items():
            name = f"input_{key}" if key in self.reserved else key
            row.setdefault(name, value)

    def claim(self, record: Record, pred: dict) -> dict:
        row = {"id": record.id, "text": record.text, "target": record.target}
        self._predictions(row, pred)
        self._extras(row, record.extra)
        return row

    def unit(self, record: Record, unit, pred: dict) -> dict:
        row = {"id": f"{record.id}:{unit.index}", "doc_id": record.id, "unit": unit.index,
               "start": unit.start, "end": unit.end, "speaker": unit.speaker,
               "text": unit.text, "target": record.target}
        self._predictions(row, pred)
        self._extras(row, record.extra)
        return row


# ---------------------------------------------------------------------------------------------
# Writers. Every sink writes bytes, so `commit()` can report an exact byte size for resume.


class Sink(Protocol):
    def write(self, rows: list[dict]) -> None: ...

    def commit(self) -> int: ...

    def state(self) -> dict: ...

    def close(self) -> None: ...


def output_format(path: str, given: str | None = None) -> str:
    if given:
        if given not in OUTPUT_FORMATS:
            raise UsageError(f"unknown output format {given!r} (choose from {OUTPUT_FORMATS})")
        return given
    if path == "-":
        return "jsonl"
    fmt = OUTPUT_EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {path} from its extension; "
                         f"use --format ({', '.join(OUTPUT_FORMATS)})")
    return fmt


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class _ByteSink:
    """Shared by the text formats: a binary file (or stdout) that is flushed and fsynced."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream

    def _put(self, data: str) -> None:
        self.stream.write(data.encode("utf-8"))

    def commit(self) -> int:
        self.stream.flush()
        if self.stream is sys.stdout.buffer:
            return 0
        os.fsync(self.stream.fileno())
        return self.stream.tell()

    def state(self) -> dict:
        return {}

    def close(self) -> None:
        self.commit()
        if self.stream is not sys.stdout.buffer:
            self.stream.close()


class JsonlSink(_ByteSink):
    def write(self, rows: list[dict]) -> None:
        if rows:
            self._put("".join(_json(row) + "\n" for row in rows))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return _json(value)
    return value


class CsvSink(_ByteSink):
    """CSV with a header taken from the first rows written (their union of keys, in order).
    Columns that only appear later are dropped with one warning each: a CSV header cannot grow."""

    def __init__(self, stream: IO[bytes], fields: list[str] | None = None):
        super().__init__(stream)
        self.fields = fields
        self.dropped: set[str] = set()

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if self.fields is None:
            self.fields = list(dict.fromkeys(k for row in rows for k in row))
            writer.writerow(self.fields)
        for row in rows:
            self._warn_dropped(row)
            writer.writerow([_csv_cell(row.get(k)) for k in self.fields])
        self._put(buffer.getvalue())

    def _warn_dropped(self, row: dict) -> None:
        for key in row.keys() - set(self.fields or ()) - self.dropped:
            self.dropped.add(key)
            logger.warning("column %r first appears after the CSV header was written; it is "
                           "left out (write JSONL to keep every column)", key)

    def state(self) -> dict:
        return {"csv_fields": self.fields}


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


class TableSink(_ByteSink):
    """An aligned, human-readable table with fixed column widths, so it can stream."""

    TEXT_WIDTH = 70

    def __init__(self, stream: IO[bytes], tasks: Iterable[str], *, documents: bool = False):
        super().__init__(stream)
        self.tasks = list(tasks)
        self.documents = documents
        self.header_done = False

    def _line(self, first: str, cells: list[tuple[str, str]], speaker: str, text: str) -> str:
        first = f"{first:>4}" if self.documents else f"{first:<10}"
        middle = "  ".join(f"{label:<14} {score:>5}" for label, score in cells)
        return f"{first}  {middle}  {speaker:<22}  {text}".rstrip() + "\n"

    def write(self, rows: list[dict]) -> None:
        out = []
        if not self.header_done:
            first = "unit" if self.documents else "id"
            out.append(self._line(first, [(t, "score") for t in self.tasks], "speaker", "text"))
            self.header_done = True
        for row in rows:
            first = str(row["unit"]) if self.documents else _cut(row["id"], 10)
            cells = [(_cut(row[t], 14), f"{row[f'{t}_score']:.2f}") for t in self.tasks]
            out.append(self._line(first, cells, _cut(row.get("speaker", ""), 22),
                                  _cut(row["text"], self.TEXT_WIDTH)))
        self._put("".join(out))


class ParquetSink:
    """Parquet, one row group per chunk, written to `<path>.partial` and renamed on close, so a
    crash never leaves a corrupt file under the real name. The schema is fixed by the first chunk
    (all-null columns become strings; ids are written as strings since inputs mix them)."""

    def __init__(self, path: str):
        self.path = path
        self.partial = f"{path}.partial"
        self.writer = None
        self.schema = None

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [{**row, "id": str(row["id"]),
                 **({"doc_id": str(row["doc_id"])} if "doc_id" in row else {})} for row in rows]
        try:
            if self.schema is None:
                self.schema = self._schema(pa.Table.from_pylist(rows).schema)
                self.writer = pq.ParquetWriter(self.partial, self.schema)
            table = pa.Table.from_pylist(rows, schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise OutputError(f"{self.path}: rows do not fit the Parquet schema set by the first "
                              f"chunk ({e}); write JSONL instead") from e
        self.writer.write_table(table)

    @staticmethod
    def _schema(schema):
        import pyarrow as pa

        return pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                          for f in schema])

    def commit(self) -> int:
        return 0

    def state(self) -> dict:
        return {}

    def close(self) -> None:
        if self.writer is None:  # no rows at all: still a valid (empty) Parquet file
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"id": pa.array([], pa.string())}), self.partial)
        else:
            self.writer.close()
        os.replace(self.partial, self.path)


class RejectLog:
    """`<output>.rejects.jsonl`, created only when the first reject arrives; `size` is its byte
    size at the last commit (resumed jobs start from the recorded one)."""

    def __init__(self, path: Path, size: int = 0):
        self.path = path
        self.stream: IO[bytes] | None = None
        self.size = size

    def write(self, rejects: list[Reject]) -> None:
        if not rejects:
            return
        if self.stream is None:
            self.stream = open(self.path, "ab")  # noqa: SIM115
        self.stream.write("".join(_json(r.as_dict()) + "\n" for r in rejects).encode("utf-8"))

    def commit(self) -> int:
        if self.stream is not None:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.size = self.stream.tell()
        return self.size

    def close(self) -> None:
        if self.stream is not None:
            self.commit()
            self.stream.close()


# ---------------------------------------------------------------------------------------------
# Progress and resume


@dataclass
class Progress:
    """What `<output>.progress.json` records after each committed chunk."""

    signature: dict
    chunk_size: int
    consumed: int = 0
    output_bytes: int = 0
    rejects_bytes: int = 0
    written: int = 0
    rejected: int = 0
    truncated: int = 0
    sink_state: dict = field(default_factory=dict)
    version: int = PROGRESS_VERSION


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


class Checkpoint:
    """Atomic reads and writes of a progress file."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> Progress | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != PROGRESS_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            return Progress(**data)
        except (ValueError, TypeError) as e:
            raise UsageError(f"{self.path} is not a claims-infer progress file ({e}); "
                             f"use --overwrite to start again") from e

    def save(self, progress: Progress) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(asdict(progress), f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class OutputPlan:
    """Where and how a job writes. `signature` holds the options that must not change between
    a job and its resumption (input, model, columns, ...)."""

    path: str
    format: str
    rejects: Path
    signature: dict = field(default_factory=dict)
    resume: bool = False
    overwrite: bool = False

    @property
    def stdout(self) -> bool:
        return self.path == "-"

    @property
    def progress_path(self) -> Path | None:
        resumable = not self.stdout and self.format in RESUMABLE_FORMATS
        return Path(f"{self.path}.progress.json") if resumable else None


def default_rejects_path(output: str, cwd: Path | None = None) -> Path:
    if output == "-":
        return (cwd or Path.cwd()) / "claims-infer.rejects.jsonl"
    return Path(f"{output}.rejects.jsonl")


def check_output(plan: OutputPlan) -> Progress | None:
    """Refuse to clobber or to resume what cannot be resumed; returns the progress to resume
    from (None for a fresh start). Changes nothing on disk."""
    if plan.stdout and plan.format == "parquet":
        raise UsageError("Parquet cannot be written to stdout; pass an output file")
    if plan.resume and plan.stdout:
        raise UsageError("--resume needs an output file, not stdout")
    for path in ([] if plan.stdout else [Path(plan.path)]) + [plan.rejects]:
        if not path.parent.is_dir():
            raise UsageError(f"folder {path.parent} does not exist (for {path})")
    if plan.resume and plan.progress_path is None:
        raise UsageError(f"--resume needs JSONL or CSV output: {plan.format} files cannot be "
                         f"appended after a crash (write JSONL or CSV, then convert)")
    if plan.stdout:
        return None
    out = Path(plan.path)
    progress_file = plan.progress_path
    has_progress = progress_file is not None and progress_file.exists()
    if plan.overwrite:
        return None
    if plan.resume:
        if has_progress:
            progress = Checkpoint(progress_file).load()
            _check_signature(progress, plan)
            return progress
        if out.exists():
            raise UsageError(f"{out} exists but has no progress file: it is complete or was not "
                             f"written by claims-infer; use --overwrite to redo it")
        return None
    if has_progress:
        raise UsageError(f"{progress_file} shows an interrupted job: use --resume to continue it "
                         f"or --overwrite to start again")
    if out.exists():
        raise UsageError(f"{out} exists: use --overwrite to replace it (or --resume to continue "
                         f"an interrupted job)")
    return None


def _check_signature(progress: Progress, plan: OutputPlan) -> None:
    changed = sorted(k for k in progress.signature.keys() | plan.signature.keys()
                     if progress.signature.get(k) != plan.signature.get(k))
    if changed:
        details = "; ".join(f"{k}: was {progress.signature.get(k)!r}, now {plan.signature.get(k)!r}"
                            for k in changed)
        raise UsageError(f"cannot resume {plan.path} with different options ({details}); "
                         f"rerun with the same options or use --overwrite")


def _truncate(path: Path, size: int) -> None:
    if not path.exists():
        if size:
            raise UsageError(f"{path} is missing but the progress file records {size} bytes; "
                             f"use --overwrite to start again")
        return
    actual = path.stat().st_size
    if actual < size:
        raise UsageError(f"{path} has {actual} bytes, fewer than the {size} the progress file "
                         f"records: it was changed since; use --overwrite to start again")
    if actual > size:
        logger.info("%s: discarding %d bytes written after the last commit", path, actual - size)
    os.truncate(path, size)


def open_sink(plan: OutputPlan, tasks: Iterable[str], *, documents: bool,
              progress: Progress) -> Sink:
    """Open the output after `start_output`: it appends, since that step already cleared the
    file for a fresh job or cut it back to the last commit for a resumed one."""
    if plan.format == "parquet":
        return ParquetSink(plan.path)
    stream = sys.stdout.buffer if plan.stdout else open(plan.path, "ab")  # noqa: SIM115
    if plan.format == "csv":
        return CsvSink(stream, progress.sink_state.get("csv_fields"))
    if plan.format == "table":
        return TableSink(stream, tasks, documents=documents)
    return JsonlSink(stream)


def start_output(plan: OutputPlan, progress: Progress | None, chunk_size: int
                 ) -> tuple[Progress, Checkpoint | None]:
    """Prepare the files on disk: truncate to the last commit when resuming, else clear old ones
    and write the first progress file *before* the output exists (so a kill at any later point
    leaves something `--resume` understands)."""
    path = plan.progress_path
    checkpoint = Checkpoint(path) if path is not None else None
    if progress is not None:
        _truncate(Path(plan.path), progress.output_bytes)
        _truncate(plan.rejects, progress.rejects_bytes)
        return progress, checkpoint
    if not plan.stdout:
        Path(plan.path).unlink(missing_ok=True)
    plan.rejects.unlink(missing_ok=True)
    progress = Progress(signature=plan.signature, chunk_size=chunk_size)
    if checkpoint is not None:
        checkpoint.save(progress)
    return progress, checkpoint


# ---------------------------------------------------------------------------------------------
# The job: read, predict and commit chunk by chunk


PredictFn = Callable[..., list[dict]]  # Predictor.predict(texts, targets, all_scores=...)


@dataclass
class JobStats:
    """Counts for this run (a resumed run counts only what it did itself)."""

    read: int = 0
    written: int = 0
    rejected: int = 0
    truncated: int = 0
    skipped: int = 0  # records consumed by the interrupted run(s) before a resume


@dataclass(frozen=True)
class JobOptions:
    on_error: str = "skip"
    all_scores: bool = False
    max_length: int = 0  # the model's window, named in the truncation reason
    source: str = ""  # the input, named in error messages


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Chunks of at most `size` input records and (about) `size` claims: a document counts as
    many claims as it has units, so a chunk of long articles stays small."""
    chunk: list[Item] = []
    claims = 0
    for item in items:
        chunk.append(item)
        claims += len(item.units) if isinstance(item, Record) and item.units else 1
        if claims >= size or len(chunk) >= size:
            yield chunk
            chunk, claims = [], 0
    if chunk:
        yield chunk


class Job:
    """Streams items through `predict` into a sink, committing progress after every chunk."""

    def __init__(self, items: Iterable[Item], predict: PredictFn, rows: RowBuilder, sink: Sink,
                 rejects: RejectLog, progress: Progress, checkpoint: Checkpoint | None,
                 options: JobOptions, segment: Callable[[str], list] | None = None):
        self.items = items
        self.predict = predict
        self.rows = rows
        self.sink = sink
        self.rejects = rejects
        self.progress = progress
        self.checkpoint = checkpoint
        self.options = options
        self.segment = segment
        self.stats = JobStats(skipped=progress.consumed)

    def _stream(self) -> Iterator[Item]:
        # Skipping re-reads the consumed records: cheap next to predicting them, and it works for
        # every format, stdin included.
        items = itertools.islice(iter(self.items), self.progress.consumed, None)
        for item in items:
            if isinstance(item, Record) and self.segment is not None:
                item = self._segmented(item)
            if isinstance(item, Reject) and self.options.on_error == "fail":
                raise InputError(item, self.options.source)
            yield item

    def _segmented(self, record: Record) -> Item:
        record.units = self.segment(record.text)
        if record.units:
            return record
        return Reject(record.line, "no claim units in document", record.raw, field="text",
                      id=record.id, source=record.source)

    def run(self, on_chunk: Callable[[JobStats], None] | None = None) -> JobStats:
        # Resuming uses the chunk size of the first run, so the batches (and bytes) match.
        for chunk in chunked(self._stream(), self.progress.chunk_size):
            rows, rejects = self._process(chunk)
            self._commit(len(chunk), rows, rejects)
            if on_chunk is not None:
                on_chunk(self.stats)
        self.sink.close()
        self.rejects.close()
        if self.checkpoint is not None:
            self.checkpoint.remove()
        return self.stats

    def _process(self, chunk: list[Item]) -> tuple[list[dict], list[Reject]]:
        records = [it for it in chunk if isinstance(it, Record)]
        rejects = [it for it in chunk if isinstance(it, Reject)]
        if self.segment is None:
            pairs = [(r, None) for r in records]
            texts = [r.text for r in records]
        else:
            pairs = [(r, u) for r in records for u in r.units]
            texts = [u.text for _, u in pairs]
        preds = self.predict(texts, [r.target for r, _ in pairs],
                             all_scores=self.options.all_scores) if pairs else []
        rows = []
        for (record, unit), pred in zip(pairs, preds, strict=True):
            row = self.rows.claim(record, pred) if unit is None else self.rows.unit(record, unit, pred)
            rows.append(row)
            if pred["truncated"]:
                rejects.append(self._truncated(record, unit, row))
        rejects.sort(key=lambda r: (r.line, r.unit if r.unit is not None else -1))
        return rows, rejects

    def _truncated(self, record: Record, unit, row: dict) -> Reject:
        reason = f"truncated to {self.options.max_length} tokens; predicted on the start"
        raw = record.raw if unit is None else unit.text
        return Reject(record.line, reason, raw, field="text", kept=True, id=row["id"],
                      unit=None if unit is None else unit.index, source=record.source)

    def _commit(self, consumed: int, rows: list[dict], rejects: list[Reject]) -> None:
        # Order matters: data first (fsynced), then the progress file that vouches for it.
        self.sink.write(rows)
        output_bytes = self.sink.commit()
        self.rejects.write(rejects)
        rejects_bytes = self.rejects.commit()
        bad = sum(not r.kept for r in rejects)
        kept = len(rejects) - bad
        p = self.progress
        p.consumed += consumed
        p.output_bytes, p.rejects_bytes = output_bytes, rejects_bytes
        p.written += len(rows)
        p.rejected += bad
        p.truncated += kept
        p.sink_state = self.sink.state()
        if self.checkpoint is not None:
            self.checkpoint.save(p)
        s = self.stats
        s.read += consumed
        s.written += len(rows)
        s.rejected += bad
        s.truncated += kept
