"""Writes of joint buying (Bündelung): declare interest, confirm it by the signed link, tell the editors.

Views and commands call these; each docstring lists every side effect.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from marketplace import mail
from marketplace.procurement.models import JointBuyingGroup, JointBuyingInterest
from municipalities.similarity import kreis_key
from solutions.models import Solution

CONFIRM_SALT = "marketplace.procurement.joint_buying.confirm"
# How long the confirmation link works: long enough for a weekend, short enough to die unused.
CONFIRM_MAX_AGE = 3 * 24 * 3600
DEFAULT_GROUP_SIZE = 3


def group_size() -> int:
    """Confirmed municipalities of one Land that make a group (settings.JOINT_BUYING_GROUP_SIZE)."""
    return getattr(settings, "JOINT_BUYING_GROUP_SIZE", DEFAULT_GROUP_SIZE)


def confirm_token(interest: JointBuyingInterest) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(interest.token))


def from_confirm_token(signed: str) -> JointBuyingInterest | None:
    """The declaration a confirmation link names; None when forged, altered, expired or unknown."""
    try:
        token = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        JointBuyingInterest.objects.filter(token=token, solution__in=Solution.objects.published())
        .select_related("solution", "municipality")
        .first()
    )


def declare_interest(*, solution, municipality, email: str) -> JointBuyingInterest:
    """Store an unconfirmed declaration of ``municipality`` for ``solution``.

    Side effects: one JointBuyingInterest (unconfirmed, not counted yet); a confirmation e-mail with a
    signed link (valid CONFIRM_MAX_AGE) to ``email``, queued.
    """
    interest = JointBuyingInterest.objects.create(
        solution=solution,
        municipality=municipality,
        state=municipality.state,
        kreis_key=kreis_key(municipality) or "",
        email=email,
        language=get_language() or "",
    )
    path = reverse("procurement:confirm", kwargs={"signed": confirm_token(interest)})
    mail.queue_mail(
        to=[email],
        template="procurement/emails/interest_confirm.txt",
        context={"interest": interest, "confirm_url": mail.absolute(path), "days": CONFIRM_MAX_AGE // 86400},
    )
    return interest


@transaction.atomic
def confirm_interest(interest: JointBuyingInterest) -> JointBuyingGroup | None:
    """Count the declaration; when its Land reaches group_size() confirmed municipalities, a group forms.

    Confirming twice changes nothing. Side effects: ``confirmed_at`` set; when a group forms for the first
    time (solution, Land): one JointBuyingGroup row and one e-mail to the editors (mail.editor_emails()),
    queued. Returns the new group, else None.
    """
    if interest.confirmed_at is not None:
        return None
    interest.confirmed_at = timezone.now()
    interest.save(update_fields=["confirmed_at"])
    confirmed = JointBuyingInterest.objects.confirmed().filter(
        solution=interest.solution, state=interest.state
    )
    municipalities = confirmed.values("municipality").distinct().count()
    if municipalities < group_size():
        return None
    group, created = JointBuyingGroup.objects.get_or_create(solution=interest.solution, state=interest.state)
    if not created:
        return None
    members = confirmed.select_related("municipality").order_by("municipality__name", "municipality_id", "pk")
    seen, contacts = set(), []
    for member in members:
        if member.municipality_id not in seen:
            seen.add(member.municipality_id)
            contacts.append(member)
    mail.queue_mail(
        to=mail.editor_emails(),
        template="procurement/emails/group_formed.txt",
        context={
            "group": group,
            "solution": interest.solution,
            "members": contacts,
            "solution_url": mail.absolute(interest.solution.get_absolute_url()),
        },
    )
    return group


def counts(solution, municipality) -> dict:
    """Confirmed municipalities interested in ``solution``: in all, in ``municipality``'s Land and Kreis.

    One query. Each municipality counts once, however many of its staff declared.
    """
    key = kreis_key(municipality) if municipality is not None else None
    state = municipality.state if municipality is not None else None
    return (
        JointBuyingInterest.objects.confirmed()
        .filter(solution=solution)
        .aggregate(
            total=Count("municipality", distinct=True),
            in_land=Count("municipality", distinct=True, filter=Q(state=state)),
            in_kreis=Count("municipality", distinct=True, filter=Q(kreis_key=key or "-")),
        )
    )
