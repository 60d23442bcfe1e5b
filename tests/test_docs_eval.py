"""Document mode: exact-span matching, segmentation P/R/F1, speakers, gold file checks."""

from __future__ import annotations

import json

import pytest

from infer.segment import Unit
from train.data import DataError
from train.docs_eval import evaluate_documents, load_articles, match_units, prf

ARTICLE = ("NATO warns Russia - Stoltenberg\n\n"
           "Russia denied the reports. Peskov said the West is lying.\n"
           "3152 visitors online\n")


def gold_unit(text: str, sentence: str, **labels) -> dict:
    start = text.index(sentence)
    return {"start": start, "end": start + len(sentence), "text": sentence,
            "type": "report", "stance": "neutral", "target": "", "speaker": "", **labels}


def write_article(folder, name, text, units):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = [json.dumps({"unit": i, **u}, ensure_ascii=False) for i, u in enumerate(units)]
    (folder / f"{name}.gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_match_units_needs_the_exact_span():
    pred = [Unit(0, 0, 10, "x" * 10), Unit(1, 12, 20, "y" * 8), Unit(2, 21, 30, "z" * 9)]
    gold = [{"start": 0, "end": 10}, {"start": 12, "end": 30}]  # the gold unit spans pred 1 + 2
    assert match_units(pred, gold) == [(0, 0)]
    # 1 match among 3 predicted and 2 gold units: P 1/3, R 1/2, F1 2PR/(P+R) = 0.4
    assert prf(1, 3, 2) == pytest.approx({"matched": 1, "predicted": 3, "gold": 2,
                                          "precision": 1 / 3, "recall": 0.5, "f1": 0.4})


def test_segmentation_speakers_and_matched_claims(tmp_path):
    # The segmenter yields 4 units; the gold merges the two middle sentences into one unit, so
    # 2 of 4 predicted and 2 of 3 gold units match.
    units = [
        gold_unit(ARTICLE, "NATO warns Russia - Stoltenberg", type="warning", stance="oppose",
                  target="Russia", speaker="Jens Stoltenberg"),
        gold_unit(ARTICLE, "Russia denied the reports. Peskov said the West is lying.",
                  type="denial", speaker="Dmitry Peskov"),
        gold_unit(ARTICLE, "3152 visitors online", type="non_claim"),
    ]
    write_article(tmp_path, "en-test", ARTICLE, units)
    claims, section = evaluate_documents(load_articles(tmp_path), ["type", "stance"])
    seg = section["segmentation"]
    assert (seg["matched"], seg["predicted"], seg["gold"]) == (2, 4, 3)
    assert seg["precision"] == 0.5 and seg["recall"] == pytest.approx(2 / 3)
    # 'Stoltenberg' = 'Jens Stoltenberg'; the furniture line has no speaker on either side.
    assert section["speaker"]["accuracy"] == 1.0 and section["speaker"]["named"]["n"] == 1
    assert list(section["per_language"]) == ["en"]
    assert [m["text"] for m in section["missed"]] == [units[1]["text"]]
    assert claims.texts == [units[0]["text"], units[2]["text"]]
    assert claims.targets == ["Russia", ""] and claims.labels["type"] == ["warning", "non_claim"]
    assert claims.ids == ["en-test:0", "en-test:2"] and claims.langs == ["en", "en"]


def test_gold_span_that_does_not_fit_the_text_names_the_line(tmp_path):
    bad = {**gold_unit(ARTICLE, "3152 visitors online"), "start": 1}
    write_article(tmp_path, "en-bad", ARTICLE, [gold_unit(ARTICLE, "3152 visitors online"), bad])
    with pytest.raises(DataError, match=r"en-bad.gold.jsonl:2: span"):
        load_articles(tmp_path)


def test_missing_gold_field_and_missing_article_are_named(tmp_path):
    unit = gold_unit(ARTICLE, "3152 visitors online")
    del unit["stance"]
    write_article(tmp_path, "en-x", ARTICLE, [unit])
    with pytest.raises(DataError, match=r"en-x.gold.jsonl:1: missing field\(s\) \['stance'\]"):
        load_articles(tmp_path)
    (tmp_path / "en-x.txt").unlink()
    with pytest.raises(DataError, match=r"its article en-x\.txt is missing"):
        load_articles(tmp_path)
    with pytest.raises(DataError, match="no such file or folder"):
        load_articles(tmp_path / "nope")
