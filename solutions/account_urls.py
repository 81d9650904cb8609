"""Account URLs (namespace `accounts`): sign-up, e-mail verification, login, logout, password reset, profile."""

app_name = "accounts"
urlpatterns = []
