"""The forgiving search's query: typos corrected, compounds and synonyms added (docs/search.md).

``plan(text)`` turns what someone typed into two PostgreSQL text-search queries over the German search
vectors: ``query`` (what matches) and ``whole_words`` (what ranks first). The words are AND-ed; each word
("slot") matches any of:

* the word itself, stemmed ("Parkplätze" → parkplatz);
* longer lexicon words starting or ending with it ("Parkraum" → "Parkraummanagement", "Sensor" →
  "Füllstandssensor"); compounds rank below whole words; a word the lexicon does not know may be a compound
  of two words it knows ("Parksensoren": park… and …sensor…);
* for a word the lexicon does not know (neither the word nor its stem), its nearest lexicon words: at most
  one edit from 5 letters, two from 9 (Damerau: deleting, adding, replacing one letter or swapping two
  neighbours is one edit); words of the lexicon are never replaced;
* for a word or phrase of a synonym group (``SearchSynonym``), every member of the group, as a phrase.

``plan(text, exact=True)`` is the search "exactly as typed": PostgreSQL's web-search syntax alone, as is any
text using that syntax ("quoted phrases", -exclusions, or).
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery

from . import lexicon

CONFIG = "german"
# Edits forgiven by word length (Meilisearch's and Typesense's defaults).
ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9
PREFIX_MIN_STEM = 4
_WORD = re.compile(r"[^\W_]+")
_SYNTAX = re.compile(r'"|(^|\s)-\S|(^|\s)or(\s|$)', re.IGNORECASE)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def allowed_edits(word: str) -> int:
    if any(char.isdigit() for char in word):  # postcodes, keys, years: no typos
        return 0
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= ONE_TYPO_FROM else 0


def damerau(a: str, b: str) -> int:
    """The optimal-string-alignment distance: Levenshtein plus swapping two neighbouring letters."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _quoted(stem: str, prefix: bool = False) -> str:
    # Stems are letters and digits only (split by _WORD or the lexicon's split), safe inside quotes.
    return f"'{stem}'" + (":*" if prefix and len(stem) >= PREFIX_MIN_STEM else "")


def _raw(terms: list[str]) -> SearchQuery:
    return SearchQuery(" | ".join(dict.fromkeys(terms)), config="simple", search_type="raw")


@dataclass
class Plan:
    text: str
    query: SearchQuery
    whole_words: SearchQuery
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> the word searched instead
    # Whether the query may match the related text (names of fields of action, standards): only then do the
    # searches look at the related rows (lexicon.Found.related).
    related: bool = True

    @property
    def corrected_text(self) -> str:
        """The text with each corrected word replaced ("Bauatrag" → "Bauantrag"), or "" if none was."""
        if not self.corrections:
            return ""
        text = self.text
        for typed, correction in self.corrections.items():
            text = re.sub(rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])", correction, text, flags=re.IGNORECASE)
        return text


def _exact_plan(text: str) -> Plan:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    return Plan(text, query, query)


def _synonym_slots(words: list[str], groups: list[list[str]]) -> tuple[dict[int, tuple[int, list[str]]], set]:
    """Where synonym phrases occur: start index -> (length, the group's members); the covered indexes."""
    found: dict[int, tuple[int, list[str]]] = {}
    covered: set[int] = set()
    spans = []
    for members in groups:
        for member in members:
            phrase = words_of(member)
            for start in range(len(words) - len(phrase) + 1):
                if phrase and words[start : start + len(phrase)] == phrase:
                    spans.append((len(phrase), start, members))
    for length, start, members in sorted(spans, key=lambda span: -span[0]):  # longest phrases first
        indexes = set(range(start, start + length))
        if not indexes & covered:
            found[start] = (length, members)
            covered |= indexes
    return found, covered


def _nearest(word: str, candidates: list[tuple[str, str, str, int]]) -> list[tuple[str, str, str, int]]:
    limit = allowed_edits(word)
    scored = [(damerau(word, candidate[0]), candidate) for candidate in candidates]
    scored = [(distance, candidate) for distance, candidate in scored if distance <= limit]
    if not scored:
        return []
    best = min(distance for distance, _ in scored)
    # The most frequent first: it is the one named on the page.
    return sorted((c for d, c in scored if d == best), key=lambda c: (-c[3], c[0]))


def _any(queries: list[SearchQuery]) -> SearchQuery:
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def _word_terms(word: str, found: lexicon.Found, *, correct: bool) -> tuple[list[str], list[str], str]:
    """The whole-word and the partial (prefix, compound) terms of one query word, and its correction."""
    stem = found.stems.get(word)
    whole: list[str] = [_quoted(stem)] if stem else []
    partial: list[str] = [_quoted(other) for other in found.compounds.get(word, [])]
    correction = ""
    if correct and word not in found.known:
        nearest = _nearest(word, found.typos.get(word, []))
        if nearest:
            correction = nearest[0][1]
        whole += [_quoted(candidate[2]) for candidate in nearest if candidate[2]]
        if not nearest and word in found.splits:  # "Parksensoren": park… and …sensor…
            head, tail = found.splits[word]
            whole.append(f"({_quoted(head, prefix=True)} & {_quoted(tail, prefix=True)})")
    return whole, partial, correction


def plan(text: str, *, exact: bool = False) -> Plan:
    """The queries for ``text`` (already stripped and at most MAX_QUERY_LENGTH long), see the module doc."""
    words = words_of(text)
    if exact or not words or _SYNTAX.search(text):
        return _exact_plan(text)
    found = lexicon.lookup(words, [allowed_edits(word) for word in words], " ".join(words))
    synonyms, covered = _synonym_slots(words, found.synonyms)
    slots: list[tuple[SearchQuery, SearchQuery]] = []
    corrections: dict[str, str] = {}
    terms: set[str] = set()  # every word and stem the query looks for
    for index, word in enumerate(words):
        if index in covered and index not in synonyms:
            continue  # inside a synonym phrase
        length, members = synonyms.get(index, (0, []))
        # A synonym's word is never corrected: "LoRaWAN" may be in no listing and still be meant.
        whole, partial, correction = (
            ([], [], "") if length > 1 else _word_terms(word, found, correct=not members)
        )
        if correction:
            corrections[word] = correction
        terms.update(re.findall(r"'([^']+)'", " ".join(whole + partial)))
        terms.update(words_of(" ".join(members)), [word])
        # All words of a member, in any order: a phrase query (<->) needs every match rechecked in the table.
        phrases = [SearchQuery(member, config=CONFIG, search_type="plain") for member in members]
        if whole:
            whole_slot, slot = _any([_raw(whole), *phrases]), _any([_raw(whole + partial), *phrases])
        elif phrases:
            whole_slot = slot = _any(phrases)
        else:  # a stop word ("für"): PostgreSQL's full text ignores it too
            continue
        slots.append((whole_slot, slot))
    if not slots:
        return _exact_plan(text)
    whole_query, query = slots[0]
    for whole_slot, slot in slots[1:]:
        whole_query &= whole_slot
        query &= slot
    return Plan(text, query, whole_query, corrections, related=bool(terms & found.related))
