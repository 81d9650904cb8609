from django.urls import path

from pilots.contact import urls as contact_urls

from . import views

app_name = "pilots"
urlpatterns = [
    path("", views.pilot_list, name="list"),
    # Before the detail page: "referenzen" would otherwise be taken for a pilot's slug.
    *contact_urls.urlpatterns,
    path("<slug:slug>/", views.pilot_detail, name="detail"),
]
