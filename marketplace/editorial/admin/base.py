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
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats

from marketplace import csvsafe
from marketplace.editorial import services
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


# ---------- Labels for fields without a verbose name ----------
# A few model fields have no verbose name (foreign keys such as VendorMembership.user, the generated
# Land and size class of a municipality), so Django would head their column, filter and form field with
# the English field name ("User", "State"). Their labels belong on the model fields, where changing one
# needs a migration; until then the admin names them with these.


def column(name: str, label, *, ordering: str | None = None):
    """A changelist column or read-only field showing the model field `name` (its choice label where it
    has choices) under `label`."""

    def show(obj):
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        # Django shows a callable's None as "None" in read-only fields.
        return "–" if value is None else value

    show.__name__ = f"{name}_column"
    return admin.display(show, description=label, ordering=ordering or name)


def choices_filter(name: str, label, choices):
    """A changelist filter on the field `name` offering `choices` (value, label) under the title `label`:
    for generated fields, whose choices Django's own filters do not see (they list the raw values)."""

    class ChoicesFilter(admin.SimpleListFilter):
        title = label
        parameter_name = name

        def lookups(self, request, model_admin):
            return choices

        def queryset(self, request, queryset):
            return queryset.filter(**{name: self.value()}) if self.value() else queryset

    return ChoicesFilter


class FieldLabels:
    """Labels for model fields without a verbose name, on the change form and in inlines, editable or
    read only: `labelled_fields = {"user": column("user", _("user account"))}`."""

    labelled_fields: dict = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.labelled_fields:
            formfield.label = capfirst(self.labelled_fields[db_field.name].short_description)
        return formfield

    # Read only (without the change permission) the admin heads a field with the model's name for it, so
    # the field is shown through its labelled column instead.
    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [self.labelled_fields.get(name, name) if isinstance(name, str) else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.has_change_permission(request, obj):
            return readonly
        return [*readonly, *self.labelled_fields.values()]


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
        "objects": [(obj, "", "") for obj in queryset],
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/moderation_reason.html", context)


def entry_url(obj) -> str:
    """Where an editor resolves what keeps an entry back: its review page where it has one (solutions),
    else its change form."""
    info = (obj._meta.app_label, obj._meta.model_name)
    try:
        return reverse("admin:{}_{}_review".format(*info), args=[obj.pk])
    except NoReverseMatch:
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def confirm_publishing(modeladmin, request, queryset, *, title: str):
    """The page before publishing the selected listings: each with the reason it will not be published,
    if any; its button posts the action again with "apply"."""
    workflow = services.workflow_for(modeladmin.model)
    rows = queryset.select_related(*workflow.related) if workflow.related else queryset
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.opts,
        "queryset": queryset,
        "objects": [(obj, services.publish_problem(obj) or "", entry_url(obj)) for obj in rows],
        "form": None,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "introduction": _(
            "Published listings appear on the public pages at once, and their authors are told by e-mail."
        ),
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
