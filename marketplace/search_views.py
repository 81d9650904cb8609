from marketplace.views import _todo as search  # noqa: F401
