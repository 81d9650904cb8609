"""Admin of the link checks: read only, the nightly check writes the rows (editorial/linkcheck/)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.editorial.models import LinkCheck


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = [
        "entry_title",
        "content_type",
        "field",
        "link",
        "status_code",
        "error",
        "is_broken",
        "checked_at",
    ]
    list_filter = ["is_broken", "content_type", "field"]
    list_select_related = ["content_type"]
    search_fields = ["entry_title", "url"]
    readonly_fields = [field.name for field in LinkCheck._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("web address"), ordering="url")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)
