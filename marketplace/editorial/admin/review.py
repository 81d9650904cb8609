"""The editors' two own pages in the admin: the review queue and the review page of a listing (what it
says, what changed, its documents and history, and one form for the decision)."""

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
from marketplace.editorial.history import changes_since_last_decision, timeline
from marketplace.editorial.queue import build_queue
from solutions.models import Solution, SolutionRevision
from solutions.portal.revisions import changes


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
    """The review page of one listing; a POST takes the decision and comes back here."""
    solution = Solution.objects.select_related("vendor").filter(pk=admin.utils.unquote(object_id)).first()
    if solution is None:
        return modeladmin._get_obj_does_not_exist_redirect(request, modeladmin.opts, object_id)
    if not modeladmin.has_view_or_change_permission(request, solution):
        raise PermissionDenied
    revision = solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()
    form = DecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and decide(modeladmin, request, solution, revision, form.cleaned_data)
    ):
        return redirect(reverse("admin:solutions_solution_review", args=[solution.pk]))
    documents = list(solution.documents.all())
    last_decision, changes_since = (
        changes_since_last_decision(solution) if solution.status == EditorialStatus.SUBMITTED else (None, [])
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Review: %(title)s") % {"title": solution.title},
        "subtitle": None,
        "opts": modeladmin.opts,
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
        "may_publish": request.user.has_perm(services.SOLUTIONS.publish_permission),
        "may_change": modeladmin.has_change_permission(request, solution),
        "status": EditorialStatus,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/solutions/solution/review.html", context)


def decide(modeladmin, request, solution, revision, data) -> bool:
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
        modeladmin.message_user(request, gettext("There are no pending changes."), messages.ERROR)
        return False
    try:
        calls[decision]()
    except services.ModerationError as refused:
        for problem in refused.problems:
            modeladmin.message_user(request, problem, messages.ERROR)
        return False
    modeladmin.message_user(request, gettext("Decision saved."), messages.SUCCESS)
    return True


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
