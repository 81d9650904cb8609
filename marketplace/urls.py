"""Root URLs. Every URL name is listed with what it shows in docs/urls.md."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from marketplace import search_views, views
from marketplace.inquiries import portal as inquiry_portal
from marketplace.opendata import urls as opendata_urls
from municipalities import urls as municipality_urls
from pilots import municipality_profile
from pilots.portal import urls as reference_urls
from solutions import vendor_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", search_views.search, name="search"),
    path("loesungen/", include("solutions.urls", namespace="solutions")),
    path("pilotprojekte/", include("pilots.urls", namespace="pilots")),
    # The profile page (pilots and references at a place) comes from the app that holds them.
    path(
        "kommunen/",
        include(([*municipality_urls.urlpatterns, *municipality_profile.urlpatterns], "municipalities")),
    ),
    # The vendor portal is one namespace; the reference proposals come from the app that holds references.
    # … and the requests for information from the feature that holds them (marketplace/inquiries/portal.py).
    path(
        "anbieter/",
        include(
            ([*vendor_urls.urlpatterns, *reference_urls.urlpatterns, *inquiry_portal.urlpatterns], "vendor")
        ),
    ),
    path("konto/", include("marketplace.accounts.urls", namespace="accounts")),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("kontakt/", views.contact, name="contact"),
    path("merkliste/", include("marketplace.shortlist.urls", namespace="shortlist")),
    path("interessenbekundung/", include("marketplace.inquiries.urls", namespace="inquiries")),
    path("beschaffung/", include("marketplace.procurement.urls", namespace="procurement")),
    path("rahmenvertraege/", include("solutions.agreements.urls", namespace="agreements")),
    # The Kompetenzzentrum's forms: beratung/, barriere-melden/ (URL names without a namespace).
    path("", include("marketplace.kompetenzzentrum.urls")),
    path("daten/", include("marketplace.opendata.urls", namespace="opendata")),
    *opendata_urls.ROOT,
    path("api/v1/", include("marketplace.opendata.api.urls", namespace="api")),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"
