"""The editors' two own pages in the admin: the review queue and the review page of a listing.

The review page shows the whole listing as it will be published (every section, logo, documents,
references), the organisation behind it, what changed, its history, and one form per decision. Publishing
asks for confirmation on a page of its own (a second POST with confirm=1, no JavaScript needed). A refused
decision says why and offers the step that resolves it right there: verify the organisation, review the
changed listing again, fill in what is missing.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.admin import review_content as content
from marketplace.editorial.history import changes_since_last_decision, timeline
from marketplace.editorial.queue import build_queue
from solutions.models import Solution, SolutionRevision
from solutions.portal.revisions import changes
from solutions.preview import as_published


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
            ("verify_vendor", _("Verify the organisation")),
        ]
    )
    seen_version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    # The fields a change request concerns (names of the vendors' listing form).
    fields = forms.MultipleChoiceField(required=False)
    # Publishing takes effect only from the confirmation page.
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [
            (name, content.field_label(name)) for name in content.requestable_field_names()
        ]


def queue_view(modeladmin, request):
    """The review queue: each section the editor may see with its oldest items."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Review queue"),
        "subtitle": None,
        "sections": build_queue(request),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/review_queue.html", context)


def review_view(modeladmin, request, object_id):
    """The review page of one listing; a POST takes the decision and comes back here (publishing via the
    confirmation page)."""
    solution = Solution.objects.select_related("vendor").filter(pk=admin.utils.unquote(object_id)).first()
    if solution is None:
        return modeladmin._get_obj_does_not_exist_redirect(request, modeladmin.opts, object_id)
    if not modeladmin.has_view_or_change_permission(request, solution):
        raise PermissionDenied
    revision = solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()
    form = DecisionForm(request.POST or None)
    refusal = None
    if request.method == "POST":
        if not form.is_valid():
            modeladmin.message_user(request, gettext("Please correct the errors below."), messages.ERROR)
        elif form.cleaned_data["decision"] == "publish" and not form.cleaned_data["confirm"]:
            refusal = _publish_refusal(request, solution, form.cleaned_data)
            if refusal is None:
                return _confirmation(modeladmin, request, solution, form.cleaned_data)
            _tell_refusal(modeladmin, request, refusal)
        else:
            refusal = decide(modeladmin, request, solution, revision, form.cleaned_data)
            if refusal is None:
                anchor = "#organisation" if form.cleaned_data["decision"] == "verify_vendor" else ""
                return redirect(reverse("admin:solutions_solution_review", args=[solution.pk]) + anchor)
    return TemplateResponse(
        request,
        "admin/solutions/solution/review.html",
        _review_context(modeladmin, request, solution, revision, form, refusal),
    )


def _publish_refusal(request, solution, data) -> services.ModerationError | None:
    """What keeps the editor from publishing now, checked before the confirmation page is shown (the
    same checks `services.publish` makes again when the editor confirms)."""
    try:
        services.require_permission(request.user, services.SOLUTIONS.publish_permission)
    except services.ModerationError as refused:
        return refused
    if refusal := services.publish_refusal(solution):
        return refusal
    if data["seen_version"] and data["seen_version"] != services.listing_version(solution):
        return services.changed_meanwhile(solution)
    return None


def _confirmation(modeladmin, request, solution, data):
    """The page that asks before publishing: what becomes public, who is told, what is still empty."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Publish “%(title)s”?") % {"title": solution.title},
        "subtitle": None,
        "opts": modeladmin.opts,
        "original": solution,
        "solution": solution,
        "seen_version": data["seen_version"],
        "missing": content.missing_labels(solution),
        "pending_documents": solution.documents.pending().count(),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/solutions/solution/publish_confirm.html", context)


def _tell_refusal(modeladmin, request, refused: services.ModerationError) -> None:
    for problem in refused.problems:
        modeladmin.message_user(request, problem, messages.ERROR)


def decide(modeladmin, request, solution, revision, data) -> services.ModerationError | None:
    """Run one decision; None when it succeeded, else the refusal (its messages are shown either way)."""
    decision, reason, by = data["decision"], data["reason"], request.user
    calls = {
        "publish": lambda: services.publish(solution, by=by, seen_version=data["seen_version"] or None),
        "accept_documents": lambda: services.accept_documents(solution.documents.pending(), by=by),
        "request_changes": lambda: services.request_changes(
            solution, by=by, reason=reason, fields=data["fields"]
        ),
        "reject": lambda: services.reject(solution, by=by, reason=reason),
        "archive": lambda: services.archive(solution, by=by, reason=reason),
        "restore": lambda: services.restore(solution, by=by),
        "accept_revision": lambda: services.accept_pending_revision(revision, by=by),
        "discard_revision": lambda: services.discard_pending_revision(revision, by=by, reason=reason),
        # The same service, permission check and history as the organisations' changelist action.
        "verify_vendor": lambda: services.verify_vendor(solution.vendor, by=by),
    }
    try:
        if decision in {"accept_revision", "discard_revision"} and revision is None:
            raise services.ModerationError(gettext("There are no pending changes."))
        calls[decision]()
    except services.ModerationError as refused:
        _tell_refusal(modeladmin, request, refused)
        return refused
    done = {
        "verify_vendor": gettext("“%(vendor)s” is verified; its listings can be published now.")
        % {"vendor": solution.vendor.name},
        "publish": gettext("“%(title)s” is published.") % {"title": solution.title},
    }
    modeladmin.message_user(request, done.get(decision, gettext("Decision saved.")), messages.SUCCESS)
    return None


def _review_context(modeladmin, request, solution, revision, form, refusal) -> dict:
    user = request.user
    may_publish = user.has_perm(services.SOLUTIONS.publish_permission)
    documents = list(solution.documents.all())
    categories, standards = list(solution.categories.all()), list(solution.standards.all())
    last_decision, changes_since = (
        changes_since_last_decision(solution) if solution.status == EditorialStatus.SUBMITTED else (None, [])
    )
    posted = form.cleaned_data if form.is_bound and form.is_valid() else {}
    missing = content.missing_labels(solution)
    # A new change request starts with the fields still empty ticked; after a refusal, with the editor's.
    if posted.get("decision") == "request_changes":
        ticked, request_reason = posted["fields"], posted["reason"]
    else:
        ticked, request_reason = [name for name, _label in missing], ""
    publishable = solution.status in services.SOLUTIONS.allowed("publish")
    requested = set(solution.changes_requested_fields or [])
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Review: %(title)s") % {"title": solution.title},
        "subtitle": None,
        "opts": modeladmin.opts,
        "original": solution,
        "solution": solution,
        "organisation": content.organisation(solution),
        "may_verify": user.has_perm(services.VERIFY_VENDOR_PERMISSION),
        "sections": content.listing_sections(solution, categories=categories, standards=standards),
        "missing": missing,
        "requested_fields": [
            content.field_label(n) for n in content.requestable_field_names() if n in requested
        ],
        "revision": revision,
        "changes": changes(revision) if revision else [],
        "proposed_logo_url": _proposed_logo_url(solution, revision),
        # For a resubmitted listing: what the vendor changed since the editors' last decision.
        "last_decision": last_decision,
        "changes_since_decision": changes_since,
        "entries": timeline(solution),
        "documents": documents,
        "pending_documents": any(document.accepted_at is None for document in documents),
        "references": content.references(solution),
        "proposals": content.waiting_proposals(solution),
        "seen_version": services.listing_version(solution),
        "may_publish": may_publish,
        "may_change": modeladmin.has_change_permission(request, solution),
        # Why publishing is not possible now, with the step that resolves it (shown instead of the button).
        "publish_blocked": services.publish_refusal(solution) if may_publish and publishable else None,
        "refusal": refusal,
        "form": form,
        "request_groups": content.requestable_groups(ticked),
        "request_ticked": bool(ticked),
        "request_reason": request_reason,
        "status": EditorialStatus,
    }
    request.current_app = modeladmin.admin_site.name
    return context


def _proposed_logo_url(solution, revision) -> str:
    """The address of the logo a pending revision brings, or "" when it keeps the logo."""
    if revision is None or "logo" not in revision.data:
        return ""
    return as_published(solution, revision).logo_url


class ReviewPages:
    """Adds the review queue and the review page to a ModelAdmin's URLs (names stay `admin:review_queue`
    and `admin:solutions_solution_review`)."""

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
        return require_safe(partial(queue_view, self))(request)

    def review_view(self, request, object_id):
        return require_http_methods(["GET", "HEAD", "POST"])(partial(review_view, self))(request, object_id)
