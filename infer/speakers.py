"""Attribute a speaker to each claim unit from what the text itself says.

Rules, tried in order on each unit (en, uk, ru, de, pl):
1. a headline suffix "... - Stoltenberg" or a colon prefix "Peskov: ...";
2. an attribution phrase with a name: "according to X", "X said", "said X", "заявив X",
   "за словами X", "по словам X", "sagte X", "laut X", "powiedział X", "według X", ...;
3. a pronoun attribution ("he said", "according to him", "за його словами", "по его словам",
   "sagte er", "jego zdaniem") refers to the last named speaker;
4. "This was stated by X" (and its equivalents) also gives X to the lede sentences just before it.
Otherwise the unit is the outlet's narration and its speaker stays empty.
"""

from __future__ import annotations

import re

UPPER = "A-ZА-ЯІЇЄҐЁÄÖÜŁŚŻŹĆŃÓ"
WORD = rf"[{UPPER}][\w'’.\-]*"
NAME = rf"(?P<name>{WORD}(?:\s+(?:{WORD}|von|van|de|der|al|bin)){{0,5}})"

VERBS = {
    "en": r"said|says|stated|told|added|warned|noted|emphasi[sz]ed|stressed|announced|claimed|insisted|"
          r"argued|wrote|declared|explained|reported|believes|urged|pointed out|recalled|concluded|"
          r"repeated|assured|admitted|confirmed",
    "uk": r"заяви(?:в|ла|ли)|сказа(?:в|ла|ли)|повідоми(?:в|ла|ли)|зазначи(?:в|ла|ли)|наголоси(?:в|ла|ли)|"
          r"підкресли(?:в|ла|ли)|дода(?:в|ла|ли)|попереди(?:в|ла|ли)|розпові(?:в|ла|ли)|написа(?:в|ла|ли)|"
          r"вважає|каже|переконаний|переконана|вказа(?:в|ла|ли)|нагада(?:в|ла|ли)|пояснив|пояснила",
    "ru": r"заяви(?:л|ла|ли)|сказа(?:л|ла|ли)|сообщи(?:л|ла|ли)|отмети(?:л|ла|ли)|подчеркну(?:л|ла|ли)|"
          r"добави(?:л|ла|ли)|предупреди(?:л|ла|ли)|рассказа(?:л|ла|ли)|написа(?:л|ла|ли)|считает|"
          r"говорит|уверен|уверена|указа(?:л|ла|ли)|напомни(?:л|ла|ли)|пояснил|пояснила",
    "de": r"sagte|sagt|erklärte|erklärt|betonte|warnte|teilte|schrieb|kritisierte|forderte|"
          r"berichtete|meinte|räumte|unterstrich|sagten|erklärten",
    "pl": r"powiedzia(?:ł|ła|li)|oświadczy(?:ł|ła|li)|stwierdzi(?:ł|ła|li)|doda(?:ł|ła|li)|"
          r"podkreśli(?:ł|ła|li)|zapowiedzia(?:ł|ła|li)|ostrzeg(?:ł|ła|li)|przekaza(?:ł|ła|li)|"
          r"napisa(?:ł|ła|li)|zaznaczy(?:ł|ła|li)|uważa|przekonuje|mówi",
}
BY_NAME = {  # phrases followed by the speaker's name
    "en": r"according to|stated by|said by|told by|announced by",
    "uk": r"за словами|як заяви(?:в|ла|ли)|про це заяви(?:в|ла|ли)|про це повідоми(?:в|ла|ли)|на думку",
    "ru": r"по словам|как заяви(?:л|ла|ли)|об этом заяви(?:л|ла|ли)|об этом сообщи(?:л|ла|ли)|по мнению",
    "de": r"laut|so|nach Angaben(?: des| der| von)?|zufolge|sagte|erklärte|betonte|warnte",
    "pl": r"według|zdaniem|jak powiedzia(?:ł|ła)|jak poinformowa(?:ł|ła|li)|powiedzia(?:ł|ła)|"
          r"oświadczy(?:ł|ła)|poinformowa(?:ł|ła|li)",
}
PRONOUNS = {
    "en": r"(?:\b(?:he|she|they)\s+(?:{v})\b|[Aa]ccording to (?:him|her|them)\b|\b(?:He|She|They)\s+(?:{v})\b)",
    "uk": r"(?:[Зз]а (?:його|її|їхніми) словами|\b(?:він|вона|вони)\s+(?:{v})|(?:{v})\s+(?:він|вона|вони)\b)",
    "ru": r"(?:[Пп]о (?:его|ее|её|их) словам|\b(?:он|она|они)\s+(?:{v})|(?:{v})\s+(?:он|она|они)\b)",
    "de": r"(?:\b(?:{v})\s+(?:er|sie)\b|\b(?:Er|Sie)\s+(?:{v})\b|(?:seinen|ihren) Angaben zufolge)",
    "pl": r"(?:(?:[Jj]ego|[Jj]ej|[Ii]ch) zdaniem|\b(?:on|ona)\s+(?:{v})|(?:{v})\s+(?:on|ona)\b)",
}
RETRO = {  # "This was stated by X": X also speaks the lede sentences right before
    "en": r"^(?:This|That|It) was (?:stated|said|announced|reported) by",
    "uk": r"^Про це (?:заяви|повідоми|сказа|розпові)",
    "ru": r"^Об этом (?:заяви|сообщи|сказа|рассказа)",
    "de": r"^Das (?:sagte|erklärte|teilte|betonte)",
    "pl": r"^(?:Powiedział|Powiedziała|Poinformował|Poinformowała|Oświadczył|Oświadczyła) to",
}
TITLES = {  # lower-case titles that may stand between an attribution word and the name
    "en": r"secretary|general|minister|president|spokesman|spokeswoman|spokesperson|chief|mayor|"
          r"governor|prime|foreign|defence|defense|senator|ambassador|head|leader|chairman|director",
    "uk": r"генсек|генеральний|секретар|президент|прем'єр-міністр|прем’єр-міністр|міністр|речник|"
          r"речниця|посол|глава|голова|мер|очільник|очільниця|командувач|начальник|спікер|депутат|"
          r"нардеп|директор|керівник|ген\.|генерал|радник|заступник|віцепрем'єр|віцепрем’єр",
    "ru": r"генсек|генеральный|секретарь|президент|премьер-министр|министр|пресс-секретарь|"
          r"представитель|официальный|посол|глава|мэр|губернатор|командующий|начальник|спикер|"
          r"депутат|директор|руководитель|ген\.|генерал|советник|замглавы|заместитель|г-на|г-н",
    "de": r"der|die|des|dem|bundeskanzler|kanzler|minister|ministerin|präsident|präsidentin|"
          r"sprecher|sprecherin|chef|chefin|bürgermeister|bürgermeisterin|generalsekretär|botschafter",
    "pl": r"to|premier|prezydent|minister|ministra|rzecznik|rzeczniczka|szef|szefowa|prezes|"
          r"burmistrz|wojewoda|poseł|posłanka|ambasador|gen\.|generał|prof\.|dr|marszałek",
}
# Capitalised words that open furniture or narration, never a speaker.
NOT_SPEAKERS = {"photo", "foto", "фото", "read", "читайте", "читайте також", "lesen", "czytaj",
                "source", "джерело", "источник", "quelle", "źródło", "video", "відео", "видео",
                "wideo", "updated", "оновлено", "обновлено", "aktualisiert", "aktualizacja", "the",
                "this", "that", "it", "also", "earlier", "раніше", "ранее", "зараз", "it was"}

_HEADLINE_SUFFIX = re.compile(rf"\s[-–—]\s*{NAME}\s*$")
_COLON_PREFIX = re.compile(rf"^{NAME}:\s+\S")


def _clean(name: str) -> str:
    name = name.strip(" ,.:;\"'«»„“”")
    return "" if name.casefold() in NOT_SPEAKERS else name


def _compile(lang: str) -> dict[str, re.Pattern]:
    # Attribution words match in any case ("According to", "За словами"); names must be capitalised.
    verbs, by = f"(?i:{VERBS[lang]})", f"(?i:{BY_NAME[lang]})"
    titles = rf"(?:(?:the\s+)?(?i:{TITLES[lang]})\s+){{0,3}}"
    return {
        "by_name": re.compile(rf"{by}\s+{titles}{NAME}"),
        "name_verb": re.compile(rf"{NAME}\s+{verbs}\b"),
        "verb_name": re.compile(rf"{verbs}\s+{titles}{NAME}"),
        # A role word after "the" ("the Secretary-General said") or a bare verb closing a quote
        # ('"...," he added' / '– dodał.') points back to the last named speaker.
        "pronoun": re.compile(
            PRONOUNS[lang].format(v=VERBS[lang])
            + rf"|(?:^|\s)(?i:the)\s+[\w-]+(?:\s+[\w-]+)?\s+{verbs}\b"
            + rf"|[,–—-]\s*{verbs}\s*[.!]?$"
        ),
        "retro": re.compile(RETRO[lang]),
    }


_PATTERNS = {lang: _compile(lang) for lang in VERBS}


def find_speaker(text: str, lang: str) -> tuple[str, str]:
    """(speaker, how): how is 'name', 'pronoun' or '' when the text names nobody."""
    p = _PATTERNS.get(lang, _PATTERNS["en"])
    stripped = text.strip()
    for pattern in (_HEADLINE_SUFFIX, _COLON_PREFIX):
        match = pattern.search(stripped)
        if match and (name := _clean(match.group("name"))):
            return name, "name"
    if p["pronoun"].search(stripped):
        return "", "pronoun"
    for key in ("by_name", "name_verb", "verb_name"):
        for match in p[key].finditer(stripped):
            if name := _clean(match.group("name")):
                return name, "name"
    return "", ""


def attribute_speakers(units: list, langs: list[str]) -> None:
    """Fill `unit.speaker` in place for a document's units, given each unit's language."""
    last = ""
    for i, (unit, lang) in enumerate(zip(units, langs, strict=True)):
        p = _PATTERNS.get(lang, _PATTERNS["en"])
        name, how = find_speaker(unit.text, lang)
        if how == "pronoun":
            name = last
        if name:
            unit.speaker = name
            last = name
            if p["retro"].search(unit.text.strip()):
                j = i - 1
                while j >= 0 and not units[j].speaker and units[j].text.rstrip()[-1:] in ".!?\"»”":
                    units[j].speaker = name
                    j -= 1


def same_speaker(a: str, b: str) -> bool:
    """Lenient match for evaluation: 'Stoltenberg' = 'Jens Stoltenberg' = 'Столтенберга'-style
    inflections (a shared word stem of >= 4 letters); two empty speakers match."""
    ta = [w for w in re.findall(r"\w+", a.casefold()) if len(w) >= 3]
    tb = [w for w in re.findall(r"\w+", b.casefold()) if len(w) >= 3]
    if not ta or not tb:
        return not ta and not tb
    for x in ta:
        for y in tb:
            k = max(4, min(len(x), len(y)) - 2)
            if len(x) >= k and len(y) >= k and x[:k] == y[:k]:
                return True
    return False
