from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils.log import log_response


class PermissionsPolicyMiddleware:
    """Adds a Permissions-Policy header: the site needs no camera, microphone, location or payment APIs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# The only methods any page here answers. Everything else (PUT, PATCH, DELETE, TRACE, OPTIONS, inventions)
# gets a 405 before a view runs.
SERVED_METHODS = ("GET", "HEAD", "POST")


def allowed_methods(view) -> list[str]:
    """The methods among SERVED_METHODS that `view` (as resolved from the URL) accepts.

    Class-based views say so through their handlers (Django answers HEAD with `get`). Function views say so
    through Django's `require_http_methods` family, which keeps its list only in the decorator's closure:
    we read it there, following `__wrapped__` through outer decorators. A view without either (the admin's,
    `set_language`) is assumed to take all SERVED_METHODS.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handlers = {name for name in view_class.http_method_names if hasattr(view_class, name)}
        if "get" in handlers and "head" in view_class.http_method_names:
            handlers.add("head")
        return [method for method in SERVED_METHODS if method.lower() in handlers]
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars and view.__closure__:
            declared = view.__closure__[code.co_freevars.index("request_method_list")].cell_contents
            return [method for method in SERVED_METHODS if method in declared]
        view = getattr(view, "__wrapped__", None)
    return list(SERVED_METHODS)


class AllowedMethodsMiddleware:
    """Answers a method the page does not take with 405 and an Allow header, before any view or check runs.

    Without it a PUT or DELETE meets the CSRF check first and gets a misleading 403, Django's form views
    (login, password reset) treat PUT as POST, and class-based views answer OPTIONS with 200 where function
    views say 405. It must come before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and response.has_header("Allow"):
            # A class-based view's own 405 lists OPTIONS (and PUT for form views), which we never serve.
            served = [m.strip() for m in response["Allow"].split(",") if m.strip() in SERVED_METHODS]
            response["Allow"] = ", ".join(served)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = allowed_methods(view_func)
        if request.method in allowed:
            return None
        response = HttpResponseNotAllowed(allowed)
        log_response(
            "Method Not Allowed (%s): %s", request.method, request.path, response=response, request=request
        )
        return response
