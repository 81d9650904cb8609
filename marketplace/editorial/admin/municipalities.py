"""Admin of the municipality register and profiles (CSV import and export by official key, AGS)."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from marketplace.editorial.admin.base import (
    CsvImportExportMixin,
    HistoryTimelineMixin,
    choices_filter,
    column,
)
from municipalities.models import Municipality, SizeClass, State
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


@admin.register(Municipality)
class MunicipalityAdmin(HistoryTimelineMixin, CsvImportExportMixin, admin.ModelAdmin):
    resource_classes = [MunicipalityResource]
    inlines = [MunicipalityReferenceInline]
    list_display = [
        "name", "ags", "kind", LAND, "population", SIZE_CLASS, "is_model_project", "is_demo",
    ]  # fmt: skip
    list_filter = [
        choices_filter("state", _("Land"), State.choices),
        "kind",
        choices_filter("size_class", _("size class"), SizeClass.choices),
        "is_model_project",
        "model_project_round",
        "is_demo",
    ]
    search_fields = ["name", "^ags"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [LAND, SIZE_CLASS, "created_at", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "ags", "kind", LAND, "population", SIZE_CLASS]}),
        (_("Modellprojekt Smart Cities"), {"fields": ["is_model_project", "model_project_round"]}),
        (
            _("Profile"),
            {"fields": ["description", "website", "contact_name", "contact_email", "contact_phone"]},
        ),
        (_("Location"), {"fields": ["latitude", "longitude"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["is_demo", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
