"""Accounts: sign-up, e-mail verification, login with lockout, password reset and the profile page.

- URLs in `urls.py` (namespace `accounts`, under /konto/), views in `views.py`, forms in `forms.py`.
- Writes with side effects in `services.py` (register_user, send_verification_email, confirm_email).
- The signed verification link in `tokens.py`; the login lockout handler (settings.AXES_HANDLER) in
  `lockout.py`; rate limits of the forms that send mail in the library module `marketplace/ratelimit.py`.
- Whether an address is confirmed is data of the vendor portal (`solutions.models.EmailVerification`, read
  by `solutions.portal.access.is_email_verified`): the portal gates organisations and submissions on it,
  and a domain app never imports this package, so the row lives with the portal and this package writes it.
- Templates in templates/registration/ (Django's auth views look there).
"""
