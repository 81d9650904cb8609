"""Admin of framework agreements, the organisations behind them with their member municipalities, vendors'
agreement proposals (accept or reject: the only way a vendor's solution reaches an agreement) and the
call-off requests municipalities sent (read-only)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from solutions.agreements import services
from solutions.agreements.models import (
    AgreementDocument,
    AgreementProposal,
    CallOffRequest,
    FrameworkAgreement,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "vendor"]
    list_filter = ["kind"]
    list_select_related = ["vendor"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["vendor", "members"]


class DocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 1


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "body_name",
        "eligibility",
        "contract_type",
        "starts_on",
        "ends_on",
        "is_published",
    ]
    list_filter = ["is_published", "eligibility", "contract_type", "body_kind"]
    search_fields = ["title", "reference_number", "body_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "body_organisation",
        "eligible_organisation",
        "eligible_municipalities",
        "solutions",
        "vendors",
    ]
    inlines = [DocumentInline]
    date_hierarchy = "ends_on"


@admin.register(AgreementProposal)
class AgreementProposalAdmin(admin.ModelAdmin):
    list_display = ["created_at", "solution", "agreement", "title", "status"]
    list_filter = ["status"]
    list_select_related = ["solution", "agreement"]
    search_fields = ["title", "body_name", "solution__title"]
    readonly_fields = ["solution", "proposed_by", "status", "decided_by", "decided_at", "created_at"]
    autocomplete_fields = ["agreement"]
    actions = ["accept", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Accept: add the solution to the agreement"))
    def accept(self, request, queryset):
        pending = queryset.filter(status=AgreementProposal.Status.PENDING).select_related(
            "solution", "agreement"
        )
        for proposal in pending:
            services.accept_proposal(proposal=proposal, by=request.user)
        self.message_user(request, _("%(n)d proposals accepted.") % {"n": len(pending)}, messages.SUCCESS)

    @admin.action(description=_("Reject"))
    def reject(self, request, queryset):
        pending = list(queryset.filter(status=AgreementProposal.Status.PENDING))
        for proposal in pending:
            services.reject_proposal(proposal=proposal, by=request.user)
        self.message_user(request, _("%(n)d proposals rejected.") % {"n": len(pending)}, messages.SUCCESS)


@admin.register(CallOffRequest)
class CallOffRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "municipality_name", "solution", "agreement", "contact_name"]
    list_select_related = ["solution", "agreement"]
    search_fields = ["municipality_name", "contact_name", "email", "solution__title"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "agreement",
        "solution",
        "municipality",
        "municipality_name",
        "contact_name",
        "email",
        "phone",
        "scope",
        "desired_start",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
