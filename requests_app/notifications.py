"""Notification emails. protocol 8.3.2: personal details never travel by ordinary email, so each
message carries only the request's reference and a link to the portal."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from governance.people.models import SpocRole, User
from requests_app.models import InformationRequest

SUBJECTS = {
    "submit": "New information request {ref}",
    "take": "Information request {ref} is being reviewed",
    "assign": "Information request {ref} has been assigned",
    "request_more_information": "More information needed for request {ref}",
    "provide_more_information": "Request {ref} has been updated",
    "disclose": "A decision has been made on request {ref}",
    "decline": "A decision has been made on request {ref}",
}


def _recipients(req: InformationRequest, action: str, actor: User) -> list[str]:
    if action == "submit":
        people = User.objects.filter(
            Q(is_disclosing_officer=True) | ~Q(spoc_role=SpocRole.NONE),
            organisation_id=req.receiving_organisation_id,
            is_active=True,
        )
        return list(people.values_list("email", flat=True))
    if action == "assign":
        emails = [req.assigned_officer.email] if req.assigned_officer else []
        return [*emails, req.requester.email]
    if action == "provide_more_information":
        return [req.assigned_officer.email] if req.assigned_officer else []
    if action in SUBJECTS:
        return [req.requester.email]
    return []


def notify(*, req: InformationRequest, action: str, actor: User) -> None:
    if action not in SUBJECTS:
        return
    recipients = [email for email in _recipients(req, action, actor) if email != actor.email]
    if not recipients:
        return
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "requests_app:detail", kwargs={"reference": req.reference}
    )
    body = (
        f"{SUBJECTS[action].format(ref=req.reference)}.\n\n"
        f"Sign in to the ISP Portal to see it: {link}\n\n"
        "This message contains no personal information. Do not reply with personal information."
    )
    send_mail(
        SUBJECTS[action].format(ref=req.reference),
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
