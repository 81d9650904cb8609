"""Length caps of long text fields, so that no saved text can make a page slow or a worker big.

A capped field carries the limit in its form field (a textarea with ``maxlength`` and Django's "at most N
characters" message) and in model validation (the admin and ``full_clean`` refuse longer text), and the
Markdown-rendered description also in a database constraint, so even a bulk import cannot store more.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

# Room for a long product description with tables and lists; about five printed pages.
DESCRIPTION_MAX_CHARS = 10_000
# Descriptions of organisations, places and pilot sections.
TEXT_MAX_CHARS = 5_000
# Notes, reasons and short descriptions of taxonomy entries.
NOTE_MAX_CHARS = 2_000


def capped_text(verbose_name, *, max_length: int, **kwargs) -> models.TextField:
    """A TextField whose length is checked by its form field and by model validation."""
    return models.TextField(
        verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )
