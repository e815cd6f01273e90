from django.urls import path

from governance.breaches import views as breach_views
from ui import converters  # noqa: F401  (registers <ref:...>)

app_name = "breaches"

REF = "<ref:reference>"

urlpatterns = [
    path("breaches/", breach_views.breach_register, name="register"),
    path("breaches/new/", breach_views.breach_new, name="new"),
    path(f"breaches/{REF}/", breach_views.breach_detail, name="detail"),
    path(f"breaches/{REF}/reported/", breach_views.breach_reported, name="reported"),
    path(f"breaches/{REF}/update/", breach_views.breach_update, name="update"),
    path(f"breaches/{REF}/update/check/", breach_views.breach_update_check, name="update_check"),
]
