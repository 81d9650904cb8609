"""The forgiving search (docs/search.md): typos, compounds, synonyms, related text, "exactly as typed"."""

import pytest

from marketplace.catalog import forgiving, lexicon
from marketplace.catalog.models import SearchSynonym
from marketplace.catalog.search import apply_text_search, rank
from marketplace.choices import EditorialStatus
from pilots.models import PilotProject
from solutions.models import Solution
from tests.factories import CategoryFactory, PilotProjectFactory, SolutionFactory, StandardFactory

pytestmark = pytest.mark.django_db

SOLUTIONS = "/loesungen/"
PILOTS = "/pilotprojekte/"


def _titles(text, model=Solution, **options):
    queryset, found = apply_text_search(model.objects.published(), text, **options)
    ranked = rank(queryset, found).order_by("-relevance", "title")
    return [row.title for row in ranked], found


@pytest.fixture
def catalog():
    SolutionFactory(title="Digitaler Bauantrag", summary="Bauanträge online stellen.")
    SolutionFactory(title="TonnenBox", summary="Füllstandsmessung für Wertstofftonnen.")
    SolutionFactory(title="RaumPilot", summary="Räume buchen.")
    SolutionFactory(title="Veranstaltungskalender", summary="Termine der Vereine.")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Bauatrag", "Digitaler Bauantrag"),  # a letter deleted
        ("Bauantarg", "Digitaler Bauantrag"),  # two letters swapped
        ("Tonnnbox", "TonnenBox"),  # a letter doubled (and one missing)
        ("Raumpilod", "RaumPilot"),  # a letter replaced
        ("Raumilot", "RaumPilot"),
        ("Veranstaltungskalnedr", "Veranstaltungskalender"),  # two edits in a long word
    ],
)
def test_a_typo_is_corrected_to_the_nearest_lexicon_word(catalog, typed, meant):
    titles, found = _titles(typed)
    assert titles == [meant]
    assert found.mode == "fulltext"
    assert found.corrected.lower() == meant.split()[-1].lower()


def test_short_words_are_not_corrected(catalog):
    titles, found = _titles("Tonen")  # five letters: one edit is allowed, but no word is one edit away
    assert found.corrected == ""
    assert "TonnenBox" not in titles or found.mode == "fuzzy"
    _titles_four, found_four = _titles("Rame")  # four letters: never corrected
    assert found_four.corrected == ""


def test_a_word_of_the_lexicon_is_never_replaced():
    SolutionFactory(title="Baumkataster", summary="Bäume erfassen.")
    SolutionFactory(title="Raumkataster", summary="Räume erfassen.")
    titles, found = _titles("Raumkataster")
    assert titles == ["Raumkataster"]
    assert found.corrected == ""


def test_an_inflected_lexicon_word_is_not_corrected():
    SolutionFactory(title="Parkplätze finden", summary="Freie Plätze anzeigen.")
    SolutionFactory(title="Parkplan", summary="Planung.")
    titles, found = _titles("Parkplatz")
    assert titles == ["Parkplätze finden"]
    assert found.corrected == ""


def test_the_lexicon_follows_the_content_version(catalog):
    assert _titles("Leerstandsbörse")[0] == []
    SolutionFactory(title="Leerstandsbörse", summary="Leere Läden vermitteln.")
    titles, found = _titles("Lerstandsbörse")
    assert titles == ["Leerstandsbörse"]
    assert found.corrected == "Leerstandsbörse"


def test_a_warm_lexicon_lookup_is_one_query(catalog, django_assert_num_queries):
    lexicon.lookup(["bauatrag"], [1], "bauatrag")  # rebuilds it for this content version
    with django_assert_num_queries(1):
        found = lexicon.lookup(["bauatrag", "sensor"], [1, 1], "bauatrag sensor")
    assert [candidate[0] for candidate in found.typos["bauatrag"]] == ["bauantrag"]


def test_the_catalog_names_the_correction_and_links_to_the_exact_search(client, catalog):
    response = client.get(SOLUTIONS, {"q": "Bauatrag"})
    html = response.content.decode()
    assert [row.title for row in response.context["rows"]] == ["Digitaler Bauantrag"]
    assert response.context["text_search"].corrected == "Bauantrag"
    assert "Ergebnisse für »Bauantrag«" in html
    assert 'href="/loesungen/?q=Bauatrag&amp;exact=1"' in html


def test_search_exactly_as_typed_corrects_nothing(client, catalog):
    response = client.get(SOLUTIONS, {"q": "Bauatrag", "exact": "1"})
    search = response.context["text_search"]
    assert search.exact is True
    assert search.corrected == ""
    assert search.mode != "fulltext"  # only the trigram fallback can still find a similar title
    assert "search-corrected" not in response.content.decode()


def test_exactly_as_typed_also_leaves_out_compounds():
    SolutionFactory(title="Füllstandssensor", summary="Misst Pegel.")
    assert _titles("Sensor")[1].mode == "fulltext"
    titles, found = _titles("Sensor", exact=True)
    assert found.mode == "fuzzy"  # the full text as typed found nothing; the similar spelling is a fallback


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Sensor", "Füllstandssensor"),  # end of a longer word
        ("Parkraum", "Parkraummanagement"),  # start of a longer word
        ("Kalender", "Veranstaltungskalender"),
        ("Antrag", "Digitaler Bauantrag"),
        ("Parksensoren", "Parkplatz-Sensorik"),  # a compound of two known parts
    ],
)
def test_a_word_matches_parts_of_compounds(catalog, typed, title):
    SolutionFactory(title="Füllstandssensor", summary="Misst Pegel.")
    SolutionFactory(title="Parkraummanagement", summary="Stellplätze bewirtschaften.")
    SolutionFactory(title="Parkplatz-Sensorik", summary="Belegung erfassen.")
    assert title in _titles(typed)[0]


def test_whole_words_rank_above_parts_of_compounds():
    SolutionFactory(title="Füllstandssensor", summary="Misst Pegel in Tonnen.")
    SolutionFactory(title="Sensor-Plattform", summary="Ein Sensor für alles.")
    assert _titles("Sensor")[0] == ["Sensor-Plattform", "Füllstandssensor"]


def test_synonyms_apply_both_ways():
    SearchSynonym.objects.update_or_create(term="ÖPNV", defaults={"expansions": ["Personennahverkehr"]})
    SolutionFactory(title="Fahrgastinfo", summary="Echtzeitdaten im Personennahverkehr.")
    SolutionFactory(title="ÖPNV-Auskunft", summary="Abfahrten anzeigen.")
    SolutionFactory(title="Parkhaus", summary="Stellplätze.")
    assert _titles("ÖPNV")[0] == ["ÖPNV-Auskunft", "Fahrgastinfo"] or set(_titles("ÖPNV")[0]) == {
        "ÖPNV-Auskunft",
        "Fahrgastinfo",
    }
    assert set(_titles("Personennahverkehr")[0]) == {"ÖPNV-Auskunft", "Fahrgastinfo"}


def test_multi_word_synonyms_and_abbreviations():
    SearchSynonym.objects.update_or_create(term="KI", defaults={"expansions": ["künstliche Intelligenz"]})
    SolutionFactory(title="Bürgerchat", summary="Antworten mit künstlicher Intelligenz.")
    SolutionFactory(title="KI-Assistent", summary="Anfragen sortieren.")
    SolutionFactory(title="Intelligente Ampel", summary="Grüne Welle.")
    assert set(_titles("KI")[0]) == {"Bürgerchat", "KI-Assistent"}
    assert set(_titles("künstliche Intelligenz")[0]) == {"Bürgerchat", "KI-Assistent"}


def test_a_synonym_edited_in_the_admin_applies_at_once():
    SolutionFactory(title="Geodatenportal", summary="Karten der Stadt.")
    assert _titles("Xylofon")[0] == []
    SearchSynonym.objects.create(term="Xylofon", expansions=["Geodatenportal"])
    assert _titles("Xylofon")[0] == ["Geodatenportal"]


def test_a_synonym_term_is_never_corrected():
    SearchSynonym.objects.update_or_create(term="LoRaWAN", defaults={"expansions": ["Funknetz"]})
    SolutionFactory(title="Funknetz für Sensoren", summary="Reichweite.")
    SolutionFactory(title="Lorawen", summary="Ein Name, eine Änderung von LoRaWAN entfernt.")
    titles, found = _titles("LoRaWAN")
    assert found.corrected == ""
    assert "Funknetz für Sensoren" in titles


def test_multi_word_queries_need_every_word(catalog):
    SolutionFactory(title="Digitaler Zwilling", summary="Ein Stadtmodell.")
    assert _titles("digitaler Bauatrag")[0] == ["Digitaler Bauantrag"]
    assert _titles("Bauantrag Zwilling")[0] == []


def test_fields_of_action_and_standards_are_searchable():
    mobility = CategoryFactory(name_de="Mobilität", description_de="Parken und Nahverkehr.")
    pilot = PilotProjectFactory(title="Rufbus im Landkreis", summary="Fahrten auf Bestellung.")
    pilot.categories.set([mobility])
    PilotProjectFactory(title="Sensorgestützte Parkraumsteuerung", summary="Freie Plätze.")
    PilotProjectFactory(title="Digitale Schule", summary="Tablets.")
    assert _titles("Mobilität", model=PilotProject)[0] == ["Rufbus im Landkreis"]
    # "Parken" is the start of "Parkraumsteuerung" (the fields' descriptions are not searched)
    assert _titles("Parken", model=PilotProject)[0] == ["Sensorgestützte Parkraumsteuerung"]
    standard = StandardFactory(name="OParl")
    solution = SolutionFactory(title="Ratsinformationssystem", summary="Sitzungen.")
    solution.standards.set([standard])
    assert _titles("OParl")[0] == ["Ratsinformationssystem"]


def test_drafts_never_enter_the_lexicon():
    SolutionFactory(title="Geheimprojekt", status=EditorialStatus.DRAFT, published_at=None)
    SolutionFactory(title="Sichtbar", summary="Öffentlich.")
    titles, found = _titles("Geheimprojekd")
    assert found.corrected == ""
    assert titles == []


def test_the_pilot_catalog_corrects_typos(client):
    PilotProjectFactory(title="Smarte Straßenbeleuchtung", summary="Licht nach Bedarf.")
    response = client.get(PILOTS, {"q": "Strassenbeleuchtung"})
    assert [row.title for row in response.context["rows"]] == ["Smarte Straßenbeleuchtung"]


@pytest.mark.parametrize("text", ['"Bau antrag" -Park', "Bau OR Park", "x' OR 1=1 --", "%_\\", "ÄÖÜß" * 20])
def test_odd_input_is_a_page_not_an_error(client, catalog, text):
    response = client.get(SOLUTIONS, {"q": text})
    assert response.status_code == 200
    assert response.context["text_search"].text == " ".join(text.split())


def test_damerau_counts_a_swap_as_one_edit():
    assert forgiving.damerau("bauantrag", "bauantarg") == 1
    assert forgiving.damerau("tonnnbox", "tonnenbox") == 1
    assert forgiving.damerau("abc", "abc") == 0
    assert forgiving.damerau("abcd", "") == 4


def test_allowed_edits_grow_with_the_word():
    words = ("rame", "tonen", "bauantra", "bauantrag", "12345")
    assert [forgiving.allowed_edits(word) for word in words] == [0, 1, 1, 2, 0]
