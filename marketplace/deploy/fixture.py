"""What the check needs in the cluster's database: an editor with a TOTP device, a vendor account and one
new submitted listing per run, made the way an operator would, with `manage.py shell` against the cluster.

The script runs inside the app's environment, so this package itself imports no app (the import contract of
library code in pyproject.toml).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

SCRIPT = r"""
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from marketplace.choices import EditorialStatus
from solutions.models import Category, Solution, Vendor, VendorMembership

User = get_user_model()
word, password = "__WORD__", "__PASSWORD__"

editor, _created = User.objects.get_or_create(
    username="rehearsal-editor", defaults={"email": "rehearsal-editor@example.invalid"}
)
editor.is_staff = editor.is_superuser = editor.is_active = True
editor.set_password(password)
editor.save()
TOTPDevice.objects.filter(user=editor).delete()
device = TOTPDevice.objects.create(user=editor, name="rehearsal", confirmed=True)

vendor_email = "rehearsal-vendor@example.invalid"
member, _created = User.objects.get_or_create(username=vendor_email, defaults={"email": vendor_email})
member.is_active = True
member.set_password(password)
member.save()
vendor, _created = Vendor.objects.get_or_create(
    slug="probelauf-gmbh", defaults={"name": "Probelauf GmbH", "city": "Leipzig", "is_verified": True}
)
VendorMembership.objects.get_or_create(
    vendor=vendor, user=member, defaults={"role": VendorMembership.Role.ADMIN}
)
category = Category.objects.order_by("position").first()
solution = Solution.objects.create(
    title=f"{word.capitalize()} Parkraumsensorik",
    slug=f"{word}-parkraumsensorik",
    vendor=vendor,
    summary=f"{word.capitalize()}: freie Parkplätze in Echtzeit, ein Eintrag der Bereitstellungsprobe.",
    description="Sensoren melden freie Stellplätze; die Kommune sieht die Auslastung auf einer Karte.",
    size_classes=["medium"],
    hosting_options=["german_dc"],
    maturity=Solution.Maturity.PILOT,
    data_location=Solution.DataLocation.GERMANY,
    price_model=Solution.PriceModel.ON_REQUEST,
    status=EditorialStatus.SUBMITTED,
    submitted_at=timezone.now(),
)
solution.categories.add(category)
print(json.dumps({
    "editor": editor.username,
    "vendor_email": vendor_email,
    "vendor_name": vendor.name,
    "password": password,
    "totp_key": device.key,
    "totp_device": device.persistent_id,
    "solution_id": solution.pk,
    "slug": solution.slug,
    "title": solution.title,
    "word": word,
}))
"""

SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu", "bo", "fa", "gi", "du", "xe")


@dataclass(frozen=True)
class Fixture:
    editor: str
    vendor_email: str
    vendor_name: str
    password: str
    totp_key: str
    totp_device: str
    solution_id: int
    slug: str
    title: str
    word: str


def made_up_word() -> str:
    """A word no demo text contains, so a search for it finds only this run's listing."""
    return "".join(secrets.choice(SYLLABLES) for _ in range(5))


def prepare(manage) -> Fixture:
    """Run the script through `manage(*args)` (manage.py in the cluster's environment)."""
    script = SCRIPT.replace("__WORD__", made_up_word()).replace("__PASSWORD__", secrets.token_urlsafe(18))
    output = manage("shell", "--no-imports", "-c", script)
    return Fixture(**json.loads(output.strip().splitlines()[-1]))
