from django.urls import path

from solutions import vendor_views
from solutions.portal.urls import urlpatterns as portal_patterns

app_name = "vendor"
urlpatterns = [path("", vendor_views.landing, name="landing"), *portal_patterns]
