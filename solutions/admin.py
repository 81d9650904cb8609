from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from import_export import resources

from marketplace.choices import EditorialStatus
from marketplace.history import changes_since_last_decision, timeline
from pilots.models import Reference
from solutions import services
from solutions.admin_moderation import (
    CsvExportMixin,
    HistoryTimelineMixin,
    reason_action,
    run_service,
)
from solutions.admin_queue import build_queue
from solutions.models import Category, Solution, SolutionRevision, Standard, Vendor, VendorMembership
from solutions.portal.revisions import changes


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_de"]}
    ordering = ["position", "name_de"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class VendorMembershipInline(admin.TabularInline):
    model = VendorMembership
    extra = 0
    autocomplete_fields = ["user"]


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
    actions = ["verify", "accept_changes", "discard_changes"]

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

    @admin.action(description=_("Accept the proposed profile changes"), permissions=["verify"])
    def accept_changes(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.accept_vendor_changes,
            done=gettext("Changes of %(count)d organisations accepted."),
        )

    @admin.action(description=_("Discard the proposed profile changes"), permissions=["verify"])
    def discard_changes(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.discard_vendor_changes,
            action="discard_changes",
            title=gettext("Discard the changes"),
            done=gettext("Changes of %(count)d organisations discarded."),
        )

    @admin.action(description=_("Verify the selected organisations"), permissions=["verify"])
    def verify(self, request, queryset):
        run_service(
            self, request, queryset, services.verify_vendor, done=gettext("%(count)d organisations verified.")
        )


@admin.register(VendorMembership)
class VendorMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "vendor", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "vendor__name"]
    autocomplete_fields = ["user", "vendor"]
    list_select_related = ["user", "vendor"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["municipality", "pilot", "since_year", "statement", "is_verified"]
    autocomplete_fields = ["municipality", "pilot"]


class DecisionForm(forms.Form):
    """One decision on the review page; the services check state, permission and reason."""

    decision = forms.ChoiceField(
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
            ("archive", _("Archive")),
            ("restore", _("Restore")),
            ("accept_revision", _("Accept the changes")),
            ("discard_revision", _("Discard the changes")),
            ("accept_documents", _("Accept the new documents")),
        ]
    )
    seen_version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class SolutionResource(resources.ModelResource):
    class Meta:
        model = Solution
        # The search vector is derived in the database and means nothing in a spreadsheet.
        exclude = ["search_vector"]


@admin.register(Solution)
class SolutionAdmin(HistoryTimelineMixin, CsvExportMixin, admin.ModelAdmin):
    resource_classes = [SolutionResource]
    list_display = [
        "title",
        "vendor",
        "status",
        "maturity",
        "licence_type",
        "featured",
        "is_demo",
        "updated_at",
    ]
    list_filter = ["status", "maturity", "licence_type", "price_model", "featured", "categories", "is_demo"]
    search_fields = ["title", "summary", "vendor__name", "slug"]
    list_select_related = ["vendor"]
    # What the home page features is picked right in the list.
    list_editable = ["featured"]
    autocomplete_fields = ["vendor", "categories", "standards"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "published_at", "archived_at"]
    date_hierarchy = "updated_at"
    change_form_template = "admin/solutions/solution/change_form.html"
    actions = [
        "publish_selected",
        "request_changes_selected",
        "reject_selected",
        "archive_selected",
        "restore_selected",
    ]
    list_per_page = 50
    inlines = [ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "vendor", "summary", "description", "logo", "website"]}),
        (_("Fit"), {"fields": ["categories", "standards", "size_classes", "maturity"]}),
        (_("Licence and hosting"), {"fields": ["licence_type", "spdx_id", "source_url", "hosting_options"]}),
        (
            _("Data protection and accessibility"),
            {"fields": ["dpa_available", "data_location", "accessibility", "accessibility_statement_url"]},
        ),
        (
            _("Costs and procurement"),
            {
                "fields": [
                    "price_model",
                    "cost_introduction_eur",
                    "cost_yearly_eur",
                    "cost_notes",
                    "framework_agreement",
                    "framework_agreement_name",
                    "procurement_notes",
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A listing an editor enters starts as a draft or as submitted, ready for publishing; after that
        # its status changes only through the moderation services (actions and the review page).
        return [name for name in fields if name != "status"] if obj is None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "status" in form.base_fields:
            form.base_fields["status"].choices = [
                (value, label)
                for value, label in EditorialStatus.choices
                if value in {EditorialStatus.DRAFT, EditorialStatus.SUBMITTED}
            ]
        return form

    def has_publish_permission(self, request):
        # Actions needing this are hidden from editors without it; the services refuse them anyway.
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    @admin.action(description=_("Publish the selected listings"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        try:
            published, refused = services.publish_many(list(queryset), by=request.user)
        except services.ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        for _row, problem in refused:
            self.message_user(request, problem, messages.ERROR)
        if published:
            self.message_user(
                request,
                gettext("%(count)d listings published.") % {"count": len(published)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Request changes to the selected listings"))
    def request_changes_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.request_changes,
            action="request_changes_selected",
            title=gettext("Request changes"),
            done=gettext("Changes requested for %(count)d listings."),
        )

    @admin.action(description=_("Reject the selected listings"), permissions=["publish"])
    def reject_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.reject,
            action="reject_selected",
            title=gettext("Reject"),
            done=gettext("%(count)d listings rejected."),
        )

    @admin.action(description=_("Archive the selected listings"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            services.archive,
            action="archive_selected",
            title=gettext("Archive"),
            done=gettext("%(count)d listings archived."),
            required=False,
        )

    @admin.action(description=_("Restore the selected listings"), permissions=["publish"])
    def restore_selected(self, request, queryset):
        run_service(self, request, queryset, services.restore, done=gettext("%(count)d listings restored."))

    def get_urls(self):
        return [
            path("queue/", self.admin_site.admin_view(self.queue_view), name="review_queue"),
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="solutions_solution_review",
            ),
            *super().get_urls(),
        ]

    def queue_view(self, request):
        return require_safe(self._queue_view)(request)

    def _queue_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review queue"),
            "subtitle": None,
            "sections": build_queue(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/review_queue.html", context)

    def review_view(self, request, object_id):
        return require_http_methods(["GET", "HEAD", "POST"])(self._review_view)(request, object_id)

    def _review_view(self, request, object_id):
        solution = Solution.objects.select_related("vendor").filter(pk=admin.utils.unquote(object_id)).first()
        if solution is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, solution):
            raise PermissionDenied
        revision = solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()
        form = DecisionForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and self._decide(request, solution, revision, form.cleaned_data)
        ):
            return redirect(reverse("admin:solutions_solution_review", args=[solution.pk]))
        may_publish = request.user.has_perm(services.PUBLISH_PERMISSION)
        documents = list(solution.documents.all())
        last_decision, changes_since = (
            changes_since_last_decision(solution)
            if solution.status == EditorialStatus.SUBMITTED
            else (None, [])
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review: %(title)s") % {"title": solution.title},
            "subtitle": None,
            "opts": self.opts,
            "original": solution,
            "solution": solution,
            "revision": revision,
            "changes": changes(revision) if revision else [],
            # For a resubmitted listing: what the vendor changed since the editors' last decision.
            "last_decision": last_decision,
            "changes_since_decision": changes_since,
            "entries": timeline(solution),
            "documents": documents,
            "pending_documents": any(document.accepted_at is None for document in documents),
            "seen_version": services.listing_version(solution),
            "form": form,
            "may_publish": may_publish,
            "may_change": self.has_change_permission(request, solution),
            "status": EditorialStatus,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/solutions/solution/review.html", context)

    def _decide(self, request, solution, revision, data) -> bool:
        """Run one decision; True when it succeeded (a message says what happened either way)."""
        decision, reason, by = data["decision"], data["reason"], request.user
        calls = {
            "publish": lambda: services.publish(solution, by=by, seen_version=data["seen_version"] or None),
            "accept_documents": lambda: services.accept_documents(solution.documents.pending(), by=by),
            "request_changes": lambda: services.request_changes(solution, by=by, reason=reason),
            "reject": lambda: services.reject(solution, by=by, reason=reason),
            "archive": lambda: services.archive(solution, by=by, reason=reason),
            "restore": lambda: services.restore(solution, by=by),
            "accept_revision": lambda: services.accept_pending_revision(revision, by=by),
            "discard_revision": lambda: services.discard_pending_revision(revision, by=by, reason=reason),
        }
        if decision in {"accept_revision", "discard_revision"} and revision is None:
            self.message_user(request, gettext("There are no pending changes."), messages.ERROR)
            return False
        try:
            calls[decision]()
        except services.ModerationError as refused:
            for problem in refused.problems:
                self.message_user(request, problem, messages.ERROR)
            return False
        self.message_user(request, gettext("Decision saved."), messages.SUCCESS)
        return True
