"""Building blocks of the editors' ModelAdmins: the per-object history timeline, actions that call an
editorial service for each selected row (with a page asking for the reason where one is needed), and the
spreadsheet-safe CSV export and import."""

from __future__ import annotations

import tablib
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats

from marketplace import csvsafe
from marketplace.editorial.history import timeline
from marketplace.editorial.services import ModerationError


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=gettext_lazy("The organisation sees this text in its dashboard and in the e-mail."),
    )


class OptionalReasonForm(ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        required=False,
    )


class HistoryTimelineMixin:
    """Replaces the admin's "History" page by the pghistory timeline of the object (who, when, what, why)."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": timeline(obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history_timeline.html", context)


def run_service(modeladmin, request, queryset, service, *, done: str, **kwargs) -> None:
    """Call `service` for each selected object; report successes and each refusal with its reason."""
    succeeded = 0
    for obj in queryset:
        try:
            service(obj, by=request.user, **kwargs)
        except ModerationError as refused:
            for problem in refused.problems:
                modeladmin.message_user(request, problem, messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done % {"count": succeeded}, messages.SUCCESS)


def reason_action(
    modeladmin, request, queryset, service, *, action: str, title: str, done: str, required=True
):
    """An admin action that first asks for the reason (an intermediate page), then calls the service."""
    form_class = ReasonForm if required else OptionalReasonForm
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_service(modeladmin, request, queryset, service, done=done, reason=form.cleaned_data["reason"])
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.opts,
        "queryset": queryset,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/moderation_reason.html", context)


class SpreadsheetSafeCSV(base_formats.CSV):
    """CSV whose cells a spreadsheet cannot run as formulas (marketplace.csvsafe).

    Every admin export goes through this format, so no resource has to remember it. Reading an import
    undoes the quoting, so an exported file edited and imported again keeps its values.
    (django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a leading "=".)
    """

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([csvsafe.neutralise(value) for value in row])
        return super().export_data(safe, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        for index, row in enumerate(dataset):
            dataset[index] = [csvsafe.restore(value) for value in row]
        return dataset


class CsvExportMixin(ExportMixin):
    """An "Export" button on the changelist that downloads the filtered rows as CSV right away.

    The format form of django-import-export is skipped: it carries inline styles and handlers that the
    Content-Security-Policy blocks, and CSV is the only format offered.
    """

    formats = [SpreadsheetSafeCSV]
    skip_export_form = True

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class CsvImportExportMixin(ImportExportMixin):
    """CSV export plus CSV import with a dry-run preview of every row (new, changed, errors) before
    anything is saved; import needs the add and change permissions of the model."""

    formats = [SpreadsheetSafeCSV]
    skip_export_form = True
    import_error_display = ("message", "row")

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)


# The editorial fields of a listing model's change form; the status and its dates change only through the
# moderation actions, so each decision is recorded.
EDITORIAL_READONLY_FIELDS = [
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "archived_at",
]
EDITORIAL_FIELDSET = (
    gettext_lazy("Editorial"),
    {
        "fields": [
            "status",
            "status_reason",
            "featured",
            "is_demo",
            "created_at",
            "updated_at",
            "submitted_at",
            "published_at",
            "archived_at",
        ]
    },
)
