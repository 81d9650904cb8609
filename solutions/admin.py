from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pilots.models import Reference
from solutions.models import Category, Solution, Standard, Vendor, VendorMembership


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


class VendorMembershipInline(admin.TabularInline):
    model = VendorMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "is_verified", "is_demo", "created_at"]
    list_filter = ["is_verified", "kind", "is_demo"]
    search_fields = ["name", "city", "email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_at", "created_at", "updated_at"]
    inlines = [VendorMembershipInline]


@admin.register(VendorMembership)
class VendorMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "vendor", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "vendor__name"]
    autocomplete_fields = ["user", "vendor"]
    list_select_related = ["user", "vendor"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["municipality", "pilot", "since_year", "statement", "is_verified"]
    autocomplete_fields = ["municipality", "pilot"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["vendor", "categories", "standards"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "submitted_at", "published_at", "archived_at"]
    date_hierarchy = "updated_at"
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
