from django.urls import path

from consent import views
from ui import converters  # noqa: F401  (registers <ref:...>)

app_name = "consent"

CONSENT = "requests/<ref:reference>/consent/"
RECORD = f"{CONSENT}<uuid:public_id>/"

urlpatterns = [
    path(CONSENT, views.consent_list, name="list"),
    path(f"{CONSENT}new/", views.consent_new, name="new"),
    path(f"{CONSENT}new/check/", views.consent_check, name="check"),
    path(RECORD, views.consent_detail, name="detail"),
    path(f"{RECORD}withdraw/", views.consent_withdraw, name="withdraw"),
    path(f"{RECORD}pdf/", views.consent_pdf, name="pdf"),
    path("forms/consent-form.pdf", views.blank_consent_form, name="blank_form"),
]
