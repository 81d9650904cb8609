"""Admin of the solutions (vendors' listings) with their moderation actions, review page and queue, and of
the categories and standards they are filed under."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import resources

from marketplace.choices import EditorialStatus
from marketplace.editorial.admin.actions import PublishPermission, listing_actions
from marketplace.editorial.admin.base import (
    EDITORIAL_FIELDSET,
    EDITORIAL_READONLY_FIELDS,
    CsvExportMixin,
    HistoryTimelineMixin,
)
from marketplace.editorial.admin.review import ReviewPages
from pilots.models import Reference
from solutions.models import Category, Solution, Standard


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_de"]}
    ordering = ["position", "name_de"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["municipality", "pilot", "since_year", "statement", "is_verified"]
    autocomplete_fields = ["municipality", "pilot"]


class SolutionResource(resources.ModelResource):
    class Meta:
        model = Solution
        # The search vector is derived in the database and means nothing in a spreadsheet.
        exclude = ["search_vector"]


@admin.register(Solution)
class SolutionAdmin(ReviewPages, PublishPermission, HistoryTimelineMixin, CsvExportMixin, admin.ModelAdmin):
    resource_classes = [SolutionResource]
    list_display = [
        "title",
        "vendor",
        "status",
        "maturity",
        "licence_type",
        "featured",
        "is_demo",
        "updated_at",
    ]
    list_filter = ["status", "maturity", "licence_type", "price_model", "featured", "categories", "is_demo"]
    search_fields = ["title", "summary", "vendor__name", "slug"]
    list_select_related = ["vendor"]
    # What the home page features is picked right in the list.
    list_editable = ["featured"]
    autocomplete_fields = ["vendor", "categories", "standards"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = EDITORIAL_READONLY_FIELDS
    date_hierarchy = "updated_at"
    change_form_template = "admin/solutions/solution/change_form.html"
    actions = listing_actions(Solution)
    list_per_page = 50
    inlines = [ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "vendor", "summary", "description", "logo", "website"]}),
        (_("Fit"), {"fields": ["categories", "standards", "size_classes", "maturity"]}),
        (_("Licence and hosting"), {"fields": ["licence_type", "spdx_id", "source_url", "hosting_options"]}),
        (
            _("Data protection and accessibility"),
            {"fields": ["dpa_available", "data_location", "accessibility", "accessibility_statement_url"]},
        ),
        (
            _("Costs and procurement"),
            {
                "fields": [
                    "price_model",
                    "cost_introduction_eur",
                    "cost_yearly_eur",
                    "cost_notes",
                    "framework_agreement",
                    "framework_agreement_name",
                    "procurement_notes",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        EDITORIAL_FIELDSET,
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A listing an editor enters starts as a draft or as submitted, ready for publishing; after that
        # its status changes only through the moderation services (actions and the review page).
        return [name for name in fields if name != "status"] if obj is None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "status" in form.base_fields:
            form.base_fields["status"].choices = [
                (value, label)
                for value, label in EditorialStatus.choices
                if value in {EditorialStatus.DRAFT, EditorialStatus.SUBMITTED}
            ]
        return form
