"""The editors' upload of the official register (Destatis "Gemeindeverzeichnis, Auszug GV 4Q", .xlsx).

Step 1 (POST to the page) reads the file and runs the importer as a dry run: the editor sees what would
change (or every malformed row) and nothing is saved. The file waits on the server for step 2 under a
random name that only the editor's session knows; the client never names a path. Step 2 (POST "Import
now") imports that file in one transaction and removes it. Data © Statistisches Bundesamt (Destatis).
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.importer import GVFileError, ImportSummary, import_register, read_gv_file

# The real file of a whole quarter is about 1.6 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ERRORS_SHOWN = 50
SESSION_KEY = "register_import"
# A file whose preview was never confirmed is removed with the next upload after this long.
KEEP_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class RegisterFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Gemeindeverzeichnis (Excel file)"),
        help_text=gettext_lazy(
            'The quarterly "Gemeindeverzeichnis, Auszug GV 4Q" of the Statistisches Bundesamt (.xlsx, at '
            "most 10 MB)."
        ),
        validators=[FileExtensionValidator(["xlsx"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
        return upload


def _folder() -> Path:
    """Where previewed files wait: a private folder below the upload temp dir (never below MEDIA_ROOT,
    which the web server may serve)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / "register-import"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _waiting_file(request) -> Path | None:
    """The file this session previewed, if it is still there. The name comes from the session (server
    side) and is checked once more, so no request can point the import at another file."""
    token = (request.session.get(SESSION_KEY) or {}).get("token", "")
    if not TOKEN.match(token):
        return None
    path = _folder() / f"{token}.xlsx"
    return path if path.is_file() else None


def _discard(request) -> None:
    path = _waiting_file(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _sweep(folder: Path) -> None:
    """Remove previews nobody confirmed, so abandoned uploads do not pile up."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _keep(request, upload) -> str:
    """Store the upload for step 2 under a fresh random name; the session remembers it."""
    _discard(request)
    folder = _folder()
    _sweep(folder)
    token = secrets.token_hex(16)
    with (folder / f"{token}.xlsx").open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": upload.name[:200]}
    return token


def _errors(error: GVFileError) -> list[str]:
    shown = error.errors[:MAX_ERRORS_SHOWN]
    lines = [_("The file was not imported; nothing changed."), *shown]
    if len(error.errors) > len(shown):
        lines.append(_("… and %(count)d more.") % {"count": len(error.errors) - len(shown)})
    return lines


def summary_line(summary: ImportSummary) -> str:
    return _(
        "%(new)d new, %(renamed)d renamed, %(population)d with a changed population, %(other)d otherwise "
        "changed, %(dissolved)d merged or dissolved, %(unchanged)d unchanged."
    ) % {
        "new": summary.new,
        "renamed": summary.renamed,
        "population": summary.population_changed,
        "other": summary.other_changes,
        "dissolved": summary.dissolved,
        "unchanged": summary.unchanged,
    }


def _check_permission(modeladmin, request) -> None:
    # The import creates rows and changes existing ones: add and change permission.
    if not modeladmin.has_register_import_permission(request):
        raise PermissionDenied


def upload_view(modeladmin, request):
    """GET: the upload form. POST: step 1, the dry run and its summary (or the file's errors)."""
    _check_permission(modeladmin, request)
    context, summary = {}, None
    form = RegisterFileForm(request.POST, request.FILES) if request.method == "POST" else RegisterFileForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            source = read_gv_file(upload)
        except GVFileError as error:
            for line in _errors(error):
                form.add_error("file", line)
        else:
            try:
                summary = import_register(source, dry_run=True)
            except DatabaseError:
                # A dry run rolls back in any case; the editor learns that this file cannot be imported.
                form.add_error(
                    "file", _("The database refused the import; nothing changed. Please try again.")
                )
        if summary is not None:
            context = {
                "summary": summary,
                "source": source,
                "token": _keep(request, upload),
                "file_name": upload.name,
            }
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Import the official register (Gemeindeverzeichnis)"),
        "subtitle": None,
        "opts": modeladmin.opts,
        "form": form,
        "max_errors": MAX_ERRORS_SHOWN,
        **context,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/municipalities/municipality/import_register.html", context)


def confirm_view(modeladmin, request):
    """Step 2 (POST): import the file this session previewed, in one transaction, and remove it."""
    _check_permission(modeladmin, request)
    changelist = reverse(f"{modeladmin.admin_site.name}:municipalities_municipality_changelist")
    path = _waiting_file(request)
    # The form repeats the token of the preview it was shown with: an older preview page (another tab,
    # a later upload) must not import a file the editor did not see summarised.
    expected = (request.session.get(SESSION_KEY) or {}).get("token")
    if path is None or request.POST.get("token") != expected:
        modeladmin.message_user(
            request,
            _(
                "There is no previewed file to import (it was imported already or the preview expired). "
                "Upload the file again."
            ),
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse(f"{modeladmin.admin_site.name}:municipalities_municipality_import_register")
        )
    try:
        source = read_gv_file(path)
        summary = import_register(source)
    except GVFileError as error:
        # Only if the file changed on disk since the preview; still nothing is imported.
        for line in _errors(error):
            modeladmin.message_user(request, line, messages.ERROR)
        return HttpResponseRedirect(changelist)
    except DatabaseError:
        # The import runs in one transaction, so a refusal by the database leaves the register as it was.
        modeladmin.message_user(
            request, _("The database refused the import; nothing changed. Please try again."), messages.ERROR
        )
        return HttpResponseRedirect(changelist)
    finally:
        _discard(request)
    modeladmin.message_user(
        request,
        _("Imported the register of %(date)s: %(summary)s Data © Statistisches Bundesamt (Destatis).")
        % {"date": source.territory_date.strftime("%d.%m.%Y"), "summary": summary_line(summary)},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(changelist)
