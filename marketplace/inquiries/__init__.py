"""Requests for information (Interessenbekundung): a municipality asks the vendors on its Merkliste.

Flow, data kept and who sees what: docs/inquiries.md.
"""
