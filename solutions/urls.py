from django.urls import path

from . import views

app_name = "solutions"
urlpatterns = [
    path("", views.solution_list, name="list"),
    path("<slug:slug>/", views.solution_detail, name="detail"),
]
