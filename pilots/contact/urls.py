"""URLs of the peer contact, in the "pilots" namespace (pilots/urls.py adds them)."""

from django.urls import path

from pilots.contact import views

urlpatterns = [
    path("referenzen/<int:pk>/kontakt/", views.reference_contact, name="reference_contact"),
    path(
        "referenzen/kontakt/gesendet/<str:token>/",
        views.reference_contact_sent,
        name="reference_contact_sent",
    ),
    path("referenzen/einwilligung/<str:token>/", views.reference_consent, name="reference_consent"),
]
