"""Writing `claims-infer` output: flat rows as JSONL, CSV, Parquet or a table, and the rejects.

Every text sink writes bytes and reports its exact byte size at each `commit()`, so `infer.resume`
can cut a file back to its last commit after a crash and append from there. Parquet cannot be cut
or appended (its footer is written last), so it is written to `<output>.partial` and renamed when
complete.

Scores are rounded to 4 decimals, which keeps files small and their bytes stable.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Protocol

from infer.errors import OutputError, UsageError
from infer.readers import Record, Reject

logger = logging.getLogger(__name__)

OUTPUT_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                     ".pq": "parquet", ".txt": "table"}
OUTPUT_FORMATS = ("jsonl", "csv", "parquet", "table")
SCORE_DECIMALS = 4
DOCUMENT_FIELDS = ("doc_id", "unit", "start", "end", "speaker")


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
# Sinks


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
