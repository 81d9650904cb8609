from django.urls import path

from . import compare, views

app_name = "solutions"
urlpatterns = [
    path("", views.solution_list, name="list"),
    # Before the detail pattern, which would take "vergleich" for a slug.
    path("vergleich/", compare.compare, name="compare"),
    path("<slug:slug>/", views.solution_detail, name="detail"),
]
