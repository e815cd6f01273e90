from django.contrib import admin
from django.urls import include, path

from governance import views as governance_views

handler403 = "governance.views.permission_denied"
handler404 = "governance.views.page_not_found"

urlpatterns = [
    path("", governance_views.home, name="home"),
    path("healthz", governance_views.healthz, name="healthz"),
    path("sign-in/", governance_views.SignInView.as_view(), name="login"),
    path("sign-out/", governance_views.sign_out, name="logout"),
    path("session/keep-alive/", governance_views.keep_alive, name="keep_alive"),
    path("protocol/", governance_views.protocol, name="protocol"),
    path(
        "accessibility/",
        governance_views.static_page,
        {"page": "accessibility"},
        name="accessibility",
    ),
    path("privacy/", governance_views.static_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", governance_views.static_page, {"page": "cookies"}, name="cookies"),
    path("", include("requests_app.urls")),
    path("", include("governance.urls")),
    path("", include("consent.urls")),
    path("", include("governance.breach_urls")),
    path("", include("governance.account_urls")),
    path("admin/", admin.site.urls),
]
