"""What search engines and link previews read on every page: the canonical address, the same page in German
and English (``hreflang``), a meta description and Open Graph tags (templates/includes/_discovery_head.html).

The UI language normally comes from the visitor's choice (cookie) or browser; ``?lang=en`` or ``?lang=de``
(``LanguageParameterMiddleware``) gives each language of a page its own address, which ``hreflang`` needs.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_PARAMETER = "lang"

# The meta description of pages without their own (detail pages set theirs in the template's block).
DESCRIPTIONS = {
    "home": _(
        "The national marketplace for smart-city solutions: German municipalities find checked solutions, "
        "learn from pilot projects and compare vendors."
    ),
    "solutions:list": _(
        "Smart-city solutions for municipalities, filterable by field of action, size, licence, hosting, "
        "data location, costs and verified references."
    ),
    "pilots:list": _(
        "Pilot projects of German municipalities, among them the Modellprojekte Smart Cities, with results "
        "and lessons learned."
    ),
    "municipalities:list": _(
        "Every German municipality from the official register, with the smart-city solutions and pilot "
        "projects it uses."
    ),
    "opendata:index": _(
        "Open data of the Smart-City-Marktplatz: solutions, pilot projects and municipalities as CSV, JSON "
        "and a DCAT-AP.de catalogue."
    ),
}
DEFAULT_DESCRIPTION = _(
    "Smart-City-Marktplatz: smart-city solutions, pilot projects and municipalities in Germany, curated by "
    "the editors of the Kompetenzzentrum."
)


class LanguageParameterMiddleware:
    """``?lang=de|en`` sets the language of this one response (after LocaleMiddleware, which reads the
    visitor's choice); the visitor's saved choice stays as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = request.GET.get(LANGUAGE_PARAMETER)
        if asked in dict(settings.LANGUAGES):
            translation.activate(asked)
            request.LANGUAGE_CODE = asked
        return self.get_response(request)


def _address(path: str, query) -> str:
    encoded = query.urlencode()
    return settings.SITE_URL.rstrip("/") + path + (f"?{encoded}" if encoded else "")


def context(request):
    """canonical_url, alternate_urls [(language, address)], page_description and og_locale."""
    query = request.GET.copy()
    query.pop(LANGUAGE_PARAMETER, None)
    # The canonical page of a catalog is its unfiltered page (of the same number): filter states are endless.
    kept = query.copy()
    for name in list(kept):
        if name != "page":
            kept.pop(name)
    german = _address(request.path, query)
    english_query = query.copy()
    english_query[LANGUAGE_PARAMETER] = "en"
    alternates = [("de", german), ("en", _address(request.path, english_query)), ("x-default", german)]
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "canonical_url": _address(request.path, kept),
        "alternate_urls": alternates,
        "page_description": DESCRIPTIONS.get(view_name, DEFAULT_DESCRIPTION),
        "og_locale": "en_GB" if language == "en" else "de_DE",
    }
