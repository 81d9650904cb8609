"""Who may do what in the portal; every lookup is scoped to the user's organisations."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from solutions.models import EmailVerification, Solution, SolutionDocument, Vendor, VendorMembership


def second_factor_required() -> bool:
    """settings.ADMIN_REQUIRE_OTP (default: DEBUG is off), read per call so tests can switch it."""
    return bool(getattr(settings, "ADMIN_REQUIRE_OTP", not settings.DEBUG))


def has_staff_power(user) -> bool:
    """May `user` (request.user) use editor rights: the admin, unpublished listings, files and documents?

    Active staff only, and when the second factor is required only after it was passed in this session
    (django-otp's middleware attaches `is_verified()` to request.user). Otherwise staff are treated like
    any vendor account, whichever login page they used: a stolen password alone opens nothing more.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not second_factor_required():
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def is_email_verified(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_email_verified", None)
    if cached is None:
        cached = EmailVerification.objects.filter(user=user, verified_at__isnull=False).exists()
        user._email_verified = cached
    return cached


def is_member(user, vendor: Vendor) -> bool:
    return user.is_authenticated and VendorMembership.objects.filter(vendor=vendor, user=user).exists()


def is_admin(user, vendor: Vendor) -> bool:
    return (
        user.is_authenticated
        and VendorMembership.objects.filter(
            vendor=vendor, user=user, role=VendorMembership.Role.ADMIN
        ).exists()
    )


def memberships(user):
    return VendorMembership.objects.filter(user=user).select_related("vendor").order_by("vendor__name")


def solution_for(user, pk: int) -> Solution:
    """The user's own listing or 404 (another organisation's id looks exactly like a missing one)."""
    return get_object_or_404(Solution.objects.for_vendor_user(user).select_related("vendor"), pk=pk)


def membership_for(user, vendor_pk: int, *, admin: bool = False) -> VendorMembership:
    membership = get_object_or_404(
        VendorMembership.objects.select_related("vendor"), vendor_id=vendor_pk, user=user
    )
    if admin and membership.role != VendorMembership.Role.ADMIN:
        # Members see that the page exists but may not change it: 403, not 404.
        raise PermissionDenied
    return membership


def document_for_download(user, pk: int) -> SolutionDocument:
    """Accepted documents of published listings are public; others only for members and staff."""
    document = get_object_or_404(SolutionDocument.objects.select_related("solution__vendor"), pk=pk)
    if document.accepted_at and Solution.objects.published().filter(pk=document.solution_id).exists():
        return document
    if has_staff_power(user) or (user.is_authenticated and is_member(user, document.solution.vendor)):
        return document
    raise Http404
