"""WSGI entry point of the HTTP table of `make bench` (marketplace/demo/bench/http.py): the production
application with the benchmark's URLconf: the site plus the two floor pages of
``marketplace.demo.bench_urls``."""

import os

from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()
# For the life of the process; override_settings is Django's documented way to replace one setting.
override_settings(ROOT_URLCONF="marketplace.demo.bench_urls").enable()
