"""Signing in and out, passwords, two-factor sign-in, the clinic's staff and API tokens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from kneadwell.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgot/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/forgot/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("two-factor/", views.two_factor_setup, name="two_factor"),
    path("two-factor/recovery-codes/", views.recovery_codes_renew, name="recovery_codes"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_add, name="staff_add"),
    path("staff/two-factor/", views.staff_two_factor, name="staff_two_factor"),
    path("staff/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("staff/<int:pk>/send-reset/", views.staff_send_reset, name="staff_send_reset"),
    path("staff/<int:pk>/two-factor-off/", views.staff_two_factor_off, name="staff_two_factor_off"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
