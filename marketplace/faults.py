"""A friendly 503 instead of a 500 (or a hanging request) while the database cannot be reached.

Where the failure surfaces decides who catches it:

* in a view or while a template renders (also a TemplateResponse rendered after the view):
  ``DatabaseUnavailableMiddleware.process_exception``. The outage is then a handled condition: no
  "unhandled exception" signal, and the same page with DEBUG on;
* in another middleware (the session or user is loaded there when the history middleware asks for the user,
  sessions are saved on the way out): Django turns the exception into a response right at that middleware
  (``convert_exception_to_response`` wraps each one), so no outer middleware's try/except ever sees it. It
  ends in the 500 handler, ``marketplace.views.server_error``, which looks at the exception being handled.
  With DEBUG on Django shows its debug page there instead, as it does for every error (and that page, which
  asks the database again and again, took 13 s to render with the database stopped).

The page comes from a static template rendered without request or context processors, so it needs neither
database, session nor user.
"""

import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

# Seconds a client (or a crawler) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

# Django wraps the driver's errors in its own classes when they pass through its connection code; the
# pool's PoolTimeout (a psycopg.OperationalError) and errors from code that talks to psycopg directly arrive
# unwrapped. OperationalError also covers a server that went away mid-query, a lost connection and a pool that
# found no connection in DB_POOL_TIMEOUT seconds.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, UNAVAILABLE_ERRORS)


def unavailable_response() -> HttpResponse:
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An outage page must not stay in a browser's or proxy's cache once the site is back.
    add_never_cache_headers(response)
    return response


def current_exception_is_database_unavailable() -> bool:
    """For the 500 handler, which Django calls inside its ``except`` block without passing the exception."""
    return is_database_unavailable(sys.exception())


class DatabaseUnavailableMiddleware:
    """Turns a database outage in a view or template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        response = unavailable_response()
        # Logged like Django logs an unhandled error (level ERROR with the traceback), and only once.
        log_response(
            "Database unavailable: %s", request.path, response=response, request=request, exception=exception
        )
        return response
