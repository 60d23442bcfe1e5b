"""Split a news article into claim units with character offsets, and attribute speakers.

Each line of the article is a block: a unit never crosses a line break. The document's language
is guessed once (script, then frequent function words) and a line in another script on its own.

Lines that are one unit whatever punctuation they hold (`_line_kinds`):
- furniture lines: a line that opens with a page-furniture label of en/uk/ru/de/pl ("Read also:",
  "Читайте також:", "Читайте также:", "Lesen Sie auch:", "Czytaj także:", "Tags:", "Fot.", "©",
  ...; the table is `infer.speakers.FURNITURE_LABELS`), and any other short line (at most
  `SHORT_LINE_WORDS` words) that does not end in sentence-final punctuation ("Помітили помилку?
  Виділіть її та натисніть Ctrl+Enter", "Teilen · Twittern"): body sentences end in . ! ? or …;
- the header block: the short lines above the first body paragraph (the first line of more than
  `SHORT_LINE_WORDS` words), down to the last byline or date line among them, i.e. rubric,
  headline and byline. A headline may hold two sentences ("RPP znów podnosi stopy. Główna stopa
  NBP wynosi już 6,75 proc.") and is still one unit; a short lede after the byline is body.
  Without a byline or date line there is no header block (a short snippet is all body).

Body lines are split into sentences by `sentencex` (Wikimedia's segmenter, MIT, rules for ~300
languages including Ukrainian, which pysbd lacks), then every boundary it proposes, plus every
boundary it missed, is judged by these rules (`_keep_boundary`):
1. no space at the break ("Censor.NET") is no boundary;
2. a piece that opens with a dash and a lower-case word continues the sentence before it: the
   attribution after a quoted exclamation or question ("«...!» – написав він у Facebook.");
   more generally, a sentence never opens with a lower-case letter;
3. a number with a period is an ordinal, not a sentence end, before a month or a counted noun or
   a lower-case word ("am 3. Oktober", "im 20. Jahrhundert"), and a piece of at most three words
   that ends in an abbreviation or a number ("У 2023 р.", "Am 3.") is too short for a sentence;
4. abbreviations come in three kinds (tables below, per language, lower-cased, without the final
   period): `NEVER_FINAL` ones are titles, connectives and approximators that stand before a name,
   a number or a clause (Mr., Dr., Prof., ген., т.е., z.B., m.in., ok., Fot.) and always join the
   next piece; `OFTEN_FINAL` ones are units, currencies, years and list closers that often end a
   sentence (руб., млн, тыс., грн., кВт., proc., tys., гг., ub.r., etc.) and join only when the
   next piece starts with a digit or a measure that goes on after a unit ("5,7 proc. PKB");
   `PREFIX_OR_UNIT` ones (г., р., м., с.) are a unit after a number ("2022 г.": may end a
   sentence) and a place prefix otherwise ("г. Москва"). German capitalises nouns, so its units
   (Mio., Mrd., Tsd.) are never-final: the case of the next word says nothing there. Country
   initialisms (U.S., U.K.) are adjectives before a noun ("U.S. Route 2") but nouns after "the",
   where they may end a sentence ("... based in the U.S." + "Several groups ...") unless an
   institution name goes on ("the U.S. Senate"). A lone lower-case letter ("z. B.") is
   never-final, unknown dotted abbreviations ("a.m.") are often-final;
5. a lone capital letter with a period is an initial ("Є. Шмигаль", "J. Smith") and joins the
   next piece, unless the next word is obviously not a name: it is written in another script
   ("у соцмережі X." + "Він ...") or it is a function word that opens sentences ("Plan B." +
   "The ...");
6. boundaries that sentencex misses (sentences inside a long quotation, a sentence that opens with
   a digit: "beschlossen." + "399 Abgeordnete") are added where sentence-final punctuation
   (optionally closed by a quote) is followed by a space and a capital letter (optionally after an
   opening quote), or by a digit when the word before the period is an ordinary lower-case word
   of five letters or more (not a number, not a short abbreviation missing from the tables:
   "рис. 3"); rules 1-5 still apply. Languages without tables here (fr, es, ...) get sentencex's
   boundaries only.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from sentencex import segment as sentencex_segment

from infer.speakers import FUNCTION_WORDS, attribute_speakers, furniture_label

# Titles, connectives and approximators: they stand before a name, a number or a clause and never
# end a sentence. Lower-cased, without the final period.
NEVER_FINAL = {
    "en": {"mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "lt", "col", "maj", "sgt", "capt",
           "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "det", "insp", "st",
           "mt", "ft", "e.g", "i.e", "cf", "vs", "approx", "ca", "fig", "nos"},
    "uk": {"ген", "проф", "д-р", "акад", "доц", "ім", "вул", "просп", "бульв", "пров", "пл", "смт",
           "т.зв", "т.ч", "т.б", "зокр", "напр", "пор", "див", "англ", "рос", "укр", "нім", "пол",
           "ч", "п", "пп", "гр", "с.-г", "о", "ін-т"},
    "ru": {"ген", "проф", "д-р", "акад", "доц", "им", "ул", "пр", "просп", "пер", "бул", "пл",
           "т.е", "т.к", "т.н", "т.о", "т.ч", "напр", "см", "англ", "рус", "нем", "гос", "св", "ч",
           "п", "пп", "гр", "ок", "пос"},
    "de": {"dr", "prof", "hr", "fr", "st", "nr", "bzw", "ca", "d.h", "z.b", "u.a", "o.g", "vgl",
           "evtl", "ggf", "sog", "inkl", "exkl", "abs", "art", "bsp", "gen", "hl", "str", "max",
           "min", "mind", "mio", "mrd", "tsd", "z.t", "u.u", "s.o", "s.u", "dipl", "ing", "med",
           "phil", "rer", "nat", "jur", "habil"},
    "pl": {"prof", "dr", "hab", "inż", "mgr", "lek", "gen", "płk", "ppłk", "kpt", "mjr", "por",
           "ks", "abp", "bp", "ul", "al", "pl", "os", "tj", "m.in", "np", "tzw", "tzn", "ok",
           "godz", "nr", "woj", "pow", "gm", "im", "św", "ws", "dot", "wg", "ang", "ros", "niem",
           "fot", "oprac", "red", "śp", "ps", "art", "ust", "pkt", "par", "p", "ds"},
}
# Units, currencies, years, months and list closers: they often end a sentence, so they join the
# next piece only when it starts with a lower-case letter, a digit or a measure
# (`UNIT_CONTINUATIONS`).
OFTEN_FINAL = {
    "en": {"etc", "inc", "ltd", "co", "corp", "jr", "sr", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "no", "a.m", "p.m", "bn", "mln", "ph.d",
           "d.c"},
    "uk": {"рр", "ст", "тис", "млн", "млрд", "трлн", "грн", "дол", "коп", "обл", "км", "квт",
           "мвт", "гвт", "год", "хв", "тощо", "ін", "н.е", "до н.е", "кв"},
    "ru": {"гг", "ст", "тыс", "млн", "млрд", "трлн", "руб", "долл", "коп", "обл", "км", "квт",
           "мвт", "гвт", "мин", "сек", "т.д", "т.п", "др", "проч", "п.п", "н.э", "чел", "шт",
           "экз", "ед", "кв"},
    "de": {"usw", "etc", "jh", "jhd", "v.chr", "n.chr", "chr", "o.ä", "u.ä"},
    "pl": {"r", "rr", "ub.r", "br", "w", "tys", "mln", "mld", "zł", "gr", "proc", "km", "itd",
           "itp", "in", "p.n.e", "n.e"},
}
# Single letters that are a unit after a number ("2022 г.", "5 м.", "2024 р.") and a place prefix
# before a name otherwise ("г. Москва", "м. Київ", "р. Дніпро", "с. Іванівка").
PREFIX_OR_UNIT = {"uk": {"м", "с", "р"}, "ru": {"г", "м", "с", "р"}}
# Country initialisms: adjectives before a noun ("U.S. Route 2") but nouns after "the".
COUNTRY_INITIALISMS = {"u.s", "u.k", "u.n", "e.u", "u.s.a"}
# Capitalised words that go on an institution name after "the U.S." ("the U.S. Senate").
INSTITUTION_WORDS = {
    "senate", "house", "congress", "army", "navy", "air", "marine", "marines", "coast",
    "department", "embassy", "attorney", "supreme", "court", "treasury", "government",
    "ambassador", "president",
    "secretary", "federal", "national", "state", "justice", "trade", "open", "postal", "census",
    "centers", "agency", "bureau", "border", "customs", "chamber", "capitol", "military", "special",
    "central", "senator", "representative", "olympic", "geological", "forest", "food", "secret",
}
# Measures and currencies that go on after a unit abbreviation ("5,7 proc. PKB", "50 млн USD").
UNIT_CONTINUATIONS = {"pkb", "ввп", "bip", "gdp", "usd", "eur", "pln", "uah", "rub", "chf", "gbp",
                      "r/r", "m/m", "р/р", "г/г"}
# Words after "N." that make the number an ordinal ("am 3. Oktober", "im 20. Jahrhundert").
ORDINAL_NOUNS = {
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember", "jahrhundert", "jh", "jhd", "jahrestag", "mal", "platz",
    "stock",
    "klasse", "liga", "runde", "lebensjahr", "geburtstag", "sitzung", "kongress",
}
# Frequent function words, to tell the Latin-script languages apart (`_document_language`).
STOPWORDS = {
    "en": set("the and of to in is that for with was on as by at from are has have it".split()),
    "de": set("der die das und ist nicht mit den von zu dem auf für sich ein eine im".split()),
    "pl": set("i w na się że nie z do jest to o od po przez dla jak za oraz".split()),
    # Other languages only pick sentencex's rules; the tables here cover en, uk, ru, de and pl.
    "fr": set("le la les et des est une que qui dans pour pas sur au du avec".split()),
    "es": set("el la los las y que en es una por con para del se su al".split()),
    "it": set("il lo gli le e che di è una per con non sono della del al".split()),
    "pt": set("o os as e que em é uma por com para não do da dos ao".split()),
    "nl": set("de het een en van is dat op te met voor niet zijn aan".split()),
}
SHORT_LINE_WORDS = 16  # a line of at most this many words can be a headline or furniture
HEADER_MAX_LINES = 6  # the header block is at most this many non-empty lines

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_PL_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
_DE_LETTERS = re.compile(r"[äöüßÄÖÜ]")

_OPENERS = "\"'«„“‚‹([{"
_CLOSERS = "\"'»“”’›)]}"
_DASHES = "-–—"
_SENTENCE_END = ".!?…"
# A byline or date line ends the header block: a date, a time or a year ("26.02.2024, 21:34").
_DATELINE = re.compile(r"\b\d{1,2}[.:/]\d{2}\b|\b(?:19|20)\d{2}\b")
# The last token before a boundary: "г.", "m.in.", "U.S.", "т. зв." (a spaced abbreviation).
_LAST_TOKEN = re.compile(r"(?:^|[\s" + re.escape(_OPENERS) + r"])((?:\w\.\s)?[\w.\-]*\w)\.$")
# Sentence-final punctuation, optionally closed by quotes or brackets, then spaces: a place where
# sentencex may have missed a boundary (rule 5).
_MISSED = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(\s+)(?=\S)")


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


def _document_language(document: str) -> tuple[str, str]:
    """(language, script) of the document as a whole: the script most of its letters are in;
    in Cyrillic, Ukrainian or Russian by their own letters (і ї є ґ / ы э ъ ё); in Latin, the
    language with the most frequent function words (diacritics break ties). A line in another
    script (a Ukrainian headline in an English article) is guessed on its own."""
    cyrillic, latin = len(_CYRILLIC.findall(document)), len(_LATIN.findall(document))
    if cyrillic > latin:
        uk, ru = len(_UK_LETTERS.findall(document)), len(_RU_LETTERS.findall(document))
        return ("uk" if uk > ru else "ru"), "cyrillic"
    words = re.findall(r"\w+", document.casefold())
    scores = {lang: sum(w in table for w in words) for lang, table in STOPWORDS.items()}
    scores["pl"] += len(_PL_LETTERS.findall(document))
    scores["de"] += len(_DE_LETTERS.findall(document))
    best = max(scores, key=lambda lang: scores[lang])
    return (best if scores[best] else "en"), "latin"


def _line_language(line: str, doc_lang: str, doc_script: str) -> str:
    cyrillic, latin = len(_CYRILLIC.findall(line)), len(_LATIN.findall(line))
    script = "cyrillic" if cyrillic > latin else "latin" if latin else doc_script
    return doc_lang if script == doc_script else guess_language(line)


def _script(char: str) -> str:
    return "cyrillic" if _CYRILLIC.match(char) else "latin" if char.isalpha() else "other"


def _first_word(text: str) -> str:
    match = re.match(r"[" + re.escape(_OPENERS) + r"]*([\w'’\-]+)", text)
    return match.group(1) if match else ""


def _abbreviation_kind(left: str, lang: str) -> str:
    """'never', 'often', 'country' or '' for the token that ends `left` (which ends in '.')."""
    match = _LAST_TOKEN.search(left)
    if not match:
        return ""
    word = re.sub(r"\.\s", ".", match.group(1)).lower()  # "т. зв" -> "т.зв", "z. b" -> "z.b"
    before = left[:match.start(1)].rstrip()
    if word in COUNTRY_INITIALISMS:
        return "country"
    if word in PREFIX_OR_UNIT.get(lang, ()):
        return "often" if before[-1:].isdigit() else "never"
    for table, kind in ((NEVER_FINAL, "never"), (OFTEN_FINAL, "often")):
        if word in table.get(lang, ()):
            return kind
    if lang in ("uk", "ru"):  # close languages share their abbreviations
        other = "ru" if lang == "uk" else "uk"
        for table, kind in ((NEVER_FINAL, "never"), (OFTEN_FINAL, "often")):
            if word in table[other]:
                return kind
    if len(word) == 1 and word.isalpha() and match.group(1).islower():
        # A lone lower-case letter never ends a sentence ("z. B.", "т. зв."), except as a unit
        # after a number.
        return "often" if before[-1:].isdigit() else "never"
    if "." in word and all(len(part) <= 3 for part in word.split(".")):
        # A dotted abbreviation: capital initials ("J.K.") stand before a name, lower-case ones
        # ("a.m.", "n.e.") may end a sentence.
        return "never" if word.upper() == match.group(1).replace(" ", "") else "often"
    return ""


def _is_initial(left: str, right: str) -> bool:
    """A lone capital letter with a period ("Є.", "J.") before a name in the same script."""
    match = re.search(r"(?:^|[\s.\-" + re.escape(_OPENERS) + r"])([^\W\d_])\.$", left)
    if not match or not match.group(1).isupper():
        return False
    word = _first_word(right)
    if not word or not word[0].isupper() or _script(word[0]) != _script(match.group(1)):
        return False
    return word.casefold() not in FUNCTION_WORDS


def _keep_boundary(left: str, right: str, lang: str, proposed: bool) -> bool:
    """Whether a unit ends between `left` and `right` (rules 1-6 of the module docstring);
    `proposed`: sentencex proposed this boundary."""
    if not right.strip() or left == left.rstrip():
        return False  # rule 1: "Censor.NET"
    left, right = left.rstrip(), right.lstrip()
    if right[0] in _DASHES and right.lstrip(_DASHES).lstrip()[:1].islower():
        return False  # rule 2: "«...!» – написав він"
    if right[0].islower():
        return False  # rule 2: no sentence opens with a lower-case letter ("ds. równości")
    first_word = _first_word(right)
    short = len(left.split()) <= 3
    if re.search(r"(?:^|\s)\d+\.$", left) and (first_word.casefold() in ORDINAL_NOUNS or short):
        return False  # rule 3: "am 3. Oktober", "Am 3."
    if left.endswith("."):
        kind = _abbreviation_kind(left, lang)
        if kind == "never":
            return False  # rule 4
        if kind == "often":  # rule 4 (and 3: "У 2023 р." + "ВВП ...")
            return not (right[0].isdigit() or short or first_word.casefold() in UNIT_CONTINUATIONS)
        if kind == "country":  # rule 4: "U.S. Route 2", "the U.S. Senate"
            if not re.search(r"\bthe\s+\S+$", left, re.IGNORECASE) or right[0].isdigit():
                return False
            return first_word.casefold() not in INSTITUTION_WORDS
        if _is_initial(left, right):
            return False  # rule 5
    if proposed:
        return True
    if lang not in NEVER_FINAL:
        return False  # no abbreviation tables for this language: sentencex's boundaries only
    # Rule 6: a boundary sentencex missed, never after a number.
    if re.search(r"\d[.)]$", left):
        return False
    if right.lstrip(_OPENERS)[:1].isupper():
        return True
    if right[0].isdigit():
        word = re.search(r"(\S+?)[.!?…]+[" + re.escape(_CLOSERS) + r"]*$", left)
        return bool(word) and word.group(1).isalpha() and word.group(1).islower() \
            and len(word.group(1)) >= 5
    return False


def _sentences(block: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one body line, stripped of whitespace."""
    proposed: set[int] = set()
    cursor = 0
    for piece in sentencex_segment(lang, block):
        if not piece.strip():
            continue
        start = block.index(piece, cursor)
        cursor = start + len(piece)
        proposed.add(start + len(piece) - len(piece.lstrip()))
    candidates = proposed | {m.end() for m in _MISSED.finditer(block)}
    spans: list[tuple[int, int]] = []
    start = len(block) - len(block.lstrip())
    for cut in sorted(candidates):
        if cut <= start or cut >= len(block.rstrip()):
            continue
        if _keep_boundary(block[start:cut], block[cut:], lang, cut in proposed):
            spans.append((start, start + len(block[start:cut].rstrip())))
            start = cut
    end = len(block.rstrip())
    if end > start:
        spans.append((start, end))
    return spans


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _SENTENCE_END


def _line_kinds(lines: list[str]) -> list[str]:
    """For each line: 'furniture' (opens with a furniture label: no speaker), 'header' (the
    short lines above the first body paragraph, down to the last byline or date line among
    them), 'line' (another short line without final punctuation: a subheading or a furniture
    line), 'body', or '' for a blank line."""
    long_lines = [i for i, line in enumerate(lines) if len(line.split()) > SHORT_LINE_WORDS]
    top = [i for i, line in enumerate(lines[:long_lines[0]] if long_lines else [])
           if line.strip()][:HEADER_MAX_LINES]
    datelines = [i for i in top if _DATELINE.search(lines[i])]
    header = {i for i in top if datelines and i <= datelines[-1]}
    kinds: list[str] = []
    for i, line in enumerate(lines):
        text = line.strip()
        short = len(text.split()) <= SHORT_LINE_WORDS
        if not text:
            kinds.append("")
        elif furniture_label(text):
            kinds.append("furniture")
        elif i in header:
            kinds.append("header")
        elif short and not _ends_sentence(text):
            kinds.append("line")
        else:
            kinds.append("body")
    return kinds


def segment(document: str, lang: str | None = None) -> list[Unit]:
    """Claim units of a document, in order, with speakers attributed. Without `lang`, the
    document's language is guessed from its letters, and a line in another script on its own
    (articles mix languages, e.g. a Ukrainian headline in an English article)."""
    units: list[Unit] = []
    langs: list[str] = []
    blocks: list[tuple[int, str]] = []
    doc_lang, doc_script = _document_language(document)
    lines = document.splitlines(keepends=True)
    offset = 0
    for line_no, (line, kind) in enumerate(zip(lines, _line_kinds(lines), strict=True)):
        if kind:
            line_lang = lang or _line_language(line, doc_lang, doc_script)
            if kind == "body":
                spans = _sentences(line, line_lang)
            else:
                start = len(line) - len(line.lstrip())
                spans = [(start, len(line.rstrip()))]
            for start, end in spans:
                units.append(Unit(len(units), offset + start, offset + end, line[start:end]))
                langs.append(line_lang)
                blocks.append((line_no, kind))
        offset += len(line)
    attribute_speakers(units, langs, blocks)
    return units
