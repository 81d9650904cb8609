from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pilots.models import PilotLink, PilotProject, Reference


class PilotLinkInline(admin.TabularInline):
    model = PilotLink
    extra = 0


class PilotReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["solution", "municipality", "since_year", "is_verified"]
    autocomplete_fields = ["solution", "municipality"]


@admin.register(PilotProject)
class PilotProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "lead_municipality",
        "funding",
        "model_project_round",
        "phase",
        "status",
        "is_demo",
    ]
    list_filter = ["status", "funding", "model_project_round", "phase", "categories", "is_demo"]
    search_fields = ["title", "summary", "lead_municipality__name"]
    list_select_related = ["lead_municipality"]
    autocomplete_fields = ["lead_municipality", "partners", "categories"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "submitted_at", "published_at", "archived_at"]
    list_per_page = 50
    inlines = [PilotLinkInline, PilotReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "lead_municipality", "partners", "categories"]}),
        (
            _("Funding and timeline"),
            {"fields": ["funding", "model_project_round", "phase", "start_date", "end_date", "budget_eur"]},
        ),
        (
            _("Content"),
            {
                "fields": [
                    "goals",
                    "results",
                    "lessons_learned",
                    "transferability",
                    "operator_model",
                    "data_used",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (
            _("Editorial"),
            {
                "fields": [
                    "status",
                    "status_reason",
                    "featured",
                    "is_demo",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "published_at",
                    "archived_at",
                ]
            },
        ),
    ]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["solution", "municipality", "pilot", "since_year", "is_verified", "is_demo"]
    list_filter = ["is_verified", "is_demo", "municipality__state"]
    search_fields = ["solution__title", "municipality__name", "pilot__title"]
    list_select_related = ["solution", "municipality", "pilot"]
    autocomplete_fields = ["solution", "municipality", "pilot"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "updated_at"]
