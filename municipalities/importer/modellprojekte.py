"""The "Modellprojekte Smart Cities" (federal programme, rounds 2019, 2020 and 2021) as facts on the register.

A CSV (columns name, round, land, kind, source_url) names each project as it was announced: one municipality
("Solingen"), a Kreis ("Landkreis Hof", "Eifelkreis Bitburg-Prüm"), an Amt ("Süderbrarup (Amt)") or several
partners ("Kiel mit Kreisen Rendsburg-Eckernförde und Plön"). ``read_model_projects`` checks the whole file
without touching the database; ``match_projects`` finds every partner in the register by name within the row's
Land(s), never by guessing; ``import_model_projects`` marks the matched rows in one transaction.
"""

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Level, ModelProjectRound, Municipality, State
from .service import display_name

COLUMNS = ("name", "round", "land", "kind", "source_url")
KINDS = ("Großstadt", "Mittelstadt", "Kleinstadt", "Landgemeinde", "Landkreis", "Interkommunal", "Region")
ROUNDS = tuple(choice.value for choice in ModelProjectRound)
STATE_CODES = {state.name: state.value for state in State}

GEMEINDE, VERBAND, KREIS = Level.GEMEINDE, Level.VERBAND, Level.KREIS
# Levels tried in order, by the row's kind: a town is the Gemeinde (not the Kreis row of a kreisfreie Stadt),
# a Landkreis only ever a Kreis; a partner of an inter-municipal project may be any of the three.
KIND_LEVELS = {
    "Landkreis": (KREIS,),
    "Interkommunal": (GEMEINDE, VERBAND, KREIS),
    "Region": (KREIS, VERBAND, GEMEINDE),
}
TOWN_LEVELS = (GEMEINDE, VERBAND)
# Words before a name ("SG Fürstenau", "Kreisen Rendsburg-Eckernförde") or in brackets after it
# ("Süderbrarup (Amt)") that fix the level. A plural ("mit Kreisen A und B") and an abbreviation, which may be
# one ("SG Fürstenau, Artland, Neuenkirchen": the Samtgemeinden Fürstenau, Artland and Neuenkirchen, as the
# announcements say), make that level the first choice for the partners after it.
PREFIXES = {
    "Landkreis": KREIS, "Kreis": KREIS, "Amt": VERBAND, "SG": VERBAND, "Samtgemeinde": VERBAND,
    "VG": VERBAND, "Verbandsgemeinde": VERBAND, "Stadt": GEMEINDE, "Gemeinde": GEMEINDE,
}  # fmt: skip
PLURAL_PREFIXES = {
    "Landkreisen": KREIS, "Kreisen": KREIS, "Ämtern": VERBAND, "Samtgemeinden": VERBAND,
    "Verbandsgemeinden": VERBAND, "Städten": GEMEINDE, "Gemeinden": GEMEINDE,
}  # fmt: skip
CARRIED = {*PLURAL_PREFIXES, "SG", "VG"}
MARKERS = {**PREFIXES, "VGem": VERBAND}
PREFIX = re.compile(rf"^({'|'.join(sorted({*PREFIXES, *PLURAL_PREFIXES}, key=len, reverse=True))})\s+(.+)$")
MARKER = re.compile(rf"^(.+?)\s*\(({'|'.join(MARKERS)})\)$")
# Partners are separated by ",", " und ", " mit ", but never inside brackets ("Halle (Saale)").
SEPARATOR = re.compile(r"(?:\s*,\s*|\s+(?:und|mit)\s+)(?![^()]*\))")
TRAILING_BRACKETS = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
WORD = re.compile(r"(\w+)(\.?)")


class ModelProjectFileError(Exception):
    """The file can't be used; ``errors`` lists every problem (row and what)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ProjectRow:
    line: int
    name: str
    round: int
    states: tuple[str, ...]  # Land numbers, "05" for NW
    kind: str
    source_url: str = ""


def read_model_projects(path: Path | str) -> list[ProjectRow]:
    """Read and check the whole file; raise ModelProjectFileError listing every malformed row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in reader.fieldnames or ()]
            missing = [column for column in COLUMNS if column not in header]
            if missing:
                raise ModelProjectFileError(
                    [_("The header lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}]
                )
            reader.fieldnames = header
            rows, errors = [], []
            for record in reader:
                row = _row(reader.line_num, record, errors)
                if row is not None:
                    rows.append(row)
    except UnicodeDecodeError:
        raise ModelProjectFileError([_("The file is not UTF-8 text.")]) from None
    except csv.Error as error:
        raise ModelProjectFileError(
            [_("The file is not valid CSV (%(error)s).") % {"error": error}]
        ) from None
    if not rows and not errors:
        errors.append(_("The file lists no Modellprojekt."))
    if errors:
        raise ModelProjectFileError(errors)
    return rows


def _row(line: int, record: dict, errors: list[str]) -> ProjectRow | None:
    values = {column: (record.get(column) or "").strip() for column in COLUMNS}
    problems = []
    if not values["name"]:
        problems.append(_("the name is empty."))
    if values["round"] not in {str(year) for year in ROUNDS}:
        problems.append(_('the round "%(value)s" is not 2019, 2020 or 2021.') % {"value": values["round"]})
    codes = [code.strip() for code in values["land"].split(";")]
    if not all(code in STATE_CODES for code in codes):
        problems.append(
            _('the Land "%(value)s" is not a Land code such as NW (several joined with ";").')
            % {"value": values["land"]}
        )
    if not values["kind"] or not all(part in KINDS for part in values["kind"].split("/")):
        problems.append(
            _('the kind "%(value)s" is not one of %(kinds)s.')
            % {"value": values["kind"], "kinds": ", ".join(KINDS)}
        )
    errors += [_("Row %(row)d: %(problem)s") % {"row": line, "problem": problem} for problem in problems]
    if problems:
        return None
    states = tuple(dict.fromkeys(STATE_CODES[code] for code in codes))
    return ProjectRow(
        line, values["name"], int(values["round"]), states, values["kind"], values["source_url"]
    )


# -- matching ---------------------------------------------------------------------------------------------


@dataclass
class Partner:
    text: str  # as written in the file
    name: str  # without the level word ("Fürstenau" for "SG Fürstenau")
    levels: tuple[str, ...]
    municipality: Municipality | None = None
    candidates: list[Municipality] = field(default_factory=list)
    problem: str = ""


@dataclass
class RowMatch:
    row: ProjectRow
    partners: list[Partner]
    label: str = ""  # the project's own name in brackets, e.g. "Smart Region AUF"

    @property
    def fully_matched(self) -> bool:
        return all(partner.municipality is not None for partner in self.partners)


def split_partners(row: ProjectRow) -> tuple[list[Partner], str]:
    """The partners a row names, each with the levels to look at, and the project's label if any."""
    text, label = row.name, ""
    parts = SEPARATOR.split(text)
    trailing = TRAILING_BRACKETS.match(parts[-1])
    if len(parts) > 1 and trailing and trailing.group(2) not in MARKERS:
        # "…, Soest (5 für Südwestfalen)": the brackets name the whole project, not the last partner
        parts[-1], label = trailing.group(1), trailing.group(2)
    default = KIND_LEVELS.get(row.kind, TOWN_LEVELS)
    carried = default
    partners = []
    for part in (part.strip() for part in parts if part.strip()):
        name, levels = part, carried
        if prefix := PREFIX.match(part):
            word, name = prefix.groups()
            level = PREFIXES.get(word) or PLURAL_PREFIXES[word]
            levels = (level,)
            if word in CARRIED:
                carried = (level, *(other for other in default if other != level))
        elif marker := MARKER.match(part):
            name, levels = marker.group(1), (MARKERS[marker.group(2)],)
        partners.append(Partner(text=part, name=name, levels=levels))
    return partners, label


def _words(name: str) -> tuple[tuple[str, bool], ...]:
    """ "Kirchheim b.München" → (("kirchheim", False), ("b", True), ("münchen", False)); True: abbreviated."""
    return tuple((word.casefold(), bool(dot)) for word, dot in WORD.findall(name))


def _abbreviates(query: tuple, known: tuple) -> bool:
    """Same words, where an abbreviated word ("a.", "T.W.") may stand for any word it begins
    ("am Teutoburger Wald"); at least one word must be spelled out in full and equal."""
    if len(query) != len(known):
        return False
    full_equal = False
    for (word, short), (other, other_short) in zip(query, known, strict=True):
        if word == other:
            full_equal = full_equal or not (short or other_short)
        elif not ((short and other.startswith(word)) or (other_short and word.startswith(other))):
            return False
    return full_equal


class Register:
    """The current register's Gemeinden, Verbände and Kreise, looked up by name within Länder."""

    def __init__(self, municipalities):
        self.by_state: dict[str, list[tuple[Municipality, set, set]]] = {}
        for municipality in municipalities:
            names = {municipality.name, display_name(municipality.official_name or municipality.name)}
            for name in list(names):
                if marker := MARKER.match(name):  # "Reichertshofen (VGem)"
                    names.add(marker.group(1))
            exact = {tuple(word for word, _short in _words(name)) for name in names}
            # "Menden" for "Menden (Sauerland)", "Cottbus" for "Cottbus/Chóśebuz": a bracketed qualifier or
            # a second (Sorbian) name after "/" may be left out
            shorter = {name.split("/")[0].strip() for name in names}
            shorter |= {found.group(1) for name in shorter if (found := TRAILING_BRACKETS.match(name))}
            loose = {_words(name) for name in names | shorter}
            self.by_state.setdefault(municipality.state, []).append((municipality, exact, loose))

    def candidates(self, partner: Partner, states: tuple[str, ...]) -> list[Municipality]:
        """The rows of the first level (in the partner's order) that bear its name, the spelling as written
        before a looser one; the full text ("Landkreis Rostock") before the name without its level word."""
        entries = [entry for state in states for entry in self.by_state.get(state, ())]
        queries = [_words(text) for text in dict.fromkeys((partner.text, partner.name))]
        for level in partner.levels:
            at_level = [entry for entry in entries if entry[0].level == level]
            if level == KREIS:
                # a kreisfreie Stadt is its Gemeinde row; "Landkreis Hof" is never the kreisfreie Stadt Hof
                at_level = [
                    entry for entry in at_level if entry[0].kind != Municipality.Kind.KREISFREIE_STADT
                ]
            for query in queries:
                plain = tuple(word for word, _short in query)
                found = [municipality for municipality, exact, _loose in at_level if plain in exact]
                found = found or [
                    municipality
                    for municipality, _exact, loose in at_level
                    if any(_abbreviates(query, known) for known in loose)
                ]
                if found:
                    return found
        return []


def match_projects(rows: list[ProjectRow], register: Register) -> list[RowMatch]:
    """Every row's partners found in the register. A name found more than once in the row's Länder goes to
    the candidate in the Kreis of the row's other partners, else the one nearest to them; with no partner to
    go by it stays unmatched and is reported, as is a name the register does not know."""
    matches = []
    for row in rows:
        partners, label = split_partners(row)
        for partner in partners:
            partner.candidates = register.candidates(partner, row.states)
            if len(partner.candidates) == 1:
                partner.municipality = partner.candidates[0]
        progress = True
        while progress:  # one settled partner may settle the next
            progress = False
            for partner in partners:
                if partner.municipality is None and len(partner.candidates) > 1:
                    anchors = [other.municipality for other in partners if other.municipality is not None]
                    partner.municipality = _nearest(partner.candidates, anchors)
                    progress = progress or partner.municipality is not None
        lands = ", ".join(State(state).name for state in row.states)
        for partner in partners:
            if partner.municipality is not None:
                continue
            if partner.candidates:
                partner.problem = _("ambiguous in %(lands)s: %(candidates)s") % {
                    "lands": lands,
                    "candidates": ", ".join(f"{m.name} ({m.ars})" for m in partner.candidates),
                }
            else:
                partner.problem = _("no Gemeinde, Verband or Kreis of this name in %(lands)s") % {
                    "lands": lands
                }
        matches.append(RowMatch(row=row, partners=partners, label=label))
    return matches


def _nearest(candidates: list[Municipality], anchors: list[Municipality]) -> Municipality | None:
    if not anchors:
        return None
    kreise = {anchor.ars[:5] for anchor in anchors}
    same_kreis = [candidate for candidate in candidates if candidate.ars[:5] in kreise]
    if len(same_kreis) == 1:
        return same_kreis[0]
    pool = same_kreis or candidates
    points = [(float(a.latitude), float(a.longitude)) for a in anchors if a.latitude is not None]
    if not points or any(candidate.latitude is None for candidate in pool):
        return None
    ranked = sorted(
        (min(_distance(float(c.latitude), float(c.longitude), *point) for point in points), c.ars, c)
        for c in pool
    )
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][2]


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres, equirectangular: exact enough to rank places within Germany."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371 * math.hypot(x, math.radians(lat2 - lat1))


# -- applying ---------------------------------------------------------------------------------------------


@dataclass
class ModelProjectReport:
    rows: list[RowMatch]
    newly_marked: int = 0
    round_changed: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def unmatched_partners(self) -> list[tuple[RowMatch, Partner]]:
        return [(match, p) for match in self.rows for p in match.partners if p.municipality is None]

    def line(self) -> str:
        full = sum(match.fully_matched for match in self.rows)
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        return (
            f"{prefix}{len(self.rows)} rows, {full} fully matched, {len(self.rows) - full} with unmatched "
            f"partners ({len(self.unmatched_partners)} partners not matched); "
            f"{self.newly_marked + self.round_changed + self.unchanged} municipalities matched: "
            f"{self.newly_marked} newly marked, {self.round_changed} with a changed round, "
            f"{self.unchanged} unchanged."
        )


REGISTER_FIELDS = ("ars", "level", "kind", "name", "official_name", "latitude", "longitude", "state")


def load_register() -> Register:
    """The rows a project can name: current (not dissolved) Gemeinden, Verbände and Kreise of the official
    register; never sample data."""
    return Register(
        Municipality.objects.filter(
            level__in=[GEMEINDE, VERBAND, KREIS], ars__isnull=False, dissolved_on__isnull=True, is_demo=False
        )
        .only(*REGISTER_FIELDS, "is_model_project", "model_project_round")
        .order_by("ars")
    )


def import_model_projects(rows: list[ProjectRow], *, dry_run: bool = False) -> ModelProjectReport:
    """Mark every municipality the rows name as a Modellprojekt Smart Cities of its round, in one transaction.

    Side effects: sets ``is_model_project=True`` and ``model_project_round`` (and ``updated_at``) on each
    matched row whose flags differ, which writes a pghistory event per changed row; a municipality listed in
    two rounds keeps the earliest (reported as a conflict). Rows the file does not name are left alone, so an
    editor's own marks survive. With ``dry_run`` nothing is written; the report says what would change."""
    with transaction.atomic():
        report = ModelProjectReport(rows=match_projects(rows, load_register()), dry_run=dry_run)
        listed: dict[int, tuple[Municipality, set[int]]] = {}
        for match in report.rows:
            for municipality in (p.municipality for p in match.partners if p.municipality is not None):
                listed.setdefault(municipality.pk, (municipality, set()))[1].add(match.row.round)
        changes: dict[int, list[int]] = {}
        for municipality, rounds in listed.values():
            round_ = min(rounds)
            if len(rounds) > 1:
                report.conflicts.append(
                    _("%(name)s (%(ars)s) is listed for the rounds %(rounds)s; kept %(kept)s.")
                    % {
                        "name": municipality.name,
                        "ars": municipality.ars,
                        "rounds": ", ".join(map(str, sorted(rounds))),
                        "kept": round_,
                    }
                )
            if municipality.is_model_project and municipality.model_project_round == round_:
                report.unchanged += 1
                continue
            if municipality.is_model_project:
                report.round_changed += 1
            else:
                report.newly_marked += 1
            changes.setdefault(round_, []).append(municipality.pk)
        if not dry_run:
            now = timezone.now()
            for round_, pks in changes.items():
                Municipality.objects.filter(pk__in=pks).update(
                    is_model_project=True, model_project_round=round_, updated_at=now
                )
    return report
