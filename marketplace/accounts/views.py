"""Sign-up, e-mail verification, login, password reset and profile (namespace `accounts`)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.accounts import services, tokens
from marketplace.accounts.forms import (
    EmailAuthenticationForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignupForm,
    SummaryPasswordChangeForm,
    SummarySetPasswordForm,
)
from marketplace.ratelimit import limit_mail, limit_posts
from solutions.portal import access
from solutions.portal.forms import EmptyForm


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("signup", "PORTAL_SIGNUP_RATE")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("vendor:dashboard")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Counted before anyone knows whether the address has an account: the limit reveals nothing.
        if (refused := limit_mail(request, [form.cleaned_data["email"]])) is not None:
            return refused
        services.register_user(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        return redirect("accounts:signup_done")
    return render(request, "registration/signup.html", {"form": form})


@require_safe
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_done.html")


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button, POST confirms: link scanners in mail systems must not confirm."""
    user = tokens.user_from_verification_token(token)
    if user is None:
        return render(request, "registration/verify_invalid.html", status=400)
    form = EmptyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.confirm_email(user)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("vendor:dashboard")
        return redirect("accounts:login")
    return render(request, "registration/verify.html", {"form": form, "email": user.email})


@require_POST
@login_required
@limit_posts("verify_resend", "PORTAL_VERIFY_RESEND_RATE")
def verify_resend(request: HttpRequest) -> HttpResponse:
    form = EmptyForm(request.POST)
    if form.is_valid() and not access.is_email_verified(request.user):
        if (refused := limit_mail(request, [request.user.email])) is not None:
            return refused
        services.send_verification_email(request.user)
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": request.user.email})
    return redirect("vendor:dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "email_verified": access.is_email_verified(request.user),
        "memberships": access.memberships(request.user),
    }
    return render(request, "registration/profile.html", context)


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@method_decorator(limit_posts("password_reset", "PORTAL_PASSWORD_RESET_RATE"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    # One template, its first line the subject, like every mail (marketplace.mail).
    email_template_name = subject_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        # Django passes the request's Host header as `domain`; the template ignores it and builds the link
        # with {% absolute_url %} from SITE_URL (see settings).
        return {"SITE_NAME": settings.SITE_NAME}

    def form_valid(self, form):
        # Counted for every address typed in, registered or not, so the limit reveals nothing.
        if (refused := limit_mail(self.request, [form.cleaned_data["email"]])) is not None:
            return refused
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SummarySetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = SummaryPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")
