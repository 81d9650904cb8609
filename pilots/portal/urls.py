"""The reference proposal pages; the project's URLs add them to the vendor portal's `vendor` namespace."""

from django.urls import path

from pilots.portal import views

urlpatterns = [
    path("loesungen/<int:pk>/referenzen/", views.references, name="references"),
]
