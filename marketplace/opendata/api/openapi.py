"""The OpenAPI 3.1 document of the API, built from the resources: their columns become the schemas, their
FilterSets' form fields the query parameters (names, types, allowed values), so the document cannot drift
from what the views accept. ``operations()`` flattens it for the documentation page."""

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace import mail

from ..datasets import LICENCE_NAME, LICENCE_URL
from .resources import RESOURCES, Resource

VERSION = "1.0.0"
TYPES = {
    "string": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "integer": {"type": ["integer", "null"]},
    "number": {"type": ["number", "null"]},
    "boolean": {"type": "boolean"},
    "date": {"type": ["string", "null"], "format": "date"},
    "datetime": {"type": ["string", "null"], "format": "date-time"},
    "list of strings": {"type": "array", "items": {"type": "string"}},
}
# Enumerations longer than this are named by their first values in the page (the document has them all).
SHOWN_VALUES = 12


def _schema_name(resource: Resource) -> str:
    return resource.name.capitalize()


def _field_schema(field: forms.Field) -> dict:
    if isinstance(field, forms.MultipleChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return {"type": "array", "items": {"type": "string", "enum": values}}
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return {"type": "string", "enum": values}
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.IntegerField):
        return {"type": "integer"}
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return {"type": "number"}
    schema = {"type": "string"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def _filter_parameters(resource: Resource) -> list[dict]:
    form = resource.filterset(QueryDict(), queryset=resource.rows()).form
    visitor_only = getattr(resource.filterset, "visitor_only_parameters", ())
    parameters = []
    for name, field in form.fields.items():
        if name in visitor_only:
            continue
        schema = _field_schema(field)
        parameter = {"name": name, "in": "query", "required": False, "schema": schema}
        parameter["description"] = str(field.label or name)
        if schema["type"] == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def _paging_parameters(resource: Resource) -> list[dict]:
    parameters = [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
            "description": _("Page number."),
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            "description": _("Rows per page (at most 100)."),
        },
    ]
    if resource.has_updated_at:
        parameters.append(
            {
                "name": "updated_since",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "format": "date-time"},
                "description": _(
                    "Only rows changed at or after this time (ISO 8601), in key order: for incremental "
                    "harvesting."
                ),
            }
        )
    return parameters


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document() -> dict:
    paths, schemas = {}, {}
    common = {
        "304": {"description": _("Not modified since the ETag or date the client sent.")},
        "429": _problem_response(_("Too many requests from this client; see Retry-After.")),
    }
    for resource in RESOURCES.values():
        name = _schema_name(resource)
        schemas[name] = {
            "type": "object",
            "properties": {
                column.name: {**TYPES[column.type], "description": column.description}
                for column in resource.columns
            },
        }
        schemas[f"{name}Page"] = {
            "type": "object",
            "required": ["count", "page", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "licence": {"type": "object"},
                "warnings": {"type": "array", "items": {"type": "string"}},
                "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            },
        }
        base = f"/api/v1/{resource.name}/"
        paths[base] = {
            "get": {
                "operationId": f"list_{resource.name}",
                "summary": _("%(title)s, page by page") % {"title": _(resource.title)},
                "tags": [resource.name],
                "parameters": [*_paging_parameters(resource), *_filter_parameters(resource)],
                "responses": {
                    "200": {
                        "description": _("One page of rows."),
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}Page"}}
                        },
                    },
                    "400": _problem_response(_("A paging parameter is invalid.")),
                    **common,
                },
            }
        }
        paths[f"{base}{{{resource.key}}}/"] = {
            "get": {
                "operationId": f"get_{resource.name}",
                "summary": _("One row of %(title)s") % {"title": _(resource.title)},
                "tags": [resource.name],
                "parameters": [
                    {
                        "name": resource.key,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer" if resource.lookup == "pk" else "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": _("The row."),
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                    "404": _problem_response(_("No such row.")),
                    **common,
                },
            }
        }
    schemas["Problem"] = {
        "type": "object",
        "required": ["status", "detail"],
        "properties": {"status": {"type": "integer"}, "detail": {"type": "string"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Smart-City-Marktplatz API",
            "version": VERSION,
            "description": _(
                "Read-only access to the public data of the marketplace. The catalog endpoints take the same "
                "filters as the catalog pages."
            ),
            "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        },
        "servers": [{"url": mail.absolute("/").rstrip("/")}],
        "externalDocs": {"url": mail.absolute(reverse("api:docs"))},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _type_text(schema: dict) -> str:
    kind = schema.get("type")
    if kind == "array":
        return _("list of %(kind)s") % {"kind": _type_text(schema["items"])}
    if isinstance(kind, list):
        kind = kind[0]
    return schema.get("format", kind)


def operations(document: dict) -> list[dict]:
    """Each operation: its path, summary, parameters (name, where, type, values) and an example address."""
    rows = []
    for path, methods in document["paths"].items():
        operation = methods["get"]
        parameters = []
        for parameter in operation["parameters"]:
            schema = parameter["schema"]
            values = schema.get("enum") or schema.get("items", {}).get("enum") or []
            parameters.append(
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "type": _type_text(schema),
                    "description": parameter.get("description", ""),
                    "values": values[:SHOWN_VALUES],
                    "more_values": max(0, len(values) - SHOWN_VALUES),
                }
            )
        example = path if "{" not in path else ""
        rows.append(
            {
                "id": operation["operationId"],
                "path": path,
                "summary": operation["summary"],
                "parameters": parameters,
                "example": example,
            }
        )
    return rows
