"""The Kompetenzzentrum's public forms; included at the root without a namespace (URL names as before)."""

from django.urls import path

from marketplace.kompetenzzentrum import views

urlpatterns = [
    path("beratung/", views.enquiry, name="enquiry"),
    path("beratung/danke/", views.enquiry_thanks, name="enquiry_thanks"),
    path("barriere-melden/", views.barrier_report, name="barrier_report"),
    path("barriere-melden/danke/", views.barrier_report_thanks, name="barrier_report_thanks"),
]
