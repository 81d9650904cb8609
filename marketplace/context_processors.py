from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext

# The sections of the main navigation, keyed by the URL namespace of the pages that belong to them.
NAV_SECTIONS = ("solutions", "pilots", "municipalities", "vendor")
# Account pages (sign-up, login, profile) belong to the vendors' part of the site.
NAV_ALIASES = {"accounts": "vendor"}

# Placeholder operator contact until the Kompetenzzentrum names real addresses; a deployment can set
# CONTACT_EMAIL / ACCESSIBILITY_EMAIL in its settings without touching the templates.
DEFAULT_CONTACT_EMAIL = "kontakt@smart-city-marktplatz.example"
DEFAULT_ACCESSIBILITY_EMAIL = "barrierefreiheit@smart-city-marktplatz.example"


def barrier_report_url(address: str, page_url: str) -> str:
    """A mailto: link with the subject and the affected page filled in, so a report needs no form."""
    subject = gettext("Accessibility barrier on the Smart-City-Marktplatz")
    body = gettext("Page: %(url)s\n\nWhat did not work for you?\n") % {"url": page_url}
    return f"mailto:{address}?subject={quote(subject)}&body={quote(body)}"


def site(request):
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    accessibility_email = getattr(settings, "ACCESSIBILITY_EMAIL", DEFAULT_ACCESSIBILITY_EMAIL)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": getattr(settings, "CONTACT_EMAIL", DEFAULT_CONTACT_EMAIL),
        "ACCESSIBILITY_EMAIL": accessibility_email,
        # The page's address goes into an e-mail: SITE_URL, not whatever Host the request claimed.
        "barrier_report_url": barrier_report_url(
            accessibility_email, settings.SITE_URL + request.get_full_path()
        ),
        "nav_section": section if (section := NAV_ALIASES.get(namespace, namespace)) in NAV_SECTIONS else "",
        "is_home": bool(match and match.url_name == "home" and not namespace),
    }
