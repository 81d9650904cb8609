from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from municipalities.models import Municipality
from pilots import services
from pilots.models import PilotLink, PilotProject, Reference, ReferenceProposal
from solutions.admin_moderation import (
    CsvExportMixin,
    CsvImportExportMixin,
    HistoryTimelineMixin,
    reason_action,
    run_service,
)
from solutions.models import Category
from solutions.services import ModerationError


class PilotProjectResource(resources.ModelResource):
    """CSV columns of pilot projects; rows are matched by slug, municipalities by their official key
    (AGS) and fields of action by slug. Imported projects keep their editorial status: new ones are
    drafts that editors publish through the moderation actions."""

    lead_municipality = fields.Field(
        attribute="lead_municipality",
        column_name="lead_municipality_ags",
        widget=ForeignKeyWidget(Municipality, "ags"),
    )
    partners = fields.Field(
        attribute="partners", column_name="partner_ags", widget=ManyToManyWidget(Municipality, field="ags")
    )
    categories = fields.Field(
        attribute="categories", column_name="categories", widget=ManyToManyWidget(Category, field="slug")
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = PilotProject
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "lead_municipality",
            "partners",
            "categories",
            "funding",
            "model_project_round",
            "phase",
            "start_date",
            "end_date",
            "budget_eur",
            "summary",
            "goals",
            "results",
            "lessons_learned",
            "transferability",
            "operator_model",
            "data_used",
            "contact_name",
            "contact_email",
            "contact_phone",
            "status",
        ]
        skip_unchanged = True
        clean_model_instances = True


class PilotLinkInline(admin.TabularInline):
    model = PilotLink
    extra = 0


class PilotReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["solution", "municipality", "since_year", "is_verified"]
    autocomplete_fields = ["solution", "municipality"]


@admin.register(PilotProject)
class PilotProjectAdmin(HistoryTimelineMixin, CsvImportExportMixin, admin.ModelAdmin):
    resource_classes = [PilotProjectResource]
    list_display = [
        "title",
        "lead_municipality",
        "funding",
        "model_project_round",
        "phase",
        "status",
        "featured",
        "is_demo",
    ]
    list_filter = ["status", "funding", "model_project_round", "phase", "categories", "is_demo"]
    search_fields = ["title", "summary", "lead_municipality__name"]
    list_select_related = ["lead_municipality"]
    list_editable = ["featured"]
    autocomplete_fields = ["lead_municipality", "partners", "categories"]
    prepopulated_fields = {"slug": ["title"]}
    # The status changes only through the moderation actions, so each decision is recorded.
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "published_at", "archived_at"]
    list_per_page = 50
    inlines = [PilotLinkInline, PilotReferenceInline]
    actions = [
        "publish_selected",
        "request_changes_selected",
        "reject_selected",
        "archive_selected",
        "restore_selected",
    ]
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

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    @admin.action(description=_("Publish the selected pilot projects"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        try:
            published, refused = services.publish_many(list(queryset), by=request.user)
        except ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        for _row, problem in refused:
            self.message_user(request, problem, messages.ERROR)
        if published:
            self.message_user(
                request,
                gettext("%(count)d pilot projects published.") % {"count": len(published)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Request changes to the selected pilot projects"))
    def request_changes_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.request_changes,
            action="request_changes_selected",
            title=gettext("Request changes"),
            done=gettext("Changes requested for %(count)d pilot projects."),
        )

    @admin.action(description=_("Reject the selected pilot projects"), permissions=["publish"])
    def reject_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.reject,
            action="reject_selected",
            title=gettext("Reject"),
            done=gettext("%(count)d pilot projects rejected."),
        )

    @admin.action(description=_("Archive the selected pilot projects"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.archive,
            action="archive_selected",
            title=gettext("Archive"),
            done=gettext("%(count)d pilot projects archived."),
            required=False,
        )

    @admin.action(description=_("Restore the selected pilot projects"), permissions=["publish"])
    def restore_selected(self, request, queryset):
        run_service(
            self, request, queryset, services.restore, done=gettext("%(count)d pilot projects restored.")
        )


@admin.register(Reference)
class ReferenceAdmin(HistoryTimelineMixin, CsvExportMixin, admin.ModelAdmin):
    list_display = ["solution", "municipality", "pilot", "since_year", "is_verified", "is_demo"]
    list_filter = ["is_verified", "is_demo", "municipality__state"]
    search_fields = ["solution__title", "municipality__name", "pilot__title"]
    list_select_related = ["solution", "municipality", "pilot"]
    autocomplete_fields = ["solution", "municipality", "pilot"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "updated_at"]
    list_per_page = 50
    actions = ["verify"]

    def has_verify_permission(self, request):
        return request.user.has_perm(services.VERIFY_REFERENCE_PERMISSION)

    @admin.action(description=_("Verify the selected references"), permissions=["verify"])
    def verify(self, request, queryset):
        run_service(
            self, request, queryset, services.verify_reference, done=gettext("%(count)d references verified.")
        )


@admin.register(ReferenceProposal)
class ReferenceProposalAdmin(admin.ModelAdmin):
    """References vendors proposed; nothing here is public until accepted (it then becomes a Reference)."""

    list_display = ["solution", "municipality", "since_year", "status", "proposed_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["solution__title", "municipality__name"]
    list_select_related = ["solution", "municipality", "proposed_by"]
    readonly_fields = [
        "solution", "municipality", "since_year", "statement", "contact_name", "contact_email", "status",
        "proposed_by", "decided_by", "decided_at", "decision_reason", "reference", "created_at",
    ]  # fmt: skip
    list_per_page = 50
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    def has_accept_permission(self, request):
        return request.user.has_perm(services.VERIFY_REFERENCE_PERMISSION)

    has_decline_permission = has_accept_permission

    @admin.action(description=_("Accept the selected proposals as references"), permissions=["accept"])
    def accept(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.accept_reference_proposal,
            done=gettext("%(count)d proposals accepted."),
        )

    @admin.action(description=_("Decline the selected proposals"), permissions=["decline"])
    def decline(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.decline_reference_proposal,
            action="decline",
            title=gettext("Decline"),
            done=gettext("%(count)d proposals declined."),
        )
