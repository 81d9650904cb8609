"""Admin of the municipality register and profiles (CSV import and export by official key, AGS; the
upload of the official register, Destatis' Gemeindeverzeichnis, with a dry-run preview)."""

from functools import partial

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from import_export import fields, resources, widgets

from marketplace.editorial.admin import register_import
from marketplace.editorial.admin.base import (
    CsvImportExportMixin,
    HistoryTimelineMixin,
    choices_filter,
    column,
)
from municipalities.models import Level, Municipality, RegisterSource, SizeClass, State
from pilots.models import Reference


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer column whose unreadable values become a row-level validation error with a clear text
    (the stock widget lets a decimal conversion error through as a bare exception)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ArithmeticError, TypeError) as error:
            raise ValueError(gettext("Enter a whole number.")) from error


class MunicipalityResource(resources.ModelResource):
    """CSV columns of municipality profiles; rows are matched by the official key (AGS). Land and
    size class follow from AGS and population in the database, so they are exported but not imported."""

    population = fields.Field(attribute="population", column_name="population", widget=WholeNumberWidget())
    state = fields.Field(attribute="state", column_name="state", readonly=True)
    size_class = fields.Field(attribute="size_class", column_name="size_class", readonly=True)

    class Meta:
        model = Municipality
        import_id_fields = ["ags"]
        fields = [
            "ags",
            "name",
            "slug",
            "kind",
            "population",
            "is_model_project",
            "model_project_round",
            "website",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "latitude",
            "longitude",
            "state",
            "size_class",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class MunicipalityReferenceInline(admin.TabularInline):
    """The solutions this municipality uses, edited on its profile."""

    model = Reference
    extra = 0
    fields = ["solution", "pilot", "since_year", "statement", "is_verified"]
    autocomplete_fields = ["solution", "pilot"]
    verbose_name_plural = _("solutions in use (references)")


# The Land and size class follow from the official key and the population (generated fields); they have
# no verbose name of their own (base.column).
LAND = column("state", _("Land"))
SIZE_CLASS = column("size_class", _("size class"))

# Written by the import of the official register (municipalities.importer.REGISTER_FIELDS); editors
# change the editorial fields only, so the next import cannot silently undo an edit.
REGISTER_READONLY_FIELDS = [
    "ars", "level", "official_name", "parent", "area_km2", "population_date", "postcode", "urbanisation",
    "dissolved_on", "successor",
]  # fmt: skip


class DissolvedFilter(admin.SimpleListFilter):
    """Merged or dissolved municipalities (kept so that links never break) apart from current ones."""

    title = _("dissolved")
    parameter_name = "dissolved"

    def lookups(self, request, model_admin):
        return [("yes", _("dissolved or merged")), ("no", _("current"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(dissolved_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(dissolved_on__isnull=True)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(HistoryTimelineMixin, CsvImportExportMixin, admin.ModelAdmin):
    resource_classes = [MunicipalityResource]
    inlines = [MunicipalityReferenceInline]
    list_display = [
        "name", "ags", "kind", LAND, "population", SIZE_CLASS, "is_model_project", "is_demo",
    ]  # fmt: skip
    list_filter = [
        choices_filter("state", _("Land"), State.choices),
        choices_filter("level", _("level"), Level.choices),
        "kind",
        choices_filter("size_class", _("size class"), SizeClass.choices),
        "is_model_project",
        "model_project_round",
        "is_demo",
        DissolvedFilter,
    ]
    search_fields = ["name", "^ags", "^ars"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [LAND, SIZE_CLASS, *REGISTER_READONLY_FIELDS, "created_at", "updated_at"]
    import_export_change_list_template = "admin/municipalities/municipality/change_list.html"
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "ags", "kind", LAND, "population", SIZE_CLASS]}),
        (
            _("Official register"),
            {
                "fields": REGISTER_READONLY_FIELDS,
                "description": _(
                    "Kept current by the import of the Gemeindeverzeichnis; © Statistisches Bundesamt "
                    "(Destatis)."
                ),
            },
        ),
        (_("Modellprojekt Smart Cities"), {"fields": ["is_model_project", "model_project_round"]}),
        (
            _("Profile"),
            {"fields": ["description", "website", "contact_name", "contact_email", "contact_phone"]},
        ),
        (_("Location"), {"fields": ["latitude", "longitude"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["is_demo", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        return [
            path(
                "import-register/",
                self.admin_site.admin_view(self.import_register_view),
                name="municipalities_municipality_import_register",
            ),
            path(
                "import-register/confirm/",
                self.admin_site.admin_view(self.import_register_confirm_view),
                name="municipalities_municipality_import_register_confirm",
            ),
            *super().get_urls(),
        ]

    def has_register_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_register_view(self, request):
        view = partial(register_import.upload_view, self)
        return require_http_methods(["GET", "HEAD", "POST"])(view)(request)

    def import_register_confirm_view(self, request):
        return require_POST(partial(register_import.confirm_view, self))(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_register_import_permission": self.has_register_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)


@admin.register(RegisterSource)
class RegisterSourceAdmin(admin.ModelAdmin):
    """Which data the register reflects, one row per import that changed it. Written by the imports only
    (municipalities.importer.import_register), so editors read it and change nothing."""

    list_display = ["territory_date", "name", "is_official", "population_date", "rows", "loaded_at"]
    list_filter = ["is_official"]
    fields = [
        "name", "attribution", "is_official", "territory_date", "population_date", "loaded_at", "rows",
        "counts", "changes",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
