"""Document mode: score segmentation and speaker attribution on gold articles, and collect the
units the segmenter got exactly right for type/stance scoring.

An article is `<name>.txt` plus `<name>.gold.jsonl`, one gold unit per line with
unit, start, end, text, type, stance, target, speaker (offsets into the .txt as read as UTF-8
text). A predicted unit matches a gold unit only on the exact span (start, end): a unit cut in
the wrong place would be classified on different words, so partial overlaps do not count.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from infer.segment import Unit, guess_language, segment
from infer.speakers import same_speaker
from train.data import DataError
from train.eval_data import Claims
from train.validate import ISO639_1

logger = logging.getLogger(__name__)

GOLD_SUFFIX = ".gold.jsonl"
REQUIRED = ("start", "end", "text", "type", "stance")
SHOWN = 10  # missed / spurious units listed in the report


@dataclass
class Article:
    name: str
    text: str
    lang: str
    gold: list[dict]


def article_files(path: Path) -> list[tuple[Path, Path]]:
    """(text, gold) file pairs for a folder of articles or one article's .txt file."""
    if path.is_file():
        gold = path.with_name(path.name.removesuffix(".txt") + GOLD_SUFFIX)
        if not gold.is_file():
            raise DataError(f"no gold file for {path}: expected {gold}")
        return [(path, gold)]
    if not path.is_dir():
        raise DataError(f"no such file or folder: {path}")
    pairs = []
    for gold in sorted(path.glob(f"*{GOLD_SUFFIX}")):
        text = gold.with_name(gold.name.removesuffix(GOLD_SUFFIX) + ".txt")
        if not text.is_file():
            raise DataError(f"{gold}: its article {text.name} is missing")
        pairs.append((text, gold))
    without = sorted({p.name for p in path.glob("*.txt")} - {t.name for t, _ in pairs})
    if without:
        logger.warning("%s: articles without a %s file are skipped: %s", path, GOLD_SUFFIX, without)
    if not pairs:
        raise DataError(f"{path}: no gold articles (<name>.txt with <name>{GOLD_SUFFIX})")
    return pairs


def read_gold(path: Path, text: str) -> list[dict]:
    """Gold units; each problem names file, line and field, and spans must fit the text."""
    units = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{n}: invalid JSON: {exc.msg}") from exc
        if missing := [k for k in REQUIRED if row.get(k) in (None, "")]:
            raise DataError(f"{path}:{n}: missing field(s) {missing}")
        start, end = row["start"], row["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise DataError(f"{path}:{n}: start/end must be offsets into the article "
                            f"(0 <= start < end <= {len(text)}), got {start!r}, {end!r}")
        if text[start:end] != row["text"]:
            raise DataError(f"{path}:{n}: span {start}:{end} of the article is "
                            f"{text[start:end]!r}, not the unit's text {row['text']!r}")
        units.append({**row, "unit": row.get("unit", len(units)),
                      "target": row.get("target") or "", "speaker": row.get("speaker") or ""})
    return units


def article_lang(name: str, gold: list[dict], text: str) -> str:
    """The gold `lang` field if any, else a name prefix such as 'en-', else a script guess."""
    if langs := [u["lang"] for u in gold if u.get("lang")]:
        return Counter(langs).most_common(1)[0][0]
    prefix = name.replace("_", "-").split("-", 1)[0].lower()
    return prefix if prefix in ISO639_1 else guess_language(text)


def load_articles(path: str | Path) -> list[Article]:
    out = []
    for text_path, gold_path in article_files(Path(path)):
        text = text_path.read_text(encoding="utf-8")
        gold = read_gold(gold_path, text)
        name = text_path.name.removesuffix(".txt")
        out.append(Article(name, text, article_lang(name, gold, text), gold))
    return out


def gold_claims(articles: list[Article], tasks: list[str], only: dict | None = None) -> Claims:
    """Gold units as claims (all, or per article only the unit indices in `only[name]`)."""
    rows = [(a, u) for a in articles for i, u in enumerate(a.gold)
            if only is None or i in only.get(a.name, ())]
    return Claims(texts=[u["text"] for _, u in rows], targets=[u["target"] for _, u in rows],
                  langs=[a.lang for a, _ in rows], ids=[f"{a.name}:{u['unit']}" for a, u in rows],
                  labels={t: [u.get(t) or None for _, u in rows] for t in tasks},
                  source=", ".join(a.name for a in articles))


def match_units(pred: list[Unit], gold: list[dict]) -> list[tuple[int, int]]:
    """(predicted index, gold index) for units with exactly the same span."""
    by_span = {(u["start"], u["end"]): j for j, u in enumerate(gold)}
    return [(i, by_span[(u.start, u.end)]) for i, u in enumerate(pred) if (u.start, u.end) in by_span]


def prf(matched: int, predicted: int, gold: int) -> dict:
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    return {"matched": matched, "predicted": predicted, "gold": gold, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _speaker(correct: list[bool]) -> dict:
    return {"n": len(correct), "correct": sum(correct),
            "accuracy": sum(correct) / len(correct) if correct else None}


def score_article(article: Article) -> dict:
    """Segmentation counts, speaker checks and matched gold indices of one article."""
    pred = segment(article.text)
    pairs = match_units(pred, article.gold)
    hits = [same_speaker(pred[i].speaker, article.gold[j]["speaker"]) for i, j in pairs]
    named = [ok for ok, (_, j) in zip(hits, pairs, strict=True) if article.gold[j]["speaker"].strip()]
    got_pred, got_gold = {i for i, _ in pairs}, {j for _, j in pairs}
    return {"name": article.name, "lang": article.lang, "matched_gold": sorted(got_gold),
            "segmentation": prf(len(pairs), len(pred), len(article.gold)), "speaker_hits": hits,
            "speaker_named_hits": named,
            "missed": [_span(article.gold[j]) for j in range(len(article.gold)) if j not in got_gold],
            "spurious": [_span(u.as_dict()) for i, u in enumerate(pred) if i not in got_pred]}


def _span(u: dict) -> dict:
    return {"start": u["start"], "end": u["end"], "text": u["text"]}


def evaluate_documents(articles: list[Article], tasks: list[str]) -> tuple[Claims, dict]:
    """Claims of the exactly matched gold units, and the report's `documents` section."""
    scored = [score_article(a) for a in articles]
    by_lang = defaultdict(list)
    for s in scored:
        by_lang[s["lang"]].append(s)
    section = {"articles": len(articles), **_totals(scored),
               "per_language": {code: _totals(group) for code, group in sorted(by_lang.items())},
               "per_document": [{"name": s["name"], "lang": s["lang"], **s["segmentation"],
                                 "speaker_accuracy": _speaker(s["speaker_hits"])["accuracy"]}
                                for s in scored],
               "missed": [{"article": s["name"], **u} for s in scored for u in s["missed"]][:SHOWN],
               "spurious": [{"article": s["name"], **u} for s in scored for u in s["spurious"]][:SHOWN]}
    matched = gold_claims(articles, tasks, only={s["name"]: set(s["matched_gold"]) for s in scored})
    return matched, section


def _totals(scored: list[dict]) -> dict:
    seg = [s["segmentation"] for s in scored]
    hits = [h for s in scored for h in s["speaker_hits"]]
    named = [h for s in scored for h in s["speaker_named_hits"]]
    return {"segmentation": prf(*(sum(x[k] for x in seg) for k in ("matched", "predicted", "gold"))),
            "speaker": {**_speaker(hits), "named": _speaker(named)}}
