"""WSGI entry point for production: gunicorn marketplace.wsgi (static files are served by whitenoise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()
