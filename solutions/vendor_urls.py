from django.urls import path

from marketplace.views import _todo

app_name = "vendor"
urlpatterns = [path("", _todo, name="dashboard")]
