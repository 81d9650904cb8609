"""The API under api/v1/ (namespace "api")."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("openapi.json", views.schema, name="openapi"),
    path("", views.docs, name="docs"),
    path("<slug:name>/", views.collection, name="collection"),
    path("<slug:name>/<str:key>/", views.item, name="item"),
]
