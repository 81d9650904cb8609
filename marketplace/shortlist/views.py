"""The Merkliste page, its write endpoints (plain POST and htmx) and the read-only shared page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from marketplace.ratelimit import limit_posts
from marketplace.shortlist import services
from marketplace.shortlist.forms import ItemForm, NoteForm
from marketplace.shortlist.models import MAX_ENTRIES, ShortlistEntry

PAGE = "shortlist/shortlist_detail.html"


def _page_context(request, shortlist, *, read_only: bool) -> dict:
    items = services.items_of(shortlist) if shortlist is not None else []
    return {
        "shortlist": shortlist,
        "items": items,
        "read_only": read_only,
        "compare_url": services.compare_url(items),
        "share_url": (
            request.build_absolute_uri(
                reverse("shortlist:shared", kwargs={"signed": services.share_token(shortlist)})
            )
            if shortlist is not None and items
            else ""
        ),
        "max_entries": MAX_ENTRIES,
    }


@require_safe
def detail(request: HttpRequest) -> HttpResponse:
    context = _page_context(request, services.current(request), read_only=False)
    return render(request, PAGE, context)


@require_safe
def shared(request: HttpRequest, signed: str) -> HttpResponse:
    shortlist = services.from_share_token(signed)
    if shortlist is None:
        raise Http404("No such shortlist")
    context = _page_context(request, shortlist, read_only=True)
    context["signed"] = signed
    context["is_own"] = request.session.get(services.SESSION_KEY) == shortlist.pk
    response = render(request, PAGE, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _toggle_response(request, *, kind: str, pk: int, on_list: bool, error: str = "") -> HttpResponse:
    """The button in its new state, with the header count out of band (htmx)."""
    context = {
        "kind": kind,
        "pk": pk,
        "on_list": on_list,
        "error": error,
        "shortlist_count": services.count(request),
        "oob": True,
    }
    response = render(request, "shortlist/_toggle_response.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_response(request) -> HttpResponse:
    """The Merkliste's entries after a change on the Merkliste page itself (htmx)."""
    context = _page_context(request, services.current(request), read_only=False)
    context["shortlist_count"] = services.count(request)
    context["oob"] = True
    response = render(request, f"{PAGE}#entries", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@limit_posts("shortlist", "SHORTLIST_RATE")
def add(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item")
    kind, pk = form.cleaned_data["item"]
    item = services.published_item(kind, pk)
    if item is None:
        raise Http404("No such published item")
    error = ""
    try:
        services.add(request, kind=kind, item=item)
    except services.ShortlistFull:
        error = "full"
    if request.htmx:
        return _toggle_response(request, kind=kind, pk=pk, on_list=not error, error=error)
    if error:
        return render(request, "shortlist/shortlist_full.html", {"max_entries": MAX_ENTRIES}, status=409)
    return redirect(form.next_url(request, reverse("shortlist:detail")))


@require_POST
@limit_posts("shortlist", "SHORTLIST_RATE")
def remove(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item")
    kind, pk = form.cleaned_data["item"]
    services.remove(request, kind=kind, pk=pk)
    if request.htmx:
        if request.POST.get("from") == "list":
            return _list_response(request)
        return _toggle_response(request, kind=kind, pk=pk, on_list=False)
    return redirect(form.next_url(request, reverse("shortlist:detail")))


@require_POST
@limit_posts("shortlist", "SHORTLIST_RATE")
def note(request: HttpRequest, entry_id: int) -> HttpResponse:
    # Scoped in the lookup: only an entry of the visitor's own list.
    shortlist_id = request.session.get(services.SESSION_KEY)
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("shortlist"),
        pk=entry_id,
        shortlist_id=shortlist_id if isinstance(shortlist_id, int) else None,
    )
    form = NoteForm(request.POST)
    saved = form.is_valid()
    if saved:
        services.save_note(entry=entry, note=form.cleaned_data["note"])
    if request.htmx:
        context = {"entry": entry, "note_form": form, "saved": saved}
        response = render(request, "shortlist/_note_form.html", context, status=200)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if not saved:
        context = _page_context(request, entry.shortlist, read_only=False)
        context.update(invalid_entry_id=entry.pk, invalid_note_form=form)
        return render(request, PAGE, context)
    return redirect(f"{reverse('shortlist:detail')}#entry-{entry.pk}")


@require_POST
@limit_posts("shortlist", "SHORTLIST_RATE")
def adopt(request: HttpRequest, signed: str) -> HttpResponse:
    shortlist = services.from_share_token(signed)
    if shortlist is None:
        raise Http404("No such shortlist")
    if request.session.get(services.SESSION_KEY) != shortlist.pk:
        services.adopt(request, shortlist=shortlist)
    return redirect("shortlist:detail")
