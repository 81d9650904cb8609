"""Write operations of the vendor portal. Each docstring lists every side effect.

Views, admin actions and commands call these functions; models and signals stay free of side effects.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.choices import EditorialStatus
from solutions import tasks
from solutions.models import (
    EmailVerification,
    JoinRequest,
    Solution,
    SolutionDocument,
    SolutionRevision,
    Vendor,
    VendorMembership,
)
from solutions.portal import access, tokens


class PortalError(Exception):
    """A rule of the portal refused the operation; `problems` are messages for the person."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _mail(*, to: list[str], template: str, context: dict) -> None:
    """Queue one e-mail; the first line of the rendered template is the subject."""
    text = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context}).strip()
    subject, _sep, body = text.partition("\n")
    recipients = [address for address in to if address]
    if recipients:
        tasks.send_email.enqueue(subject=subject.strip(), body=body.strip() + "\n", to=recipients)


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    base = slugify(text)[: max_length - 10] or "eintrag"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# ---------- Accounts ----------


def register_user(*, email: str, password: str):
    """Create an unverified account and send the confirmation link.

    Side effects: a User (username = the e-mail address in lower case) and its EmailVerification row;
    one e-mail with the verification link queued. If the address is already registered nothing is
    created and that address is told so instead, so the form never reveals who has an account. Both
    paths hash the password once (the slow part of the work), so the answer takes as long either way.
    Links point to settings.SITE_URL.
    """
    email = email.strip().lower()
    user_model = get_user_model()
    existing = user_model.objects.filter(username=email).first()
    if existing is not None:
        # The hash is thrown away: it only makes this path as slow as creating the account.
        user_model().set_password(password)
        _mail(
            to=[email],
            template="emails/already_registered.txt",
            context={
                "login_url": settings.SITE_URL + reverse("accounts:login"),
                "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
        return None
    with transaction.atomic():
        user = user_model.objects.create_user(username=email, email=email, password=password)
        EmailVerification.objects.create(user=user)
    send_verification_email(user)
    return user


def send_verification_email(user) -> None:
    """Queue the e-mail with the confirmation link (under settings.SITE_URL).

    Side effects: one e-mail queued.
    """
    path = reverse("accounts:verify", kwargs={"token": tokens.make_verification_token(user)})
    _mail(
        to=[user.email],
        template="emails/verify_email.txt",
        context={"user": user, "verify_url": settings.SITE_URL + path, "days": 3},
    )


def confirm_email(user) -> None:
    """Mark the user's address as confirmed. Side effects: EmailVerification.verified_at set (once)."""
    verification, _created = EmailVerification.objects.get_or_create(user=user)
    if verification.verified_at is None:
        verification.verified_at = timezone.now()
        verification.save(update_fields=["verified_at"])


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
    _mail(to=editor_emails(), template="emails/new_organisation.txt", context={"vendor": vendor})
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
        _mail(
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
    _mail(
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


def editor_emails() -> list[str]:
    if settings.EDITOR_EMAILS:
        return list(settings.EDITOR_EMAILS)
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


# ---------- Listings ----------

# What a listing needs before editors look at it; drafts may be saved with less.
REQUIRED_FOR_SUBMISSION = ["title", "summary", "description", "categories", "size_classes", "contact_email"]


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


def accept_revision(revision: SolutionRevision, *, by) -> Solution:
    """An editor accepts a pending revision: its values become the published listing.

    Side effects: the Solution's fields and M2M rows, revision status/decided_by/decided_at, an e-mail
    to the organisation's members.
    """
    if revision.status != SolutionRevision.Status.PENDING:
        raise PortalError([_("This revision has already been decided.")])
    solution = revision.solution
    m2m = {field.name for field in Solution._meta.many_to_many}
    with transaction.atomic():
        for name, value in revision.data.items():
            if name in m2m:
                continue
            setattr(solution, name, value)
        solution.save()
        for name in m2m & revision.data.keys():
            getattr(solution, name).set(revision.data[name])
        revision.status = SolutionRevision.Status.ACCEPTED
        revision.decided_by = by
        revision.decided_at = timezone.now()
        revision.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _mail(
        to=list(solution.vendor.members.values_list("email", flat=True)),
        template="emails/revision_accepted.txt",
        context={"solution": solution},
    )
    return solution


def discard_revision(revision: SolutionRevision, *, by, reason: str = "") -> SolutionRevision:
    """An editor discards a pending revision; the published listing stays as it is.

    Side effects: revision status/decided_by/decided_at; an e-mail with the reason to the
    organisation's members.
    """
    if revision.status != SolutionRevision.Status.PENDING:
        raise PortalError([_("This revision has already been decided.")])
    revision.status = SolutionRevision.Status.DISCARDED
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _mail(
        to=list(revision.solution.vendor.members.values_list("email", flat=True)),
        template="emails/revision_discarded.txt",
        context={"solution": revision.solution, "reason": reason},
    )
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
    Side effects: status, submitted_at, status_reason cleared; an e-mail to the editors.
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
    solution.save(update_fields=["status", "submitted_at", "status_reason", "updated_at"])
    _mail(to=editor_emails(), template="emails/submitted.txt", context={"solution": solution, "by": by})
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
        _mail(to=editor_emails(), template="emails/organisation_changed.txt", context={"vendor": vendor})


def update_organisation(vendor: Vendor, *, by, form) -> bool:
    """Save a valid OrganisationForm of `vendor`; returns True when the changes wait for an editor.

    An unverified organisation is not public, so its profile is saved at once. For a verified one the
    changed values go into `pending_changes` and the public profile stays as the editors verified it
    until they accept them (`accept_vendor_changes`). Side effects: the Vendor row, or its pending
    changes and an e-mail to the editors.
    """
    if not access.is_admin(by, vendor):
        raise PortalError([_("Only administrators can change the organisation profile.")])
    if not vendor.is_verified:
        form.save()
        return False
    _propose_vendor_changes(vendor, {name: form.cleaned_data[name] for name in form.changed_data})
    return bool(vendor.pending_changes)


def accept_vendor_changes(vendor: Vendor, *, by) -> Vendor:
    """An editor accepts an organisation's pending profile changes: they become public.

    Refused without the verify permission or without pending changes. Side effects: the Vendor's
    fields, pending changes cleared; one history row (action "accept_changes"); an e-mail to the members.
    """
    from marketplace.history import decision

    require_permission(by, VERIFY_VENDOR_PERMISSION)
    if not vendor.pending_changes:
        raise ModerationError(_("“%(vendor)s” has no pending changes.") % {"vendor": vendor.name})
    for name, value in vendor.pending_changes.items():
        if name == "logo":
            vendor.logo.name = value
        elif name in VENDOR_REVIEWED_FIELDS:
            setattr(vendor, name, value)
    vendor.pending_changes, vendor.pending_changes_at = {}, None
    with transaction.atomic(), decision(by=by, action="accept_changes"):
        vendor.save()
    _mail(
        to=_member_emails(vendor),
        template="emails/organisation_changes_accepted.txt",
        context={"vendor": vendor},
    )
    return vendor


def discard_vendor_changes(vendor: Vendor, *, by, reason: str) -> Vendor:
    """An editor discards an organisation's pending profile changes; the public profile stays.

    Refused without a reason or pending changes. Side effects: pending changes cleared; one history row
    (action "discard_changes" with the reason); an e-mail with the reason to the members.
    """
    from marketplace.history import decision

    require_permission(by, VERIFY_VENDOR_PERMISSION)
    reason = require_reason(reason)
    if not vendor.pending_changes:
        raise ModerationError(_("“%(vendor)s” has no pending changes.") % {"vendor": vendor.name})
    vendor.pending_changes, vendor.pending_changes_at = {}, None
    with transaction.atomic(), decision(by=by, action="discard_changes", reason=reason):
        vendor.save(update_fields=["pending_changes", "pending_changes_at", "updated_at"])
    _mail(
        to=_member_emails(vendor),
        template="emails/organisation_changes_discarded.txt",
        context={"vendor": vendor, "reason": reason},
    )
    return vendor


def accept_documents(documents, *, by) -> int:
    """An editor accepts documents added to listings that are already public; returns how many.

    Side effects: accepted_at now and accepted_by on the pending ones (accepted ones stay as they are).
    """
    require_permission(by, PUBLISH_PERMISSION)
    pks = [document.pk for document in documents]
    return SolutionDocument.objects.filter(pk__in=pks, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by
    )


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


def propose_reference(solution: Solution, *, by, form):
    """Save a reference proposed by the vendor from a valid ReferenceForm.

    Nothing becomes public: the proposal waits for an editor, who accepts it as a Reference
    (pilots.services.accept_reference_proposal) or declines it.
    Side effects: a pending ReferenceProposal row; an e-mail to the editors.
    """
    if not access.is_member(by, solution.vendor):
        raise PortalError([_("You are not a member of this organisation.")])
    proposal = form.save(commit=False)
    proposal.solution = solution
    proposal.proposed_by = by
    proposal.save()
    _mail(to=editor_emails(), template="emails/new_reference.txt", context={"reference": proposal})
    return proposal


# ---------- Moderation (editors) ----------
#
# Editors move listings through the editorial states. Every function checks the editor's permission
# and the current state, raises ModerationError with the reason when the step is not allowed, writes
# the change inside a pghistory context carrying the editor, the action and the reason (so the
# history rows written by the database triggers say who and why), and tells the organisation by e-mail.


class ModerationError(PortalError):
    """A moderation step the rules do not allow; the message says why."""

    def __init__(self, message: str):
        super().__init__([message])


PUBLISH_PERMISSION = "solutions.publish_solution"
CHANGE_PERMISSION = "solutions.change_solution"
VERIFY_VENDOR_PERMISSION = "solutions.verify_vendor"


def require_permission(by, permission: str) -> None:
    """Refuse editors whose groups do not grant `permission` (superusers have all permissions)."""
    if by is None or not by.is_active or not by.is_staff or not by.has_perm(permission):
        raise ModerationError(_("You do not have the permission for this editorial decision."))


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Please give a reason; the vendor sees it."))
    return reason


def render_mail(*, template: str, context: dict) -> tuple[str, str]:
    """Subject and body of an e-mail template (the first line is the subject)."""
    text = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context}).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def _member_emails(vendor: Vendor) -> list[str]:
    return list(vendor.members.exclude(email="").values_list("email", flat=True))


def listing_version(solution: Solution) -> str:
    """A token that changes whenever the vendor saves the listing (for "publish what I reviewed")."""
    return solution.updated_at.isoformat() if solution.updated_at else ""


def publish_problem(solution: Solution) -> str | None:
    """Why `solution` cannot be published now, or None when it can."""
    title = {"title": solution.title}
    match solution.status:
        case EditorialStatus.PUBLISHED:
            return _("“%(title)s” is already published.") % title
        case EditorialStatus.DRAFT:
            return _("“%(title)s” is a draft that was never submitted for review.") % title
        case EditorialStatus.REJECTED:
            return _("“%(title)s” was rejected; restore it as a draft first.") % title
        case EditorialStatus.ARCHIVED:
            return _("“%(title)s” is archived; restore it to publish it again.") % title
    if not solution.vendor.is_verified:
        return _(
            "The organisation “%(vendor)s” is not verified yet; verify it before publishing its listings."
        ) % {"vendor": solution.vendor.name}
    return None


def _decide(solution: Solution, *, by, action: str, reason: str = "", **values) -> Solution:
    from marketplace.history import decision

    for name, value in values.items():
        setattr(solution, name, value)
    with transaction.atomic(), decision(by=by, action=action, reason=reason):
        solution.save(update_fields=[*values, "updated_at"])
    return solution


def _accept_documents_of(solution_pks, *, by, now) -> None:
    """The documents an editor saw with the listings being published become public with them."""
    SolutionDocument.objects.filter(solution_id__in=solution_pks, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=by
    )


def publish(solution: Solution, *, by, seen_version: str | None = None) -> Solution:
    """Publish a submitted listing (or one with requested changes that the editor completed).

    Refused for drafts never submitted, rejected, archived or already published listings and for
    listings of unverified organisations, and when `seen_version` (the listing's version the editor
    reviewed, see `listing_version`) no longer matches: then the vendor changed it in the meantime.
    Side effects: status published, published_at now, archived_at and status_reason cleared; the
    listing's documents accepted; one history row (action "publish"); an e-mail to the organisation's
    members.
    """
    require_permission(by, PUBLISH_PERMISSION)
    problem = publish_problem(solution)
    if problem:
        raise ModerationError(problem)
    now = timezone.now()
    with transaction.atomic():
        if seen_version is not None:
            current = Solution.objects.select_for_update().filter(pk=solution.pk).first()
            if current is None or listing_version(current) != seen_version:
                raise ModerationError(
                    _("“%(title)s” was changed while you reviewed it; please review it again.")
                    % {"title": solution.title}
                )
        _decide(
            solution,
            by=by,
            action="publish",
            status=EditorialStatus.PUBLISHED,
            published_at=now,
            archived_at=None,
            status_reason="",
        )
        _accept_documents_of([solution.pk], by=by, now=now)
    _mail(
        to=_member_emails(solution.vendor),
        template="emails/solution_published.txt",
        context={"solutions": [solution]},
    )
    return solution


def publish_many(solutions, *, by) -> tuple[list[Solution], list[tuple[Solution, str]]]:
    """Publish many listings at once in a fixed number of queries (whatever their number).

    Each listing follows the rules of `publish`; those refused are returned with the reason and stay
    as they are. Side effects: one UPDATE of the publishable rows (the triggers write one history row
    each, action "publish"); one UPDATE accepting their documents; one queued task sending one e-mail
    per organisation.
    Returns (published, refused).
    """
    require_permission(by, PUBLISH_PERMISSION)
    from marketplace.history import decision

    pks = [s.pk for s in solutions]
    with transaction.atomic():
        rows = list(
            Solution.objects.select_for_update(of=("self",))
            .select_related("vendor")
            .filter(pk__in=pks)
            .order_by("pk")
        )
        refused = [(row, problem) for row in rows if (problem := publish_problem(row))]
        refused_pks = {row.pk for row, _problem in refused}
        published = [row for row in rows if row.pk not in refused_pks]
        if published:
            now = timezone.now()
            with decision(by=by, action="publish"):
                Solution.objects.filter(pk__in=[row.pk for row in published]).update(
                    status=EditorialStatus.PUBLISHED,
                    published_at=now,
                    archived_at=None,
                    status_reason="",
                    updated_at=now,
                )
            _accept_documents_of([row.pk for row in published], by=by, now=now)
            for row in published:
                row.status, row.published_at, row.archived_at, row.status_reason = (
                    EditorialStatus.PUBLISHED,
                    now,
                    None,
                    "",
                )
    if published:
        emails_by_vendor: dict[int, list[str]] = {}
        for vendor_id, email in VendorMembership.objects.filter(
            vendor_id__in={row.vendor_id for row in published}
        ).values_list("vendor_id", "user__email"):
            if email:
                emails_by_vendor.setdefault(vendor_id, []).append(email)
        messages = []
        for vendor_id, recipients in emails_by_vendor.items():
            subject, body = render_mail(
                template="emails/solution_published.txt",
                context={"solutions": [row for row in published if row.vendor_id == vendor_id]},
            )
            messages.append({"subject": subject, "body": body, "to": recipients})
        if messages:
            tasks.send_emails.enqueue(messages=messages)
    return published, refused


def request_changes(solution: Solution, *, by, reason: str) -> Solution:
    """Send a submitted listing back to its organisation with what to change.

    Refused without a reason or when the listing is not submitted. Side effects: status
    changes_requested, status_reason (shown on the vendor's dashboard); one history row (action
    "request_changes" with the reason); an e-mail with the reason to the organisation's members.
    """
    require_permission(by, CHANGE_PERMISSION)
    reason = require_reason(reason)
    if solution.status != EditorialStatus.SUBMITTED:
        raise ModerationError(
            _("Changes can only be requested for submitted listings; “%(title)s” is %(status)s.")
            % {"title": solution.title, "status": solution.get_status_display()}
        )
    _decide(
        solution,
        by=by,
        action="request_changes",
        reason=reason,
        status=EditorialStatus.CHANGES_REQUESTED,
        status_reason=reason,
    )
    _mail(
        to=_member_emails(solution.vendor),
        template="emails/solution_changes_requested.txt",
        context={"solution": solution, "reason": reason},
    )
    return solution


def reject(solution: Solution, *, by, reason: str) -> Solution:
    """Reject a submitted listing (or one waiting for changes) for good.

    Refused without a reason or in any other state. Side effects: status rejected, status_reason;
    one history row (action "reject" with the reason); an e-mail with the reason to the members.
    """
    require_permission(by, PUBLISH_PERMISSION)
    reason = require_reason(reason)
    if solution.status not in {EditorialStatus.SUBMITTED, EditorialStatus.CHANGES_REQUESTED}:
        raise ModerationError(
            _("Only submitted listings can be rejected; “%(title)s” is %(status)s.")
            % {"title": solution.title, "status": solution.get_status_display()}
        )
    _decide(
        solution,
        by=by,
        action="reject",
        reason=reason,
        status=EditorialStatus.REJECTED,
        status_reason=reason,
    )
    _mail(
        to=_member_emails(solution.vendor),
        template="emails/solution_rejected.txt",
        context={"solution": solution, "reason": reason},
    )
    return solution


def archive(solution: Solution, *, by, reason: str = "") -> Solution:
    """Take a published listing off the public pages.

    Refused unless published. Side effects: status archived, archived_at now, status_reason; one
    history row (action "archive"); an e-mail to the organisation's members.
    """
    require_permission(by, PUBLISH_PERMISSION)
    if solution.status != EditorialStatus.PUBLISHED:
        raise ModerationError(
            _("Only published listings can be archived; “%(title)s” is %(status)s.")
            % {"title": solution.title, "status": solution.get_status_display()}
        )
    _decide(
        solution,
        by=by,
        action="archive",
        reason=reason,
        status=EditorialStatus.ARCHIVED,
        archived_at=timezone.now(),
        status_reason=(reason or "").strip(),
    )
    _mail(
        to=_member_emails(solution.vendor),
        template="emails/solution_archived.txt",
        context={"solution": solution, "reason": reason},
    )
    return solution


def restore(solution: Solution, *, by) -> Solution:
    """Undo an archiving (back to published) or a rejection (back to a draft the vendor can rework).

    Refused in any other state, and for an archived listing of an organisation that is no longer
    verified. Side effects: status, archived_at cleared, status_reason cleared; one history row
    (action "restore"). No e-mail: restoring only undoes an earlier decision the vendor was told of.
    """
    require_permission(by, PUBLISH_PERMISSION)
    if solution.status == EditorialStatus.ARCHIVED:
        if not solution.vendor.is_verified:
            raise ModerationError(
                _("The organisation “%(vendor)s” is not verified; verify it before restoring its listings.")
                % {"vendor": solution.vendor.name}
            )
        target = EditorialStatus.PUBLISHED
    elif solution.status == EditorialStatus.REJECTED:
        target = EditorialStatus.DRAFT
    else:
        raise ModerationError(
            _("Only archived or rejected listings can be restored; “%(title)s” is %(status)s.")
            % {"title": solution.title, "status": solution.get_status_display()}
        )
    return _decide(solution, by=by, action="restore", status=target, archived_at=None, status_reason="")


def verify_vendor(vendor: Vendor, *, by) -> Vendor:
    """Verify an organisation so its published listings become public.

    Refused when already verified. Side effects: is_verified, verified_at now; one history row
    (action "verify"); an e-mail to the organisation's members.
    """
    from marketplace.history import decision

    require_permission(by, VERIFY_VENDOR_PERMISSION)
    if vendor.is_verified:
        raise ModerationError(_("“%(vendor)s” is already verified.") % {"vendor": vendor.name})
    vendor.is_verified = True
    vendor.verified_at = timezone.now()
    with transaction.atomic(), decision(by=by, action="verify"):
        vendor.save(update_fields=["is_verified", "verified_at", "updated_at"])
    _mail(to=_member_emails(vendor), template="emails/vendor_verified.txt", context={"vendor": vendor})
    return vendor


def accept_pending_revision(revision: SolutionRevision, *, by) -> Solution:
    """`accept_revision` for the admin: checks the publish permission and records the decision.

    Side effects: those of `accept_revision`; the history row of the listing carries action
    "accept_revision".
    """
    from marketplace.history import decision

    require_permission(by, PUBLISH_PERMISSION)
    with transaction.atomic(), decision(by=by, action="accept_revision"):
        return accept_revision(revision, by=by)


def discard_pending_revision(revision: SolutionRevision, *, by, reason: str) -> SolutionRevision:
    """`discard_revision` for the admin: a reason is required and the decision is recorded.

    Side effects: those of `discard_revision`; the listing itself is unchanged, so no history row.
    """
    require_permission(by, PUBLISH_PERMISSION)
    return discard_revision(revision, by=by, reason=require_reason(reason))
