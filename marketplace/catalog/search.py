"""German full-text search vectors, computed by PostgreSQL as stored generated columns.

A generated column is recomputed by the database on every INSERT and UPDATE, bulk updates included, so the
vector can never go stale. ``to_tsvector`` with an explicit configuration is immutable, as generated columns
require.
"""

import difflib
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import forgiving

SEARCH_CONFIG = "german"


def weighted_vector(title: str, summary: str, body: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=(
            SearchVector(title, weight="A", config=SEARCH_CONFIG)
            + SearchVector(summary, weight="B", config=SEARCH_CONFIG)
            + SearchVector(body, weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )


# --- Querying ---------------------------------------------------------------------------------------------
# Everything below reads; the generated columns above are the only thing the models need.

MAX_QUERY_LENGTH = 200  # longer input is refused by the forms with a message
TRIGRAM_MIN_LENGTH = 3  # shorter words match everything by trigram
# Sentinels that cannot occur in text a person typed; they become <mark> only after the text was escaped.
_MARK_START = "\x02"
_MARK_STOP = "\x03"
_PUNCTUATION = ".,;:!?()\"'„“–-"


_UMLAUTS = [("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("Ae", "Ä"), ("Oe", "Ö"), ("Ue", "Ü")]


def umlaut_spelling(text: str) -> str:
    """``text`` with ae, oe and ue written as umlauts: "Muenchen" becomes "München".

    People without a German keyboard spell umlauts out, names are stored with them, and trigram similarity
    alone finds "München" for "Muenchen" too rarely. Search for it in addition to the text as typed
    ("Oer-Erkenschwick" must stay findable).
    """
    for spelled_out, umlaut in _UMLAUTS:
        text = text.replace(spelled_out, umlaut)
    return text


def search_query(text: str) -> SearchQuery:
    """A German web-search style query: words AND-ed, "quoted phrases", -exclusions, OR."""
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


@dataclass
class TextSearch:
    """How a free-text search matched: ``fulltext`` (stemmed), ``fuzzy`` (trigram fallback) or ``none``.

    ``query`` is what matched, ``whole_words`` what ranks first (``forgiving.Plan``); ``corrected`` the text
    as searched when a typo was corrected ("" otherwise), ``exact`` whether it was searched as typed.
    """

    text: str
    mode: str
    query: SearchQuery | None = None
    whole_words: SearchQuery | None = None
    corrected: str = ""
    exact: bool = False

    @property
    def is_fuzzy(self) -> bool:
        return self.mode == "fuzzy"


# model label ("solutions.solution") -> lookups of related text that also matches ("categories__name_de")
_RELATED: dict[str, tuple[str, ...]] = {}


def register_related_text(model: type[models.Model], *lookups: str) -> None:
    """Let ``apply_text_search`` on ``model`` also match rows whose related text matches (e.g. the names of
    their fields of action: "Mobilität" finds the pilots of that field). ``lookups`` are
    ``relation__field``; the rows found only this way rank last."""
    _RELATED[model._meta.label_lower] = lookups


def _match(queryset: QuerySet, query: SearchQuery, *, related: bool) -> Q:
    """The rows whose search vector or related text matches ``query``.

    With related text, one semi-join on the union of the keys each finds: an OR of the vector's ``@@`` with
    other conditions would make PostgreSQL read every row's vector instead of asking the GIN index once."""
    model = queryset.model
    lookups = _RELATED.get(model._meta.label_lower, ()) if related else ()
    if not lookups:
        return Q(search_vector=query)
    keys = model._default_manager.filter(search_vector=query).values("pk")
    by_relation: dict[str, list[str]] = {}
    for lookup in lookups:
        relation, _, name = lookup.partition("__")
        by_relation.setdefault(relation, []).append(name)
    for relation, names in by_relation.items():
        related = model._meta.get_field(relation).related_model
        vector = SearchVector(*names, config=SEARCH_CONFIG)
        matching = related._default_manager.annotate(_text=vector).filter(_text=query).values("pk")
        keys = keys.union(model._default_manager.filter(**{f"{relation}__in": matching}).values("pk"))
    return Q(pk__in=keys)


def apply_text_search(
    queryset: QuerySet, text: str, *, trigram_fields: tuple[str, ...] = ("title",), exact: bool = False
) -> tuple[QuerySet, TextSearch]:
    """Filter ``queryset`` (a model with a ``search_vector``) by the forgiving German full text, else by
    trigram similarity (docs/search.md).

    The full-text match (``forgiving.plan``) uses the stemmer ("Parkplätze" finds "Parkplatz"), corrects
    typos against the lexicon, matches parts of compounds and synonyms, and text of related rows registered
    with ``register_related_text``; ``exact`` searches the text as typed. When it finds nothing (one EXISTS
    query), words of ``trigram_fields`` similar to the text are matched instead, using the ``%>`` operator
    and its trigram GIN index.
    """
    text = " ".join(text.split())
    if not text:
        return queryset, TextSearch(text, "none")
    found = forgiving.plan(text, exact=exact)
    query = found.query
    fulltext = queryset.filter(_match(queryset, query, related=found.related))
    # The vector alone first: with LIMIT 1 it stops at the first match, the union with related rows cannot.
    if queryset.filter(search_vector=query).exists() or (found.related and fulltext.exists()):
        return fulltext, TextSearch(text, "fulltext", query, found.whole_words, found.corrected_text, exact)
    if len(text) < TRIGRAM_MIN_LENGTH:
        return queryset.none(), TextSearch(text, "none", query, exact=exact)
    fuzzy = Q()
    for name in trigram_fields:
        fuzzy |= Q(**{f"{name}__trigram_word_similar": text})
    return queryset.filter(fuzzy), TextSearch(text, "fuzzy", query, exact=exact)


def rank(queryset: QuerySet, search: TextSearch, *, trigram_field: str = "title") -> QuerySet:
    """Annotate ``relevance``: full-text rank, whole words counted twice (so "Sensor" ranks a "Sensor" above
    a "Füllstandssensor"), or trigram word similarity for fuzzy matches."""
    if search.mode == "fulltext":
        whole = search.whole_words if search.whole_words is not None else search.query
        return queryset.annotate(
            relevance=SearchRank(F("search_vector"), whole, normalization=32) * Value(2.0)
            + SearchRank(F("search_vector"), search.query, normalization=32)
        )
    if search.mode == "fuzzy":
        return queryset.annotate(relevance=TrigramWordSimilarity(search.text, trigram_field))
    return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))


def headline(field: str, search: TextSearch) -> SearchHeadline | None:
    """A snippet of ``field`` with the matches wrapped in sentinels; pass it through ``mark_highlights``."""
    if search.mode != "fulltext":
        return None
    return SearchHeadline(
        field,
        search.query,
        config=SEARCH_CONFIG,
        start_sel=_MARK_START,
        stop_sel=_MARK_STOP,
        max_words=30,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def mark_highlights(snippet: str | None) -> str:
    """Escape a headline, then turn the sentinels into <mark>: nothing a vendor typed can become markup."""
    if not snippet:
        return ""
    # ts_headline leaves doubled spaces where it dropped markup; collapse them.
    escaped = escape(" ".join(snippet.replace(_MARK_START + _MARK_STOP, "").split()))
    return mark_safe(  # noqa: S308 - the text was escaped above; only our own tags are added
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def suggestions(queryset: QuerySet, text: str, *, field: str = "title", limit: int = 3) -> list[str]:
    """'Did you mean' words: the words of the most similar titles that are closest to what was typed.

    Only called when nothing matched, so the one sequential similarity scan does not slow normal searches.
    """
    words = [word for word in text.lower().split() if len(word) >= TRIGRAM_MIN_LENGTH]
    if not words:
        return []
    titles = (
        queryset.annotate(similarity=TrigramWordSimilarity(text, field))
        .filter(similarity__gte=0.3)
        .order_by("-similarity")
        .values_list(field, flat=True)[:10]
    )
    vocabulary: dict[str, str] = {}
    for title in titles:
        for token in title.split():
            token = token.strip(_PUNCTUATION)
            if len(token) >= TRIGRAM_MIN_LENGTH:
                vocabulary.setdefault(token.lower(), token)
    result: list[str] = []
    for word in words:
        close = difflib.get_close_matches(word, list(vocabulary), n=1, cutoff=0.6)
        result.append(vocabulary[close[0]] if close else "")
    if not any(result):
        return []
    # One suggestion: the typed text with each unknown word replaced by its closest known word.
    suggestion = " ".join(found or typed for found, typed in zip(result, words, strict=True))
    return [suggestion][:limit] if suggestion.lower() != text.lower() else []
