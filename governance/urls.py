from django.urls import path

from governance import audit_views

app_name = "governance"

urlpatterns = [
    path("audit/", audit_views.audit_list, name="audit"),
]
