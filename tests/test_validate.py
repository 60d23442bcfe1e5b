from __future__ import annotations

import json

from train.validate import main, validate

GOOD = {"id": "a1", "text": "NATO is deeply concerned about Russia's support for the DPRK.",
        "lang": "en", "type": "concern", "stance": "oppose", "target": "Russia"}


def write(path, rows):
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def errors_for(tmp_path, rows, name="train.jsonl"):
    return validate(write(tmp_path / name, rows)).errors


def test_good_file_passes(tmp_path):
    assert errors_for(tmp_path, [GOOD]) == []


def test_each_kind_of_error_names_file_line_and_field(tmp_path):
    f = str(tmp_path / "train.jsonl")
    rows = [
        GOOD,
        "{not json",
        {**GOOD, "id": "a3", "type": "opinion", "text": "Another text about something else entirely."},
        {**GOOD, "id": "a4", "stance": "pro", "text": "Stance label typo in this one, sadly."},
        {**GOOD, "id": "a5", "text": "   "},
        {**GOOD, "id": "a6", "lang": "english", "text": "A bad language code for this row."},
        {**GOOD, "id": "a1", "text": "Duplicate id but different text here."},
        {k: v for k, v in GOOD.items() if k != "stance"} | {"id": "a8", "text": "No stance given."},
        {**GOOD, "id": "a9"},  # exact duplicate text and target of line 1
        {**GOOD, "id": "a10", "text": GOOD["text"].replace("deeply", "very deeply")},  # near duplicate
        {**GOOD, "id": "a11", "type": "non_claim", "text": "3152 visitors online"},  # non_claim with stance
    ]
    errs = errors_for(tmp_path, rows)
    expected = [
        f"{f}:2: -: invalid JSON",
        f"{f}:3: type: unknown label 'opinion'",
        f"{f}:4: stance: unknown label 'pro'",
        f"{f}:5: text: empty",
        f"{f}:6: lang: not an ISO 639-1 code: 'english'",
        f"{f}:7: id: duplicate id 'a1'",
        f"{f}:8: stance: missing",
        f"{f}:9: text: exact duplicate of {f}:1",
        f"{f}:10: text: near-duplicate within a split of {f}:1",
        f"{f}:11: stance: a non_claim is always neutral",
    ]
    for prefix in expected:
        assert any(e.startswith(prefix) for e in errs), (prefix, errs)
    assert len(errs) == len(expected), errs


def test_bad_utf8_is_reported(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"id": "x", "text": "\xff\xfe"}\n')
    errs = validate(path).errors
    assert errs and errs[0].startswith(f"{path}:2: -: not UTF-8")


def test_leaks_across_splits(tmp_path):
    write(tmp_path / "train.jsonl", [GOOD, {**GOOD, "id": "t2", "group": "g1",
                                            "text": "The Alliance plans joint exercises with Japan."}])
    write(tmp_path / "test.jsonl", [
        {**GOOD, "id": "x1", "target": "NATO", "stance": "neutral"},  # same text, other split
        {**GOOD, "id": "x2", "group": "g1", "lang": "de",
         "text": "Das Bündnis plant gemeinsame Übungen mit Japan."},  # translation in other split
    ])
    errs = validate(tmp_path).errors
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    # Files are read in name order (test before train), so the train rows carry the errors.
    assert any(e.startswith(f"{train}:1: text: same text as {test}:1 in another split") for e in errs), errs
    assert any(e.startswith(f"{train}:2: group: translation group 'g1' is split") for e in errs), errs


def test_contrast_group_within_a_split_is_fine(tmp_path):
    rows = [GOOD, {**GOOD, "id": "a2", "target": "NATO", "stance": "neutral"}]
    assert errors_for(tmp_path, rows) == []


def test_cli_exit_code_and_tables(tmp_path, capsys):
    write(tmp_path / "train.jsonl", [GOOD])
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Rows per language x type" in out and "| en |" in out
    write(tmp_path / "train.jsonl", [GOOD, {**GOOD, "id": "a1"}])
    assert main([str(tmp_path), "--quiet"]) == 1


def test_several_paths_are_checked_against_each_other(tmp_path, capsys):
    (tmp_path / "extra").mkdir()
    write(tmp_path / "train.jsonl", [GOOD])
    extra = write(tmp_path / "extra" / "boundary.jsonl", [{**GOOD, "id": "b1"}])
    assert validate(tmp_path / "extra").errors == []  # alone, the extra file is fine
    errs = validate(tmp_path, tmp_path / "extra").errors
    assert any(e.startswith(f"{extra}:1: text: same text as {tmp_path / 'train.jsonl'}:1")
               for e in errs), errs
    assert main([str(tmp_path), str(tmp_path / "extra"), "--quiet"]) == 1


def test_two_files_with_one_split_name_are_refused(tmp_path, capsys):
    (tmp_path / "other").mkdir()
    write(tmp_path / "train.jsonl", [GOOD])
    write(tmp_path / "other" / "train.jsonl", [{**GOOD, "id": "b1", "text": "Something else."}])
    assert main([str(tmp_path), str(tmp_path / "other")]) == 2
    assert "several files would be split 'train'" in capsys.readouterr().err
