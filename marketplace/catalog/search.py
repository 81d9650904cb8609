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
    """How a free-text search matched: ``fulltext`` (stemmed), ``fuzzy`` (trigram fallback) or ``none``."""

    text: str
    mode: str
    query: SearchQuery | None = None

    @property
    def is_fuzzy(self) -> bool:
        return self.mode == "fuzzy"


def apply_text_search(
    queryset: QuerySet, text: str, *, trigram_fields: tuple[str, ...] = ("title",)
) -> tuple[QuerySet, TextSearch]:
    """Filter ``queryset`` (a model with a ``search_vector``) by German full text, else by trigram similarity.

    The full-text match uses the stemmer ("Parkplätze" finds "Parkplatz"). When it finds nothing (one EXISTS
    query), words of ``trigram_fields`` similar to the text are matched instead ("Parkplaz",
    "Strassenbeleuchtung"), using the ``%>`` operator and its trigram GIN index.
    """
    text = " ".join(text.split())
    if not text:
        return queryset, TextSearch(text, "none")
    query = search_query(text)
    fulltext = queryset.filter(search_vector=query)
    if fulltext.exists():
        return fulltext, TextSearch(text, "fulltext", query)
    if len(text) < TRIGRAM_MIN_LENGTH:
        return queryset.none(), TextSearch(text, "none", query)
    fuzzy = Q()
    for name in trigram_fields:
        fuzzy |= Q(**{f"{name}__trigram_word_similar": text})
    return queryset.filter(fuzzy), TextSearch(text, "fuzzy", query)


def rank(queryset: QuerySet, search: TextSearch, *, trigram_field: str = "title") -> QuerySet:
    """Annotate ``relevance`` (full-text rank, or trigram word similarity for fuzzy matches)."""
    if search.mode == "fulltext":
        return queryset.annotate(relevance=SearchRank(F("search_vector"), search.query, normalization=32))
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
