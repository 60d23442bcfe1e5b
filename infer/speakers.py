"""Attribute a speaker to each claim unit from what the text itself says.

The tables below hold the lexical cues per language (en, uk, ru, de, pl); the rules are general and
apply to all of them. A unit's own attribution is found first (`find_speaker`), tried on the text
and taking the attribution that starts earliest:
1. a headline suffix "... - Stoltenberg", a colon prefix "Peskov: ..." (not a furniture label such
   as "Tags:", "Теги:", "Stand:", and not a counter or date: "Переглядів: 3 218"), or a headline
   "Merkel zur Flüchtlingskrise: „...“" (name, topic, colon, quotation);
2. an attribution phrase with a name: "according to X", "за словами X", "по словам X", "laut X",
   "według X", also with a source noun ("по данным Рослесхоза", "według danych Straży
   Granicznej") or an inflected title ("według ministra finansów X", "по словам министра X");
3. a statement verb (`VERBS`: say, state, warn, call, reject, promise, accuse, ...; with the
   German separable and perfect forms "kündigte ... an", "teilte ... mit", "hat ... erklärt")
   with its subject: "X said", "X, a polling expert, cautioned", "groups, including X, warned",
   "X, which said", "X (SPD) hat ... ausgeschlossen", or after it: '"...," said Mayor X',
   "– заявив голова правління НЕК «Укренерго» Володимир Кудрицький"; in Ukrainian and Russian
   also the impersonal "В Пентагоне заявили" (the institution speaks). Spelled-out titles,
   leading acronyms and articles are dropped from the name ("Bundeskanzler Olaf Scholz" -> "Olaf
   Scholz"), abbreviated honorifics are kept as the article writes them ("Prof. Smith", "Ген.
   Залужний"). Nothing inside quoted speech (four words or more) is read as an attribution, and
   a name right after a preposition is no subject ("Critics in Congress said");
4. a pronoun ("he said", "according to him", "за його словами", "по ее словам", "sagte er",
   "jego zdaniem", "– zaznaczył.", "Jak dodał,") refers to the last named speaker;
5. a role word ("the Secretary-General said", "Premier podkreślił", "Регулятор объяснил",
   "argumentierte der Kanzler", "Lider KO", "heißt es in der Entscheidung", "czytamy w
   dokumencie") refers to the last speaker introduced with that role, else to the last speaker;
   with no speaker yet, to the named body the article has mentioned so far (the role word inside
   an earlier name: "the Commission" = "European Commission"; else the named subject of an
   earlier body sentence: "Регулятор" = "Банк России");
6. unnamed groups ("Officials warned", "Аналитики считают", "Politycy PiS zarzucają",
   "Anwohner werfen ... vor", "A spokesman said") leave the unit empty; so do reporting verbs ("reported",
   "berichtete": media coverage is the outlet's narration), actions that are not statements
   ("New York City declared an emergency"; "declared that ..." is a statement) and furniture.
Then, over the document (`attribute_speakers`):
7. quotations: a sentence inside a quotation that spans several units takes the attribution of
   the quotation ("«Ми розраховуємо ...» + "Але ...», – сказав Кудрицький."); a quotation with no
   attribution of its own that follows an attributed sentence in the same paragraph is that
   speaker's ('"Vaccines are safe," he said.' + '"The greater danger is ..."');
8. "This was stated by X" (and its equivalents) also gives X to the lede sentences before it;
9. one spelling per person: a surname alone ("Tusk", "Губернатор Усс") becomes the full name the
   article uses elsewhere ("Donald Tusk", "Александр Усс").
Otherwise the unit is the outlet's narration and its speaker stays empty.
"""

from __future__ import annotations

import re

UPPER = "A-ZА-ЯІЇЄҐЁÄÖÜĄĆĘŁŃÓŚŹŻ"
LOWER = "a-zа-яіїєґёäöüßąćęłńóśźżéèáíúčšž"
_WORD = rf"[{UPPER}][\w'’\-]*(?:\.[\w'’\-]+)*\.?"
_QUOTED = rf"«[{UPPER}][^«»,.!?:]{{0,30}}»|„[{UPPER}][^„“”,.!?:]{{0,30}}[“”]"
# Lower-case words that may join the capitalised words of one name.
CONNECTORS = r"of|for|and|de|di|da|du|la|le|von|van|der|den|des|für|und|al|bin|ibn"
_CHAIN = rf"{_WORD}(?:\s+(?:(?:{CONNECTORS})\s+)*{_WORD}){{0,5}}"
NAME = rf"(?P<name>{_QUOTED}|{_CHAIN})"  # capitalised words, or a short quoted name («Голос»)
NAME_PLAIN = rf"(?P<name>{_CHAIN})"
_LOWER_WORD = rf"[{LOWER}][\w'’\-]*\.?"
_ACRONYM = rf"[{UPPER}][{UPPER}\w]*[{UPPER}]\w*|[{UPPER}]\.(?:[{UPPER}]\.)+"
_PAREN = r"(?:\s*\([^()]{1,40}\))?"

# Page-furniture labels that open a line: such a line is one unit and has no speaker.
FURNITURE_LABELS = {
    "en": ["read also", "read more", "see also", "related", "more on this story", "tags",
           "filed under", "photo", "photos", "image", "video", "watch", "source", "advertisement",
           "sponsored", "share", "sign up", "subscribe", "comments", "updated", "copyright"],
    "uk": ["читайте також", "читайте ще", "дивіться також", "теги", "мітки", "фото", "відео",
           "джерело", "реклама", "поділитися", "підписуйтеся", "підписуйтесь", "переглядів",
           "перегляди", "коментарі", "помітили помилку", "оновлено"],
    "ru": ["читайте также", "смотрите также", "теги", "метки", "фото", "видео", "источник",
           "реклама", "поделиться", "подписывайтесь", "просмотров", "просмотры", "комментарии",
           "обсудить", "нашли ошибку", "обновлено"],
    "de": ["lesen sie auch", "lesen sie mehr", "mehr zum thema", "siehe auch", "schlagworte",
           "foto", "fotos", "bild", "video", "quelle", "anzeige", "werbung", "teilen", "newsletter",
           "kommentare", "stand", "aktualisiert"],
    "pl": ["czytaj także", "czytaj też", "czytaj więcej", "zobacz też", "zobacz także", "tagi",
           "fot", "foto", "zdjęcie", "wideo", "źródło", "reklama", "udostępnij", "obserwuj nas",
           "komentarze", "wyświetleń", "oprac", "aktualizacja"],
}
_FURNITURE = re.compile(
    r"^(?:©|\(c\)\s|(?P<label>" + "|".join(sorted(
        {re.escape(w) for ws in FURNITURE_LABELS.values() for w in ws}, key=len, reverse=True))
    + r")(?:\s*[:.|·]|\s*\(\d|\s*$))", re.IGNORECASE)

# Words that open sentences but never a name: articles, pronouns, conjunctions, prepositions and
# sentence adverbs (casefolded). A name never starts with one ("Our Standards:", "Jak dodał").
FUNCTION_WORDS = set("""
the a an this that these those it its he she they we i you his her their our my your there here
but and or so yet in on at for with as if when while after before since although however also
meanwhile earlier later several many most some all no not responding speaking
він вона воно вони ми я ти ви це цей ця ці той та те його її їхній їх але і й а проте однак також
водночас тому там тут у в на з із за до після як що коли сам сама самі раніше тоді ще того цього
про щодо
он она оно они мы я ты вы это этот эта эти тот та то его ее её их но и а однако также при в во на с
со за до после как что когда сам сама сами ранее тогда еще ещё того этого об о про
der die das ein eine einer einem einen eines er sie es wir ich man dies diese dieser dieses aber und
doch auch im in am an auf mit nach bei für zugleich dabei damit so wie als wenn unser unsere
on ona ono oni one my ja ty wy to ten ta te tego ale i a jednak także też w we na z ze za do po jak
co gdy jego jej ich według nasz nasza sam sama wcześniej
""".split())

# Statement verbs: saying, claiming, evaluating, warning, demanding, refusing, promising,
# accusing, expecting (finite forms; `{sep}`/`{perf}` mark German separable and perfect forms).
# A unit is one sentence, so a period inside it belongs to an abbreviation ("17 Mrd. Euro"): the
# particle or participle is looked for up to the end of the clause (, ; : ! ?).
_SEP = r"\b(?=[^;:!?,]*?\s{p}(?:[\s,.;:!?“”„\"»]|$))"
_DE_PARTICIPLES = ("gesagt|erklärt|betont|gewarnt|angekündigt|ausgeschlossen|gefordert|kritisiert|"
                   "appelliert|bekräftigt|abgelehnt|bezeichnet|zurückgewiesen|bestätigt|dementiert|"
                   "eingeräumt|verurteilt|begrüßt|mitgeteilt|versprochen|gezeigt|geäußert|"
                   "angemahnt|gemahnt|beklagt|vorgeworfen|zugesagt|bekannt gegeben|klargestellt")
_PERF = rf"\b(?=[^;:!?,]*?\b(?:{_DE_PARTICIPLES})(?:[\s,.;:!?“”„\"»]|$))"


def _de_separable(verbs: str, particle: str) -> str:
    return rf"(?:{verbs}){_SEP.format(p=particle)}"


VERBS = {
    "en": r"said|says|say|stated|states|told|tells|added|adds|warned|warns|noted|notes|"
          r"emphasi[sz]ed|stressed|announced|announces|claimed|claims|insisted|insists|argued|"
          r"argues|wrote|writes|explained|explains|believes|urged|urges|pointed out|recalled|"
          r"concluded|repeated|assured|admitted|confirmed|confirms|rejected|rejects|"
          # "called for", 'called the outbreaks "alarming"'; not a phone call ("called Putin")
          r"(?:called|calls)(?=\s+(?:for|on)\b|\s+(?:\S+\s+){0,3}[\"“])|"
          r"denied|denies|dismissed|accused|accuses|promised|promises|pledged|vowed|cautioned|"
          r"conceded|acknowledged|predicted|critici[sz]ed|condemned|welcomed|praised|demanded|"
          r"demands|suggested|proposed|threatened|refused|declined|questioned|replied|countered|hailed|"
          r"blamed|estimated|expects|expected|declared that|published (?:a|an) (?:column|op-ed|"
          r"statement|post)",
    "uk": r"заяви(?:в|ла|ли|ло)|сказа(?:в|ла|ли|ло)|повідоми(?:в|ла|ли|ло)|зазначи(?:в|ла|ли|ло)|"
          r"запропонува(?:в|ла|ли|ло)|"
          r"наголоси(?:в|ла|ли|ло)|підкресли(?:в|ла|ли|ло)|дода(?:в|ла|ли|ло)|"
          r"попереди(?:в|ла|ли|ло)|розпові(?:в|ла|ли)|написа(?:в|ла|ли|ло)|писа(?:в|ла|ли)|"
          r"вважає|вважають|каже|кажуть|переконаний|переконана|вказа(?:в|ла|ли)|"
          r"нагада(?:в|ла|ли)|поясни(?:в|ла|ли|ло)|назва(?:в|ла|ли|ло)|відкину(?:в|ла|ли|ло)|"
          r"запере(?:чив|чила|чили)|закли(?:кав|кала|кали|кало)|застеріг|застерегла|"
          r"привіта(?:в|ла|ли)|висловив|висловила|висловили|підтверди(?:в|ла|ли|ло)|"
          r"пообіця(?:в|ла|ли)|звинувати(?:в|ла|ли|ло)|розкритикува(?:в|ла|ли)|"
          r"запевни(?:в|ла|ли)|відмови(?:вся|лася|лися)|оголоси(?:в|ла|ли|ло)|"
          r"прокоментува(?:в|ла|ли)|спростува(?:в|ла|ли)|вимага(?:є|в|ла|ли)|вимагають|"
          r"прогнозує|очікує|дійш(?:ов|ла|ли) висновку|опублікува(?:в|ла) (?:колонку|статтю|"
          r"заяву|допис)|повідомляли|заявляли",
    "ru": r"заяви(?:л|ла|ли|ло)|сказа(?:л|ла|ли|ло)|сообщи(?:л|ла|ли|ло)|отмети(?:л|ла|ли|ло)|"
          r"предложи(?:л|ла|ли|ло)|"
          r"подчеркну(?:л|ла|ли|ло)|добави(?:л|ла|ли|ло)|предупреди(?:л|ла|ли|ло)|"
          r"рассказа(?:л|ла|ли)|написа(?:л|ла|ли|ло)|писа(?:л|ла|ли)|считает|считают|говорит|"
          r"говорят|уверен|уверена|указа(?:л|ла|ли)|напомни(?:л|ла|ли)|поясни(?:л|ла|ли|ло)|"
          r"объясни(?:л|ла|ли|ло)|назва(?:л|ла|ли|ло)|отверг|отвергла|отвергли|отрица(?:ет|л|ла)|"
          r"призва(?:л|ла|ли|ло)|обвини(?:л|ла|ли|ло)|пообеща(?:л|ла|ли)|подтверди(?:л|ла|ли|ло)|"
          r"опроверг|опровергла|раскритикова(?:л|ла|ли)|завери(?:л|ла|ли)|"
          r"отказа(?:лся|лась|лись)|возмуща(?:ется|лся|лась)|потребова(?:л|ла|ли)|"
          r"пригрози(?:л|ла|ли)|прокомментирова(?:л|ла|ли)|объяви(?:л|ла|ли|ло)|"
          r"уточни(?:л|ла|ли)|ответи(?:л|ла|ли)|прогнозирует|ожидает|выразил|выразила|"
          r"опубликова(?:л|ла) (?:колонку|статью|заявление|пост)|сообщали|заявляли",
    # "sagte ... ab" is a cancellation, not a statement
    "de": r"(?:sagte|sagt|sagten)(?![^.;:!?,]*\sab(?:[\s,.;:!?]|$))|erklärte|erklärt|erklärten|"
          r"betonte|betont|warnte|warnt|warnten|"
          r"schrieb|schreibt|kritisierte|kritisiert|forderte|fordert|forderten|meinte|"
          r"unterstrich|verurteilte|begrüßte|begrüßt|appellierte|mahnte|argumentierte|"
          r"bekräftigte|bestätigte|dementierte|bezeichnete|nannte|widersprach|versprach|"
          r"entschied|urteilte|zeigte(?:n)?\s+sich|sprach(?:en)?\s+(?:von|vom)|"
          + _de_separable("kündigte|kündigt|kündigten", "an") + "|"
          + _de_separable("teilte|teilt|teilten", "mit") + "|"
          + _de_separable("wies|weist", "zurück") + "|"
          + _de_separable("wies|weist", "hin") + "|"
          + _de_separable("lehnte|lehnt|lehnten", "ab") + "|"
          + _de_separable("warf|wirft|werfen|warfen", "vor") + "|"
          + _de_separable("räumte|räumt", "ein") + "|"
          + _de_separable("rief|ruft|riefen", "auf") + "|"
          + _de_separable("schloss|schließt", "aus") + "|"
          + _de_separable("stellte|stellt", "klar") + "|"
          + _de_separable("gab|gibt", "bekannt") + "|"
          + _de_separable("hob|hebt", "hervor") + "|"
          + _de_separable("schlug|schlägt", "vor") + "|"
          + _de_separable("sprach|spricht", "aus") + "|"
          + r"rechnet(?:e|en)?(?=[^.;:!?]*\bmit\b)|"
          + rf"(?:hat|hatte|haben|hatten){_PERF}",
    "pl": r"powiedzia(?:ł|ła|li|ło)|oświadczy(?:ł|ła|li|ło)|stwierdzi(?:ł|ła|li|ło)|"
          r"doda(?:ł|ła|li|ło)|podkreśli(?:ł|ła|li|ło)|podkreśla(?:ł|ła|li)?|"
          r"zapowiedzia(?:ł|ła|li|ło)|zapowiada(?:ją)?|ostrzeg(?:ł|ła|li|a|ają)|"
          r"przekaza(?:ł|ła|li|ło)|napisa(?:ł|ła|li|ło)|zaznaczy(?:ł|ła|li|ło)|uważa(?:ją)?|"
          r"przekonuje|mówi|mówił|mówiła|ocenia|oceni(?:ł|ła|li|ło)|wezwa(?:ł|ła|li|ło)|"
          r"odrzuci(?:ł|ła|li|ło)|zapewni(?:ł|ła|li|ło)|wyrazi(?:ł|ła|li|ło)|(?:nie )?wyklucza|"
          r"zarzuca(?:ją)?|skrytykowa(?:ł|ła|li|ło)|obieca(?:ł|ła|li|ło)|potwierdzi(?:ł|ła|li|ło)|"
          r"zaprzeczy(?:ł|ła|li|ło)|poinformowa(?:ł|ła|li|ło)|poda(?:ł|ła|li|ło)(?!\s+się)|"
          r"obarczy(?:ł|ła|li|ło)|zaapelowa(?:ł|ła|li|ło)|apelowa(?:ł|ła|li)|"
          r"przypomnia(?:ł|ła|li)|wskaza(?:ł|ła|li|ło)|wskazują|zażąda(?:ł|ła|li|ło)|"
          r"tłumaczy(?:ł|ła|li)?|wyjaśni(?:ł|ła|li|ło)|wyjaśnia|zaproponowa(?:ł|ła|li|ło)|"
          r"opublikowa(?:ł|ła) (?:felieton|artykuł|oświadczenie|wpis)",
}
# Phrases followed by the source's name ("according to X").
BY_NAME = {
    "en": r"according to|stated by|said by|told by|announced by",
    "uk": r"за словами|як заяви(?:в|ла|ли)|про це заяви(?:в|ла|ли)|про це повідоми(?:в|ла|ли)|"
          r"на думку|за даними|згідно з даними|як повідоми(?:в|ла|ли)",
    "ru": r"по словам|как заяви(?:л|ла|ли)|об этом заяви(?:л|ла|ли)|об этом сообщи(?:л|ла|ли)|"
          r"по мнению|по данным|как сообщи(?:л|ла|ли)|согласно",
    "de": r"laut|so|nach Angaben(?: des| der| von)?|zufolge|nach Einschätzung(?: des| der)?",
    "pl": r"według|zdaniem|jak powiedzia(?:ł|ła)|jak poinformowa(?:ł|ła|li)|"
          r"jak poda(?:ł|ła|li)|jak przekaza(?:ł|ła|li)",
}
# Source nouns between an attribution phrase and the name ("według danych X", "по данным X"),
# optionally after one adjective ("według szybkiego szacunku GUS").
SOURCE_NOUNS = {
    "en": r"data from|figures from|estimates by|a statement by|a report by|the",
    "uk": r"даними|оцінками|інформацією|підрахунками",
    "ru": r"данным|оценкам|информации|подсчетам|подсчётам",
    "de": r"Angaben|Daten|Schätzungen|Zahlen",
    "pl": r"danych|szacunku|szacunków|informacji|wyliczeń|raportu",
}
# A body citing itself about its own action: the subject is the speaker.
SELF_SOURCE = {
    "en": r"according to (?:its|their) own",
    "uk": r"за (?:власними|своїми) даними",
    "ru": r"по (?:собственным|своим) данным",
    "de": r"nach eigenen Angaben",
    "pl": r"według (?:własnych|swoich) danych",
}
PRONOUNS = {  # {v}: the statement verbs
    "en": r"\b(?:he|she|they)\s+(?:(?:also|later|then|again|has|had|have)\s+)?(?:{v})\b|"
          r"\b(?:He|She|They)\s+(?:(?:also|later|then|again|has|had|have)\s+)?(?:{v})\b|"
          r"[Aa]ccording to (?:him|her|them)\b|\bas (?:he|she) (?:{v})",
    "uk": r"[Зз]а (?:його|її|їхніми) словами|[Нн]а (?:його|її|їхню) думку|"
          r"\b(?:[Вв]ін|[Вв]она|[Вв]они)\s+(?:(?:також|ще|вже|не)\s+)?(?:{v})|(?:{v})\s+(?:він|вона|вони)\b|"
          r"^Як\s+(?:{v})\s*,",
    "ru": r"[Пп]о (?:его|ее|её|их) (?:словам|мнению)|"
          r"\b(?:[Оо]н|[Оо]на|[Оо]ни)\s+(?:(?:также|еще|ещё|уже|не)\s+)?(?:{v})|(?:{v})\s+(?:он|она|они)\b|"
          r"^Как\s+(?:{v})\s*,",
    "de": r"\b(?:{v})\s+(?:er|sie)\b|\b(?:Er|Sie)\s+(?:{v})|(?:seinen|ihren) Angaben zufolge|"
          r"nach (?:seinen|ihren) (?:Worten|Angaben)|\bwie (?:er|sie) (?:{v})",
    "pl": r"(?:[Jj]ego|[Jj]ej|[Ii]ch) zdaniem|[Ww]edług (?:niego|niej|nich)\b|"
          r"\b(?:on|ona|oni)\s+(?:(?:też|także|już|nie)\s+)?(?:{v})|(?:{v})\s+(?:on|ona)\b|"
          r"^Jak\s+(?:{v})\s*,",
}
# A document of the last speaker ("heißt es in der Entscheidung", "czytamy w dokumencie").
DOC_REFERENCE = {
    "en": r"\b(?:the|its) (?:report|document|statement|ruling|decision) (?:said|says|stated|states)"
          r"|\b(?:it|the document) reads\b",
    "uk": r"\bйдеться (?:в|у)\b|\bзазначається (?:в|у)\b|\b[Зз]гідно з (?:документом|доповіддю)",
    "ru": r"\bговорится (?:в|во)\b|\bотмечается (?:в|во)\b|\b[Сс]огласно (?:документу|докладу)",
    "de": r"\bheißt es (?:in|im)\b",
    "pl": r"\bczytamy w\b|\b[Zz]godnie z (?:dokumentem|raportem)",
}
RETRO = {  # "This was stated by X": X also speaks the lede sentences right before
    "en": r"^(?:This|That|It) was (?:stated|said|announced) by",
    "uk": r"^Про це\b.{0,80}?\b(?:заяви|повідоми|сказа|розпові|наголоси|зазначи)",
    "ru": r"^Об этом\b.{0,80}?\b(?:заяви|сообщи|сказа|рассказа|подчеркну|отмети)",
    "de": r"^(?:Das|Dies) (?:sagte|erklärte|teilte|betonte)",
    "pl": r"^(?:Powiedział|Powiedziała|Poinformował|Poinformowała|Oświadczył|Oświadczyła|"
          r"Przekazał|Przekazała) to",
}
# Impersonal plural with the institution in the locative: "В Пентагоне заявили".
IMPERSONAL = {
    "uk": rf"(?:^|\s)(?:[Вв]|[Уу])\s+{NAME}\s+(?:(?:{_LOWER_WORD})\s+){{0,2}}?"
          r"(?:заявили|повідомили|повідомляли|наголосили|зазначили|підтвердили|спростували|"
          r"відкинули|заперечили|пояснили|попередили|висловили)\b",
    "ru": rf"(?:^|\s)(?:[Вв]о?)\s+{NAME}\s+(?:(?:{_LOWER_WORD})\s+){{0,2}}?"
          r"(?:заявили|сообщили|сообщали|подчеркнули|отметили|подтвердили|опровергли|"
          r"отвергли|пояснили|предупредили|выразили)\b",
}
# Spelled-out titles and person descriptors that stand before a name (nominative forms; any case
# ending matches, see `_stem_match`). They are dropped from a name ("Bundeskanzler Olaf Scholz"),
# and a title alone is a role reference ("Premier podkreślił").
PERSON_TITLES = {
    "en": "dr prof mr mrs ms sir secretary general secretary-general minister president "
          "spokesman spokeswoman spokesperson chief mayor governor prime foreign defence defense "
          "senator ambassador head leader chairman chairwoman director attorney commissioner "
          "chancellor premier lawmaker negotiator expert professor deputy vice king queen",
    "uk": "д-р проф ген генсек генеральний секретар президент президентка прем'єр-міністр "
          "прем’єр-міністр прем'єр прем’єр міністр міністерка речник речниця посол глава голова "
          "мер очільник очільниця командувач головнокомандувач командир начальник спікер депутат "
          "нардеп директор директорка керівник керівниця генерал радник заступник заступниця "
          "віцепрем'єр віцепрем’єр адвокат член лідер експерт губернатор суддя прокурор "
          "співачка омбудсман уповноважений",
    "ru": "д-р проф ген генсек генеральный секретарь президент премьер-министр премьер министр "
          "пресс-секретарь представитель официальный посол глава мэр губернатор командующий "
          "командир начальник спикер депутат директор руководитель генерал советник замглавы "
          "заместитель председатель член лидер эксперт экономист адвокат судья прокурор "
          "жительница житель главный омбудсмен уполномоченный",
    "de": "dr prof kanzler kanzlerin minister ministerin präsident präsidentin sprecher "
          "sprecherin chef chefin bürgermeister generalsekretär botschafter vorsitzende "
          "vorsitzender leiter leiterin direktor direktorin abgeordnete abgeordneter aktivist "
          "experte expertin anwalt anwältin ökonom ökonomin geschäftsführer staatssekretär",
    "pl": "dr prof mgr inż hab premier prezydent minister rzecznik rzeczniczka szef szefowa "
          "prezes burmistrz wojewoda poseł posłanka ambasador generał marszałek lider "
          "przewodniczący przewodnicząca dyrektor ekspert ekspertka ekonomista ekonomistka "
          "konstytucjonalista adwokat mecenas sędzia prokurator wiceminister wicepremier komendant",
}
# Nouns for a body or a document, used anaphorically ("the Commission", "Регулятор", "Komisja").
BODY_WORDS = {
    "en": "commission committee court government ministry regulator agency company bank party "
          "office council department report document statement ruling senate alliance",
    "uk": "комісія суд уряд міністерство регулятор відомство компанія банк партія офіс документ "
          "доповідь звіт заява рішення прокуратура пресслужба прес-служба альянс рада",
    "ru": "комиссия суд правительство министерство регулятор ведомство компания банк партия "
          "офис документ доклад отчет отчёт заявление решение прокуратура пресс-служба альянс",
    "de": "kommission ausschuss gericht regierung ministerium behörde bank partei amt senat "
          "bericht dokument entscheidung urteil erklärung beschluss",
    "pl": "komisja sąd rząd ministerstwo regulator urząd bank partia biuro dokument raport "
          "oświadczenie orzeczenie wyrok prokuratura",
}
# Languages whose titles and names inflect for case (a title after "according to" is genitive).
SLAVIC = ("uk", "ru", "pl")
# Case endings of Slavic nouns and adjectives (uk, ru, pl) that a table word may take.
_VOWELS = "аяоеьйіиыуaeoiyąę"  # a final one gives way to the case ending
_FLEETING = re.compile(r"(.{3,})[eоo]([^aeiouyаеёиоуыэюяіїє])")  # "minister" -> "ministra"
_ENDINGS = re.compile(
    r"(?:а|я|у|ю|ы|и|і|ї|е|є|ё|о|ой|ей|ою|ею|ом|ем|ём|ам|ям|ах|ях|ами|ями|ов|ев|ів|ого|его|ому|"
    r"ему|им|ым|ий|ій|ый|ая|яя|ое|ее|ие|ые|ої|ую|ь|ья|ьи|ью|a|u|y|i|e|ą|ę|o|em|om|ie|owi|ów|"
    r"ami|ach|ego|emu|ym|im|ej)?")
ORDINALS = set("first second third erste erster zweite zweiter dritte dritter".split())
# Unnamed groups (rule 6): a subject that is one of these plural nouns is not a speaker.
GROUP_WORDS = {
    "en": "officials analysts experts critics residents prosecutors economists authorities "
          "observers activists lawmakers sources investors scientists doctors diplomats people",
    "uk": "аналітики аналітиків експерти експертів спостерігачі спостерігачів критики критиків "
          "мешканці мешканців жителі жителів правозахисники правозахисників економісти "
          "економістів науковці науковців лікарі лікарів джерела джерел представники "
          "представників",
    "ru": "аналитики аналитиков эксперты экспертов наблюдатели наблюдателей критики критиков "
          "жители жителей правозащитники правозащитников экономисты экономистов представители "
          "представителей источники источников экологи экологов ученые учёные ученых учёных "
          "власти",
    "de": "experten analysten kritiker anwohner ökonomen beobachter ermittler verbände "
          "wirtschaftsverbände einwohner bewohner politiker kommunen fachleute gegner befürworter",
    "pl": "eksperci ekspertów analitycy analityków ekonomiści ekonomistów krytycy krytyków "
          "mieszkańcy mieszkańców obserwatorzy obserwatorów politycy polityków organizacje "
          "organizacji przeciwnicy przeciwników zwolennicy zwolenników naukowcy naukowców źródła",
}
# "groups, including X, warned": X is the named member.
INCLUDING = (r"including|among them|зокрема|в тому числі|в том числе|u\.\s?a\.|darunter|"
             r"m\.\s?in\.|w tym")
# Weekdays and time words: never a name; they may stand between an inverted verb and the name
# ("– podała we wtorek X").
TIME_WORDS = """
monday tuesday wednesday thursday friday saturday sunday today yesterday
понеділок вівторок середу четвер п'ятницю п’ятницю суботу неділю сьогодні вчора
понедельник вторник среду четверг пятницу субботу воскресенье сегодня вчера
montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern
poniedziałek wtorek środę czwartek piątek sobotę niedzielę dziś dzisiaj wczoraj
""".split()
_TIME = rf"(?:(?i:on|в|во|у|am|w|we) )?(?i:{'|'.join(TIME_WORDS)})"
# Articles and determiners dropped from the start of a name; a lone one is no name.
_ARTICLES = {"the", "der", "die", "das", "den", "dem", "des"}
_INDEFINITE_WORDS = {"a", "an", "ein", "eine", "einer", "einem", "einen", "eines"}
_INDEFINITE = re.compile(r"\b(?i:a|an|ein|eine|einer|einem|einen|eines)\s+(?:[" + LOWER
                         + r"][\w\-]*\s+){0,3}$")
# Possessive determiners: a capitalised phrase that starts with one is no name ("Our Standards:").
POSSESSIVES = set("""
our my your its their his her наш наша наше наші мій моя їхній наш наша наше наши мой моя их
unser unsere unserer mein meine ihr ihre sein seine nasz nasza nasze mój moja ich jego jej
""".split())
# Words that are never a speaker's name: furniture words and days of the week.
NOT_SPEAKERS = {"photo", "foto", "фото", "read", "читайте", "lesen", "czytaj", "source",
                "джерело", "источник", "quelle", "źródło", "video", "відео", "видео", "wideo",
                "updated", "оновлено", "обновлено", "aktualisiert", "aktualizacja", *TIME_WORDS}
# Prepositions: a name right after one modifies a noun before it ("Critics in Congress said"),
# it is not the subject.
_PREPOSITIONS = set("""
in of at from for with by on to у в на з із від до за по для из от с к im aus von vom bei mit für
nach zu zum zur an am auf w we z ze od dla przy po u
""".split())

_HEADLINE_SUFFIX = re.compile(rf"\s[-–—]\s*{NAME}\s*$")
_COLON_PREFIX = re.compile(rf"^{NAME}:\s+(?=[{UPPER}{LOWER}«„“\"])")
_TOPIC_COLON_QUOTE = re.compile(
    rf"^{NAME}\s+(?:on|about|zu|zur|zum|über|про|щодо|о|об|o|w sprawie)\s+[^:]{{1,60}}:\s*[«„“\"]")


def furniture_label(text: str) -> str:
    """The page-furniture label a line opens with ("Tags", "Читайте також", "©"), or ''."""
    match = _FURNITURE.match(text.strip())
    return (match.group("label") or "©") if match else ""


def _stems(table: dict[str, str], lang: str) -> tuple[str, ...]:
    return tuple(table.get(lang, table["en"]).split())


def _stem_match(word: str, entry: str, lang: str, compound: bool = False) -> bool:
    """A word is a table word: English words whole or plural, or as a hyphenated head
    ("Secretary-General"); German ones with up to two more letters, titles also as the head (the
    end) of a compound ("Bundeskanzlerin", "CDU-Chef"; not "Innenministerium"; a compound body
    is a name: "Bundesverfassungsgericht"); Slavic ones with any case ending ("президента",
    "premiera", "голови"; not "головне", "Мерц")."""
    w = word.casefold().rstrip(".,")
    if w == entry or w.endswith("-" + entry) or w.startswith(entry + "-"):
        return True
    if lang == "en":
        return w == entry + "s"
    if lang == "de":
        head = re.escape(entry) + r"(?:in|en|n|e|s|es)?$"
        if compound and len(entry) >= 4 and re.search(head, w):
            return True  # compounds are head-final: "Bundesinnenministerin", not "Innenministerium"
        return w.startswith(entry) and len(w) - len(entry) <= 2
    return any(w.startswith(b) and _ENDINGS.fullmatch(w[len(b):]) is not None
               for b in _slavic_bases(entry))


def _slavic_bases(entry: str) -> set[str]:
    """What case endings attach to: the word less a final vowel, and without a fleeting vowel
    ("ministra", "посла")."""
    bases = {entry[:-1] if len(entry) > 4 and entry[-1] in _VOWELS else entry}
    if fleeting := _FLEETING.fullmatch(entry):
        bases.add(fleeting.group(1) + fleeting.group(2))
    return bases


def _is_title(word: str, lang: str) -> bool:
    return any(_stem_match(word, s, lang, compound=True) for s in _stems(PERSON_TITLES, lang))


def _is_body_word(word: str, lang: str) -> bool:
    return any(_stem_match(word, s, lang) for s in _stems(BODY_WORDS, lang))


def _is_group(word: str, lang: str) -> bool:
    return word.casefold().strip(".,") in _stems(GROUP_WORDS, lang)


def _is_acronym(word: str) -> bool:
    return bool(re.fullmatch(_ACRONYM, word.rstrip(".,")))


def _title_forms(lang: str) -> list[str]:
    """Regexes for the spelled-out titles (over 3 letters): as written, and in Slavic languages
    in any case, since attribution phrases govern one ("według premiera X", "по словам министра X")."""
    titles = [t for t in PERSON_TITLES[lang].split() if len(t) > 3]
    if lang not in SLAVIC:
        return [re.escape(t) for t in titles]
    return [f"(?:{'|'.join(map(re.escape, sorted(_slavic_bases(t))))})(?:{_ENDINGS.pattern})"
            for t in titles]


def _compile(lang: str) -> dict[str, re.Pattern]:
    v = f"(?i:{VERBS[lang]})"
    by = f"(?i:{BY_NAME[lang]})"
    source = rf"(?:(?:{_LOWER_WORD})\s+)?(?:{SOURCE_NOUNS[lang]})\s+"
    exact_titles = "|".join(_title_forms(lang))
    # Modifiers stand before the title in English and German ("the foreign minister"), after it
    # in Slavic languages ("министра иностранных дел", "ministra finansów").
    after = rf"(?:\s+{_LOWER_WORD}){{0,3}}" if lang in SLAVIC else ""
    by_titles = (rf"(?:(?:the\s+)?(?:{_LOWER_WORD}\s+)?(?i:{exact_titles}|prof\.|dr\.?|ген\.|gen\.)"
                 rf"{after}\s+){{0,3}}")
    # A role chain after an inverted verb: a title, then lower-case words, acronyms and quoted
    # names ("голова правління НЕК «Укренерго»"), or just an article ("der", "die").
    chain_word = rf"(?:{_LOWER_WORD}|{_ACRONYM}|{_QUOTED})"
    # A time or a medium may stand between the verb and the name ("– podała we wtorek X",
    # "– написав у Facebook нардеп X").
    medium = rf"(?:(?:у|в|на|in|on|auf|im|bei|w|na)\s+{_WORD}\s+)"
    chain = (rf"(?:{_TIME}\s+|{medium})?(?:(?P<chain>(?:(?:der|die|das|the)\s+)?{_LOWER_WORD}"
             rf"(?:\s+{chain_word}){{0,5}}|der|die|das|the)\s+)?")
    gap = (rf"(?:(?:also|later|then|again|has|have|had|previously|separately|earlier|{_TIME})"
           r"\s+){0,2}"
           if lang == "en" else
           rf"(?:(?:{_LOWER_WORD}|(?:z|ze|from|of|at|von|aus|из|с|з|із|від)\s+{_WORD}"
           rf"(?:\s+{_WORD})?)\s+){{0,3}}")
    return {
        "by_name": re.compile(rf"\b{by}\s+(?:{source})?{by_titles}{NAME}"),
        "by_role": re.compile(rf"\b{by}\s+(?P<role>[{LOWER}][\w\-]*)(?![\w\-]|\s+[{UPPER}])"),
        "self_source": re.compile(rf"(?i:{SELF_SOURCE[lang]})"),
        "appositive_name": re.compile(
            rf"(?:^|,\s*)(?:(?i:{INCLUDING})\s+)?{NAME_PLAIN}{_PAREN}\s*,\s+{gap}{v}\b"),
        "name_appositive": re.compile(
            rf"(?:^|\s){NAME_PLAIN}{_PAREN}\s*,\s+(?P<appos>[^,]*?(?<!\w)[{LOWER}][^,]*?),\s+"
            rf"{gap}{v}\b"),
        "name_which": re.compile(
            rf"{NAME_PLAIN}{_PAREN}\s*,\s+(?i:which|who|der|die|das|który|która|które|який|яка|яке|"
            rf"котор(?:ый|ая|ое))\s+{v}\b"),
        "name_verb": re.compile(rf"{NAME}{_PAREN}\s+{gap}{v}\b"),
        # "as the minister noted, X" / "Як зазначив голова НБУ Андрій Пишний, ..."
        "as_verb_name": re.compile(rf"\b(?i:as|як|как|jak|wie)\s+{v}\s+{chain}{NAME}"),
        # A role noun after an article: "the company said", "der Sprecher sagte".
        "role_verb": re.compile(rf"\b(?i:the|der|die|das)\s+(?P<role>(?:[{LOWER}][\w\-]*\s+){{0,2}}"
                                rf"[\w\-]+)\s+{gap}{v}\b"),
        # After a quotation, a comma or a dash ('"...," said X', "– заявив X"); anywhere in a
        # "This was stated by X" sentence ("Про це в ефірі ... заявив X").
        "verb_name": re.compile(rf"(?:^|[,–—\"»”“]\s*|\s-\s*){v}\s+{chain}{NAME}"),
        "verb_name_any": re.compile(rf"\b{v}\s+{chain}{NAME}"),
        "pronoun": re.compile(PRONOUNS[lang].format(v=VERBS[lang]) if lang in PRONOUNS else "$^"),
        # A verb with no subject closing a quotation ("– zaznaczył.", "– powiedziała w Sejmie.").
        "bare_verb": re.compile(rf"(?:[,–—»”“\"]|\s-)\s*{v}(?:\s+[{LOWER}][^,]*)?\s*[.!?]?$"),
        "doc_reference": re.compile(DOC_REFERENCE[lang]),
        "impersonal": re.compile(IMPERSONAL[lang]) if lang in IMPERSONAL else re.compile("$^"),
        "retro": re.compile(RETRO[lang]),
    }


_PATTERNS = {lang: _compile(lang) for lang in VERBS}


def _split_name(name: str, lang: str, after_title: bool = False) -> tuple[str, list[str]]:
    """(cleaned name, title words dropped from it); '' when it is no name. Leading articles and
    sentence adverbs ("Die", "Сам", "Водночас"), acronyms ("NATO", "U.S.") and spelled-out titles
    ("Bundeskanzlerin", "Mayor") are dropped; abbreviated honorifics ("Prof.", "Ген.") stay."""
    name = name.strip(" ,.:;\"'«»„“”")
    words = name.split()
    titles: list[str] = []
    if not words or words[0].casefold() in POSSESSIVES or name.casefold() in NOT_SPEAKERS:
        return "", []
    while len(words) > 1 and words[0].casefold() in FUNCTION_WORDS:
        words.pop(0)
    if words[0].casefold() in FUNCTION_WORDS or not words[0][:1].isupper():
        return "", []  # "Он", or a quotation "„Wir müssen handeln“"
    dropped = after_title
    while len(words) > 1:
        first = words[0]
        if _is_acronym(first) and not _is_acronym(words[1]):
            words.pop(0)
        elif not first.endswith(".") and (_is_title(first, lang) or first.casefold() in ORDINALS):
            titles.append(words.pop(0))
            dropped = True
        else:
            break
    connector = re.compile(rf"(?:{CONNECTORS})")
    if dropped and len(words) >= 3 and not words[0].endswith(".") \
            and not any(connector.fullmatch(w) for w in words):
        # A title's genitive complement before the name: "Глава Роскомнадзора Александр Жаров".
        titles.extend(words[:-2])
        words = words[-2:]
    return " ".join(words).strip(" ,.:;"), titles


def _classify(name: str, lang: str, chain: str = "") -> tuple[str, str, list[str]]:
    """(name, how, titles) for a captured subject: how is 'name', 'role' or 'group'."""
    raw = name.strip(" ,.:;\"'«»„“”")
    if raw.split()[:1] and raw.split()[0].casefold() in _INDEFINITE_WORDS:
        return "", "group", []  # "Ein Sprecher sagte", "A spokesman said": unnamed
    words = [w for w in raw.split() if w.casefold() not in _ARTICLES]
    chain_words = chain.split()
    if (words and _is_group(words[0], lang)) or any(_is_group(w, lang) for w in chain_words[-1:]):
        return "", "group", []
    content = [w for w in words if w.casefold() not in ORDINALS]
    is_role = bool(content) and all(
        _is_title(w, lang) or _is_body_word(w, lang) or (i > 0 and _is_acronym(w))
        for i, w in enumerate(content))
    chain_has_title = any(_is_title(w, lang) or _is_body_word(w, lang) for w in chain_words)
    if is_role or (chain_has_title and len(content) == 1 and _is_acronym(content[0])):
        return "", "role", [w.casefold() for w in chain_words + content]
    cleaned, titles = _split_name(raw, lang, after_title=chain_has_title)
    if not cleaned:
        return "", "", []
    titles = [t.casefold() for t in chain_words + titles]
    return cleaned, "name", titles


def find_speaker(text: str, lang: str) -> tuple[str, str]:
    """(speaker, how): how is 'name', 'pronoun', 'role', 'group' or '' when nobody is named."""
    name, how, _ = _find(text, lang)
    return name, how


def _find(text: str, lang: str) -> tuple[str, str, list[str]]:
    p = _PATTERNS.get(lang, _PATTERNS["en"])
    if not text.strip() or furniture_label(text.strip()):
        return "", "", []
    stripped = _mask_quotes(text.strip())
    edges = [_COLON_PREFIX, _TOPIC_COLON_QUOTE]
    if stripped[-1] not in ".!?…":
        edges.insert(0, _HEADLINE_SUFFIX)  # a headline "... - Stoltenberg" has no final period
    for pattern in edges:
        match = pattern.search(stripped)
        if match:
            name, how, titles = _classify(match.group("name"), lang)
            if how:
                return name, how, titles
    keys = ["appositive_name", "name_appositive", "name_which", "by_name", "as_verb_name",
            "name_verb", "verb_name", "impersonal"]
    if p["retro"].search(stripped):
        keys.insert(0, "verb_name_any")
    found: list[tuple[int, int, str, str, list[str]]] = []  # (start, priority, name, how, titles)
    for priority, key in enumerate(keys):
        for match in p[key].finditer(stripped):
            start = match.start("name")
            if lang in ("de", "en") and _INDEFINITE.search(stripped[:start]):
                continue  # "einer aktuellen Umfrage": a common noun, not a name
            before = stripped[:start].split()[-1:]
            if key == "name_verb" and before and before[0].casefold() in _PREPOSITIONS:
                continue  # "Critics in Congress said": the subject is "Critics"
            chain = match.groupdict().get("chain") or ""
            if chain and key.startswith("verb_name"):
                words = chain.split()
                role_chain = words[0].casefold() in _ARTICLES or any(
                    _is_title(w, lang) or _is_body_word(w, lang) for w in words[:3])
                # An unknown role noun before a full name ("– powiedział mecenas Jan Nowak").
                unknown_role = len(words) == 1 and words[0].casefold() not in FUNCTION_WORDS \
                    and len(match.group("name").split()) >= 2
                if not (role_chain or unknown_role):
                    continue  # "заявил про поддержку Украины": no role chain before the name
            got, how, titles = _classify(match.group("name"), lang, chain)
            if how:
                found.append((match.start(), priority, got, how, titles))
                break
    for key, how in (("pronoun", "pronoun"), ("doc_reference", "role"), ("bare_verb", "pronoun")):
        match = p[key].search(stripped)
        if match:
            found.append((match.start(), 10, "", how, []))
    for key in ("by_role", "role_verb"):
        match = p[key].search(stripped)
        if not match:
            continue
        role = match.group("role").split()[-1]
        if _is_group(role, lang):
            found.append((match.start(), 10, "", "group", []))
        elif _is_title(role, lang) or _is_body_word(role, lang):
            found.append((match.start(), 10, "", "role", [role.casefold()]))
    if p["self_source"].search(stripped):
        subject = re.match(rf"(?:{_LOWER_WORD}\s+)*{NAME}", stripped)
        if subject:
            got, how, titles = _classify(subject.group("name"), lang)
            if how == "name":
                found.append((0, 0, got, how, titles))
    if not found:
        return "", "", []
    _, _, name, how, titles = min(found, key=lambda f: (f[0], f[1]))
    return name, how, titles


def _quote_marks(text: str) -> list[tuple[int, int]]:
    """(position, +1 for an opening / -1 for a closing quotation mark). « and „ open, » and ”
    close; " and “ open after a space or at the start and close after a word or punctuation
    (“...” in English, „...“ in German)."""
    marks = []
    for pos, char in enumerate(text):
        if char in "«„":
            marks.append((pos, 1))
        elif char in "»”":
            marks.append((pos, -1))
        elif char in '"“':
            marks.append((pos, 1 if pos == 0 or text[pos - 1].isspace()
                           or text[pos - 1] in "([" else -1))
    return marks


def _quotes(text: str, depth: int) -> int:
    """Quotation depth after `text`, given the depth before it."""
    for _, step in _quote_marks(text):
        depth = max(0, depth + step)
    return depth


def _mask_quotes(text: str) -> str:
    """`text` with the words of quoted speech (four words or more) replaced by underscores, so
    that no attribution is read inside a quotation; short quoted names («Голос») stay."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for pos, step in _quote_marks(text):
        if step > 0:
            if depth == 0:
                start = pos + 1
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, pos))
        else:  # a quotation opened in an earlier unit closes here
            spans.append((0, pos))
    if depth > 0:
        spans.append((start, len(text)))
    chars = list(text)
    for a, b in spans:
        if len(text[a:b].split()) >= 4:
            for k in range(a, b):
                if not chars[k].isspace():
                    chars[k] = "_"
    return "".join(chars)


def _named_body(role_words: list[str], units: list, i: int, langs: list[str],
                blocks: list[tuple[int, str]]) -> str:
    """Rule 5: the body an anaphoric role word refers to when nobody has spoken yet: a name
    earlier in the article that holds the role word ("European Commission" for "the
    Commission"), else the named subject (two or more capitalised words, or an acronym) of the
    nearest earlier body sentence ("Банк России ..." for "Регулятор")."""
    name_re = re.compile(NAME)
    stems = [r[:5] for r in role_words if len(r) >= 5]
    for j in range(i - 1, -1, -1):
        for match in name_re.finditer(units[j].text):
            words = match.group("name").split()
            if len(words) > 1 and any(w.casefold()[:5] in stems for w in words):
                return _split_name(match.group("name"), langs[j])[0]
    # A subject of capitalised words, or (uk, ru, pl) an institution whose name keeps its inner
    # words in lower case before a capitalised genitive ("Національний банк України").
    subject = re.compile(rf"(?P<inst>[{UPPER}][\w\-]+(?:\s+[{LOWER}][\w\-]+){{1,2}}"
                         rf"\s+[{UPPER}][\w\-]+)|{NAME_PLAIN}")
    for j in range(i - 1, -1, -1):
        match = subject.match(units[j].text)
        if blocks[j][1] != "body" or not match:
            continue
        if match.group("inst"):
            if langs[j] in SLAVIC:  # Slavic names keep inner words in lower case
                return match.group("inst")
            match = re.match(NAME_PLAIN, units[j].text)
        words = match.group("name").split()
        if len(words) > 1 or _is_acronym(words[0]):
            # "Shares of Acme Corp. rose": the name after a connector is the body.
            parts = re.split(rf"\s(?:{CONNECTORS})\s", match.group("name"))
            name, _ = _split_name(parts[-1], langs[j])
            if name:
                return name
    return ""


def _same_person(short: str, full: str, lang: str) -> bool:
    """`full` is a longer spelling of the person `short` names: same surname (up to an
    inflection), and no title or body word among its extra words ("Доклад Макларена")."""
    a, b = short.casefold().split(), full.split()
    if not a or len(a) >= len(b):
        return False
    x, y = a[-1].strip(".,"), b[-1].casefold().strip(".,")
    k = min(len(x), len(y))
    if not (x == y or (k >= 5 and x[:k - 1] == y[:k - 1] and abs(len(x) - len(y)) <= 2)):
        return False
    return not any(_is_title(w, lang) or _is_body_word(w, lang) for w in b)


def attribute_speakers(units: list, langs: list[str],
                       blocks: list[tuple[int, str]] | None = None) -> None:
    """Fill `unit.speaker` in place for a document's units, given each unit's language and
    (optionally) each unit's (line number, line kind) from `infer.segment`: line kinds are
    'header', 'body', 'line' (a short unpunctuated line) and 'furniture' (never a speaker)."""
    n = len(units)
    blocks = blocks or [(0, "body")] * n
    raw = [_find(u.text, lang) if kind != "furniture" else ("", "", [])
           for u, lang, (_, kind) in zip(units, langs, blocks, strict=True)]
    # Rule 7: units linked by a quotation left open, within one paragraph.
    chain_of = list(range(n))
    depth, line = 0, None
    for i, unit in enumerate(units):
        if blocks[i][0] != line:
            depth, line = 0, blocks[i][0]
        if depth > 0 and i > 0:
            chain_of[i] = chain_of[i - 1]
        depth = _quotes(unit.text, depth)
    members: dict[int, list[int]] = {}
    for i, c in enumerate(chain_of):
        members.setdefault(c, []).append(i)

    last = ""
    roles: list[tuple[list[str], str]] = []  # (title words, speaker) of each named speaker
    resolved = [""] * n

    def resolve(name: str, how: str, titles: list[str], i: int) -> str:
        if how == "name":
            return name
        if how == "pronoun":
            return last
        if how == "role":
            for words, speaker in reversed(roles):
                known = words + [w.casefold() for w in speaker.split()]
                if any(t[:5] == k[:5] for t in titles if len(t) >= 4 for k in known):
                    return speaker
            return last or _named_body(titles, units, i, langs, blocks)
        return ""

    for i in range(n):
        name, how, titles = raw[i]
        speaker = resolve(name, how, titles, i)
        if not how:
            chain = members[chain_of[i]]
            for j in chain:
                if j != i and raw[j][1] in ("name", "pronoun", "role"):
                    speaker = resolved[j] if j < i else resolve(*raw[j], j)
                    break
            first = chain[0]
            if not speaker and first > 0 and blocks[first - 1][0] == blocks[first][0] \
                    and units[first].text.lstrip()[:1] in "«„“\"":
                speaker = resolved[first - 1]  # a quotation after its speaker's sentence
        resolved[i] = speaker
        if speaker:
            last = speaker
            if how == "name":
                roles.append((titles, speaker))
        # Rule 8: "This was stated by X" gives X to the lede sentences before it.
        p = _PATTERNS.get(langs[i], _PATTERNS["en"])
        if speaker and p["retro"].search(units[i].text.strip()):
            j = i - 1
            while j >= 0 and not resolved[j] and blocks[j][1] == "body" \
                    and units[j].text.rstrip()[-1:] in ".!?\"»”":
                resolved[j] = speaker
                j -= 1
    # Rule 9: one spelling per person.
    names = list(dict.fromkeys(s for s in resolved if s))  # in order of first use
    full: dict[tuple[str, str], str] = {}
    for i, speaker in enumerate(resolved):
        key = (speaker, langs[i])
        if speaker and key not in full:
            fuller = [s for s in names if _same_person(speaker, s, langs[i])]
            full[key] = max(fuller, key=lambda s: len(s.split())) if fuller else speaker
        units[i].speaker = full.get(key, speaker)


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
