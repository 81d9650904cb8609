"""Production settings (DEBUG off) for the app server that test_faults_live.py starts in a subprocess.

Only one change: static files come unhashed from the finders, because the manifest storage needs a
`collectstatic` run first (about 9 s, and it writes into the checkout). Nothing else differs from what a
deployment runs, so the outage is met by the same middleware, error handlers and pool settings.
"""

from marketplace.settings import *  # noqa: F403

UNHASHED = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STORAGES = {**STORAGES, "staticfiles": UNHASHED}  # noqa: F405
