"""Write operations of the vendor portal. Each docstring lists every side effect.

Views and commands call these functions; models and signals stay free of side effects. The editors'
decisions on what vendors submit (publishing, revisions, profile changes, documents) are in
marketplace/editorial/services/.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace import mail
from marketplace.choices import EditorialStatus
from solutions.models import (
    JoinRequest,
    Solution,
    SolutionDocument,
    SolutionRevision,
    Vendor,
    VendorMembership,
)
from solutions.portal import access


class PortalError(Exception):
    """A rule of the portal refused the operation; `problems` are messages for the person."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    base = slugify(text)[: max_length - 10] or "eintrag"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# ---------- Organisations ----------


def create_organisation(*, by, form) -> Vendor:
    """Create a vendor organisation from a valid OrganisationForm with `by` as its administrator.

    Side effects: Vendor (unverified, so not public until an editor verifies it), an admin
    VendorMembership, an e-mail to the editors.
    """
    if not access.is_email_verified(by):
        raise PortalError([_("Please confirm your e-mail address first.")])
    with transaction.atomic():
        vendor = form.save(commit=False)
        vendor.slug = unique_slug(Vendor, vendor.name)
        vendor.is_verified = False
        vendor.save()
        VendorMembership.objects.create(vendor=vendor, user=by, role=VendorMembership.Role.ADMIN)
    mail.notify_editors(template="emails/new_organisation.txt", context={"vendor": vendor})
    return vendor


def request_to_join(vendor: Vendor, *, by, message: str = "") -> JoinRequest:
    """Ask to become a member of `vendor`.

    Side effects: a pending JoinRequest (an existing pending one is reused); an e-mail to the
    organisation's administrators.
    """
    if not access.is_email_verified(by):
        raise PortalError([_("Please confirm your e-mail address first.")])
    if vendor.memberships.filter(user=by).exists():
        raise PortalError([_("You are already a member of this organisation.")])
    join_request, created = JoinRequest.objects.get_or_create(
        vendor=vendor, user=by, status=JoinRequest.Status.PENDING, defaults={"message": message}
    )
    if created:
        admins = vendor.memberships.filter(role=VendorMembership.Role.ADMIN).select_related("user")
        mail.queue_mail(
            to=[m.user.email for m in admins],
            template="emails/join_request.txt",
            context={"vendor": vendor, "join_request": join_request},
        )
    return join_request


def decide_join_request(join_request: JoinRequest, *, by, approve: bool) -> JoinRequest:
    """An administrator of the organisation approves or declines a pending join request.

    Side effects: JoinRequest status, decided_by, decided_at; on approval an editor VendorMembership;
    an e-mail to the person who asked.
    """
    if not access.is_admin(by, join_request.vendor):
        raise PortalError([_("Only administrators of the organisation can decide on join requests.")])
    if join_request.status != JoinRequest.Status.PENDING:
        raise PortalError([_("This request has already been decided.")])
    with transaction.atomic():
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        join_request.decided_by = by
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            VendorMembership.objects.get_or_create(
                vendor=join_request.vendor,
                user=join_request.user,
                defaults={"role": VendorMembership.Role.EDITOR},
            )
    mail.queue_mail(
        to=[join_request.user.email],
        template="emails/join_request_decided.txt",
        context={"join_request": join_request, "approved": approve},
    )
    return join_request


def change_role(membership: VendorMembership, *, by, role: str) -> VendorMembership:
    """An administrator changes a member's role. Side effects: VendorMembership.role.

    The last administrator cannot step down, so an organisation is never left without one.
    """
    if not access.is_admin(by, membership.vendor):
        raise PortalError([_("Only administrators can change roles.")])
    if (
        role != VendorMembership.Role.ADMIN
        and membership.role == VendorMembership.Role.ADMIN
        and not membership.vendor.memberships.filter(role=VendorMembership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise PortalError([_("An organisation needs at least one administrator.")])
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


# ---------- Listings ----------

# What a listing needs before editors look at it, in the order of the form; drafts may be saved with less.
# The choices among them have no default: the vendor decides them (a new listing starts without answers).
REQUIRED_FOR_SUBMISSION = [
    "title", "summary", "description", "categories", "size_classes", "maturity", "hosting_options",
    "data_location", "price_model", "contact_email",
]  # fmt: skip


def missing_for_submission(solution: Solution) -> list[str]:
    """Names of the fields a listing still lacks before it can be submitted."""
    return [
        name
        for name in REQUIRED_FOR_SUBMISSION
        if not (solution.categories.exists() if name == "categories" else getattr(solution, name))
    ]


def create_draft(*, by, vendor: Vendor, form) -> Solution:
    """Save a new listing as a draft of `vendor`. Side effects: Solution (status draft) and its M2M rows."""
    if not access.is_member(by, vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    solution = form.save(commit=False)
    solution.vendor = vendor
    solution.status = EditorialStatus.DRAFT
    solution.slug = unique_slug(Solution, solution.title)
    with transaction.atomic():
        solution.save()
        form.save_m2m()
    return solution


# A listing an editor has published (and may restore after archiving) only changes through a pending
# revision; a submitted one is locked while the editors review it, so what they publish is what they saw.
REVISED_STATES = {EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED}
LOCKED_STATES = {EditorialStatus.SUBMITTED}


def refuse_if_locked(solution: Solution) -> None:
    """Refuse any change to a listing while the editors review it."""
    if solution.status in LOCKED_STATES:
        raise PortalError(
            [
                _(
                    "The listing is being reviewed and cannot be changed now. Withdraw it from review "
                    "to change it, then submit it again."
                )
            ]
        )


def save_listing(solution: Solution, *, by, form) -> Solution | SolutionRevision:
    """Save an edit of a listing.

    A published or archived listing is not touched: the values go into its pending SolutionRevision
    (created or updated), and the public version (or the one a restore would bring back) stays as an
    editor saw it until an editor accepts the revision. A submitted listing is refused (locked).
    Side effects: either the Solution and its M2M rows, or the pending SolutionRevision.
    """
    if not access.is_member(by, solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    refuse_if_locked(solution)
    if solution.status in REVISED_STATES:
        return propose_revision(solution, by=by, data=form.revision_data())
    with transaction.atomic():
        form.save()
    return solution


def propose_revision(solution: Solution, *, by, data: dict) -> SolutionRevision:
    """Store changes to a published listing for review. Side effects: the pending SolutionRevision."""
    with transaction.atomic():
        revision = (
            SolutionRevision.objects.select_for_update()
            .filter(solution=solution, status=SolutionRevision.Status.PENDING)
            .first()
        )
        if revision is None:
            revision = SolutionRevision(solution=solution, data={})
        revision.data = {**revision.data, **data}
        revision.created_by = by
        revision.save()
    return revision


def withdraw_submission(solution: Solution, *, by) -> Solution:
    """Take a submitted listing back from review so that it can be changed again.

    Refused unless `by` is a member and the listing is submitted. Side effects: status draft,
    submitted_at cleared; the editors' queue no longer shows it. No e-mail.
    """
    if not access.is_member(by, solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    if solution.status != EditorialStatus.SUBMITTED:
        raise PortalError([_("Only a listing in review can be withdrawn.")])
    solution.status = EditorialStatus.DRAFT
    solution.submitted_at = None
    solution.save(update_fields=["status", "submitted_at", "updated_at"])
    return solution


def submit_for_review(solution: Solution, *, by) -> Solution:
    """Move a draft (or a listing with requested changes) to `submitted`.

    Refused with PortalError when `by` has not confirmed the e-mail address, is not a member, the
    status does not allow it, or required fields are missing.
    Side effects: status, submitted_at, status_reason and changes_requested_fields cleared (the editors'
    request is answered); an e-mail to the editors.
    """
    problems = []
    if not access.is_email_verified(by):
        problems.append(_("Please confirm your e-mail address before you submit a listing."))
    if not access.is_member(by, solution.vendor):
        problems.append(_("You are not a member of this organisation."))
    if solution.status not in {EditorialStatus.DRAFT, EditorialStatus.CHANGES_REQUESTED}:
        problems.append(_("Only drafts and listings with requested changes can be submitted."))
    fields = {f.name: f for f in Solution._meta.get_fields() if hasattr(f, "verbose_name")}
    for name in missing_for_submission(solution):
        problems.append(_("Missing: %(field)s") % {"field": fields[name].verbose_name})
    if problems:
        raise PortalError(problems)
    solution.status = EditorialStatus.SUBMITTED
    solution.submitted_at = timezone.now()
    solution.status_reason = ""
    solution.changes_requested_fields = []
    solution.save(
        update_fields=["status", "submitted_at", "status_reason", "changes_requested_fields", "updated_at"]
    )
    mail.notify_editors(template="emails/submitted.txt", context={"solution": solution, "by": by})
    return solution


def set_solution_logo(solution: Solution, *, by, content) -> None:
    """Store a checked, re-encoded logo (see solutions.uploads.process_logo).

    Side effects: the file in the default storage; the Solution's logo, or for a published or archived
    listing the pending revision (the public logo changes only when an editor accepts it). Refused while
    the listing is in review.
    """
    if not access.is_member(by, solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    refuse_if_locked(solution)
    from django.core.files.storage import default_storage

    name = default_storage.save(f"solutions/{content.name}", content)
    if solution.status in REVISED_STATES:
        propose_revision(solution, by=by, data={"logo": name})
    else:
        solution.logo.name = name
        solution.save(update_fields=["logo", "updated_at"])


def set_vendor_logo(vendor: Vendor, *, by, content) -> None:
    """Store a checked, re-encoded organisation logo.

    Side effects: the file in storage; Vendor.logo, or for a verified organisation its pending changes
    (see `update_organisation`).
    """
    if not access.is_admin(by, vendor):
        raise PortalError([_("Only administrators can change the organisation profile.")])
    from django.core.files.storage import default_storage

    name = default_storage.save(f"vendors/{content.name}", content)
    if vendor.is_verified:
        _propose_vendor_changes(vendor, {"logo": name})
        return
    vendor.logo.name = name
    vendor.save(update_fields=["logo", "updated_at"])


# What a verified organisation shows publicly; changes to these wait for an editor.
VENDOR_REVIEWED_FIELDS = [
    "name", "kind", "website", "street", "postcode", "city", "email", "phone", "description", "logo",
]  # fmt: skip


def _propose_vendor_changes(vendor: Vendor, changes: dict) -> None:
    with transaction.atomic():
        locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
        pending = {**locked.pending_changes, **changes}
        # A value changed back to what is public is no change at all.
        pending = {
            name: value
            for name, value in pending.items()
            if value != (locked.logo.name if name == "logo" else getattr(locked, name))
        }
        vendor.pending_changes = pending
        vendor.pending_changes_at = timezone.now() if pending else None
        Vendor.objects.filter(pk=vendor.pk).update(
            pending_changes=vendor.pending_changes, pending_changes_at=vendor.pending_changes_at
        )
    if pending:
        mail.notify_editors(template="emails/organisation_changed.txt", context={"vendor": vendor})


def update_organisation(vendor: Vendor, *, by, form) -> bool:
    """Save a valid OrganisationForm of `vendor`; returns True when the changes wait for an editor.

    An unverified organisation is not public, so its profile is saved at once. For a verified one the
    changed values go into `pending_changes` and the public profile stays as the editors verified it
    until they accept them (the editors' `accept_vendor_changes`). Side effects: the Vendor row, or its
    pending changes and an e-mail to the editors.
    """
    if not access.is_admin(by, vendor):
        raise PortalError([_("Only administrators can change the organisation profile.")])
    if not vendor.is_verified:
        form.save()
        return False
    _propose_vendor_changes(vendor, {name: form.cleaned_data[name] for name in form.changed_data})
    return bool(vendor.pending_changes)


def add_document(solution: Solution, *, by, kind: str, title: str, content) -> SolutionDocument:
    """Attach a checked PDF (see solutions.uploads.check_pdf).

    Side effects: the file in the default storage under a random name; a SolutionDocument row, not
    accepted: it becomes public when an editor publishes the listing or accepts the document. Refused
    while the listing is in review.
    """
    if not access.is_member(by, solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    refuse_if_locked(solution)
    if solution.documents.count() >= settings.PORTAL_DOCUMENTS_PER_SOLUTION:
        raise PortalError(
            [
                _("A listing can have at most %(count)d documents.")
                % {"count": settings.PORTAL_DOCUMENTS_PER_SOLUTION}
            ]
        )
    document = SolutionDocument(solution=solution, kind=kind, title=title, size=content.size, uploaded_by=by)
    document.file.save(content.name, content, save=False)
    document.save()
    return document


def delete_document(document: SolutionDocument, *, by) -> None:
    """Remove a document. Side effects: the SolutionDocument row and its file in storage.

    Refused while the listing is in review (the editors review it with its documents).
    """
    if not access.is_member(by, document.solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    refuse_if_locked(document.solution)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
