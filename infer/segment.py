"""Split a news article into claim units with character offsets, and attribute speakers.

Each line of the article is a block: a headline or a page-furniture line ("3152 visitors online",
"Photo: Ukrinform") becomes a unit of its own, and paragraphs are split into sentences.

Sentence splitting uses `sentencex` (Wikimedia's segmenter, MIT, rules for ~300 languages
including Ukrainian, which pysbd lacks). On top of it, a unit that ends in a known abbreviation
("ген.", "т.е.", "m.in.", "Prof.") or a lone initial ("Є.") is joined to the next one: no segmenter
knows every newsroom abbreviation in en, uk, ru, de and pl.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from sentencex import segment as sentencex_segment

from infer.speakers import attribute_speakers

# Abbreviations that end in a period but rarely end a sentence (lower-cased, without the period).
ABBREVIATIONS = {
    "en": {"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep",
           "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "no", "vs", "approx", "u.s", "u.k", "e.g", "i.e", "etc", "inc", "ltd", "co", "jr", "sr"},
    "uk": {"ген", "проф", "д-р", "ім", "вул", "просп", "м", "с", "смт", "обл", "р", "рр", "ст", "див",
           "тис", "млн", "млрд", "грн", "дол", "т.зв", "т.ч", "зокр", "напр", "пор", "ч", "п", "пп",
           "акад", "доц", "с.-г", "о", "англ", "рос"},
    "ru": {"г", "гг", "ген", "проф", "д-р", "им", "ул", "пр", "просп", "обл", "т.е", "т.к", "т.н",
           "т.д", "т.п", "др", "см", "ст", "тыс", "млн", "млрд", "руб", "долл", "коп", "напр",
           "акад", "доц", "англ", "рус", "гос", "св", "ч", "п", "пп"},
    "de": {"dr", "prof", "nr", "str", "bzw", "ca", "d.h", "z.b", "u.a", "usw", "vgl", "evtl", "ggf",
           "sog", "inkl", "mio", "mrd", "abs", "art", "bsp", "gen", "st", "hl", "jan", "feb", "okt",
           "dez", "z.t", "o.ä", "u.ä"},
    "pl": {"prof", "dr", "hab", "inż", "mgr", "gen", "płk", "ks", "ul", "al", "pl", "tj", "m.in",
           "np", "tzw", "tzn", "ok", "r", "godz", "mln", "mld", "tys", "zł", "proc", "nr", "woj",
           "pow", "gm", "im", "św", "ws", "dot", "wg", "ang", "ros"},
}
ALL_ABBREVIATIONS = set().union(*ABBREVIATIONS.values())
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
_INITIAL = re.compile(r"(?:^|[\s(«„\"])(\w)\.\s*$")  # "Є." "J." at the end of a unit
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_PL_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
_DE_LETTERS = re.compile(r"[äöüßÄÖÜ]")


@dataclass
class Unit:
    """One claim unit of a document; `text == document[start:end]`."""

    index: int
    start: int
    end: int
    text: str
    speaker: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def guess_language(text: str) -> str:
    """A cheap script-based guess among en/uk/ru/de/pl: enough to pick abbreviation rules."""
    if _CYRILLIC.search(text):
        return "uk" if _UK_LETTERS.search(text) else "ru"
    if _PL_LETTERS.search(text):
        return "pl"
    if _DE_LETTERS.search(text):
        return "de"
    return "en"


def _ends_in_abbreviation(text: str, lang: str) -> bool:
    if _INITIAL.search(text):
        return True
    match = _LAST_WORD.search(text)
    if not match:
        return False
    word = match.group(1).lstrip("(«„\"'").lower()
    known = ABBREVIATIONS.get(lang, ALL_ABBREVIATIONS)
    return word in known or (word in ALL_ABBREVIATIONS and len(word) <= 4)


def _sentences(block: str, lang: str) -> list[str]:
    pieces = [p for p in sentencex_segment(lang, block) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        # No space at the break means a name such as "Censor.NET", not a sentence end.
        glued = bool(merged) and not merged[-1][-1].isspace()
        if glued or (merged and _ends_in_abbreviation(merged[-1], lang)
                     and not piece.lstrip()[:1].isdigit() and not _starts_new_quote(piece)):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _starts_new_quote(piece: str) -> bool:
    return piece.lstrip()[:1] in {'"', "«", "„", "“"}


def segment(document: str, lang: str | None = None) -> list[Unit]:
    """Claim units of a document, in order, with speakers attributed. Without `lang`, each line's
    language is guessed from its script (articles mix languages, e.g. a Ukrainian headline)."""
    units: list[Unit] = []
    langs: list[str] = []
    offset = 0
    for line in document.splitlines(keepends=True):
        cursor = 0
        if line.strip():
            line_lang = lang or guess_language(line)
            for sentence in _sentences(line, line_lang):
                text = sentence.strip()
                start = line.index(text, cursor)
                cursor = start + len(text)
                units.append(Unit(len(units), offset + start, offset + cursor, text))
                langs.append(line_lang)
        offset += len(line)
    attribute_speakers(units, langs)
    return units
