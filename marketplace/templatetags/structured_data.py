"""schema.org JSON-LD of the pilot and municipality pages (the solution page builds its own in
solutions/views.py): ``{% pilot_json_ld pilot as data %}`` then ``{{ data|ld_json }}`` in a data block.

Addresses under settings.SITE_URL (the blocks may be cached and served to everyone).
"""

from django import template
from django.conf import settings

register = template.Library()


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _place(municipality) -> dict:
    data = {
        "@type": "AdministrativeArea",
        "name": municipality.name,
        "url": _url(municipality.get_absolute_url()),
    }
    if municipality.ars:
        data["identifier"] = municipality.ars
    return data


@register.simple_tag
def pilot_json_ld(pilot) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": pilot.title,
        "description": pilot.summary,
        "url": _url(pilot.get_absolute_url()),
        "location": _place(pilot.lead_municipality),
    }
    if pilot.start_date:
        data["foundingDate"] = pilot.start_date.isoformat()
    return data


@register.simple_tag
def municipality_json_ld(municipality) -> dict:
    data = {"@context": "https://schema.org", **_place(municipality)}
    if municipality.latitude is not None and municipality.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(municipality.latitude),
            "longitude": float(municipality.longitude),
        }
    if municipality.postcode:
        data["address"] = {
            "@type": "PostalAddress",
            "postalCode": municipality.postcode,
            "addressCountry": "DE",
        }
    return data
