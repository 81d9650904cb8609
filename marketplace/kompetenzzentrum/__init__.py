"""The Kompetenzzentrum: enquiries ("Beratung anfragen") and barrier reports ("Barriere melden").

- Models in `models.py` (app label "marketplace", table marketplace_enquiry; marketplace/models.py imports
  them so Django registers them), read methods on `Enquiry.objects`.
- Public forms with the spam guard in `forms.py`, views in `views.py`, URLs in `urls.py` (no namespace).
- Writes and their mails in `services.py`; the editors' inbox (admin and review queue section) in `admin.py`.
- Templates in templates/kompetenzzentrum/ (mails in templates/kompetenzzentrum/emails/).
"""
