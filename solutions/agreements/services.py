"""Writes of the agreements feature. Views, admin actions and the import command call these."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from marketplace.mail import absolute, addresses, notify_editors, queue_mail
from municipalities.models import Municipality

from .models import AgreementProposal, CallOffRequest, FrameworkAgreement, Organisation


def send_call_off_request(*, request: CallOffRequest) -> CallOffRequest:
    """Store a call-off request and send it to the vendor.

    Side effects: one ``CallOffRequest`` row (listed for the editors in the admin); one e-mail to every
    member of the solution's vendor with an address, answered to the sender's address.
    """
    request.save()
    vendor = request.solution.vendor
    members = get_user_model().objects.filter(vendor_memberships__vendor=vendor)
    queue_mail(
        to=addresses(members),
        template="emails/call_off_request.txt",
        context={
            "call_off": request,
            "agreement_url": absolute(request.agreement.get_absolute_url()),
            "solution_url": absolute(request.solution.get_absolute_url()),
            "vendor": vendor,
        },
        reply_to=[request.email],
    )
    return request


def propose_agreement(*, proposal: AgreementProposal, by) -> AgreementProposal:
    """Store a vendor's proposal for the editors' review; no agreement changes.

    Side effects: one ``AgreementProposal`` row waiting for review; one e-mail to the editors.
    """
    proposal.proposed_by = by
    proposal.status = AgreementProposal.Status.PENDING
    proposal.save()
    notify_editors(
        template="emails/agreement_proposal.txt",
        context={
            "proposal": proposal,
            "admin_url": absolute(reverse("admin:agreements_agreementproposal_change", args=[proposal.pk])),
        },
    )
    return proposal


@transaction.atomic
def accept_proposal(*, proposal: AgreementProposal, by) -> FrameworkAgreement:
    """Attach the proposal's solution to its agreement; for a new agreement first create it unpublished
    (an editor completes and publishes it).

    Side effects: the solution is added to the agreement's solutions (the only way a vendor's proposal
    reaches an agreement); possibly a new unpublished ``FrameworkAgreement``; the proposal is marked accepted
    with who and when.
    """
    agreement = proposal.agreement
    if agreement is None:
        base = slugify(proposal.title)[:200] or "rahmenvereinbarung"
        slug, n = base, 1
        while FrameworkAgreement.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        agreement = FrameworkAgreement.objects.create(
            title=proposal.title,
            slug=slug,
            reference_number=proposal.reference_number,
            body_kind=FrameworkAgreement.BodyKind.PURCHASING,
            body_name=proposal.body_name,
            ends_on=proposal.ends_on,
            eligibility=FrameworkAgreement.Eligibility.LISTED,
            contract_type=FrameworkAgreement.ContractType.OTHER,
            is_published=False,
        )
        if proposal.url:
            agreement.documents.create(title=proposal.title, url=proposal.url)
        proposal.agreement = agreement
    agreement.solutions.add(proposal.solution)
    proposal.status = AgreementProposal.Status.ACCEPTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()
    return agreement


def reject_proposal(*, proposal: AgreementProposal, by) -> None:
    """Side effects: the proposal is marked rejected with who and when; no agreement changes."""
    proposal.status = AgreementProposal.Status.REJECTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


@dataclass
class ImportResult:
    added: int
    already: int
    unknown: list[str]


@transaction.atomic
def import_memberships(*, organisation: Organisation, lines, replace: bool = False) -> ImportResult:
    """Make the municipalities named by ARS (one per line; a header "ars", blank lines and lines starting with
    "#" are skipped; a second column after ";" or "," is ignored) members of ``organisation``.

    Side effects: membership rows added (with ``replace``, the organisation's other memberships removed).
    Unknown keys are reported, never guessed; dissolved municipalities count as unknown.
    """
    keys = []
    for raw in lines:
        key = raw.strip().replace(";", ",").split(",")[0].strip().strip('"')
        if not key or key.startswith("#") or key.lower() == "ars":
            continue
        keys.append(key)
    found = dict(
        Municipality.objects.filter(ars__in=keys, dissolved_on__isnull=True).values_list("ars", "pk")
    )
    unknown = [key for key in dict.fromkeys(keys) if key not in found]
    wanted = set(found.values())
    if replace:
        organisation.members.remove(*organisation.members.exclude(pk__in=wanted))
    existing = set(organisation.members.filter(pk__in=wanted).values_list("pk", flat=True))
    organisation.members.add(*(wanted - existing))
    return ImportResult(added=len(wanted - existing), already=len(existing), unknown=unknown)
