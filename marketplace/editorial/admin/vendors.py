"""Admin of the vendor organisations and their members: verification and the profile changes verified
organisations propose go through actions, so they are recorded and the organisation is told."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.editorial import services
from marketplace.editorial.admin.actions import REQUIRED, decision_action
from marketplace.editorial.admin.base import CsvExportMixin, FieldLabels, HistoryTimelineMixin, column
from solutions.models import Vendor, VendorMembership

# VendorMembership's user and vendor have no verbose name of their own (base.FieldLabels); Django's
# own catalogue translates "user".
MEMBERSHIP_FIELDS = {"user": column("user", _("user")), "vendor": column("vendor", _("vendor"))}


class VendorMembershipInline(FieldLabels, admin.TabularInline):
    model = VendorMembership
    extra = 0
    autocomplete_fields = ["user"]
    # Not the organisation: the inline leaves out its own foreign key by name.
    labelled_fields = {"user": MEMBERSHIP_FIELDS["user"]}


class PendingChangesFilter(admin.SimpleListFilter):
    title = _("changes waiting")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.exclude(pending_changes={})
        if self.value() == "0":
            return queryset.filter(pending_changes={})
        return queryset


@admin.register(Vendor)
class VendorAdmin(HistoryTimelineMixin, CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "city", "is_verified", "has_pending_changes", "is_demo", "created_at"]
    list_filter = ["is_verified", PendingChangesFilter, "kind", "is_demo"]
    search_fields = ["name", "city", "email"]
    prepopulated_fields = {"slug": ["name"]}
    # Verification and the members' proposed changes go through actions, so they are recorded and the
    # organisation is told.
    readonly_fields = [
        "is_verified", "verified_at", "pending_changes_table", "pending_changes_at",
        "created_at", "updated_at",
    ]  # fmt: skip
    exclude = ["pending_changes"]
    inlines = [VendorMembershipInline]
    list_per_page = 50
    actions = [
        decision_action(Vendor, "verify", services.verify_vendor, permission="verify"),
        decision_action(Vendor, "accept_changes", services.accept_vendor_changes, permission="verify"),
        decision_action(
            Vendor, "discard_changes", services.discard_vendor_changes, permission="verify", reason=REQUIRED
        ),
    ]

    def has_verify_permission(self, request):
        return request.user.has_perm(services.VERIFY_VENDOR_PERMISSION)

    @admin.display(boolean=True, description=_("changes waiting"))
    def has_pending_changes(self, vendor):
        return bool(vendor.pending_changes)

    @admin.display(description=_("changes waiting for review"))
    def pending_changes_table(self, vendor):
        if not vendor.pending_changes:
            return "–"
        rows = [
            (
                str(Vendor._meta.get_field(name).verbose_name),
                vendor.logo.name if name == "logo" else getattr(vendor, name),
                value,
            )
            for name, value in vendor.pending_changes.items()
        ]
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            gettext("Field"),
            gettext("Public now"),
            gettext("Proposed"),
            format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )


@admin.register(VendorMembership)
class VendorMembershipAdmin(FieldLabels, admin.ModelAdmin):
    list_display = [MEMBERSHIP_FIELDS["user"], MEMBERSHIP_FIELDS["vendor"], "role", "created_at"]
    labelled_fields = MEMBERSHIP_FIELDS
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "vendor__name"]
    autocomplete_fields = ["user", "vendor"]
    list_select_related = ["user", "vendor"]
