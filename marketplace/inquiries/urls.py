"""The public side of requests for information, under anfrage/ with the namespace "inquiries"."""

from django.urls import path

from marketplace.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.create, name="create"),
    path("gesendet/", views.sent, name="sent"),
    path("bestaetigen/<str:signed>/", views.confirm, name="confirm"),
    path("antworten/<str:signed>/", views.answers, name="answers"),
    path("antworten/<str:signed>/<int:pk>.pdf", views.answer_file, name="answer_file"),
]
