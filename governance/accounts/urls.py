from django.urls import path

from governance.accounts import second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("manage/organisations/", views.organisation_list, name="organisations"),
    path("manage/organisations/new/", views.organisation_new, name="organisation_new"),
    path(
        "manage/organisations/<slug:short_code>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("manage/accounts/", views.account_list, name="accounts"),
    path("manage/accounts/new/", views.account_new, name="account_new"),
    path("manage/accounts/<uuid:public_id>/", views.account_detail, name="account_detail"),
    path("manage/accounts/<uuid:public_id>/change/", views.account_change, name="account_change"),
    path(
        "manage/accounts/<uuid:public_id>/deactivate/",
        views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "manage/accounts/<uuid:public_id>/reactivate/",
        views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "manage/accounts/<uuid:public_id>/password-link/",
        views.account_password_link,
        name="account_password_link",
    ),
    path("manage/changes/", views.change_list, name="changes"),
    path("manage/changes/<uuid:public_id>/", views.change_detail, name="change_detail"),
    path("manage/changes/<uuid:public_id>/confirm/", views.change_confirm, name="change_confirm"),
    path("manage/changes/<uuid:public_id>/reject/", views.change_reject, name="change_reject"),
    # Sign-in lockouts (ASVS 2.2.1, governance.accounts.lockout).
    path("manage/sign-in-lockouts/", views.lockout_list, name="lockouts"),
    path(
        "manage/sign-in-lockouts/<uuid:public_id>/unlock/",
        views.lockout_unlock,
        name="lockout_unlock",
    ),
    path(
        "manage/sign-in-lockouts/address/unlock/",
        views.lockout_unlock_address,
        name="lockout_unlock_address",
    ),
    path(
        "account/set-password/<str:account_ref>/<str:token>/",
        views.password_set,
        name="password_set",
    ),
    path("account/forgotten-password/", views.password_forgotten, name="password_forgotten"),
    # The second factor (ADR 0006).
    path("sign-in/verify/", second_factor_views.second_factor_verify, name="second_factor"),
    path("sign-in/set-up/", second_factor_views.second_factor_set_up, name="second_factor_set_up"),
    path(
        "sign-in/recovery-code/",
        second_factor_views.second_factor_recovery,
        name="second_factor_recovery",
    ),
    path("account/security/", second_factor_views.security, name="security"),
    path(
        "account/security/recovery-codes/",
        second_factor_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("manage/people/", second_factor_views.organisation_people, name="organisation_people"),
    path(
        "manage/accounts/<uuid:public_id>/second-factor/reset/",
        second_factor_views.second_factor_reset,
        name="account_second_factor_reset",
    ),
]
