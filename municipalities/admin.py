from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from solutions.admin_moderation import HistoryTimelineMixin


@admin.register(Municipality)
class MunicipalityAdmin(HistoryTimelineMixin, admin.ModelAdmin):
    list_display = ["name", "ags", "kind", "state", "population", "size_class", "is_model_project", "is_demo"]
    list_filter = ["state", "kind", "size_class", "is_model_project", "model_project_round", "is_demo"]
    search_fields = ["name", "^ags"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["state", "size_class", "created_at", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "ags", "kind", "state", "population", "size_class"]}),
        (_("Modellprojekt Smart Cities"), {"fields": ["is_model_project", "model_project_round"]}),
        (
            _("Profile"),
            {"fields": ["description", "website", "contact_name", "contact_email", "contact_phone"]},
        ),
        (_("Location"), {"fields": ["latitude", "longitude"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["is_demo", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
