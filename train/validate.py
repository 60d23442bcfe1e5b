"""Check claims files against the schema of LABELS.md and print their distribution tables.

    claims-train data check data/            (or: python -m train.validate data/)
    claims-train data check data/ data/extra/    (extra files checked against the splits too)

Every problem names file, line and field. Errors (exit 1): invalid JSON, missing fields, unknown
labels, empty text, bad language codes, duplicate ids, exact or near-duplicate texts within or
across splits, translation groups split across splits, non_claim rows with a stance or target.
Rows that share one text with different targets (contrast groups) are intended, within a split.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from infer.labels import STANCES, TYPES

REQUIRED = ("id", "text", "lang", "type", "stance")
# ISO 639-1 codes (the whole list, so any language a user labels passes).
ISO639_1 = set("""aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr
cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os
pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th
ti tk tl tn to tr ts tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split())
NEAR_THRESHOLD = 0.85  # Jaccard similarity of character 4-gram sets
HARD_STYLES = {"long", "headline", "no_cue", "indirect_past", "loaded", "local"}


@dataclass
class Row:
    file: str
    line: int
    split: str
    data: dict

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, where: str, fld: str, message: str) -> None:
        self.errors.append(f"{where}: {fld}: {message}")


class SplitNameClash(ValueError):
    """Two files of one check share a stem, so their rows could not be told apart by split."""


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", " ", text).strip()


def claim_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    files = sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".csv", ".parquet"))
    if not files:
        raise FileNotFoundError(f"{path}: no .jsonl, .csv or .parquet claims files")
    return files


def read_rows(path: Path, report: Report) -> None:
    split = path.stem
    if path.suffix == ".jsonl":
        with path.open("rb") as f:
            for n, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    report.error(f"{path}:{n}", "-", f"not UTF-8 ({exc.reason} at byte {exc.start})")
                    continue
                except json.JSONDecodeError as exc:
                    report.error(f"{path}:{n}", "-", f"invalid JSON: {exc.msg} (column {exc.colno})")
                    continue
                if not isinstance(obj, dict):
                    report.error(f"{path}:{n}", "-", f"a line must be a JSON object, got {type(obj).__name__}")
                    continue
                report.rows.append(Row(str(path), n, split, obj))
        return
    import pandas as pd  # CSV and Parquet (pandas comes with datasets)

    frame = pd.read_csv(path, keep_default_na=False, dtype=str) if path.suffix == ".csv" else pd.read_parquet(path)
    first_line = 2 if path.suffix == ".csv" else 1  # CSV line 1 is the header
    for i, rec in enumerate(frame.to_dict(orient="records")):
        report.rows.append(Row(str(path), i + first_line, split, rec))


def check_row(row: Row, report: Report) -> None:
    d = row.data
    for key in REQUIRED:
        if key not in d or d[key] is None:
            report.error(row.where, key, "missing")
    text = d.get("text")
    if "text" in d and (not isinstance(text, str) or not text.strip()):
        report.error(row.where, "text", f"empty or not a string: {text!r}")
    if "type" in d and d["type"] not in TYPES:
        report.error(row.where, "type", f"unknown label {d['type']!r} (known: {', '.join(TYPES)})")
    if "stance" in d and d["stance"] not in STANCES:
        report.error(row.where, "stance", f"unknown label {d['stance']!r} (known: {', '.join(STANCES)})")
    if "lang" in d and d["lang"] not in ISO639_1:
        report.error(row.where, "lang", f"not an ISO 639-1 code: {d['lang']!r}")
    if d.get("type") == "non_claim" and (d.get("stance") != "neutral" or (d.get("target") or "").strip()):
        report.error(row.where, "stance", "a non_claim is always neutral with an empty target")
    for key in ("target", "speaker"):
        if d.get(key) is not None and not isinstance(d[key], str):
            report.error(row.where, key, f"must be a string, got {d[key]!r}")


def check_ids(report: Report) -> None:
    first: dict[str, Row] = {}
    for row in report.rows:
        rid = row.data.get("id")
        if rid is None:
            continue
        if rid in first:
            report.error(row.where, "id", f"duplicate id {rid!r} (first at {first[rid].where})")
        else:
            first[rid] = row


def check_duplicates(report: Report) -> None:
    """Exact duplicates by (normalised text, target); one text in two splits; near duplicates."""
    rows = [r for r in report.rows if isinstance(r.data.get("text"), str) and r.data["text"].strip()]
    seen: dict[tuple[str, str], Row] = {}
    text_split: dict[str, Row] = {}
    unique = []  # exact duplicates are reported once, not again as near duplicates
    for row in rows:
        norm = normalise(row.data["text"])
        key = (norm, normalise(row.data.get("target") or ""))
        if key in seen:
            report.error(row.where, "text", f"exact duplicate of {seen[key].where} (same text and target)")
        else:
            seen[key] = row
            unique.append(row)
        if norm in text_split and text_split[norm].split != row.split:
            report.error(row.where, "text", f"same text as {text_split[norm].where} in another split")
        text_split.setdefault(norm, row)
    for a, b, sim in near_duplicates([normalise(r.data["text"]) for r in unique]):
        ra, rb = unique[a], unique[b]
        if normalise(ra.data["text"]) != normalise(rb.data["text"]):
            where = "across splits" if ra.split != rb.split else "within a split"
            report.error(rb.where, "text", f"near-duplicate {where} of {ra.where} (similarity {sim:.2f})")


def near_duplicates(texts: list[str], threshold: float = NEAR_THRESHOLD, chunk: int = 2000):
    """Pairs (i < j) whose character 4-gram sets have Jaccard similarity >= threshold."""
    from sklearn.feature_extraction.text import CountVectorizer

    if len(texts) < 2:
        return
    vec = CountVectorizer(analyzer="char", ngram_range=(4, 4), binary=True, dtype=np.float32)
    try:
        x = vec.fit_transform(texts).tocsr()
    except ValueError:  # every text shorter than 4 characters
        return
    sizes = np.asarray(x.sum(axis=1)).ravel()
    for start in range(0, x.shape[0], chunk):
        inter = (x[start:start + chunk] @ x.T).tocoo()
        for i, j, v in zip(inter.row + start, inter.col, inter.data, strict=True):
            if i < j:
                sim = v / (sizes[i] + sizes[j] - v)
                if sim >= threshold:
                    yield int(i), int(j), float(sim)


def check_groups(report: Report) -> None:
    splits: dict[str, Row] = {}
    for row in report.rows:
        group = row.data.get("group")
        if not group:
            continue
        if group in splits and splits[group].split != row.split:
            report.error(row.where, "group", f"translation group {group!r} is split across "
                         f"{splits[group].split!r} ({splits[group].where}) and {row.split!r}")
        splits.setdefault(group, row)


def validate(*paths: Path) -> Report:
    """Check every claims file under `paths` together, so duplicates and translation groups are
    compared across all of them (each file's stem is its split name)."""
    report = Report()
    files = [file for path in paths for file in claim_files(path)]
    stems = Counter(file.stem for file in files)
    if clash := sorted(stem for stem, n in stems.items() if n > 1):
        raise SplitNameClash(f"several files would be split {clash[0]!r}: "
                             f"{', '.join(str(f) for f in files if f.stem == clash[0])}")
    for file in files:
        read_rows(file, report)
    for row in report.rows:
        check_row(row, report)
    check_ids(report)
    check_duplicates(report)
    check_groups(report)
    return report


def _table(title: str, counts: dict[str, Counter], columns: list[str]) -> list[str]:
    lines = [f"**{title}**", "", "| | " + " | ".join(columns) + " | total |",
             "|---|" + "---:|" * (len(columns) + 1)]
    for name, c in counts.items():
        lines.append(f"| {name} | " + " | ".join(str(c.get(col, 0)) for col in columns)
                     + f" | {sum(c.values())} |")
    total = Counter()
    for c in counts.values():
        total.update(c)
    lines.append("| **all** | " + " | ".join(str(total.get(col, 0)) for col in columns)
                 + f" | {sum(total.values())} |")
    return [*lines, ""]


def contrast_rows(rows: list[dict]) -> int:
    """Rows in groups that share one text with >= 2 targets whose stances differ."""
    by_text = defaultdict(list)
    for d in rows:
        by_text[normalise(d.get("text") or "")].append(d)
    return sum(len(g) for g in by_text.values()
               if len({(d.get("target") or "") for d in g}) > 1 and len({d.get("stance") for d in g}) > 1)


def tables(report: Report) -> str:
    """The datasheet's distribution tables, in Markdown."""
    good = [r for r in report.rows if r.data.get("type") in TYPES and r.data.get("stance") in STANCES]
    data = [r.data for r in good]
    langs = sorted({d.get("lang", "?") for d in data})
    by_split_lang_type: dict[str, Counter] = {}
    by_split_lang_stance: dict[str, Counter] = {}
    for r in good:
        key = f"{r.split} / {r.data.get('lang')}"
        by_split_lang_type.setdefault(key, Counter())[r.data["type"]] += 1
        by_split_lang_stance.setdefault(key, Counter())[r.data["stance"]] += 1
    by_lang_type = {lang: Counter(d["type"] for d in data if d.get("lang") == lang) for lang in langs}
    n = max(len(data), 1)
    words = [len((d.get("text") or "").split()) for d in data]
    hard = sum(1 for d in data if d.get("style") in HARD_STYLES)
    topics = Counter(d.get("topic") for d in data if d.get("topic"))
    speakers = {d.get("speaker") for d in data if d.get("speaker")}
    with_target = sum(1 for d in data if (d.get("target") or "").strip())
    translated = sum(1 for d in data if d.get("group"))
    lines = [
        f"- rows: **{len(data)}**; languages: {', '.join(f'{lg} {sum(by_lang_type[lg].values())}' for lg in langs)}",
        f"- rows with a non-empty target: {with_target} ({with_target / n:.0%})",
        f"- rows in contrast groups (one text, several targets, different stances): {contrast_rows(data)}",
        f"- hard rows (style other than plain): {hard} ({hard / n:.0%}); rows of 30 to 60 words: "
        f"{sum(30 <= w <= 60 for w in words)}; median length {int(np.median(words)) if words else 0} words",
        f"- rows in translation groups: {translated} ({translated / n:.0%})",
        f"- distinct speakers: {len(speakers)}; topics: {len(topics)}",
        "",
    ]
    lines += _table("Rows per language x type", by_lang_type, list(TYPES))
    lines += _table("Rows per language x stance",
                    {lg: Counter(d["stance"] for d in data if d.get("lang") == lg) for lg in langs},
                    list(STANCES))
    lines += _table("Rows per split x language x type", dict(sorted(by_split_lang_type.items())), list(TYPES))
    lines += _table("Rows per split x language x stance", dict(sorted(by_split_lang_stance.items())),
                    list(STANCES))
    if topics:
        lines += ["**Rows per topic**", "", "| topic | rows |", "|---|---:|",
                  *[f"| {t} | {c} |" for t, c in topics.most_common()], ""]
    styles = Counter(d.get("style") for d in data if d.get("style"))
    if styles:
        lines += ["**Rows per style**", "", "| style | rows |", "|---|---:|",
                  *[f"| {s} | {c} |" for s, c in styles.most_common()], ""]
    return "\n".join(lines)


BEGIN, END = "<!-- tables:begin (written by `claims-train data check --datasheet`) -->", "<!-- tables:end -->"


def write_datasheet(path: Path, markdown: str) -> None:
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path}: no {BEGIN!r} ... {END!r} markers to put the tables between")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claims-train data check",
                                     description="Validate claims files and print distribution tables.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="claims files (.jsonl/.csv/.parquet) or folders of split files, "
                             "checked together")
    parser.add_argument("--datasheet", help="also write the tables into this Markdown file")
    parser.add_argument("--quiet", action="store_true", help="print problems only, no tables")
    args = parser.parse_args(argv)
    try:
        report = validate(*map(Path, args.paths))
    except (FileNotFoundError, SplitNameClash) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in report.errors:
        print(f"ERROR {problem}")
    markdown = tables(report)
    if not args.quiet:
        print(markdown)
    if args.datasheet:
        write_datasheet(Path(args.datasheet), markdown)
    print(f"{len(report.rows)} rows checked, {len(report.errors)} errors")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
