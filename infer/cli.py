"""`claims-infer`: predict claim type and stance for a file of claims or for whole articles.

    claims-infer --model runs/default --input claims.jsonl --output preds.jsonl
    claims-infer --model runs/default --input claims.csv --output preds.csv --target Russia
    claims-infer --model runs/default --documents --input article.txt --output - --format table
    claims-infer --model runs/default --input big.jsonl --output preds.jsonl --resume

Formats and rejects are described in `infer.readers` and `infer.writers`, resume in
`infer.resume`. This module only parses options, loads the model, wires `infer.job.Job` to
`Predictor.predict` and reports.

Exit codes:
    0    finished. Bad records, if any, are in the rejects file and counted in the summary: real
         news dumps always have a few, and a non-zero exit would make every such batch job look
         failed. Use `--on-error fail` to make them fatal.
    1    unexpected failure (a bug, a full disk, rows that do not fit the Parquet schema, ...)
    2    usage error or unusable model folder, reported before any work is done
    3    `--on-error fail` met a bad record (the message names file, line and field)
    130  interrupted (Ctrl-C); committed chunks are kept, `--resume` continues
    141  stdout was closed early (e.g. piped into `head`)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from infer.errors import InputError, OutputError, UsageError
from infer.job import Job, JobOptions, JobStats
from infer.predict import ModelDirError, check_model_dir
from infer.readers import INPUT_FORMATS, Columns, input_format, read_documents, read_records
from infer.resume import OutputPlan, check_output, default_rejects_path, open_sink, start_output
from infer.writers import OUTPUT_FORMATS, RejectLog, RowBuilder, output_format

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 3, 130, 141
PROG = "claims-infer"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG, description="Predict claim type and stance toward a target for claims or "
        "whole news articles.", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", required=True, help="trained claimstance model folder")
    p.add_argument("--input", required=True, help="claims (JSONL/CSV/TSV/Parquet) or, with "
                   "--documents, a .txt file, a folder of .txt files or a table; - = stdin")
    p.add_argument("--output", default="-", help="JSONL, CSV or Parquet file; - = stdout")
    p.add_argument("--documents", action="store_true",
                   help="input holds whole articles: segment them into claim units")
    p.add_argument("--target", default=None,
                   help="target for records without one (e.g. 'Russia'); none = no target")
    p.add_argument("--input-format", choices=INPUT_FORMATS, default=None,
                   help="override the input extension (needed for stdin other than JSONL)")
    p.add_argument("--format", "--output-format", dest="format", choices=OUTPUT_FORMATS,
                   default=None, help="output format (default: from the extension; JSONL on "
                   "stdout); table = aligned text for humans")
    p.add_argument("--text-column", default="text", help="column holding the claim text")
    p.add_argument("--document-column", default="text",
                   help="column holding the document text (tables with --documents)")
    p.add_argument("--target-column", default=None, help="column holding the target "
                   "[default: target, optional]; when given it must exist in every record")
    p.add_argument("--id-column", default=None, help="column holding the id [default: id, "
                   "optional, else the line number]; when given it must exist in every record")
    p.add_argument("--rejects", default=None, help="rejects file [default: <output>."
                   "rejects.jsonl, or ./claims-infer.rejects.jsonl for stdout]")
    p.add_argument("--on-error", choices=("skip", "fail"), default="skip",
                   help="skip: bad records go to the rejects file; fail: stop at the first (exit 3)")
    p.add_argument("--all-scores", action="store_true", help="add <task>_scores: every label's score")
    p.add_argument("--batch-tokens", type=_positive, default=None,
                   help="token budget of one model batch "
                        "[default: 4096 on CPU, 1024 with --quantize int8, 16384 on GPU]")
    p.add_argument("--chunk-size", type=_positive, default=1024,
                   help="claims per committed chunk (the unit of --resume)")
    p.add_argument("--threads", type=_positive, default=None, help="CPU threads for torch")
    p.add_argument("--device", choices=("cpu", "cuda"), default=None,
                   help="default: cuda when available")
    p.add_argument("--quantize", choices=("int8",), default=None, help="quantize the model")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="continue an interrupted job from its progress file")
    mode.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    return p


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return number


def _configure_logging(quiet: bool) -> None:
    log = logging.getLogger("infer")
    for handler in [h for h in log.handlers if getattr(h, "_claims_infer", False)]:
        log.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
    handler._claims_infer = True  # so a second main() in one process replaces, not stacks
    log.addHandler(handler)
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False


def _columns(args: argparse.Namespace) -> Columns:
    # Columns the user named must exist; the default target and id columns are optional.
    explicit = frozenset(c for c in (args.target_column, args.id_column) if c is not None)
    return Columns(text=args.document_column if args.documents else args.text_column,
                   target=args.target_column or "target", id=args.id_column or "id",
                   required=explicit)


def _plan(args: argparse.Namespace) -> OutputPlan:
    if args.input != "-" and not Path(args.input).exists():
        raise UsageError(f"input not found: {args.input}")
    if args.input != "-" and args.output != "-" and \
            Path(args.input).resolve() == Path(args.output).resolve():
        raise UsageError(f"--input and --output are the same file: {args.input}")
    if args.resume and args.input == "-":
        raise UsageError("--resume needs an input file: stdin cannot be read again")
    fmt = output_format(args.output, args.format)
    rejects = Path(args.rejects) if args.rejects else default_rejects_path(args.output)
    cols = _columns(args)
    # What must not change between a job and its resumption (the output would mix two jobs).
    signature = {
        "input": str(Path(args.input).resolve()) if args.input != "-" else "-",
        "input_format": input_format(args.input, args.input_format, documents=args.documents),
        "model": str(Path(args.model).resolve()), "documents": args.documents,
        "columns": [cols.text, cols.target, cols.id], "target": args.target,
        "all_scores": args.all_scores, "format": fmt, "quantize": args.quantize,
    }
    return OutputPlan(args.output, fmt, rejects, signature, args.resume, args.overwrite)


def _load_predictor(args: argparse.Namespace):
    import torch

    from infer.predict import Predictor

    if args.threads:
        torch.set_num_threads(args.threads)
    if _bars_off(args.quiet):  # transformers' own "Loading weights" bar too
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    if args.device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda, but torch sees no CUDA device")
    try:
        return Predictor.from_pretrained(args.model, device=args.device, quantize=args.quantize,
                                         max_batch_tokens=args.batch_tokens)
    except ImportError as e:
        if args.quantize:
            raise UsageError(f"--quantize {args.quantize} is not available here: {e}") from e
        raise


def _progress_bar(quiet: bool):
    from tqdm.auto import tqdm

    return tqdm(unit=" claims", desc=PROG, disable=_bars_off(quiet), file=sys.stderr,
                dynamic_ncols=True)


def _bars_off(quiet: bool) -> bool:
    return quiet or not sys.stderr.isatty()


def _items(args: argparse.Namespace, fmt: str):
    read = read_documents if args.documents else read_records
    return read(args.input, fmt, _columns(args), args.target)


def _summary(stats: JobStats, seconds: float, plan: OutputPlan) -> str:
    rate = stats.written / seconds if seconds > 0 else 0.0
    text = (f"{PROG}: read {stats.read} records, wrote {stats.written} claims, rejected "
            f"{stats.rejected}, truncated {stats.truncated}; {seconds:.1f} s, {rate:.0f} claims/s")
    if stats.rejected or stats.truncated:
        text += f"; see {plan.rejects}"
    if stats.skipped:
        text += f"; resumed after {stats.skipped} records"
    return text


def _make_job(args: argparse.Namespace, plan: OutputPlan, progress, checkpoint,
              predictor) -> Job:
    sink = open_sink(plan, predictor.tasks, documents=args.documents, progress=progress)
    segment = None
    if args.documents:
        from infer.segment import segment
    options = JobOptions(on_error=args.on_error,
                         all_scores=args.all_scores, max_length=predictor.config.max_length,
                         source="<stdin>" if args.input == "-" else args.input)
    return Job(_items(args, plan.signature["input_format"]), predictor.predict,
               RowBuilder(predictor.tasks, documents=args.documents), sink,
               RejectLog(plan.rejects, progress.rejects_bytes), progress, checkpoint, options,
               segment)


def run(args: argparse.Namespace) -> int:
    """The whole job; raises the errors that `main` turns into exit codes."""
    check_model_dir(args.model)  # before any work: a bad folder fails in a second, not an hour
    plan = _plan(args)
    resumed = check_output(plan)  # refuses to clobber before the (slow) model load
    predictor = _load_predictor(args)
    if resumed is not None:
        logger.info("resuming %s after %d records", plan.path, resumed.consumed)
    progress, checkpoint = start_output(plan, resumed, args.chunk_size)
    job = _make_job(args, plan, progress, checkpoint, predictor)
    bar = _progress_bar(args.quiet)
    started = time.perf_counter()
    try:
        stats = job.run(on_chunk=lambda s: bar.update(s.written - bar.n))
    finally:
        bar.close()
    if not args.quiet:
        print(_summary(stats, time.perf_counter() - started, plan), file=sys.stderr)
    return EXIT_OK


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # argparse exits itself on --help (0) and on bad options (2)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    _configure_logging(args.quiet)
    try:
        return run(args)
    except (UsageError, ModelDirError) as e:
        _error(str(e))
        return EXIT_USAGE
    except InputError as e:
        _error(f"{e} (stopped by --on-error fail; committed chunks are kept: fix the input and "
               f"rerun with --resume, or use --overwrite)")
        return EXIT_INPUT
    except OutputError as e:
        _error(str(e))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted; committed chunks are kept (for a JSONL or CSV output file, "
               "rerun with --resume to continue)")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit; point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE


if __name__ == "__main__":
    sys.exit(main())
