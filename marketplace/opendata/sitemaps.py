"""sitemap.xml: every public page, split into sections and pages of at most LIMIT addresses each.

The index (``/sitemap.xml``) names one file per section and page; robots.txt names the index.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from municipalities.models import Municipality
from pilots.models import PilotProject
from solutions.models import Solution

LIMIT = 5_000


class _Canonical(Sitemap):
    """Addresses under settings.SITE_URL, never the request's Host header (like the links in e-mails)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class _Rows(_Canonical):
    limit = LIMIT

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(_Canonical):
    """The catalogs and the fixed pages."""

    changefreq = "daily"
    names = (
        "home",
        "solutions:list",
        "pilots:list",
        "municipalities:list",
        "opendata:index",
        "vendor:landing",
        "enquiry",
        "contact",
        "imprint",
        "privacy",
        "accessibility",
    )

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


class SolutionSitemap(_Rows):
    def items(self):
        return Solution.objects.published().only("slug", "updated_at").order_by("pk")


class PilotSitemap(_Rows):
    def items(self):
        return PilotProject.objects.published().only("slug", "updated_at").order_by("pk")


class MunicipalitySitemap(_Rows):
    """Every municipality, Kreis and Land that exists today (dissolved ones only redirect to successors)."""

    def items(self):
        return Municipality.objects.filter(dissolved_on=None).only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "seiten": PageSitemap,
    "loesungen": SolutionSitemap,
    "pilotprojekte": PilotSitemap,
    "kommunen": MunicipalitySitemap,
}
