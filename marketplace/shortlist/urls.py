"""The Merkliste, under merkliste/ with the namespace "shortlist"."""

from django.urls import path

from marketplace.shortlist import views
from marketplace.shortlist.export import views as export_views

app_name = "shortlist"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("hinzufuegen/", views.add, name="add"),
    path("entfernen/", views.remove, name="remove"),
    path("notiz/<int:entry_id>/", views.note, name="note"),
    path("geteilt/<str:signed>/", views.shared, name="shared"),
    path("geteilt/<str:signed>/uebernehmen/", views.adopt, name="adopt"),
    path("markterkundung.<str:fmt>", export_views.export, name="export"),
    path("geteilt/<str:signed>/markterkundung.<str:fmt>", export_views.shared_export, name="shared_export"),
]
