"""Peer contact: a municipality asks a reference municipality about a solution it uses.

- models.py: `ReferenceContactMessage`, every question sent through the form (editors read them in the admin);
- tokens.py: the signed links (consent page, confirmation page);
- services.py: asking for and recording the contact person's consent, routing and forwarding a question;
- forms.py, views.py: the public contact form, its confirmation page and the consent page.

No recipient address ever reaches a page: the form forwards the question by e-mail, with Reply-To set to
the asker, so the answer goes straight back without the marketplace in between.
"""
