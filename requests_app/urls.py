from django.urls import path, re_path

from requests_app import part_a_views, views, workflow
from ui import converters  # noqa: F401  (registers <ref:...>)

app_name = "requests_app"

REF = "<ref:reference>"

urlpatterns = [
    path("requests/", views.request_list_mine, name="mine"),
    path("requests/new/", part_a_views.request_new, name="new"),
    path("requests/new/about-you/", part_a_views.request_new_about_you, name="new_about_you"),
    path(f"requests/{REF}/part-a/", part_a_views.request_task_list, name="task_list"),
    path(
        f"requests/{REF}/part-a/<slug:page>/",
        part_a_views.request_part_a_page,
        name="part_a_page",
    ),
    path(
        f"requests/{REF}/check-your-answers/",
        part_a_views.request_check_answers,
        name="check_answers",
    ),
    path(f"requests/{REF}/", views.request_detail, name="detail"),
    path(f"requests/{REF}/edit/", part_a_views.request_edit, name="edit"),
    path(f"requests/{REF}/submit/", part_a_views.request_submit, name="submit"),
    path(f"requests/{REF}/delete/", views.request_delete_draft, name="delete_draft"),
    path(f"requests/{REF}/view-details/", views.request_open_details, name="open_details"),
    path(f"requests/{REF}/submitted/", views.request_submitted, name="submitted"),
    path(f"requests/{REF}/assign/", views.request_assign, name="assign"),
    path(
        f"requests/{REF}/more-information/", views.request_more_information, name="more_information"
    ),
    path(f"requests/{REF}/decide/", views.request_decide, name="decide"),
    path(f"requests/{REF}/give-back/", views.request_give_back, name="give_back"),
    path(f"requests/{REF}/extend/", views.request_extend, name="extend"),
    path(
        f"requests/{REF}/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        f"requests/{REF}/provide_more_information/",
        views.request_provide_more_information,
        name="provide_more_information",
    ),
    # The moves whose button opens the generic confirm page, from the workflow table.
    re_path(
        r"^requests/(?P<reference>[A-Za-z0-9-]+)/(?P<action>"
        + "|".join(sorted(workflow.confirm_page_actions()))
        + r")/$",
        views.request_action,
        name="action",
    ),
    path("inbox/", views.inbox, name="inbox"),
]

# Paper forms (Appendix B) rendered with WeasyPrint.
from requests_app import pdf_views  # noqa: E402

urlpatterns = [
    path(
        "forms/request-disclosure-form.pdf", pdf_views.blank_request_form, name="blank_request_form"
    ),
    path(f"requests/{REF}/pdf/", pdf_views.request_pdf, name="pdf"),
    path(f"requests/{REF}/pdf/protected/", pdf_views.request_pdf_protected, name="pdf_protected"),
    path(
        f"requests/{REF}/pdf/protected/<str:token>/",
        pdf_views.request_pdf_protected_download,
        name="pdf_protected_download",
    ),
    *urlpatterns,
]
