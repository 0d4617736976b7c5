from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", two_factor_views.PortalLoginView.as_view(), name="login"),
    path("login/code/", two_factor_views.login_code, name="login_code"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.account, name="account"),
    path("me/email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("me/email/cancel/", views.email_change_cancel, name="email_change_cancel"),
    path("me/two-factor/", two_factor_views.two_factor_page, name="two_factor"),
    path("me/two-factor/recovery-codes/", two_factor_views.recovery_codes_regenerate, name="recovery_codes"),
    path("me/two-factor/disable/", two_factor_views.two_factor_disable, name="two_factor_disable"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html",
                                              success_url="/"),
        name="password_change",
    ),
]
