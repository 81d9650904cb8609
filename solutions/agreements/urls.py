from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("vorschlagen/", views.propose, name="propose"),
    path("abruf-gesendet/", views.call_off_sent, name="call_off_sent"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/abruf/<slug:solution>/", views.call_off, name="call_off"),
]
