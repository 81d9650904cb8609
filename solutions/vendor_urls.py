from django.urls import path

from solutions import vendor_views

app_name = "vendor"
urlpatterns = [path("", vendor_views.landing, name="dashboard")]
