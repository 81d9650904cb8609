"""The changelist actions of the editorial decisions, written once.

`decision_action` turns an editorial service into an action (with a page asking for the reason where the
decision takes one); `publish_action` publishes the selected listings in one go; `listing_actions` gives a
listing model its five moderation actions. What each action is called and says is in WORDS.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.editorial import services
from marketplace.editorial.admin.base import confirm_publishing, entry_url, reason_action, run_service

# Whether a decision asks for a reason first.
REQUIRED, OPTIONAL = "required", "optional"

# The words of the editors' actions, by (model, action): the menu entry, the message after it ran
# ("…:done", with %(count)d) and the title of the page asking for the reason ("…:title"; model "" for all).
WORDS = {
    ("solutions.solution", "publish_selected"): _("Publish the selected listings"),
    ("solutions.solution", "publish_selected:done"): _("%(count)d listings published."),
    ("solutions.solution", "request_changes_selected"): _("Request changes to the selected listings"),
    ("solutions.solution", "request_changes_selected:done"): _("Changes requested for %(count)d listings."),
    ("solutions.solution", "reject_selected"): _("Reject the selected listings"),
    ("solutions.solution", "reject_selected:done"): _("%(count)d listings rejected."),
    ("solutions.solution", "archive_selected"): _("Archive the selected listings"),
    ("solutions.solution", "archive_selected:done"): _("%(count)d listings archived."),
    ("solutions.solution", "restore_selected"): _("Restore the selected listings"),
    ("solutions.solution", "restore_selected:done"): _("%(count)d listings restored."),
    ("pilots.pilotproject", "publish_selected"): _("Publish the selected pilot projects"),
    ("pilots.pilotproject", "publish_selected:done"): _("%(count)d pilot projects published."),
    ("pilots.pilotproject", "request_changes_selected"): _("Request changes to the selected pilot projects"),
    ("pilots.pilotproject", "request_changes_selected:done"): _(
        "Changes requested for %(count)d pilot projects."
    ),
    ("pilots.pilotproject", "reject_selected"): _("Reject the selected pilot projects"),
    ("pilots.pilotproject", "reject_selected:done"): _("%(count)d pilot projects rejected."),
    ("pilots.pilotproject", "archive_selected"): _("Archive the selected pilot projects"),
    ("pilots.pilotproject", "archive_selected:done"): _("%(count)d pilot projects archived."),
    ("pilots.pilotproject", "restore_selected"): _("Restore the selected pilot projects"),
    ("pilots.pilotproject", "restore_selected:done"): _("%(count)d pilot projects restored."),
    ("", "request_changes_selected:title"): _("Request changes"),
    ("", "reject_selected:title"): _("Reject"),
    ("", "archive_selected:title"): _("Archive"),
    ("solutions.vendor", "verify"): _("Verify the selected organisations"),
    ("solutions.vendor", "verify:done"): _("%(count)d organisations verified."),
    ("solutions.vendor", "accept_changes"): _("Accept the proposed profile changes"),
    ("solutions.vendor", "accept_changes:done"): _("Changes of %(count)d organisations accepted."),
    ("solutions.vendor", "discard_changes"): _("Discard the proposed profile changes"),
    ("solutions.vendor", "discard_changes:done"): _("Changes of %(count)d organisations discarded."),
    ("solutions.vendor", "discard_changes:title"): _("Discard the changes"),
    ("pilots.reference", "verify"): _("Verify the selected references"),
    ("pilots.reference", "verify:done"): _("%(count)d references verified."),
    ("pilots.referenceproposal", "accept"): _("Accept the selected proposals as references"),
    ("pilots.referenceproposal", "accept:done"): _("%(count)d proposals accepted."),
    ("pilots.referenceproposal", "decline"): _("Decline the selected proposals"),
    ("pilots.referenceproposal", "decline:done"): _("%(count)d proposals declined."),
    ("pilots.referenceproposal", "decline:title"): _("Decline"),
}


def words(model, key: str) -> str:
    """The text `key` of `model`'s actions (see WORDS), or the one for all models."""
    own = (model._meta.label_lower, key)
    return str(WORDS[own] if own in WORDS else WORDS[("", key)])


def decision_action(model, name: str, service, *, permission: str | None = None, reason: str | None = None):
    """A changelist action `name` of `model` calling `service(obj, by=editor)` for each selected row.

    Each refusal is shown with its reason, the successes counted. With `reason` (REQUIRED or OPTIONAL) a
    page asks for the reason first. `permission` names the ModelAdmin's has_<permission>_permission that
    hides the action from editors without it (the service refuses them anyway); without one every editor
    who sees the changelist sees the action.
    """

    def action(modeladmin, request, queryset):
        done = words(model, f"{name}:done")
        if reason is None:
            return run_service(modeladmin, request, queryset, service, done=done)
        return reason_action(
            modeladmin,
            request,
            queryset,
            service,
            action=name,
            title=words(model, f"{name}:title"),
            done=done,
            required=reason == REQUIRED,
        )

    action.__name__ = name
    return admin.action(
        action,
        permissions=[permission] if permission else None,
        description=WORDS[(model._meta.label_lower, name)],
    )


def publish_action(model):
    """Publish the selected listings in one go (`services.publish_many`), reporting each refusal.

    A page first lists what will be published and what will not (with the reason), and publishing only
    happens when the editor confirms there: publishing is public at once and mails the organisations.
    """

    def publish_selected(modeladmin, request, queryset):
        if "apply" not in request.POST:
            return confirm_publishing(modeladmin, request, queryset, title=words(model, "publish_selected"))
        try:
            published, refused = services.publish_many(list(queryset), by=request.user)
        except services.ModerationError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return
        for row, problem in refused:
            # The refusal with the way to its resolution: the entry's review page (or change form).
            modeladmin.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', problem, entry_url(row), gettext("Open it")),
                messages.ERROR,
            )
        if published:
            done = words(model, "publish_selected:done")
            modeladmin.message_user(request, done % {"count": len(published)}, messages.SUCCESS)

    return admin.action(
        publish_selected,
        permissions=["publish"],
        description=WORDS[(model._meta.label_lower, "publish_selected")],
    )


# The listing steps besides publishing: the service, the permission that shows the action, whether it
# asks for a reason. Asking for changes is part of editing, so every editor sees it.
LISTING_STEPS = {
    "request_changes_selected": (services.request_changes, None, REQUIRED),
    "reject_selected": (services.reject, "publish", REQUIRED),
    "archive_selected": (services.archive, "publish", OPTIONAL),
    "restore_selected": (services.restore, "publish", None),
}


def listing_actions(model) -> list:
    """publish, request changes, reject, archive and restore the selected rows of a listing model.

    The ModelAdmin needs `has_publish_permission` (see `PublishPermission`).
    """
    return [
        publish_action(model),
        *(
            decision_action(model, name, service, permission=permission, reason=reason)
            for name, (service, permission, reason) in LISTING_STEPS.items()
        ),
    ]


class PublishPermission:
    """has_publish_permission for the listing actions: the workflow's publish permission of the model."""

    def has_publish_permission(self, request):
        return request.user.has_perm(services.workflow_for(self.model).publish_permission)
