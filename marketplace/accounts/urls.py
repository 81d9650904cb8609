"""Account URLs (namespace `accounts`): sign-up, e-mail verification, login, logout, password reset,
profile."""

from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.accounts import views as accounts

app_name = "accounts"
urlpatterns = [
    path("registrieren/", accounts.signup, name="signup"),
    path("registrieren/danke/", accounts.signup_done, name="signup_done"),
    path("bestaetigen/<str:token>/", accounts.verify, name="verify"),
    path("bestaetigen-erneut/", accounts.verify_resend, name="verify_resend"),
    path("anmelden/", accounts.LoginView.as_view(), name="login"),
    path("abmelden/", accounts.LogoutView.as_view(), name="logout"),
    path("profil/", accounts.profile, name="profile"),
    path("passwort/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("passwort-vergessen/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
