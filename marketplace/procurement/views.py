"""The procurement path guidance page and the joint-buying declaration (with its confirmation)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.procurement import rules, services
from marketplace.procurement.forms import DEFAULT_YEARS, GuideForm, InterestForm
from marketplace.procurement.models import LandProcurementInfo, ValueLimit, land_of
from marketplace.ratelimit import check_request, limit_mail
from marketplace.shortlist import services as shortlist
from marketplace.shortlist.models import ShortlistEntry
from municipalities.choice import chosen_municipality
from solutions.models import Solution


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _shortlist_solutions(request) -> list:
    """The published solutions on the visitor's own Merkliste (none without a list)."""
    shortlist_id = request.session.get(shortlist.SESSION_KEY)
    if not isinstance(shortlist_id, int):
        return []
    entries = ShortlistEntry.objects.filter(shortlist_id=shortlist_id, solution__isnull=False)
    return list(
        Solution.objects.published()
        .filter(pk__in=entries.values("solution_id"))
        .only(
            "pk",
            "slug",
            "title",
            "cost_introduction_eur",
            "cost_yearly_eur",
            "price_model",
            "hosting_options",
        )
        .order_by("title", "pk")
    )


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """Which procedure applies for a value, Land and day; prefilled from the Merkliste and the visitor's
    municipality. An unbound or invalid form shows no result, with the form's messages, status 200."""
    municipality = chosen_municipality(request)
    solutions = _shortlist_solutions(request)
    data = request.GET.copy()
    if not data.get("land") and municipality is not None and land_of(municipality.state):
        data["land"] = land_of(municipality.state)
    # From the Merkliste with a chosen municipality the answer shows at once; otherwise the form asks first.
    bound = bool(request.GET) or (bool(solutions) and "land" in data)
    form = GuideForm(data if bound else None, initial={"land": data.get("land"), "years": DEFAULT_YEARS})
    years = DEFAULT_YEARS
    if form.is_bound and form.is_valid():
        years = form.cleaned_data["years"]
    estimate, missing = rules.estimate(solutions, years=years)
    context = {
        "form": form,
        "municipality": municipality,
        "solutions": [(solution, rules.contract_type(solution)) for solution in solutions],
        "contract_types": sorted({rules.contract_type(solution) for solution in solutions}),
        "estimate": estimate,
        "missing_costs": missing,
        "years": years,
    }
    if form.is_bound and form.is_valid():
        value = form.cleaned_data["value"]
        if value is None and solutions:
            value = estimate
        if value is None:
            form.add_error("value", _("Give an estimated value, or add solutions to your shortlist."))
        else:
            land, day = form.cleaned_data["land"], form.cleaned_data["day"]
            limits = list(ValueLimit.objects.filter(land__in=[land, "EU"]))
            context["decision"] = rules.decide(value=value, land=land, day=day, limits=limits)
            context["land_info"] = LandProcurementInfo.objects.filter(land=land).first()
    return _noindex(render(request, "procurement/guide.html", context))


def _interest_page(request, solution, form, *, status=200) -> HttpResponse:
    context = {"solution": solution, "form": form, "municipality": chosen_municipality(request)}
    return _noindex(render(request, "procurement/interest_form.html", context, status=status))


@require_POST
def interest(request: HttpRequest, slug: str) -> HttpResponse:
    """Declare interest in buying ``slug`` together; a refusal or an error keeps what was typed."""
    solution = get_object_or_404(Solution.objects.published(), slug=slug)
    form = InterestForm(request.POST)
    # Every post counts for the client address, bots' included.
    refused = check_request(request, "joint_buying", "JOINT_BUYING_RATE")
    if refused is None and form.is_valid():
        refused = limit_mail(request, [form.cleaned_data["email"]])
        if refused is None:
            services.declare_interest(
                solution=solution,
                municipality=form.cleaned_data["municipality"],
                email=form.cleaned_data["email"],
            )
            return redirect("procurement:interest_sent", slug=solution.slug)
    if refused is not None:
        _limit, window = settings.JOINT_BUYING_RATE
        form.add_error(
            None,
            _(
                "Too many declarations were sent from your connection or to this address. "
                "Please try again in %(minutes)d minutes."
            )
            % {"minutes": max(1, window // 60)},
        )
        return _interest_page(request, solution, form, status=429)
    return _interest_page(request, solution, form)


@require_safe
def interest_sent(request: HttpRequest, slug: str) -> HttpResponse:
    solution = get_object_or_404(Solution.objects.published(), slug=slug)
    return _noindex(render(request, "procurement/interest_sent.html", {"solution": solution}))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """GET shows what is about to happen; only the POST confirms (a mail scanner opening the link must not
    count a declaration)."""
    interest = services.from_confirm_token(signed)
    if interest is None:
        return _noindex(render(request, "procurement/confirm_invalid.html", status=404))
    if request.method == "POST":
        services.confirm_interest(interest)
        return redirect("procurement:interest_confirmed", slug=interest.solution.slug)
    context = {"interest": interest, "signed": signed}
    return _noindex(render(request, "procurement/interest_confirm.html", context))


@require_safe
def interest_confirmed(request: HttpRequest, slug: str) -> HttpResponse:
    solution = get_object_or_404(Solution.objects.published(), slug=slug)
    return _noindex(render(request, "procurement/interest_confirmed.html", {"solution": solution}))
