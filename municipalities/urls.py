from django.urls import path

from . import finder, views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="list"),
    # Before the profile's "<slug>/" (added by the project's URLs), which would otherwise take these paths.
    path("finden/", finder.find, name="find"),
    path("meine/waehlen/", finder.choose_view, name="choose"),
    path("meine/vergessen/", finder.forget_view, name="forget"),
]
