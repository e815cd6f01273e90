from django.urls import path

from governance.accounts import views

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
    path(
        "account/set-password/<str:account_ref>/<str:token>/",
        views.password_set,
        name="password_set",
    ),
    path("account/forgotten-password/", views.password_forgotten, name="password_forgotten"),
]
