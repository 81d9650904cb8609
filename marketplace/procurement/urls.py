"""Procurement: the path guidance and joint buying, under beschaffung/ with the namespace "procurement"."""

from django.urls import path

from marketplace.procurement import views

app_name = "procurement"

urlpatterns = [
    path("wegweiser/", views.guide, name="guide"),
    path("buendelung/<slug:slug>/", views.interest, name="interest"),
    path("buendelung/<slug:slug>/gesendet/", views.interest_sent, name="interest_sent"),
    path("buendelung/<slug:slug>/bestaetigt/", views.interest_confirmed, name="interest_confirmed"),
    path("buendelung-bestaetigen/<str:signed>/", views.confirm, name="confirm"),
]
