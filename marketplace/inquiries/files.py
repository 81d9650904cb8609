"""Serving an answer's PDF: only through a view that has checked who asks, never as a public media URL."""

import mimetypes

from django.http import FileResponse, Http404

from marketplace.inquiries.models import Answer


def serve_pdf(answer: Answer) -> FileResponse:
    if not answer.pdf:
        raise Http404
    try:
        handle = answer.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(answer.pdf.name)[0] or "application/octet-stream"
    filename = f"antwort-{answer.recipient.vendor.slug}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A stored file is never a page: nothing in it may run, even if a browser tried to render it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
