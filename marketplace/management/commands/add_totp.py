"""Enrol a TOTP device (authenticator app) for a staff user; prints the otpauth:// URI and the secret."""

import base64

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a TOTP device for a staff user and print the otpauth:// URI (for a QR code) and the secret "
        "to type into an authenticator app. The admin asks for its code whenever ADMIN_REQUIRE_OTP is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator", help="A name for the device.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the user's existing TOTP devices first."
        )

    def handle(self, *args, username, name, replace, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        # Only editors and administrators use the admin; vendor accounts never get a device for it.
        if not (user.is_staff and user.is_active):
            raise CommandError(f"{username!r} is not an active staff user; only staff use the admin.")
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        self.stdout.write(f"otpauth URI: {device.config_url}")
        self.stdout.write(f"Secret: {secret}")
        self.stdout.write("Scan the URI as a QR code or type the secret into the authenticator app.")
