"""Read a publiccode.yml (the European metadata standard for public-sector software) into listing values.

Only what a listing needs is read: name, descriptions (German, else English), licence, repository URL,
landing page, maintenance and contacts. Every problem names the line it was found on.

The text comes from strangers, so the YAML is read with limits: at most MAX_SIZE characters, nested at
most MAX_DEPTH levels, and no aliases (a publiccode.yml has no use for them, and they are what "billion
laughs" bombs and self-referencing structures are made of).
"""

from dataclasses import dataclass, field

import yaml
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from yaml.composer import Composer
from yaml.resolver import Resolver

from solutions.models import Solution

MAX_SIZE = 200 * 1024  # characters of text, bytes of an uploaded file; real files have a few kilobytes
MAX_DEPTH = 20  # a publiccode.yml needs about 5 levels (description > de > features > item)


class Refused(yaml.YAMLError):
    """Valid YAML that a publiccode.yml may not contain; `message` names the line."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark else 1
        self.message = message


class _LimitedComposer(Composer):
    """PyYAML's composer (events to a node tree), refusing aliases and nesting beyond MAX_DEPTH.

    The composer pulls events one at a time, so the refusal comes before the rest of the text is read.
    """

    def __init__(self):
        super().__init__()
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise Refused(
                event.start_mark,
                _("YAML aliases (“*name”) are not accepted; please write the value out in full."),
            )
        if self._depth >= MAX_DEPTH:
            raise Refused(
                event.start_mark,
                _("the content is nested more than %(max)d levels deep.") % {"max": MAX_DEPTH},
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # PyYAML without libyaml: the same limits, parsed in Python (about five times slower)
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _Loader(_LimitedComposer, _Parser, Resolver):
    """Scanning and parsing in C (libyaml) where available, composing with the limits above."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _LimitedComposer.__init__(self)
        Resolver.__init__(self)


MAINTENANCE_LABELS = {
    "internal": gettext_lazy("maintained internally"),
    "contract": gettext_lazy("maintained under contract"),
    "community": gettext_lazy("maintained by the community"),
    "none": gettext_lazy("not maintained"),
}


@dataclass
class PubliccodeResult:
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def form_data(self) -> dict:
        """The values as POST-like data for SolutionForm (only keys that were found)."""
        return {key: value for key, value in self.values.items() if value not in (None, "")}


def _line(node) -> int:
    return node.start_mark.line + 1


def _child(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


class _Reader:
    def __init__(self, root):
        self.root = root
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(_("Line %(line)d: %(message)s") % {"line": line, "message": message})

    def text(self, path: str, *, required: bool = False, parent=None, max_length: int | None = None) -> str:
        node = parent if parent is not None else self.root
        for key in path.split("."):
            child = _child(node, key)
            if child is None:
                if required:
                    self.error(_line(node), _("“%(key)s” is missing.") % {"key": path})
                return ""
            node = child
        if not isinstance(node, yaml.ScalarNode):
            self.error(_line(node), _("“%(key)s” must be text.") % {"key": path})
            return ""
        value = str(node.value).strip()
        if max_length and len(value) > max_length:
            self.error(
                _line(node),
                _("“%(key)s” is longer than %(max)d characters.") % {"key": path, "max": max_length},
            )
            return value[:max_length]
        return value


def parse(text: str) -> PubliccodeResult:
    result = PubliccodeResult()
    if len(text) > MAX_SIZE:
        result.errors.append(
            _("The publiccode.yml is longer than %(max)s characters.")
            % {"max": number_format(MAX_SIZE, force_grouping=True)}
        )
        return result
    try:
        root = yaml.compose(text, Loader=_Loader)
    except Refused as exc:
        result.errors.append(_("Line %(line)d: %(message)s") % {"line": exc.line, "message": exc.message})
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        result.errors.append(
            _("Line %(line)d: this is not valid YAML (%(problem)s).") % {"line": line, "problem": exc.problem}
        )
        return result
    except yaml.YAMLError:
        result.errors.append(_("This is not valid YAML."))
        return result
    if not isinstance(root, yaml.MappingNode):
        result.errors.append(_("Line 1: a publiccode.yml must be a mapping of keys and values."))
        return result

    reader = _Reader(root)
    reader.text("publiccodeYmlVersion", required=True)
    title = reader.text("name", required=True, max_length=200)
    source_url = reader.text("url", required=True)
    website = reader.text("landingURL")
    licence = reader.text("legal.license", required=True, max_length=64)

    description = _child(root, "description")
    short, long_text = "", ""
    if description is None:
        reader.error(_line(root), _("“description” is missing."))
    elif not isinstance(description, yaml.MappingNode):
        reader.error(_line(description), _("“description” must contain one entry per language, e.g. “de:”."))
    else:
        languages = [key.value for key, _value in description.value]
        language = next(
            (code for code in ("de", "en") if code in languages), languages[0] if languages else None
        )
        if language is None:
            reader.error(_line(description), _("“description” has no language."))
        else:
            block = _child(description, language)
            short = reader.text("shortDescription", parent=block, max_length=400)
            long_text = reader.text("longDescription", parent=block)
            if not short and not long_text:
                reader.error(
                    _line(block), _("“description.%(lang)s” needs a shortDescription.") % {"lang": language}
                )

    maintenance_type = reader.text("maintenance.type")
    contact_name = contact_email = contact_phone = ""
    contacts = _child(_child(root, "maintenance"), "contacts") if _child(root, "maintenance") else None
    if contacts is not None:
        if isinstance(contacts, yaml.SequenceNode) and contacts.value:
            first = contacts.value[0]
            contact_name = reader.text("name", parent=first, max_length=200)
            contact_email = reader.text("email", parent=first)
            contact_phone = reader.text("phone", parent=first, max_length=50)
        else:
            reader.error(_line(contacts), _("“maintenance.contacts” must be a list."))
    if maintenance_type and maintenance_type not in MAINTENANCE_LABELS:
        reader.error(
            _line(_child(_child(root, "maintenance"), "type")),
            _("“maintenance.type” must be one of internal, contract, community, none."),
        )

    result.errors = reader.errors
    procurement_notes = ""
    if maintenance_type in MAINTENANCE_LABELS:
        procurement_notes = _("Maintenance (from publiccode.yml): %(type)s.") % {
            "type": MAINTENANCE_LABELS[maintenance_type]
        }
    result.values = {
        "title": title,
        "summary": short,
        "description": long_text,
        "source_url": source_url,
        "website": website,
        "licence_type": Solution.LicenceType.OPEN_SOURCE if licence else Solution.LicenceType.PROPRIETARY,
        "spdx_id": licence,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "procurement_notes": procurement_notes,
        # Maturity, hosting, data location and price model are left to the vendor: publiccode.yml does
        # not state them, and a guess would look like the vendor's answer.
        "accessibility": Solution.Accessibility.UNKNOWN,
    }
    return result


# publiccode.yml's developmentStatus for our maturity (a concept has no code to show yet).
DEVELOPMENT_STATUS = {
    Solution.Maturity.CONCEPT: "concept",
    Solution.Maturity.PILOT: "beta",
    Solution.Maturity.PRODUCTION: "stable",
    Solution.Maturity.WIDESPREAD: "stable",
}


def dump(solution: Solution, *, page_url: str) -> str:
    """A publiccode.yml (standard version 0.4) for a published open-source solution: the counterpart of
    ``parse``, which reads it back into the same title, summary, description, licence, source, website and
    contact. ``page_url`` (the solution's page on this site) is the landing page when it names none.
    Categories and platforms are the publiccode lists', which our fields of action do not map to; they are
    left out rather than guessed."""
    description = {"shortDescription": solution.summary}
    if solution.description:
        description["longDescription"] = solution.description
    document = {
        "publiccodeYmlVersion": "0.4",
        "name": solution.title,
        "url": solution.source_url,
        "landingURL": solution.website or page_url,
        "developmentStatus": DEVELOPMENT_STATUS.get(solution.maturity, "development"),
        "softwareType": "standalone/web",
        "description": {"de": description},
        "legal": {"license": solution.spdx_id, "mainCopyrightOwner": solution.vendor.name},
        "maintenance": {"type": "contract"},
        "localisation": {"localisationReady": False, "availableLanguages": ["de"]},
    }
    contact = {
        key: value
        for key, value in (
            ("name", solution.contact_name or solution.vendor.name),
            ("email", solution.contact_email),
            ("phone", solution.contact_phone),
        )
        if value
    }
    document["maintenance"]["contacts"] = [contact]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)
