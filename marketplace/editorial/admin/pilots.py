"""Admin of the pilot projects (with their moderation actions and CSV import), of the references and of the
references vendors propose."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from marketplace.editorial import services
from marketplace.editorial.admin.actions import REQUIRED, PublishPermission, decision_action, listing_actions
from marketplace.editorial.admin.base import (
    EDITORIAL_FIELDSET,
    EDITORIAL_READONLY_FIELDS,
    CsvExportMixin,
    CsvImportExportMixin,
    HistoryTimelineMixin,
    column,
)
from municipalities.models import Municipality
from pilots.models import PilotLink, PilotProject, Reference, ReferenceProposal
from solutions.models import Category


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
class PilotProjectAdmin(PublishPermission, HistoryTimelineMixin, CsvImportExportMixin, admin.ModelAdmin):
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
    readonly_fields = EDITORIAL_READONLY_FIELDS
    list_per_page = 50
    inlines = [PilotLinkInline, PilotReferenceInline]
    actions = listing_actions(PilotProject)
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
        EDITORIAL_FIELDSET,
    ]


class VerifyReferencePermission:
    def has_verify_permission(self, request):
        return request.user.has_perm(services.VERIFY_REFERENCE_PERMISSION)


@admin.register(Reference)
class ReferenceAdmin(VerifyReferencePermission, HistoryTimelineMixin, CsvExportMixin, admin.ModelAdmin):
    list_display = ["solution", "municipality", "pilot", "since_year", "is_verified", "is_demo"]
    list_filter = ["is_verified", "is_demo", "municipality__state"]
    search_fields = ["solution__title", "municipality__name", "pilot__title"]
    list_select_related = ["solution", "municipality", "pilot"]
    autocomplete_fields = ["solution", "municipality", "pilot"]
    # verified_by has no verbose name of its own (base.column).
    exclude = ["verified_by"]
    # The contact consent is the contact person's own answer (pilots/contact/): shown, never edited here.
    readonly_fields = [
        "verified_at",
        column("verified_by", _("verified by")),
        "contact_consent",
        "contact_consent_email",
        "contact_consent_asked_at",
        "contact_consent_at",
        "created_at",
        "updated_at",
    ]
    list_per_page = 50
    actions = [decision_action(Reference, "verify", services.verify_reference, permission="verify")]


@admin.register(ReferenceProposal)
class ReferenceProposalAdmin(VerifyReferencePermission, admin.ModelAdmin):
    """References vendors proposed; nothing here is public until accepted (it then becomes a Reference)."""

    list_display = [
        "solution", "municipality", "since_year", "status", column("proposed_by", _("proposed by")),
        "created_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["solution__title", "municipality__name"]
    list_select_related = ["solution", "municipality", "proposed_by"]
    # proposed_by and decided_by have no verbose name of their own (base.column).
    exclude = ["proposed_by", "decided_by"]
    readonly_fields = [
        "solution", "municipality", "since_year", "statement", "contact_name", "contact_email", "status",
        column("proposed_by", _("proposed by")), column("decided_by", _("decided by")), "decided_at",
        "decision_reason", "reference", "created_at",
    ]  # fmt: skip
    list_per_page = 50
    actions = [
        decision_action(ReferenceProposal, "accept", services.accept_reference_proposal, permission="verify"),
        decision_action(
            ReferenceProposal,
            "decline",
            services.decline_reference_proposal,
            permission="verify",
            reason=REQUIRED,
        ),
    ]

    def has_add_permission(self, request):
        return False
