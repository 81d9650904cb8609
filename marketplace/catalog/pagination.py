"""Pages of a catalog: the validated ``page`` parameter, and rows known by key read one page at a time."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


class RowsInOrder(Sequence):
    """Rows known by their primary keys in display order; a slice (one page) is read with one query.

    ``fetch(pks)`` returns those rows in any order. Works with ``Paginator`` and ``paginate``.
    """

    def __init__(self, pks: Sequence[Any], fetch: Callable[[Sequence[Any]], Iterable[models.Model]]):
        self.pks = list(pks)
        self.fetch = fetch

    def __len__(self) -> int:
        return len(self.pks)

    def keys(self) -> list[Any]:
        """Every row's key in display order, without reading the rows (the open-data exports)."""
        return list(self.pks)

    def __getitem__(self, key):
        if isinstance(key, slice):
            pks = self.pks[key]
            rows = {row.pk: row for row in self.fetch(pks)} if pks else {}
            return [rows[pk] for pk in pks if pk in rows]  # a row gone since the keys were read is left out
        return self[key : key + 1 or None][0]


class PageForm(forms.Form):
    """The ``page`` parameter of every catalog; a bad value is reported, never fatal."""

    page = forms.IntegerField(min_value=1, max_value=10**6, required=False)


@dataclass
class PageResult:
    page_obj: Any
    message: str | None


def paginate(rows: Sequence[Any], data: QueryDict, *, count: int, per_page: int = 20) -> PageResult:
    """Page ``rows`` (a queryset or ``RowsInOrder``) by the validated ``page`` parameter; ``count`` is known
    already (no COUNT query).

    An invalid or out-of-range page shows the first or last page with a message instead of an error.
    """
    paginator = Paginator(rows, per_page)
    paginator.count = count  # cached_property: the total came from the facet index
    form = PageForm(data)
    message = None
    number = 1
    if form.is_valid():
        number = form.cleaned_data["page"] or 1
    else:
        message = _("The page number was not valid; showing the first page.")
    if number > paginator.num_pages:
        message = _("There is no page %(number)s; showing the last page.") % {"number": number}
        number = paginator.num_pages
    page_obj = paginator.page(number)
    page_obj.elided_pages = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return PageResult(page_obj, message)
