"""Forms of the account pages: sign-up, login, password reset and change, profile."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from marketplace import mail
from solutions.portal.forms import SummaryMixin


class SignupForm(SummaryMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address; you confirm it before you can submit a listing."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not a common password, not like your address."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        if password1 and cleaned.get("email"):
            probe = get_user_model()(username=cleaned["email"].lower(), email=cleaned["email"].lower())
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(SummaryMixin, AuthenticationForm):
    """Django's login form, labelled for e-mail addresses (the username is the address in lower case)."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class QueuedPasswordResetForm(SummaryMixin, PasswordResetForm):
    """Sends the reset mail like every other mail: one template, queued (marketplace.mail)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The subject is the template's first line, as in every mail of the project.
        mail.queue_mail(to=[to_email], template=email_template_name, context=context)


class SummarySetPasswordForm(SummaryMixin, SetPasswordForm):
    pass


class SummaryPasswordChangeForm(SummaryMixin, PasswordChangeForm):
    pass


class ProfileForm(SummaryMixin, forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }
