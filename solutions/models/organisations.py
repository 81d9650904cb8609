"""Organisations that offer solutions, their members, join requests and e-mail confirmations."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.history import history_trackers
from marketplace.limits import TEXT_MAX_CHARS, capped_text


class VendorQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)


@pghistory.track(*history_trackers())
class Vendor(models.Model):
    """An organisation offering solutions: a company, a municipal IT provider, research or a community."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        MUNICIPAL_IT = "municipal_it", _("Municipal IT service provider")
        RESEARCH = "research", _("Research institution")
        OPEN_SOURCE = "open_source", _("Open-source community")
        PUBLIC = "public", _("Public authority")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    website = models.URLField(_("website"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=50, blank=True)
    description = capped_text(_("description"), max_length=TEXT_MAX_CHARS, blank=True)
    logo = models.ImageField(_("logo"), upload_to="vendors/", blank=True)
    is_verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Only verified organisations appear publicly.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Changes a member made to a verified organisation's public profile, shown only after an editor
    # accepts them (field name -> new value; "logo" holds the stored file name).
    pending_changes = models.JSONField(_("changes waiting for review"), default=dict, blank=True)
    pending_changes_at = models.DateTimeField(_("changes proposed"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="VendorMembership", related_name="vendors", blank=True
    )
    is_demo = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VendorQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        permissions = [
            ("verify_vendor", _("Can verify vendor organisations")),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class VendorMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["vendor", "user"], name="unique_vendor_membership")]

    def __str__(self):
        return f"{self.user} @ {self.vendor} ({self.get_role_display()})"


class EmailVerification(models.Model):
    """Whether a user confirmed the e-mail address through the link sent at sign-up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification"
    )
    verified_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail verification")
        verbose_name_plural = _("e-mail verifications")

    def __str__(self):
        return str(self.user)


class JoinRequest(models.Model):
    """A verified user asks to join an organisation; an administrator of the organisation decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "user"],
                condition=models.Q(status="pending"),
                name="unique_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.vendor}"
