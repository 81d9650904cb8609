"""``{% catalog_downloads %}``: CSV and JSON of exactly what a catalog page shows (marketplace/opendata/)."""

from django import template
from django.urls import reverse

from marketplace.opendata.datasets import DATASETS, LICENCE_URL
from marketplace.opendata.discovery import LANGUAGE_PARAMETER

register = template.Library()

BY_LIST = {dataset.list_url_name: dataset for dataset in DATASETS.values()}
# Not part of what the rows are: the page, and how the page is shown. static/js/catalog.js drops the same
# when it copies the address bar's query into the links after htmx changed the results.
DROPPED = ("page", LANGUAGE_PARAMETER)


@register.inclusion_tag("opendata/_downloads.html", takes_context=True)
def catalog_downloads(context):
    request = context["request"]
    match = request.resolver_match
    dataset = BY_LIST.get(match.view_name if match else "")
    if dataset is None:
        return {"links": []}
    query = request.GET.copy()
    for name in DROPPED:
        query.pop(name, None)
    encoded = query.urlencode()
    links = [
        (label, reverse("opendata:export", args=[dataset.slug, fmt]), encoded)
        for fmt, label in (("csv", "CSV"), ("json", "JSON"))
    ]
    return {"links": links, "licence_url": LICENCE_URL}
