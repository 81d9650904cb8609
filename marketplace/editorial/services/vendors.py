"""The editors' decisions on vendor organisations: verifying them and their proposed profile changes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.editorial.services.rules import (
    ModerationError,
    require_permission,
    require_reason,
    save_decision,
)
from marketplace.mail import addresses, queue_mail
from solutions.models import Vendor
from solutions.services import VENDOR_REVIEWED_FIELDS

VERIFY_VENDOR_PERMISSION = "solutions.verify_vendor"


def verify_vendor(vendor: Vendor, *, by) -> Vendor:
    """Verify an organisation so its published listings become public.

    Refused without the verify permission or when already verified. Side effects: is_verified,
    verified_at now; one history row (action "verify"); an e-mail to the organisation's members.
    """
    require_permission(by, VERIFY_VENDOR_PERMISSION)
    if vendor.is_verified:
        raise ModerationError(_("“%(vendor)s” is already verified.") % {"vendor": vendor.name})
    save_decision(vendor, by=by, action="verify", is_verified=True, verified_at=timezone.now())
    queue_mail(
        to=addresses(vendor.members), template="emails/vendor_verified.txt", context={"vendor": vendor}
    )
    return vendor


def _refuse_without_pending_changes(vendor: Vendor) -> None:
    if not vendor.pending_changes:
        raise ModerationError(_("“%(vendor)s” has no pending changes.") % {"vendor": vendor.name})


def accept_vendor_changes(vendor: Vendor, *, by) -> Vendor:
    """An editor accepts an organisation's pending profile changes: they become public.

    Refused without the verify permission or without pending changes. Side effects: the Vendor's
    fields, pending changes cleared; one history row (action "accept_changes"); an e-mail to the members.
    """
    require_permission(by, VERIFY_VENDOR_PERMISSION)
    _refuse_without_pending_changes(vendor)
    # Only the fields a vendor may propose; a logo arrives as the name of the file already in storage.
    accepted = {
        name: value for name, value in vendor.pending_changes.items() if name in VENDOR_REVIEWED_FIELDS
    }
    save_decision(
        vendor, by=by, action="accept_changes", **accepted, pending_changes={}, pending_changes_at=None
    )
    queue_mail(
        to=addresses(vendor.members),
        template="emails/organisation_changes_accepted.txt",
        context={"vendor": vendor},
    )
    return vendor


def discard_vendor_changes(vendor: Vendor, *, by, reason: str) -> Vendor:
    """An editor discards an organisation's pending profile changes; the public profile stays.

    Refused without the verify permission, a reason or pending changes. Side effects: pending changes
    cleared; one history row (action "discard_changes" with the reason); an e-mail with the reason to the
    members.
    """
    require_permission(by, VERIFY_VENDOR_PERMISSION)
    reason = require_reason(reason)
    _refuse_without_pending_changes(vendor)
    save_decision(
        vendor, by=by, action="discard_changes", reason=reason, pending_changes={}, pending_changes_at=None
    )
    queue_mail(
        to=addresses(vendor.members),
        template="emails/organisation_changes_discarded.txt",
        context={"vendor": vendor, "reason": reason},
    )
    return vendor
