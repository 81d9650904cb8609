"""The search-quality benchmark of `make bench` (issue 15): fixed queries over the demo data, recall@20, time.

The queries are made from the benchmark database's published solutions with a fixed random seed, so the same
data gives the same queries:

* typo: a distinctive title word (six letters or more, in at most 20 titles) with one letter deleted, two
  neighbours swapped, one doubled or one replaced (not the first letter), 15 of each; a variant that is itself
  a word of the lexicon is skipped (no search can tell it from what was meant);
* compound: a word of the lexicon (five letters or more) that is the start or the end of longer title words;
* abbreviation: each member of a synonym group (``SearchSynonym``) whose group occurs in titles or summaries
  in a form other than the query's own;
* multi-word: two title words of one solution, half of them with a typo in the second.

Each query's relevant solutions are those whose title (compounds and abbreviations: title or summary) has the
word, the part or a member of the group; recall@20 is the share of them (at most 20) among the first 20 in the
catalog's relevance order. The time is the median of ``RUNS`` runs of what the solutions catalog asks for a
search it has not seen (``_search``): the lexicon lookup, the full-text probe and all matches ranked.
"""

import random
import re
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from marketplace.catalog import lexicon
from marketplace.catalog.models import SearchSynonym
from marketplace.catalog.search import apply_text_search, rank
from solutions.models import Solution

SEED = 15
RUNS = 5
PAGE = 20
PER_TYPO_KIND = 15
COMPOUNDS = 25
MULTI_WORD = 20
TARGETS = {"typo": 0.95, "compound": 0.90, "abbreviation": 0.90}
MAX_MEDIAN_MS = 60
_WORD = re.compile(r"[^\W_]+")
_LETTERS = "aeinrstlhu"


@dataclass
class Query:
    kind: str
    text: str
    relevant: set[int]
    recall: float = 0.0
    median_ms: float = 0.0
    found: list[int] = field(default_factory=list)
    matches: int = 0


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _lexicon_words() -> set[str]:
    lexicon.lookup(["x"], [0], "x")  # builds the lexicon for the current content version
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {lexicon.TABLE} WHERE version ="  # noqa: S608 - a constant name
            " (SELECT version FROM marketplace_content_version WHERE id = 1)"
        )
        return {row[0] for row in cursor.fetchall()}


def _typo(word: str, kind: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    if kind == "delete":
        return word[:at] + word[at + 1 :]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + rng.choice([c for c in _LETTERS if c != word[at]]) + word[at + 1 :]


def build_queries() -> list[Query]:
    rng = random.Random(SEED)
    rows = list(Solution.objects.published().order_by("pk").values_list("pk", "title", "summary"))
    known = _lexicon_words()
    in_titles: dict[str, set[int]] = {}
    in_texts: dict[str, set[int]] = {}
    texts: dict[int, str] = {}
    titles = {pk: title for pk, title, _summary in rows}
    for pk, title, summary in rows:
        for word in _words(title):
            in_titles.setdefault(word, set()).add(pk)
        for word in _words(f"{title} {summary}"):
            in_texts.setdefault(word, set()).add(pk)
        texts[pk] = " " + " ".join(_words(f"{title} {summary}")) + " "
    distinctive = sorted(
        w for w, pks in in_titles.items() if w.isalpha() and len(w) >= 6 and len(pks) <= PAGE
    )
    queries: list[Query] = []
    for kind in ("delete", "swap", "double", "replace"):
        made = 0
        for word in rng.sample(distinctive, len(distinctive)):
            variant = _typo(word, kind, rng)
            if variant == word or variant in known:
                continue
            queries.append(Query("typo", variant.capitalize(), in_titles[word]))
            made += 1
            if made == PER_TYPO_KIND:
                break
    queries += _compound_queries(rng, known, in_titles, in_texts)
    queries += _abbreviation_queries(texts)
    for word in rng.sample(distinctive, min(MULTI_WORD, len(distinctive))):
        title = titles[min(in_titles[word])]
        others = [w for w in _words(title) if w != word and w.isalpha() and len(w) >= 5]
        if not others:
            continue
        second = others[0]
        relevant = in_titles[word] & in_titles.get(second, set())
        typed = _typo(second, "delete", rng) if len(queries) % 2 and len(second) >= 6 else second
        queries.append(Query("multi-word", f"{word.capitalize()} {typed}", relevant))
    return queries


def _compound_queries(rng, known, in_titles, in_texts) -> list[Query]:
    """Parts that start or end longer title words, preferring those with few relevant solutions."""
    title_words = [w for w in in_titles if w.isalpha() and len(w) >= 9]
    candidates = []
    for part in sorted(w for w in known if w.isalpha() and 5 <= len(w) <= 8):
        longer = [w for w in title_words if w != part and (w.startswith(part) or w.endswith(part))]
        if not longer:
            continue
        relevant = set().union(*(in_texts[w] for w in in_texts if w.startswith(part) or w.endswith(part)))
        candidates.append((len(relevant), part, relevant))
    candidates.sort(key=lambda c: (c[0], c[1]))
    chosen = candidates[: COMPOUNDS * 2]
    chosen = rng.sample(chosen, min(COMPOUNDS, len(chosen)))
    return [Query("compound", part.capitalize(), relevant) for _, part, relevant in chosen]


def _abbreviation_queries(texts: dict[int, str]) -> list[Query]:
    queries = []
    for synonym in SearchSynonym.objects.order_by("term"):
        phrases = {member: " " + " ".join(_words(member)) + " " for member in synonym.members()}
        containing = {m: {pk for pk, text in texts.items() if p in text} for m, p in phrases.items()}
        relevant = set().union(*containing.values())
        for member in synonym.members():
            if relevant - containing[member]:  # the group occurs in forms the query does not name
                queries.append(Query("abbreviation", member, relevant))
    return queries


def _search(text: str) -> list[int]:
    """What the solutions catalog asks for a new search (``SolutionFilterSet.base_pks``): the lexicon lookup,
    the full-text probe, and every match ranked and sorted in one query (its length is the count)."""
    queryset, found = apply_text_search(Solution.objects.published(), text)
    ranked = rank(queryset.order_by(), found).order_by(F("relevance").desc(), F("published_at").desc(), "-pk")
    return list(ranked.values_list("pk", flat=True))


def measure(queries: list[Query]) -> None:
    for query in queries:
        ranked = _search(query.text)  # warm-up, and the result judged
        query.found, query.matches = ranked[:PAGE], len(ranked)
        times = []
        for _run in range(RUNS):
            started = time.perf_counter()
            _search(query.text)
            times.append((time.perf_counter() - started) * 1000)
        query.median_ms = statistics.median(times)
        wanted = min(PAGE, len(query.relevant))
        query.recall = len(set(query.found) & query.relevant) / wanted if wanted else 1.0


def render(queries: list[Query]) -> str:
    lines = [
        "### Search quality (issue 15)",
        "",
        f"{len(queries)} fixed queries over the published demo solutions (seed {SEED}); recall@20 and the"
        f" median of {RUNS} runs of what the catalog asks for a new search (lexicon lookup, full-text probe,"
        " all matches ranked in one query).",
        "",
        "| Queries | Number | Recall@20 | Median ms | Slowest query (median ms) | Target | Met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    kinds = ["typo", "compound", "abbreviation", "multi-word"]
    for kind in [*kinds, "all"]:
        chosen = [q for q in queries if kind in ("all", q.kind)]
        if not chosen:
            continue
        recall = statistics.mean(q.recall for q in chosen)
        slowest = max(q.median_ms for q in chosen)
        target = TARGETS.get(kind)
        goal = f"recall ≥ {target:.0%}, ≤ {MAX_MEDIAN_MS} ms" if target else f"≤ {MAX_MEDIAN_MS} ms"
        met = (target is None or recall >= target) and slowest <= MAX_MEDIAN_MS
        lines.append(
            f"| {kind} | {len(chosen)} | {recall:.1%} | {statistics.median(q.median_ms for q in chosen):.1f}"
            f" | {slowest:.1f} | {goal} | {'yes' if met else '**no**'} |"
        )
    missed = sorted((q for q in queries if q.recall < 1), key=lambda q: q.recall)[:10]
    if missed:
        lines += [
            "",
            "Least recalled: " + "; ".join(f"{q.kind} “{q.text}” {q.recall:.0%}" for q in missed) + ".",
        ]
    slow = sorted(queries, key=lambda q: -q.median_ms)[:5]
    over = sum(1 for q in queries if q.median_ms > MAX_MEDIAN_MS)
    lines += [
        "",
        f"{over} of {len(queries)} queries over {MAX_MEDIAN_MS} ms. Slowest: "
        + "; ".join(f"{q.kind} “{q.text}” {q.median_ms:.0f} ms ({q.matches:,} matches)" for q in slow)
        + ".",
    ]
    return "\n".join(lines)


def search_quality() -> str:
    """Build, run and render the benchmark's search queries (Markdown)."""
    queries = build_queries()
    measure(queries)
    return render(queries)
