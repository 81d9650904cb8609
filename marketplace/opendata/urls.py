"""Open data under daten/ (namespace "opendata"); sitemap.xml and robots.txt sit at the root (``ROOT``)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import PilotFeed, SolutionFeed
from .sitemaps import SITEMAPS

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("katalog/", views.catalogue, name="dcat"),
    path("feeds/loesungen.atom", require_safe(SolutionFeed()), name="feed_solutions"),
    path(
        "feeds/loesungen/<slug:category>.atom", require_safe(SolutionFeed()), name="feed_solutions_category"
    ),
    path("feeds/pilotprojekte.atom", require_safe(PilotFeed()), name="feed_pilots"),
    path("feeds/pilotprojekte/<slug:category>.atom", require_safe(PilotFeed()), name="feed_pilots_category"),
    path("publiccode/<slug:slug>.yml", views.publiccode, name="publiccode"),
    path("<slug:dataset>.<str:fmt>", views.export, name="export"),
]

# Outside the namespace: crawlers look for these names at the root.
ROOT = [
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
