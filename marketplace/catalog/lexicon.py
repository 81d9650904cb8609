"""The forgiving search's lexicon: every word the public pages show, per content version (docs/search.md).

The words come from the querysets registered with ``register_source`` (the project wiring does that in
``marketplace/search_sources.py``: public titles, summaries, organisation names, fields of action,
standards). The table ``marketplace_search_lexicon`` (migration 0008) holds them with their German stem and
frequency, keyed by the content version (``version.py``): ``lookup`` finds it stale when it lacks the current
version, fills it (one INSERT ... SELECT in PostgreSQL, which also purges older versions) and looks again, so
it is never out of date and never rebuilt by hand. Concurrent rebuilds of one version insert each word once
(``ON CONFLICT DO NOTHING``).

``lookup(words)`` answers, in one query, for each query word: whether the lexicon knows it (as a word or by
its stem: "parkplatz" is known when "Parkplätze" is), its nearest lexicon words when it is unknown (typo
candidates by Levenshtein distance; ``forgiving.py`` keeps those at the smallest Damerau distance), the longer
words starting or ending with its stem (compounds: "sensor" → "Füllstandssensor", "parkraum" →
"Parkraummanagement"), a split of an unknown compound into two known parts ("Parksensoren") and the synonym
groups the text contains.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

TABLE = "marketplace_search_lexicon"
# Longer words starting, and as many ending, with a query word, most frequent first. Each one raises
# PostgreSQL's estimate of the matches; past about a fifth of the rows it reads every row's vector instead of
# the GIN index (88 ms instead of 5 for "Kreis" with 30 each at 10,000 solutions).
COMPOUND_LIMIT = 10
COMPOUND_MIN_STEM = 4  # shorter stems end too many words ("rat" in "Automat")
SPLIT_MIN = 4  # the shortest part of a compound split in two
_SOURCES: list = []
_SPLIT = "[^[:alnum:]]+"


def register_source(build, *, related: bool = False) -> None:
    """Add ``build()``, a queryset of ``values_list(...)`` text columns, to the lexicon's sources.

    ``related``: the text is the related text of ``search.register_related_text`` (the names of fields of
    action and standards); a query with none of its words need not look at the related rows."""
    if (build, related) not in _SOURCES:
        _SOURCES.append((build, related))


def _sources_sql() -> tuple[str, list]:
    parts, params = [], []
    for build, related in _SOURCES:
        queryset: QuerySet = build()
        sql, source_params = queryset.query.sql_with_params()
        # A row as text ("(Titel,""Ein Satz, mit Komma"",…)") split on everything but letters and digits.
        parts.append(
            f"SELECT regexp_split_to_table(s::text, '{_SPLIT}') AS w, {related} AS related"  # noqa: S608
            f" FROM ({sql}) s"
        )
        params.extend(source_params)
    if not parts:
        return "SELECT NULL::text AS w, false AS related WHERE false", []
    return " UNION ALL ".join(parts), params


@dataclass
class Found:
    """What the lexicon says about the words of one query."""

    known: set[str] = field(default_factory=set)
    stems: dict[str, str] = field(default_factory=dict)  # query word -> its German stem (stop words: none)
    # query word -> candidates (word, display, stem, frequency)
    typos: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)
    compounds: dict[str, list[str]] = field(default_factory=dict)  # word -> stems of longer words with it
    splits: dict[str, tuple[str, str]] = field(default_factory=dict)  # unknown compound -> stems of its parts
    synonyms: list[list[str]] = field(default_factory=list)  # groups: term, expansions
    related: set[str] = field(default_factory=set)  # words and stems of the related text


def _rebuild_statement() -> tuple[str, list]:
    """Fill the lexicon for the current content version (if no other transaction did) and drop older ones."""
    sources, params = _sources_sql()
    sql = f"""
WITH cv AS (SELECT version FROM marketplace_content_version WHERE id = 1),
ins AS (
    INSERT INTO {TABLE} (version, word, display, stem, frequency, related)
    SELECT cv.version, b.word, b.display, b.stem, b.frequency, b.related
    FROM cv, (
        SELECT lower(w) AS word, min(w) AS display, (ts_lexize('german_stem', lower(w)))[1] AS stem,
               count(*) AS frequency, bool_or(related) AS related
        FROM ({sources}) t WHERE length(w) >= 2 GROUP BY lower(w)
    ) b
    ON CONFLICT DO NOTHING
)
DELETE FROM {TABLE} l USING cv WHERE l.version <> cv.version
"""  # noqa: S608 - constants and the sources' own SQL; the values are parameters
    return sql, params


# Kept apart from the rebuild: planned together, the sources' row estimates made PostgreSQL JIT-compile
# every lookup (200 ms).
LOOKUP = f"""
WITH cv AS (SELECT version FROM marketplace_content_version WHERE id = 1),
q0 AS (
    SELECT q.word, q.k, (ts_lexize('german_stem', q.word))[1] AS stem
    FROM unnest(%s::text[], %s::int[]) AS q(word, k)
),
q AS (
    -- two EXISTS, so each asks its own index (the key, the stems)
    SELECT q0.word, q0.k, q0.stem,
           EXISTS (SELECT FROM {TABLE} l, cv WHERE l.version = cv.version AND l.word = q0.word)
           OR EXISTS (SELECT FROM {TABLE} l, cv WHERE l.version = cv.version AND l.stem = q0.stem) AS known
    FROM q0
)
SELECT 'stale', NULL, NULL, NULL, NULL, 0
WHERE NOT EXISTS (SELECT FROM {TABLE} l, cv WHERE l.version = cv.version)
UNION ALL
SELECT 'related', NULL, l.word, NULL, l.stem, 0 FROM {TABLE} l, cv WHERE l.version = cv.version AND l.related
UNION ALL
SELECT CASE WHEN q.known THEN 'known' ELSE 'stem' END, q.word, NULL, NULL, q.stem, 0 FROM q
UNION ALL
SELECT 'typo', q.word, c.word, c.display, c.stem, c.frequency FROM q, cv CROSS JOIN LATERAL (
    SELECT l.word, l.display, l.stem, l.frequency FROM {TABLE} l
    WHERE l.version = cv.version
    AND length(l.word) BETWEEN length(q.word) - q.k AND length(q.word) + q.k
    -- a swap of two letters is two Levenshtein edits but one Damerau edit: forgiving.py decides
    AND levenshtein_less_equal(q.word, l.word, 2 * q.k) <= 2 * q.k
) c WHERE q.k > 0 AND NOT q.known
UNION ALL
SELECT 'compound', q.word, c.word, c.display, c.stem, c.frequency FROM q, cv CROSS JOIN LATERAL (
    SELECT l.word, l.display, l.stem, l.frequency FROM {TABLE} l
    WHERE l.version = cv.version AND reverse(l.stem) LIKE reverse(q.stem) || '%%' AND l.stem <> q.stem
    ORDER BY l.frequency DESC, l.word LIMIT {COMPOUND_LIMIT}
) c WHERE length(q.stem) >= {COMPOUND_MIN_STEM}
UNION ALL
SELECT 'compound', q.word, c.word, c.display, c.stem, c.frequency FROM q, cv CROSS JOIN LATERAL (
    -- explicit words rather than a prefix query ('parkraum':*), whose row estimate turns the GIN index
    -- scan into a sequential one
    SELECT l.word, l.display, l.stem, l.frequency FROM {TABLE} l
    WHERE l.version = cv.version AND l.stem LIKE q.stem || '%%' AND l.stem <> q.stem
    ORDER BY l.frequency DESC, l.word LIMIT {COMPOUND_LIMIT}
) c WHERE length(q.stem) >= {COMPOUND_MIN_STEM}
UNION ALL
SELECT 'split', q.word, c.head, NULL, c.tail, c.at FROM q, cv CROSS JOIN LATERAL (
    -- a compound of two known parts that is not itself a word of the lexicon ("Parksensoren": park|sensor)
    SELECT (ts_lexize('german_stem', rtrim(left(q.word, i), 's')))[1] AS head,
           (ts_lexize('german_stem', substr(q.word, i + 1)))[1] AS tail, i AS at
    FROM generate_series({SPLIT_MIN}, length(q.word) - {SPLIT_MIN}) AS i
    WHERE EXISTS (
        SELECT FROM {TABLE} l WHERE l.version = cv.version AND l.word LIKE rtrim(left(q.word, i), 's') || '%%'
    )
    AND EXISTS (
        SELECT FROM {TABLE} l WHERE l.version = cv.version
        AND l.stem = (ts_lexize('german_stem', substr(q.word, i + 1)))[1]
    )
    ORDER BY i DESC LIMIT 1
) c WHERE NOT q.known AND length(q.word) >= 2 * {SPLIT_MIN}
UNION ALL
SELECT 'synonym', s.term, NULL, NULL, NULL, 0 FROM (
    SELECT array_to_string(array_prepend(term, expansions), chr(31)) AS term,
           array_prepend(term, expansions) AS members
    FROM marketplace_searchsynonym
) s
WHERE EXISTS (
    SELECT FROM unnest(s.members) m
    WHERE %s LIKE '%% ' || trim(regexp_replace(lower(m), '{_SPLIT}', ' ', 'g')) || ' %%'
)
"""  # noqa: S608 - constants only; the words are parameters


def lookup(words: list[str], allowed_edits: list[int], normalized_text: str) -> Found:
    """What the lexicon of the current content version knows about ``words`` (lower case, letters/digits).

    ``allowed_edits[i]`` is how many typos ``words[i]`` may have (0: no correction). ``normalized_text`` is
    the query's words joined by single spaces, for the synonyms' phrases. One query; three after a change
    (the lookup, the rebuild, the lookup again).
    """
    params = [words, allowed_edits, f" {normalized_text} "]
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP, params)
        rows = cursor.fetchall()
        if any(row[0] == "stale" for row in rows):
            cursor.execute(*_rebuild_statement())
            cursor.execute(LOOKUP, params)
            rows = cursor.fetchall()
    found = Found()
    for kind, word, other, display, stem, frequency in rows:
        if kind in ("known", "stem"):
            if kind == "known":
                found.known.add(word)
            if stem:
                found.stems[word] = stem
        elif kind == "typo":
            found.typos.setdefault(word, []).append((other, display, stem, frequency))
        elif kind == "compound" and stem:
            found.compounds.setdefault(word, []).append(stem)
        elif kind == "split" and other and stem:
            found.splits[word] = (other, stem)
        elif kind == "related":
            found.related |= {other, stem} - {None}
        elif kind == "synonym":
            found.synonyms.append(word.split(chr(31)))
    return found
