"""URL patterns of the vendor portal; appended to the `vendor` namespace in solutions/vendor_urls.py."""

from django.urls import path

from solutions.portal.views import files, listings, organisations, preview

urlpatterns = [
    path("dashboard/", listings.dashboard, name="dashboard"),
    path("organisation/neu/", organisations.organisation_create, name="organisation_create"),
    path("organisation/beitreten/", organisations.organisation_join, name="organisation_join"),
    path("organisation/<int:pk>/", organisations.organisation, name="organisation"),
    path("organisation/<int:pk>/bearbeiten/", organisations.organisation_edit, name="organisation_edit"),
    path("organisation/<int:pk>/logo/", organisations.organisation_logo, name="organisation_logo"),
    path("organisation/<int:pk>/logo.png", files.organisation_logo_file, name="organisation_logo_file"),
    path("anfragen/<int:pk>/entscheiden/", organisations.join_request_decide, name="join_request_decide"),
    path("mitglieder/<int:pk>/rolle/", organisations.member_role, name="member_role"),
    path("loesungen/neu/", listings.solution_create, name="solution_create"),
    path("loesungen/import/", listings.publiccode_import, name="publiccode_import"),
    path("loesungen/pruefen/", listings.solution_validate, name="solution_validate"),
    path("loesungen/<int:pk>/", listings.solution, name="solution"),
    path("loesungen/<int:pk>/bearbeiten/", listings.solution_edit, name="solution_edit"),
    path("loesungen/<int:pk>/vorschau/", preview.solution_preview, name="solution_preview"),
    path("loesungen/<int:pk>/einreichen/", listings.solution_submit, name="solution_submit"),
    path("loesungen/<int:pk>/zurueckziehen/", listings.solution_withdraw, name="solution_withdraw"),
    path("loesungen/<int:pk>/loeschen/", listings.solution_delete, name="solution_delete"),
    path("loesungen/<int:pk>/logo/", listings.solution_logo, name="solution_logo"),
    path("loesungen/<int:pk>/logo.png", files.solution_logo_file, name="solution_logo_file"),
    path("loesungen/<int:pk>/dokumente/", files.documents, name="documents"),
    path("dokumente/<int:pk>/", files.document_download, name="document_download"),
    path("dokumente/<int:pk>/loeschen/", files.document_delete, name="document_delete"),
]
