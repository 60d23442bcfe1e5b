"""Attribute a speaker to each claim unit from what the text itself says.

The tables below hold the lexical cues per language (en, uk, ru, de, pl); the rules are general and
apply to all of them. A unit's own attribution is found first (`find_speaker`), tried on the text
and taking the attribution that starts earliest:
1. a headline suffix "... - Stoltenberg", a colon prefix "Peskov: ..." (not a furniture label such
   as "Tags:", "Теги:", "Stand:", and not a counter or date: "Переглядів: 3 218"), or a headline
   "Merkel zur Flüchtlingskrise: „...“" (name, topic, colon, quotation);
2. an attribution phrase with a name: "according to X", "за словами X", "по словам X", "laut X",
   "według X", also with a source noun ("по данным Рослесхоза", "według danych Straży
   Granicznej");
3. a statement verb (`VERBS`: say, state, warn, call, reject, promise, accuse, ...; with the
   German separable and perfect forms "kündigte ... an", "teilte ... mit", "hat ... erklärt")
   with its subject: "X said", "X, a polling expert, cautioned", "groups, including X, warned",
   "X, which said", "X (SPD) hat ... ausgeschlossen", or after it: '"...," said Mayor X',
   "– заявив голова правління НЕК «Укренерго» Володимир Кудрицький"; in Ukrainian and Russian
   also the impersonal "В Пентагоне заявили" (the institution speaks). Spelled-out titles,
   leading acronyms and articles are dropped from the name ("Bundeskanzler Olaf Scholz" -> "Olaf
   Scholz"), abbreviated honorifics are kept as the article writes them ("Prof. Smith", "Ген.
   Залужний");
4. a pronoun ("he said", "according to him", "за його словами", "по ее словам", "sagte er",
   "jego zdaniem", "– zaznaczył.", "Jak dodał,") refers to the last named speaker;
5. a role word ("the Secretary-General said", "Premier podkreślił", "Регулятор объяснил",
   "argumentierte der Kanzler", "Lider KO", "heißt es in der Entscheidung", "czytamy w
   dokumencie") refers to the last speaker introduced with that role, else to the last speaker;
   with no speaker yet, to the named body the article has mentioned so far (the role word inside
   an earlier name: "the Commission" = "European Commission"; else the named subject of an
   earlier body sentence: "Регулятор" = "Банк России");
6. unnamed groups ("Officials warned", "Аналитики считают", "Politycy PiS zarzucają",
   "Anwohner werfen ... vor") leave the unit empty; so do reporting verbs ("reported",
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

Known gaps (see tests/test_segment.py): a capitalised sentence-initial pronoun in Ukrainian and
Russian ("Він сказав") is not resolved (it is no longer taken for a name), and titles inside
attribution phrases are matched in their nominative form only ("według premiera X" is missed).
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
_SEP = r"\b(?=[^.;:!?,]*?\s{p}(?:[\s,.;:!?“”„\"»]|$))"
_DE_PARTICIPLES = ("gesagt|erklärt|betont|gewarnt|angekündigt|ausgeschlossen|gefordert|kritisiert|"
                   "appelliert|bekräftigt|abgelehnt|bezeichnet|zurückgewiesen|bestätigt|dementiert|"
                   "eingeräumt|verurteilt|begrüßt|mitgeteilt|versprochen|gezeigt|geäußert|"
                   "angemahnt|gemahnt|beklagt|vorgeworfen|zugesagt|bekannt gegeben|klargestellt")
_PERF = rf"\b(?=[^.;:!?,]*?\b(?:{_DE_PARTICIPLES})(?:[\s,.;:!?“”„\"»]|$))"


def _de_separable(verbs: str, particle: str) -> str:
    return rf"(?:{verbs}){_SEP.format(p=particle)}"


VERBS = {
    "en": r"said|says|say|stated|states|told|tells|added|adds|warned|warns|noted|notes|"
          r"emphasi[sz]ed|stressed|announced|announces|claimed|claims|insisted|insists|argued|"
          r"argues|wrote|writes|explained|explains|believes|urged|urges|pointed out|recalled|"
          r"concluded|repeated|assured|admitted|confirmed|confirms|called|calls|rejected|rejects|"
          r"denied|denies|dismissed|accused|accuses|promised|promises|pledged|vowed|cautioned|"
          r"conceded|acknowledged|predicted|critici[sz]ed|condemned|welcomed|praised|demanded|"
          r"demands|suggested|threatened|refused|declined|questioned|replied|countered|hailed|"
          r"blamed|estimated|expects|expected|declared that|published (?:a|an) (?:column|op-ed|"
          r"statement|post)",
    "uk": r"заяви(?:в|ла|ли|ло)|сказа(?:в|ла|ли|ло)|повідоми(?:в|ла|ли|ло)|зазначи(?:в|ла|ли|ло)|"
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
    "de": r"sagte|sagt|sagten|erklärte|erklärt|erklärten|betonte|betont|warnte|warnt|warnten|"
          r"schrieb|schreibt|kritisierte|kritisiert|forderte|fordert|forderten|meinte|"
          r"unterstrich|verurteilte|begrüßte|begrüßt|appellierte|mahnte|argumentierte|"
          r"bekräftigte|bestätigte|dementierte|bezeichnete|nannte|widersprach|versprach|"
          r"entschied|urteilte|zeigte(?:n)?\s+sich|sprach(?:en)?\s+von|"
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
          r"zaprzeczy(?:ł|ła|li|ło)|poinformowa(?:ł|ła|li|ło)|poda(?:ł|ła|li|ło)|"
          r"obarczy(?:ł|ła|li|ło)|zaapelowa(?:ł|ła|li|ło)|apelowa(?:ł|ła|li)|"
          r"przypomnia(?:ł|ła|li)|wskaza(?:ł|ła|li|ło)|wskazują|zażąda(?:ł|ła|li|ło)|"
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
          r"\b(?:він|вона|вони)\s+(?:(?:також|ще|вже|не)\s+)?(?:{v})|(?:{v})\s+(?:він|вона|вони)\b|"
          r"^Як\s+(?:{v})\s*,",
    "ru": r"[Пп]о (?:его|ее|её|их) (?:словам|мнению)|"
          r"\b(?:он|она|они)\s+(?:(?:также|еще|ещё|уже|не)\s+)?(?:{v})|(?:{v})\s+(?:он|она|они)\b|"
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
          r"відкинули|заперечили|пояснили|попередили)\b",
    "ru": rf"(?:^|\s)(?:[Вв]о?)\s+{NAME}\s+(?:(?:{_LOWER_WORD})\s+){{0,2}}?"
          r"(?:заявили|сообщили|сообщали|подчеркнули|отметили|подтвердили|опровергли|"
          r"отвергли|пояснили|предупредили)\b",
}
# Spelled-out titles and person descriptors that stand before a name; they are dropped from the
# name, and a title alone is a role reference ("Premier podkreślił"). Stems: a word matches when it
# starts with one (German compounds: when it contains one: "Bundeskanzlerin", "CDU-Chef").
PERSON_TITLES = {
    "en": "dr prof mr mrs ms sir secretary general secretary-general minister president spokesman spokeswoman "
          "spokesperson chief mayor governor prime foreign defence defense senator ambassador "
          "head leader chairman chairwoman director attorney commissioner chancellor premier "
          "lawmaker negotiator expert professor deputy vice king queen",
    "uk": "д-р проф ген генсек генеральн секретар президент прем'єр прем’єр міністр речни посол глава голов "
          "мер очільни командувач головнокомандувач начальни спікер депутат нардеп директор "
          "керівни генерал радни заступни віцепрем адвокат член лідер експерт губернатор суддя "
          "прокурор співачк",
    "ru": "д-р проф ген генсек генеральн секретар президент премьер министр пресс-секретар представител "
          "официальн посол глава мэр губернатор командующ начальник спикер депутат директор "
          "руководител генерал советник замглав заместител председател член лидер эксперт "
          "экономист адвокат судья прокурор жительниц житель главн",
    "de": "dr prof kanzler minister präsident sprecher chef bürgermeister generalsekretär botschafter "
          "vorsitzend leiter direktor abgeordnet aktivist experte expertin anwalt anwältin "
          "ökonom politiker geschäftsführer richter staatssekretär",
    "pl": "dr prof mgr inż hab premier prezydent minister ministra rzeczni szef prezes burmistrz wojewod poseł posłank "
          "ambasador generał marszał lider przewodnicząc dyrektor ekspert ekonomist "
          "konstytucjonalist adwokat sędzi prokurator wiceminister wicepremier",
}
# Nouns for a body or a document, used anaphorically ("the Commission", "Регулятор", "Komisja").
BODY_WORDS = {
    "en": "commission committee court government ministry regulator agency company bank party "
          "office council department report document statement ruling senate alliance",
    "uk": "комісі суд уряд міністерств регулятор відомств компані банк парті офіс документ "
          "доповід звіт заяв рішенн прокуратур пресслужб прес-служб альянс",
    "ru": "комисси суд правительств министерств регулятор ведомств компани банк парти офис "
          "документ доклад отчет отчёт заявлени решени прокуратур пресс-служб альянс",
    "de": "kommission ausschuss gericht regierung ministerium behörde bank partei amt senat "
          "bericht dokument entscheidung urteil erklärung beschluss",
    "pl": "komisj sąd rząd ministerstw regulator urząd bank parti biur dokument raport "
          "oświadczeni orzeczeni wyrok prokuratur",
}
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
INCLUDING = r"including|among them|зокрема|в тому числі|в том числе|u\.\s?a\.|darunter|m\.\s?in\.|w tym"
# Weekday/time words that may stand between an inverted verb and the name ("– podała we wtorek X").
_TIME = (r"(?:on |в |во |у |am |w |we )?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
         r"sunday|today|yesterday|понеділок|вівторок|середу|четвер|п'ятницю|п’ятницю|суботу|"
         r"неділю|сьогодні|вчора|понедельник|вторник|среду|пятницу|субботу|воскресенье|сегодня|"
         r"вчера|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|heute|gestern|"
         r"poniedziałek|wtorek|środę|czwartek|piątek|sobotę|niedzielę|dziś|dzisiaj|wczoraj)")
# Articles and determiners dropped from the start of a name; a lone one is no name.
_ARTICLES = {"the", "der", "die", "das", "den", "dem", "des"}
_INDEFINITE = re.compile(r"\b(?:a|an|ein|eine|einer|einem|einen|eines)\s+(?:[" + LOWER
                         + r"][\w\-]*\s+){0,3}$")
# Possessive determiners: a capitalised phrase that starts with one is no name ("Our Standards:").
POSSESSIVES = set("""
our my your its their his her наш наша наше наші мій моя їхній наш наша наше наши мой моя их
unser unsere unserer mein meine ihr ihre sein seine nasz nasza nasze mój moja ich jego jej
""".split())
NOT_SPEAKERS = {"photo", "foto", "фото", "read", "читайте", "lesen", "czytaj", "source",
                "джерело", "источник", "quelle", "źródło", "video", "відео", "видео", "wideo",
                "updated", "оновлено", "обновлено", "aktualisiert", "aktualizacja"}

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


def _stem_match(word: str, stem: str, lang: str, compound: bool = False) -> bool:
    """A word of a table: English words match whole (or as the head of a hyphenated compound,
    "Secretary-General"), German titles also as part of a compound ("Bundeskanzlerin", "CDU-Chef"; a compound body is a
    name: "Bundesverfassungsgericht"),
    Slavic words by stem with any ending, short stems (<= 3 letters: "мер", "суд") only with a
    vowel ending ("мера", not "Мерц")."""
    w = word.casefold().rstrip(".,")
    if lang == "en":
        return w in (stem, stem + "s") or w.startswith(stem + "-") or w.endswith("-" + stem)
    if lang == "de":
        if compound and len(stem) >= 5:
            return stem in w
        return w == stem or (w.startswith(stem) and len(w) - len(stem) <= 2)
    if len(stem) <= 3:
        return re.fullmatch(re.escape(stem) + r"[аеиоуыэюяієїйьaeiouyąę]{0,2}", w) is not None
    return w.startswith(stem)


def _is_title(word: str, lang: str) -> bool:
    return any(_stem_match(word, s, lang, compound=True) for s in _stems(PERSON_TITLES, lang))


def _is_body_word(word: str, lang: str) -> bool:
    return any(_stem_match(word, s, lang) for s in _stems(BODY_WORDS, lang))


def _is_group(word: str, lang: str) -> bool:
    return word.casefold().strip(".,") in _stems(GROUP_WORDS, lang)


def _is_acronym(word: str) -> bool:
    return bool(re.fullmatch(_ACRONYM, word.rstrip(".,")))


def _compile(lang: str) -> dict[str, re.Pattern]:
    v = f"(?i:{VERBS[lang]})"
    by = f"(?i:{BY_NAME[lang]})"
    source = rf"(?:(?:{_LOWER_WORD})\s+)?(?:{SOURCE_NOUNS[lang]})\s+"
    exact_titles = "|".join(re.escape(t) for t in PERSON_TITLES[lang].split() if len(t) > 3)
    by_titles = rf"(?:(?:the\s+)?(?i:{exact_titles}|prof\.|dr\.?|ген\.|gen\.)\s+){{0,3}}"
    # A role chain after an inverted verb: a title, then lower-case words, acronyms and quoted
    # names ("голова правління НЕК «Укренерго»"), or just an article ("der", "die").
    chain_word = rf"(?:{_LOWER_WORD}|{_ACRONYM}|{_QUOTED})"
    chain = (rf"(?:{_TIME}\s+)?(?:(?P<chain>(?:(?:der|die|das|the)\s+)?{_LOWER_WORD}"
             rf"(?:\s+{chain_word}){{0,5}}|der|die|das|the)\s+)?")
    gap = (r"(?:(?:also|later|then|again|has|have|had|previously|separately|earlier)\s+){0,2}"
           if lang == "en" else
           rf"(?:(?:{_LOWER_WORD}|(?:z|ze|from|of|at|von|aus|из|с|з|із|від)\s+{_WORD}"
           rf"(?:\s+{_WORD})?)\s+){{0,3}}")
    return {
        "by_name": re.compile(rf"\b{by}\s+(?:{source})?{by_titles}{NAME}"),
        "by_role": re.compile(rf"\b{by}\s+(?P<role>[{LOWER}][\w\-]*)(?!\s+[{UPPER}])"),
        "self_source": re.compile(rf"(?i:{SELF_SOURCE[lang]})"),
        "appositive_name": re.compile(
            rf"(?:^|,\s*)(?:(?i:{INCLUDING})\s+)?{NAME_PLAIN}{_PAREN}\s*,\s+{gap}{v}\b"),
        "name_appositive": re.compile(
            rf"(?:^|\s){NAME_PLAIN}{_PAREN}\s*,\s+(?P<appos>[^,]*?(?<!\w)[{LOWER}][^,]*?),\s+{gap}{v}\b"),
        "name_which": re.compile(
            rf"{NAME_PLAIN}{_PAREN}\s*,\s+(?i:which|who|der|die|das|który|która|które|який|яка|яке|"
            rf"котор(?:ый|ая|ое))\s+{v}\b"),
        "name_verb": re.compile(rf"{NAME}{_PAREN}\s+{gap}{v}\b"),
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


def _split_name(name: str, lang: str) -> tuple[str, list[str]]:
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
    dropped = False
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
    cleaned, titles = _split_name(raw, lang)
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
    keys = ["appositive_name", "name_appositive", "name_which", "by_name", "name_verb",
            "verb_name", "impersonal"]
    if p["retro"].search(stripped):
        keys.insert(0, "verb_name_any")
    found: list[tuple[int, int, str, str, list[str]]] = []  # (start, priority, name, how, titles)
    for priority, key in enumerate(keys):
        for match in p[key].finditer(stripped):
            start = match.start("name")
            if lang in ("de", "en") and _INDEFINITE.search(stripped[:start]):
                continue  # "einer aktuellen Umfrage": a common noun, not a name
            chain = match.groupdict().get("chain") or ""
            if chain and key.startswith("verb_name"):
                words = chain.split()
                if words[0].casefold() not in _ARTICLES and not any(
                        _is_title(w, lang) or _is_body_word(w, lang) for w in words[:3]):
                    continue  # "заявил про поддержку Украины": no role chain before the name
            got, how, titles = _classify(match.group("name"), lang, chain)
            if how:
                found.append((match.start(), priority, got, how, titles))
                break
    for key, how in (("pronoun", "pronoun"), ("doc_reference", "role"), ("bare_verb", "pronoun")):
        match = p[key].search(stripped)
        if match:
            found.append((match.start(), 10, "", how, []))
    match = p["by_role"].search(stripped)
    if match:
        role = match.group("role")
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
    for j in range(i - 1, -1, -1):
        match = re.match(NAME, units[j].text)
        if blocks[j][1] == "body" and match and (
                len(match.group("name").split()) > 1 or _is_acronym(match.group("name"))):
            name, _ = _split_name(match.group("name"), langs[j])
            if name:
                return name
    return ""


def _same_person(short: str, full: str, lang: str) -> bool:
    """`full` is a longer spelling of the person `short` names: same surname (up to an
    inflection), and no title or body word among its extra words ("Доклад Макларена")."""
    a, b = short.casefold().split(), full.split()
    if not a or len(a) >= len(b) or any(_is_title(w, lang) or _is_body_word(w, lang) for w in b):
        return False
    x, y = a[-1].strip(".,"), b[-1].casefold().strip(".,")
    k = min(len(x), len(y))
    return x == y or (k >= 5 and x[:k - 1] == y[:k - 1] and abs(len(x) - len(y)) <= 2)


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
    names = [s for s in resolved if s]
    for i, speaker in enumerate(resolved):
        fuller = [s for s in names if _same_person(speaker, s, langs[i])]
        if fuller:
            resolved[i] = max(fuller, key=lambda s: len(s.split()))
        units[i].speaker = resolved[i]


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
