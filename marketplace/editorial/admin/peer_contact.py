"""Admin of the questions sent through "Kontakt zur Referenzkommune" (pilots/contact/): read-only.

The messages are a record of what the form forwarded; nobody edits or adds one here.
"""

from django.contrib import admin

from pilots.models import ReferenceContactMessage


@admin.register(ReferenceContactMessage)
class ReferenceContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reference", "organisation", "name", "route"]
    list_filter = ["route"]
    list_select_related = ["reference__solution", "reference__municipality"]
    search_fields = ["name", "organisation", "email", "question", "reference__municipality__name"]
    date_hierarchy = "created_at"
    fields = ["created_at", "reference", "route", "name", "organisation", "email", "language", "question"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
