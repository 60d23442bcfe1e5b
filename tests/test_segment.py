"""infer.segment: claim units with exact offsets, abbreviations, furniture lines and speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from infer.segment import guess_language, segment
from infer.speakers import same_speaker

SEED = Path(__file__).parent.parent / "data" / "articles" / "en-censor-net-nato-dprk.txt"

SNIPPETS = {
    "en": "Prof. Smith said the economy is weak.  He added that rates will rise.\n\n"
          "The U.S. economy grew 2% in Q3, i.e. faster than expected.",
    "uk": "Ген. Залужний заявив, що наступ триває. За його словами, армія тримає оборону.\n"
          "Прем'єр-міністр Є. Шмигаль сказав, що уряд готовий, зокр. до зими.",
    "ru": "Это было сказано, т.е. подтверждено официально. По словам Пескова, переговоров нет.\r\n"
          "В 2023 г. в ул. Ленина прошёл митинг.",
    "de": "Laut Bundeskanzler Scholz ist die Lage ernst. Es gibt z.B. Probleme bei der Energie.\n"
          "„Wir müssen handeln“, sagte er. Prof. Müller erklärte, die Wirtschaft wächst.",
    "pl": "Rosja m.in. atakuje infrastrukturę energetyczną. Gen. Kukuła powiedział, że armia "
          "jest gotowa.\nUl. Marszałkowska jest zamknięta, tj. nieprzejezdna.",
}


def texts(doc: str, lang: str | None = None) -> list[str]:
    return [u.text for u in segment(doc, lang)]


@pytest.mark.parametrize("lang", sorted(SNIPPETS))
def test_offsets_slice_the_original_text_back(lang):
    doc = SNIPPETS[lang]
    units = segment(doc)
    assert units and [u.index for u in units] == list(range(len(units)))
    for unit in units:
        assert doc[unit.start:unit.end] == unit.text
        assert unit.text == unit.text.strip()
    assert [u.start for u in units] == sorted(u.start for u in units)


def test_seed_article_offsets_headline_and_furniture():
    doc = SEED.read_text(encoding="utf-8")
    units = segment(doc)
    assert all(doc[u.start:u.end] == u.text for u in units)
    # Page furniture and both headlines are units of their own, not glued to the next line.
    assert [u.text for u in units[:4]] == [
        "3152 visitors online",
        "1\u2009379 10",  # thin spaces, as on the page
        "NATO is confident that DPRK provides significant military support to Russian "
        "Federation - Stoltenberg",
        "Росія та КНДР підписали угоду, яка передбачає допомогу в разі агресії",
    ]
    # "Censor.NET" has no space after its period: not a sentence end.
    assert any(u.text.startswith("This was stated by NATO") and "Censor.NET informs" in u.text
               for u in units)
    assert len(units) == 15


def test_furniture_lines_are_units():
    doc = "Photo: Ukrinform\nЧитайте також: Новини дня\nNATO is confident - Stoltenberg\n" \
          "The war goes on. It is hard."
    assert texts(doc) == ["Photo: Ukrinform", "Читайте також: Новини дня",
                          "NATO is confident - Stoltenberg", "The war goes on.", "It is hard."]


@pytest.mark.parametrize(("doc", "lang", "first"), [
    ("Як заявив ген. Наєв, загрози немає. Інше речення.", "uk",
     "Як заявив ген. Наєв, загрози немає."),
    ("Прем'єр-міністр Є. Шмигаль заявив, що уряд готовий. Інше речення.", "uk",
     "Прем'єр-міністр Є. Шмигаль заявив, що уряд готовий."),
    ("Это было сказано, т.е. подтверждено официально. Другое предложение.", "ru",
     "Это было сказано, т.е. подтверждено официально."),
    ("Rosja m.in. atakuje infrastrukturę. Drugie zdanie.", "pl",
     "Rosja m.in. atakuje infrastrukturę."),
    ("Prof. Smith said the economy is weak. Another sentence.", "en",
     "Prof. Smith said the economy is weak."),
    ("Es gibt z.B. viele Probleme in Berlin. Ein anderer Satz.", "de",
     "Es gibt z.B. viele Probleme in Berlin."),
    ("Dr. Müller warnte vor einer Krise. Es gibt z. B. Engpässe.", "de",
     "Dr. Müller warnte vor einer Krise."),
])
def test_abbreviations_do_not_split_sentences(doc, lang, first):
    assert texts(doc, lang) == [first, doc[len(first):].strip()]
    assert texts(doc) == texts(doc, lang)  # the same with the language guessed per line


def test_language_guess_by_script():
    assert [guess_language(t) for t in ("Він сказав, що її немає.", "Он сказал, что её нет.",
                                        "Według źródła", "Die Lösung", "The war")] == [
        "uk", "ru", "pl", "de", "en"]


def speakers(doc: str, lang: str | None = None) -> list[str]:
    return [u.speaker for u in segment(doc, lang)]


@pytest.mark.parametrize(("doc", "lang", "expected"), [
    ("Prof. Smith said the economy is weak. He added that rates will rise. The sun shone.",
     "en", ["Prof. Smith", "Prof. Smith", ""]),
    ("According to Foreign Minister Dmytro Kuleba, Ukraine needs more air defence.", "en",
     ["Dmytro Kuleba"]),
    ("Ген. Залужний заявив, що наступ триває. За його словами, армія тримає оборону. "
     "Погода була гарна.", "uk", ["Ген. Залужний", "Ген. Залужний", ""]),
    ("Україна отримає нові літаки F-16. Про це заявив президент Володимир Зеленський.", "uk",
     ["Володимир Зеленський", "Володимир Зеленський"]),
    ("Путин заявил, что Россия не нападет на НАТО. По его словам, это чушь. Погода хорошая.",
     "ru", ["Путин", "Путин", ""]),
    ("Laut Bundeskanzler Scholz ist die Lage ernst. „Wir müssen handeln“, sagte er.", "de",
     ["Scholz", "Scholz"]),
    ("Gen. Kukuła powiedział, że armia jest gotowa. Ulice są puste.", "pl",
     ["Gen. Kukuła", ""]),
    ("Sytuacja jest poważna – powiedział premier Donald Tusk.", "pl", ["Donald Tusk"]),
    ("Зеленський: Україна не здасться.", "uk", ["Зеленський"]),
])
def test_speaker_attribution_examples(doc, lang, expected):
    assert speakers(doc, lang) == expected


def test_seed_article_speakers():
    units = segment(SEED.read_text(encoding="utf-8"))
    by_text = {u.text[:30]: u.speaker for u in units}
    assert by_text["3152 visitors online"] == ""
    assert same_speaker(by_text["NATO is confident that DPRK pr"], "Stoltenberg")  # headline suffix
    # "This was stated by ..." also gives the speaker to the lede sentences before it.
    assert same_speaker(by_text["There is currently no doubt in"], "Jens Stoltenberg")
    assert same_speaker(by_text["According to him, the Alliance"], "Stoltenberg")  # pronoun


def test_same_speaker_is_lenient_on_inflection():
    assert same_speaker("Stoltenberg", "Jens Stoltenberg")
    assert same_speaker("Пескова", "Песков") and same_speaker("", "")
    assert not same_speaker("Putin", "Scholz") and not same_speaker("Putin", "")
