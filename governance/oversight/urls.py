from django.urls import path

from governance.oversight import s62_views, undelivered
from governance.oversight import views as audit_views

app_name = "oversight"

urlpatterns = [
    path("audit/", audit_views.audit_list, name="audit"),
    path("audit/data-protection-log/", s62_views.s62_export, name="s62_export"),
    path("emails/undelivered/", undelivered.undelivered_list, name="undelivered"),
    path(
        "emails/<uuid:public_id>/send-again/",
        undelivered.undelivered_send_again,
        name="undelivered_send_again",
    ),
]
