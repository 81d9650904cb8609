"""Admin of the Kompetenzzentrum's inbox (enquiries, barrier reports) and its section of the review queue.

marketplace/admin.py imports this module, so the registration runs when the admin autodiscovers the
"marketplace" app, and registers `enquiries_section` with the editors' review queue.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Case, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.kompetenzzentrum import services
from marketplace.kompetenzzentrum.models import BARRIER_ANSWER_DAYS, Enquiry


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


# ---------- Section for the editors' review queue (marketplace/editorial/queue.py) ----------


def enquiries_section(request, *, limit: int):
    """Open enquiries and barrier reports, oldest first; overdue barrier reports say so."""
    from marketplace.editorial.queue import QueueItem, Section

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
