"""Passkey endpoints. The WebAuthn ceremonies the passkey script calls sit under /sign-in/ beside
the other second-factor pages (the second-factor guard opens them to a session that passed the
password alone: a person with no second factor yet adds a passkey at first sign-in); removing a
passkey sits with the security page that lists them."""

from django.urls import path

from governance.accounts import passkey_views as views

app_name = "passkeys"

urlpatterns = [
    path(
        "sign-in/passkey/register/begin/",
        views.PasskeyRegisterBegin.as_view(),
        name="register_begin",
    ),
    path(
        "sign-in/passkey/register/complete/",
        views.PasskeyRegisterComplete.as_view(),
        name="register_complete",
    ),
    path("sign-in/passkey/verify/begin/", views.PasskeyVerifyBegin.as_view(), name="verify_begin"),
    path(
        "sign-in/passkey/verify/complete/",
        views.PasskeyVerifyComplete.as_view(),
        name="verify_complete",
    ),
    path(
        "account/security/passkeys/<str:reference>/remove/",
        views.passkey_remove,
        name="remove",
    ),
]
