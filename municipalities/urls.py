from django.urls import path

from marketplace.views import _todo

app_name = "municipalities"
urlpatterns = [path("", _todo, name="list"), path("<slug:slug>/", _todo, name="detail")]
