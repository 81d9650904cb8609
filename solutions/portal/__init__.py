"""The vendor portal: organisations, listing forms, uploads, references, revisions.

Where things live:
- URLs: `solutions/portal/urls.py` (namespace `vendor`, under /anbieter/). Sign-up, login and password
  reset (namespace `accounts`, under /konto/) are in `marketplace/accounts/`.
- Views by resource in `views/`; every lookup is scoped to the user's organisations (`access.py`), so another
  organisation's id answers 404 exactly like a missing one.
- Writes with side effects in `solutions/services.py`; mail leaves the request through `marketplace/mail.py`
  (Django's tasks framework: the database backend in production, run `manage.py db_worker`).
- Upload checks in `solutions/uploads.py`; files are served only through views that check access.
- publiccode.yml reading in `solutions/publiccode.py`.
"""
