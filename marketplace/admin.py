"""Admin of the Kompetenzzentrum's inbox (enquiries, barrier reports) and of the link checks."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Case, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace import linkcheck, services
from marketplace.models import BARRIER_ANSWER_DAYS, Enquiry, LinkCheck


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            (
                "1",
                _("Barrier reports older than %(days)s days without answer") % {"days": BARRIER_ANSWER_DAYS},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.overdue()
        return queryset


def _status_action(status, label):
    def action(modeladmin, request, queryset):
        count = 0
        for enquiry in queryset:
            services.set_enquiry_status(enquiry, status=status, by=request.user)
            count += 1
        modeladmin.message_user(
            request, _("%(count)d entries set to “%(status)s”.") % {"count": count, "status": label}
        )

    action.__name__ = f"mark_{status}"
    action.short_description = _("Set status: %(status)s") % {"status": label}
    action.allowed_permissions = ("change",)
    return action


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "subject",
        "municipality",
        "status",
        "assigned_to",
        "overdue_flag",
    ]
    list_filter = [OverdueFilter, "kind", "status", "topic", "assigned_to"]
    list_select_related = ["municipality", "assigned_to"]
    search_fields = ["name", "email", "message", "page_url", "municipality__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = []
    raw_id_fields = ["municipality"]
    readonly_fields = [
        "kind",
        "created_at",
        "updated_at",
        "answered_at",
        "closed_at",
        "language",
        "name",
        "role",
        "email",
        "topic",
        "message",
        "page_url",
        "overdue_flag",
    ]
    fieldsets = [
        (_("Handling"), {"fields": ["status", "assigned_to", "internal_notes", "overdue_flag"]}),
        (
            _("Received"),
            {"fields": ["kind", "created_at", "municipality", "name", "role", "email", "language"]},
        ),
        (_("Message"), {"fields": ["topic", "page_url", "message"]}),
        (_("Dates"), {"fields": ["updated_at", "answered_at", "closed_at"]}),
    ]
    actions = [
        _status_action(Enquiry.Status.IN_PROGRESS, Enquiry.Status.IN_PROGRESS.label),
        _status_action(Enquiry.Status.ANSWERED, Enquiry.Status.ANSWERED.label),
        _status_action(Enquiry.Status.CLOSED, Enquiry.Status.CLOSED.label),
        "assign_to_me",
    ]

    def get_queryset(self, request):
        # Open ones first, then oldest first: the inbox is worked from the top.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _open=Case(
                    When(status__in=[Enquiry.Status.NEW, Enquiry.Status.IN_PROGRESS], then=0), default=1
                )
            )
            .order_by("_open", "created_at")
        )

    def has_add_permission(self, request):
        # Entries come from the public forms only.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("subject"))
    def subject(self, obj):
        if obj.kind == Enquiry.Kind.BARRIER:
            return obj.page_url
        return obj.get_topic_display()

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        # Status changes go through the service so the answer and close dates are kept.
        if change and "status" in form.changed_data:
            obj.save()
            services.set_enquiry_status(obj, status=obj.status, by=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = 0
        for enquiry in queryset:
            services.assign_enquiry(enquiry, to=request.user)
            count += 1
        self.message_user(
            request, _("%(count)d entries assigned to you.") % {"count": count}, messages.SUCCESS
        )


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


# ---------- Sections for the editors' review queue (solutions/admin_queue.py) ----------
# Not registered here: the queue's locked query counts cover its own five sections. The queue adds these
# with `register_inbox_sections()` (or `register_section(...)` for each) and raises its counts by two per
# section on the queue page and one per section on the admin index (two for the stale listings).


def enquiries_section(request, *, limit: int):
    """Open enquiries and barrier reports, oldest first; overdue barrier reports say so."""
    from solutions.admin_queue import QueueItem, Section

    if not request.user.has_perm("marketplace.view_enquiry"):
        return None
    rows = services.open_enquiries()
    items = [
        QueueItem(
            str(enquiry),
            reverse("admin:marketplace_enquiry_change", args=[enquiry.pk]),
            enquiry.created_at,
            str(_("overdue")) if enquiry.is_overdue else enquiry.get_status_display(),
        )
        for enquiry in (rows[:limit] if limit else [])
    ]
    return Section(
        "enquiries",
        str(_("Open enquiries and barrier reports")),
        rows.count(),
        items,
        reverse("admin:marketplace_enquiry_changelist"),
    )


def broken_links_section(request, *, limit: int):
    """Broken external links of published entries, longest broken first."""
    from solutions.admin_queue import QueueItem, Section

    if not request.user.has_perm("marketplace.view_linkcheck"):
        return None
    rows = linkcheck.broken_link_entries()
    items = [
        QueueItem(
            f"{check.entry_title}: {check.url}",
            reverse(
                f"admin:{check.content_type.app_label}_{check.content_type.model}_change",
                args=[check.object_id],
            ),
            check.broken_since,
            check.error or f"HTTP {check.status_code}",
        )
        for check in (rows[:limit] if limit else [])
    ]
    return Section(
        "broken_links",
        str(_("Broken links")),
        rows.count(),
        items,
        reverse("admin:marketplace_linkcheck_changelist") + "?is_broken__exact=1",
    )


def stale_listings_section(request, *, limit: int):
    """Published solutions and pilot projects not updated for 12 months, oldest first."""
    from solutions.admin_queue import QueueItem, Section

    if not request.user.has_perm("solutions.view_solution"):
        return None
    stale = linkcheck.stale_entries()
    entries = sorted([*stale["solutions"], *stale["pilots"]], key=lambda entry: entry.updated_at)
    items = [
        QueueItem(
            entry.title,
            reverse(f"admin:{entry._meta.app_label}_{entry._meta.model_name}_change", args=[entry.pk]),
            entry.updated_at,
            str(entry._meta.verbose_name),
        )
        for entry in entries[:limit]
    ]
    return Section("stale_listings", str(_("Not updated for 12 months")), len(entries), items)


def register_inbox_sections() -> None:
    from solutions.admin_queue import register_section

    register_section(enquiries_section)
    register_section(broken_links_section)
    register_section(stale_listings_section)


# The editors see open enquiries, overdue barrier reports, broken links and stale listings in their queue.
register_inbox_sections()
