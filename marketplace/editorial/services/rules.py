"""What every editorial decision has in common: the refusal, the permission and reason checks, and the
recorded save."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.editorial.history import decision
from solutions.services import PortalError


class ModerationError(PortalError):
    """A moderation step the rules do not allow; the message says why.

    A PortalError, so code that shows a portal refusal shows this one the same way. `step` names what
    resolves it, so a page can offer that step right next to the message: "verify_vendor" (verify the
    organisation first), "review_again" (the listing changed while the editor read it), "" (nothing).
    """

    def __init__(self, message: str, *, step: str = ""):
        super().__init__([message])
        self.step = step


def require_permission(by, permission: str) -> None:
    """Refuse editors whose groups do not grant `permission` (superusers have all permissions)."""
    if by is None or not by.is_active or not by.is_staff or not by.has_perm(permission):
        raise ModerationError(_("You do not have the permission for this editorial decision."))


def require_reason(reason: str) -> str:
    """The reason without surrounding blanks; refused when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Please give a reason; the vendor sees it."))
    return reason


def save_decision(obj, *, by, action: str, reason: str = "", **values):
    """Set `values` on `obj` and save them inside the decision context.

    Side effects: those fields and updated_at of the row; the history row the trigger writes carries
    the editor, `action` and `reason`.
    """
    for name, value in values.items():
        setattr(obj, name, value)
    with transaction.atomic(), decision(by=by, action=action, reason=reason):
        obj.save(update_fields=[*values, "updated_at"])
    return obj
