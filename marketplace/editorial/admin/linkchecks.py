"""Admin of the link checks: read only, the nightly check writes the rows (editorial/linkcheck/)."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from marketplace.editorial.models import LinkCheck


def field_label(content_type, field: str) -> str:
    """How the form of the entry names the field a link was found in ("Produktwebsite", not "website");
    a pilot project's links ("link: …") keep their own label."""
    model = content_type.model_class() if content_type else None
    try:
        return capfirst(model._meta.get_field(field).verbose_name) if model else field
    except FieldDoesNotExist:
        return field


class LinkFieldFilter(admin.SimpleListFilter):
    title = _("field")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        rows = LinkCheck.objects.select_related("content_type").distinct("content_type", "field")
        labels = {
            row.field: field_label(row.content_type, row.field)
            for row in rows.order_by("content_type", "field")
        }
        return sorted(labels.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(field=self.value()) if self.value() else queryset


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = [
        "entry_title",
        "content_type",
        "field_name",
        "link",
        "status_code",
        "error",
        "is_broken",
        "checked_at",
    ]
    # Only the kinds of entries that have checked links, not every model of the project.
    list_filter = ["is_broken", ("content_type", admin.RelatedOnlyFieldListFilter), LinkFieldFilter]
    list_select_related = ["content_type"]
    search_fields = ["entry_title", "url"]
    # The raw field name is shown by its label instead (field_name).
    exclude = ["field"]
    readonly_fields = [
        "field_name" if field.name == "field" else field.name
        for field in LinkCheck._meta.fields
        if field.name != "id"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("field"), ordering="field")
    def field_name(self, obj):
        return field_label(obj.content_type, obj.field)

    @admin.display(description=_("web address"), ordering="url")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)
