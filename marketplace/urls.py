"""Root URLs. Every URL name is listed with what it shows in docs/urls.md."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from marketplace import enquiry_views, search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", search_views.search, name="search"),
    path("loesungen/", include("solutions.urls", namespace="solutions")),
    path("pilotprojekte/", include("pilots.urls", namespace="pilots")),
    path("kommunen/", include("municipalities.urls", namespace="municipalities")),
    path("anbieter/", include("solutions.vendor_urls", namespace="vendor")),
    path("konto/", include("solutions.account_urls", namespace="accounts")),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("kontakt/", views.contact, name="contact"),
    path("beratung/", enquiry_views.enquiry, name="enquiry"),
    path("beratung/danke/", enquiry_views.enquiry_thanks, name="enquiry_thanks"),
    path("barriere-melden/", enquiry_views.barrier_report, name="barrier_report"),
    path("barriere-melden/danke/", enquiry_views.barrier_report_thanks, name="barrier_report_thanks"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"
