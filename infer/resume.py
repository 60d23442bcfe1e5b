"""Crash-safe output: refuse to clobber, commit after every chunk, resume byte-identically.

Records are processed in chunks (default 1,024 claims). After each chunk the output and the
rejects are flushed and fsynced, then `<output>.progress.json` is replaced atomically (temp file +
os.replace) with the number of input records consumed and both files' byte sizes. A resumed job
truncates both files to those sizes, which discards anything written after the last commit, skips
the consumed records and appends: the result is byte-identical to an uninterrupted run, because the
chunk boundaries (and so the batches) are the same. The progress file is written before the output
is created and removed only after the last chunk is committed, so a job killed at any point can be
resumed. Parquet cannot be appended after a crash (its footer is written last), so `--resume`
needs JSONL or CSV.

This module owns the files on disk: the checks before any work, the progress file, cutting back
and opening the output. `infer.job` decides when to commit.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from infer.errors import UsageError
from infer.writers import CsvSink, JsonlSink, ParquetSink, Sink, TableSink

logger = logging.getLogger(__name__)

RESUMABLE_FORMATS = ("jsonl", "csv")
PROGRESS_VERSION = 1


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
