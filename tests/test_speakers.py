"""infer.speakers and the segmentation rules of infer.segment, on sentences written for these tests
(en, uk, ru, de, pl): one test per rule of the module docstrings, with an example per language."""

from __future__ import annotations

import pytest

from infer.segment import segment
from infer.speakers import find_speaker, furniture_label, same_speaker


def units(doc: str) -> list[tuple[str, str]]:
    return [(u.text, u.speaker) for u in segment(doc)]


def texts(doc: str) -> list[str]:
    return [u.text for u in segment(doc)]


def speakers(doc: str) -> list[str]:
    return [u.speaker for u in segment(doc)]


# --- Speakers -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Foreign Secretary David Lammy said the talks would resume.", "en", "David Lammy"),
    ("Міністр фінансів Сергій Марченко заявив, що бюджет збалансовано.", "uk", "Сергій Марченко"),
    ("Министр финансов Антон Силуанов заявил, что дефицит сократится.", "ru", "Антон Силуанов"),
    ("Bundesinnenministerin Nancy Faeser (SPD) sagte, die Lage sei ernst.", "de", "Nancy Faeser"),
    ("Minister zdrowia Izabela Leszczyna powiedziała, że szpitale są gotowe.", "pl",
     "Izabela Leszczyna"),
    # A title's genitive complement goes too; an abbreviated honorific stays as written.
    ("Глава Минздрава Михаил Мурашко заявил, что вакцина готова.", "ru", "Михаил Мурашко"),
    ("Dr. Jane Goodall warned that the forests are shrinking.", "en", "Dr. Jane Goodall"),
])
def test_title_plus_name_opening_gives_the_name(text, lang, name):
    assert find_speaker(text, lang) == (name, "name")


@pytest.mark.parametrize(("text", "lang", "name"), [
    ('"We will appeal," lawyer Mark Evans told reporters.', "en", "Mark Evans"),
    ("«Ми подамо апеляцію», – заявив адвокат Петро Іваненко.", "uk", "Петро Іваненко"),
    ("«Мы обжалуем решение», – сказал адвокат компании Игорь Смирнов.", "ru", "Игорь Смирнов"),
    ("„Wir gehen in Berufung“, sagte der Anwalt Markus Weber.", "de", "Markus Weber"),
    ("„Odwołamy się” – powiedział mecenas Jan Nowak.", "pl", "Jan Nowak"),
])
def test_attribution_after_a_quotation(text, lang, name):
    assert find_speaker(text, lang) == (name, "name")


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Prof. Ann Lee, an economist at Yale, cautioned that prices would rise.", "en",
     "Prof. Ann Lee"),
    ("Several unions, including Unite, warned of strikes.", "en", "Unite"),
    ("The Red Cross, which said it had sent a team, asked for access.", "en", "Red Cross"),
    ("Prof. Anna Maj, socjolog z UW, oceniła, że sondaże są niedokładne.", "pl", "Prof. Anna Maj"),
    ("Der Präsident des Verbandes, Klaus Roth, forderte mehr Geld.", "de", "Klaus Roth"),
])
def test_appositions_between_name_and_verb(text, lang, name):
    assert find_speaker(text, lang) == (name, "name")


@pytest.mark.parametrize(("text", "name"), [
    ("Die Ministerin hat am Montag einen Kurswechsel angekündigt.", ""),  # no name: a role
    ("Kanzler Friedrich Merz hat eine Steuererhöhung ausgeschlossen.", "Friedrich Merz"),
    ("Die Stadtverwaltung kündigte an, die Gebühren zu senken.", "Stadtverwaltung"),
    ("Das teilte das Innenministerium am Abend mit.", "Innenministerium"),
    ("Merz wies die Vorwürfe am Dienstag zurück.", "Merz"),
    ("Die Gewerkschaft zeigte sich enttäuscht über das Angebot.", "Gewerkschaft"),
])
def test_german_perfect_and_separable_verbs(text, name):
    got, how = find_speaker(text, "de")
    assert got == name and how in ("name", "role")


@pytest.mark.parametrize(("text", "lang"), [
    ("Merz sagte den Termin in Paris ab.", "de"),  # "absagen" cancels, it states nothing
    ("Die Polizei teilte die Stadt in drei Zonen.", "de"),  # no "mit": not "mitteilen"
    ("Biden called Macron on Tuesday.", "en"),  # a phone call
    ("New York City declared a state of emergency.", "en"),  # an action
    ("Earlier, the Daily Courier reported that the mayor had resigned.", "en"),  # media coverage
    ("Premier Jan Nowak podał się do dymisji.", "pl"),  # resigned
])
def test_actions_and_reports_are_narration(text, lang):
    assert find_speaker(text, lang)[0] == ""


@pytest.mark.parametrize(("text", "lang"), [
    ("Related: Ten things to know about the vote", "en"),
    ("Теги: вибори, ЦВК, Київ", "uk"),
    ("Теги: выборы, ЦИК, Москва", "ru"),
    ("Stand: 12.03.2024, 10:15 Uhr", "de"),
    ("Tagi: wybory, PKW, Sejm", "pl"),
    ("Fot.: Jan Kowalski", "pl"),
    ("Our Standards: The Wire Trust Principles.", "en"),
])
def test_furniture_colon_prefixes_are_not_speakers(text, lang):
    assert find_speaker(text, lang) == ("", "")


@pytest.mark.parametrize(("doc", "name"), [
    ("Lammy: talks with Iran will resume", "Lammy"),
    ("Зеленський: ми не погодимося на заморожування", "Зеленський"),
    ("Песков: Кремль не получал предложений", "Песков"),
    ("Scholz zum Haushalt: „Wir sparen nicht an der Bildung“", "Scholz"),
    ("Tusk: nie będzie podwyżki VAT", "Tusk"),
])
def test_headline_name_prefix_is_a_speaker(doc, name):
    assert speakers(doc) == [name]


def test_furniture_labels_in_five_languages():
    for line in ("Read also: Markets fall", "Читайте також: Новини", "Читайте также: Новости",
                 "Lesen Sie auch: Mehr dazu", "Czytaj także: Więcej", "© 2024 Example Media",
                 "Fot. Jan Kowalski", "Photo: AP"):
        assert furniture_label(line), line
    for line in ("Tusk: nie będzie podwyżki VAT", "Photographers gathered outside."):
        assert not furniture_label(line), line


@pytest.mark.parametrize(("doc", "lang_speaker"), [
    ('"We have no money left. The state must help," Mayor Ann Cole said. "We cannot wait."',
     "Ann Cole"),
    ("«У нас немає грошей. Держава має допомогти», – сказала мерка Ганна Коваль. "
     "«Ми не можемо чекати.»", "Ганна Коваль"),
    ("«Денег больше нет. Государство должно помочь», – сказала мэр Анна Котова. "
     "«Мы не можем ждать.»", "Анна Котова"),
    ("„Wir haben kein Geld mehr. Der Bund muss helfen“, sagte Bürgermeisterin Anna Koch. "
     "„Wir können nicht warten.“", "Anna Koch"),
    ("„Nie mamy już pieniędzy. Państwo musi pomóc” – powiedziała burmistrz Anna Kot. "
     "„Nie możemy czekać.”", "Anna Kot"),
])
def test_sentences_of_a_quotation_keep_the_quoted_speaker(doc, lang_speaker):
    got = units(doc)
    assert len(got) == 3  # the quotation is split at its sentence end
    assert all(same_speaker(s, lang_speaker) for _, s in got), got


@pytest.mark.parametrize(("doc", "name"), [
    ("Minister Anna Berg said the plan was ready. She added that it would cost $2bn.", "Anna Berg"),
    ("Посол Олег Петренко заявив, що візит відбудеться. За його словами, дата вже відома.",
     "Олег Петренко"),
    ("Посол Олег Петров заявил, что визит состоится. По его словам, дата уже известна.",
     "Олег Петров"),
    ("Botschafter Olaf Brandt sagte, der Besuch finde statt. Der Termin stehe fest, sagte er.",
     "Olaf Brandt"),
    ("Ambasador Jan Wrona powiedział, że wizyta się odbędzie. Jak dodał, termin jest znany.",
     "Jan Wrona"),
    ("Посол Олег Петренко заявив, що візит відбудеться. Він додав, що дата вже відома.",
     "Олег Петренко"),
    ("Посол Олег Петров заявил, что визит состоится. Он добавил, что дата уже известна.",
     "Олег Петров"),
])
def test_pronoun_refers_to_the_last_named_speaker(doc, name):
    assert speakers(doc) == [name, name]


@pytest.mark.parametrize(("doc", "expected"), [
    ("Talks will resume in May. This was stated by Foreign Secretary David Lammy.",
     ["David Lammy", "David Lammy"]),
    ("Переговори відновляться у травні. Про це заявив міністр Андрій Сибіга.",
     ["Андрій Сибіга", "Андрій Сибіга"]),
    ("Переговоры возобновятся в мае. Об этом заявил министр Сергей Лавров.",
     ["Сергей Лавров", "Сергей Лавров"]),
    ("Die Gespräche werden im Mai fortgesetzt. Das sagte Außenministerin Annalena Baerbock.",
     ["Annalena Baerbock", "Annalena Baerbock"]),
    ("Rozmowy zostaną wznowione w maju. Poinformował to minister Radosław Sikorski.",
     ["Radosław Sikorski", "Radosław Sikorski"]),
])
def test_this_was_stated_by_gives_the_lede_too(doc, expected):
    assert speakers(doc) == expected


@pytest.mark.parametrize(("doc", "expected"), [
    # the role word is part of an earlier name
    ("The European Commission proposal was published on Monday. The Commission said it would "
     "cut red tape.", ["", "European Commission"]),
    # the role word refers to the named subject of an earlier sentence
    ("Національний банк України знизив облікову ставку. Регулятор пояснив це сповільненням "
     "інфляції.", ["", "Національний банк України"]),
    ("Банк России повысил ключевую ставку до 16%. Регулятор объяснил решение ростом цен.",
     ["", "Банк России"]),
    ("Das Bundesverfassungsgericht hat das Gesetz gekippt. Das Gericht erklärte, es sei zu vage.",
     ["", "Bundesverfassungsgericht"]),  # striking a law down is an action
    ("Komisja Europejska opublikowała raport. Komisja wezwała Polskę do zmian.",
     ["", "Komisja Europejska"]),
])
def test_role_word_with_no_earlier_speaker_takes_the_named_body(doc, expected):
    assert speakers(doc) == expected


@pytest.mark.parametrize(("doc", "expected"), [
    # a role refers back to the speaker introduced with it, not just to the last speaker
    ("Prime Minister Jan Berg said taxes will fall. Opposition leader Eva Holm said they will "
     "not. The prime minister added that the budget was safe.",
     ["Jan Berg", "Eva Holm", "Jan Berg"]),
    ("Premier Donald Tusk zapowiedział reformę. Lider PiS Jarosław Kaczyński ją skrytykował. "
     "Premier podkreślił, że reforma jest konieczna.",
     ["Donald Tusk", "Jarosław Kaczyński", "Donald Tusk"]),
])
def test_role_word_refers_to_the_speaker_with_that_role(doc, expected):
    assert speakers(doc) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Analysts said the rally would not last.", "en"),
    ("Аналітики вважають, що курс стабілізується.", "uk"),
    ("Аналитики считают, что курс стабилизируется.", "ru"),
    ("Experten warnten vor einer Rezession.", "de"),
    ("Eksperci ostrzegają przed recesją.", "pl"),
    ("A spokesman said nobody was hurt.", "en"),
    ("Ein Sprecher sagte, niemand sei verletzt worden.", "de"),
])
def test_unnamed_groups_stay_empty(text, lang):
    assert speakers(text) == [""]
    assert find_speaker(text, lang)[0] == ""


@pytest.mark.parametrize(("doc", "lang"), [
    ("В Пентагоне заявили, что учения продолжатся.", "Пентагоне"),
    ("У Міноборони повідомили, що навчання тривають.", "Міноборони"),
])
def test_impersonal_plural_gives_the_institution(doc, lang):
    assert speakers(doc) == [lang]


def test_surname_alone_becomes_the_full_name():
    doc = ("Tusk: no tax rises this year\n"
           "Prime Minister Donald Tusk said on Monday that taxes would stay as they are, even if "
           "the deficit grows faster than planned.")
    assert speakers(doc) == ["Donald Tusk", "Donald Tusk"]


@pytest.mark.parametrize(("text", "lang"), [("Він додав, що бригада потребує дронів.", "uk"),
                                            ("Вона заявила, що візит не планується.", "uk"),
                                            ("Он добавил, что переговоры продолжатся.", "ru"),
                                            ("Они заявили, что визит не планируется.", "ru")])
def test_capitalised_slavic_pronoun_is_a_pronoun_not_a_name(text, lang):
    assert find_speaker(text, lang) == ("", "pronoun")


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    # Attribution phrases govern a case, so the title before the name is inflected.
    ("Według premiera Donalda Tuska sytuacja jest poważna.", "pl", "Donalda Tuska"),
    ("Według ministra finansów Andrzeja Domańskiego deficyt spadnie.", "pl", "Andrzeja Domańskiego"),
    ("По словам министра иностранных дел Сергея Лаврова, переговоры зашли в тупик.", "ru",
     "Сергея Лаврова"),
    ("За словами міністра оборони Рустема Умєрова, постачання тривають.", "uk", "Рустема Умєрова"),
])
def test_inflected_title_in_an_attribution_phrase(text, lang, speaker):
    assert find_speaker(text, lang) == (speaker, "name")


# --- Segmentation rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("doc", [
    "Prof. Smith met Gen. Lee at 10 a.m. on Friday, i.e. before the vote.",
    "Проф. Коваль і ген. Наєв зустрілися на вул. Хрещатик, т.зв. головній вулиці.",
    "Проф. Иванов, т.е. глава комиссии, выступил на ул. Тверской в г. Москва.",
    "Prof. Dr. med. Hans Roth sprach z.B. über die Lage, d.h. über die Kliniken.",
    "Prof. Nowak spotkał się m.in. z gen. Kowalskim przy ul. Długiej, tj. w centrum.",
])
def test_never_final_abbreviations_always_join(doc):
    assert texts(doc) == [doc]


@pytest.mark.parametrize(("doc", "n"), [
    ("The merger was approved by Acme Inc. The deal closes in May.", 2),
    ("Збитки сягнули 2 млн грн. Поліція відкрила справу.", 2),
    ("Ущерб составил 2 млн руб. Полиция возбудила дело.", 2),
    ("Die Feier fand im 19. Jh. statt. Heute ist das anders.", 2),
    ("Szkody sięgnęły 2 mln zł. Policja wszczęła śledztwo.", 2),
    # joined before a lower-case word, a digit or a measure
    ("Budżet wynosi 300 tys. zł, a deficyt 5,7 proc. PKB.", 1),
    ("С 2022 г. цены выросли на 10 тыс. руб. в месяц.", 1),
])
def test_often_final_abbreviations_join_only_before_lower_case_or_digits(doc, n):
    assert len(texts(doc)) == n


@pytest.mark.parametrize(("doc", "n"), [
    ("Мітинг пройшов у м. Харків.", 1),  # a place prefix
    ("Митинг прошел в г. Казань.", 1),
    ("Закон ухвалили у 2023 р. Він набрав чинності.", 2),  # a year may end a sentence
    ("Закон приняли в 2023 г. Он вступил в силу.", 2),
])
def test_single_letters_are_prefixes_before_names_and_units_after_numbers(doc, n):
    assert len(texts(doc)) == n


@pytest.mark.parametrize(("doc", "n"), [
    ("The fund is based in the U.S. Several banks joined it.", 2),
    ("It was sent to U.S. Ambassador Jane Hart.", 1),
    ("The bill now goes to the U.S. Senate for a vote.", 1),
])
def test_country_initialisms(doc, n):
    assert len(texts(doc)) == n


@pytest.mark.parametrize(("doc", "n"), [
    ("Prime Minister J. Smith arrived.", 1),
    ("Прем'єр-міністр Ю. Свириденко прибула.", 1),
    ("Він написав у соцмережі X. Вона відповіла.", 2),  # X is Latin, the next word Cyrillic
    ("They chose plan B. The vote was close.", 2),  # a function word, not a name, follows
])
def test_initials_join_unless_obviously_not_a_name(doc, n):
    assert len(texts(doc)) == n


@pytest.mark.parametrize(("doc", "expected"), [
    ('"We are ready. We will win," she said.', ['"We are ready.', 'We will win," she said.']),
    ("«Ми готові. Ми переможемо», – сказала вона.",
     ["«Ми готові.", "Ми переможемо», – сказала вона."]),
    ("«Мы готовы. Мы победим», – сказала она.", ["«Мы готовы.", "Мы победим», – сказала она."]),
    ("Der Bundesrat hat zugestimmt. 52 Länderstimmen waren dafür.",
     ["Der Bundesrat hat zugestimmt.", "52 Länderstimmen waren dafür."]),
    ("„Jesteśmy gotowi. Wygramy” – powiedziała.", ["„Jesteśmy gotowi.", "Wygramy” – powiedziała."]),
])
def test_boundaries_sentencex_misses(doc, expected):
    assert texts(doc) == expected


@pytest.mark.parametrize("doc", [
    "Das Gesetz gilt ab dem 1. Januar 2025 in allen Ländern.",
    "Im 20. Jahrhundert wuchs die Stadt stark.",
    "«Перемога буде за нами!» – написав він у Telegram.",
    "«Это победа!» – заявил он журналистам.",
    "“Is this the end?” asked the reporter.",
])
def test_no_boundary_before_an_ordinal_or_a_dash_attribution(doc):
    assert texts(doc) == [doc]


def test_header_and_furniture_lines_are_one_unit_each():
    doc = ("Economy\n"
           "Rates rise again. Mortgages get dearer\n"
           "By Ann Lee | 12.03.2024, 10:15\n"
           "Rates rose again. The bank said inflation was too high.\n"
           "The central bank raised its main rate by a quarter point on Thursday, the fifth "
           "increase in a row, and signalled that more could follow if prices keep rising.\n"
           "Read also: What higher rates mean for you? Use our calculator\n"
           "Spotted a mistake? Select it and press Ctrl+Enter\n"
           "© 2024 Example Media. All rights reserved.\n")
    got = texts(doc)
    assert "Rates rise again. Mortgages get dearer" in got  # a headline is one unit
    # a short lede after the byline is body, split into its sentences
    assert "Rates rose again." in got and "The bank said inflation was too high." in got
    assert "Read also: What higher rates mean for you? Use our calculator" in got
    assert "Spotted a mistake? Select it and press Ctrl+Enter" in got
    assert "© 2024 Example Media. All rights reserved." in got


@pytest.mark.parametrize(("line", "lang_units"), [
    ("Czytaj także: Co dalej z kredytami? Sprawdź", 1),
    ("Читайте також: Що далі? Дізнайтеся більше", 1),
    ("Lesen Sie auch: Was nun? Die Analyse", 1),
])
def test_furniture_line_with_two_sentences_is_one_unit(line, lang_units):
    assert len(texts(line)) == lang_units


def test_a_short_body_paragraph_is_still_split():
    doc = ("The vote is on Monday. Turnout will be low.\n"
           "Officials expect about a third of voters to take part, the lowest figure since the "
           "rules changed in 2001, because of the weather and the holidays.")
    assert texts(doc)[:2] == ["The vote is on Monday.", "Turnout will be low."]


def test_unknown_language_falls_back_to_sentencex():
    doc = "Según el Sr. García, la situación es grave. El gobierno no respondió."
    assert texts(doc) == ["Según el Sr. García, la situación es grave.",
                          "El gobierno no respondió."]
