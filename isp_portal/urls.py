from django.contrib import admin
from django.urls import include, path

from governance.accounts import views as account_views
from isp_portal import views

handler403 = "isp_portal.views.permission_denied"
handler404 = "isp_portal.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sign-in/", account_views.SignInView.as_view(), name="login"),
    path("sign-out/", account_views.sign_out, name="logout"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("protocol/", views.protocol, name="protocol"),
    path(
        "accessibility/",
        views.static_page,
        {"page": "accessibility"},
        name="accessibility",
    ),
    path("privacy/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.static_page, {"page": "cookies"}, name="cookies"),
    path("", include("requests_app.urls")),
    path("", include("governance.oversight.urls")),
    path("", include("consent.urls")),
    path("", include("governance.breaches.urls")),
    path("", include("governance.accounts.urls")),
    path("", include("governance.accounts.passkey_urls")),
    path("admin/", admin.site.urls),
]
