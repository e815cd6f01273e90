from django.urls import path

from governance.oversight import views as audit_views

app_name = "oversight"

urlpatterns = [
    path("audit/", audit_views.audit_list, name="audit"),
]
