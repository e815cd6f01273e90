"""Notification emails about requests. protocol 8.3.2: personal details never travel by ordinary
email, so each message carries only the request's reference, its urgency and its due date, and
a link to the portal. Emails go through the outbox (written with the change, sent by a worker,
retried; governance.outbox)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format

from governance.outbox.services import email_queue
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
    "withdraw": "Information request {ref} has been withdrawn",
    "close": "Information request {ref} has been closed",
    "give_back": "Information request {ref} has been given back to the queue",
}


def spoc_emails(organisation_id: int) -> list[str]:
    """The SPOC and back-up SPOC of an organisation (protocol 7.4)."""
    return list(
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(spoc_role=SpocRole.NONE)
        .values_list("email", flat=True)
    )


def _assigned(req: InformationRequest) -> list[str]:
    return [req.assigned_officer.email] if req.assigned_officer_id else []


def _recipients(req: InformationRequest, action: str) -> tuple[list[str], int | None]:
    """Who is told, and the organisation whose SPOC sees the email if it cannot be delivered."""
    receiving = req.receiving_organisation_id
    if action == "submit":
        people = User.objects.filter(
            Q(is_disclosing_officer=True) | ~Q(spoc_role=SpocRole.NONE),
            organisation_id=receiving,
            is_active=True,
        )
        return list(people.values_list("email", flat=True)), receiving
    if action == "assign":
        return [*_assigned(req), req.requester.email], receiving
    if action == "provide_more_information":
        return _assigned(req), receiving
    if action in ("withdraw", "close"):
        # The officer working on it stops; the SPOC sees a withdrawal of an unassigned request.
        people = _assigned(req) or (spoc_emails(receiving) if action == "withdraw" else [])
        return people, receiving
    if action == "give_back":
        return spoc_emails(receiving), receiving
    return [req.requester.email], req.requesting_organisation_id


def request_link(req: InformationRequest) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "requests_app:detail", kwargs={"reference": req.reference}
    )


def request_facts(req: InformationRequest) -> str:
    """The only facts about a request an email may carry: reference, urgency and due date."""
    lines = [f"Reference: {req.reference}", f"Urgent: {'yes' if req.is_urgent else 'no'}"]
    if req.due_date:
        lines.append(f"Reply due by: {date_format(req.due_date, 'j F Y')}")
    return "\n".join(lines)


def request_email(
    *,
    req: InformationRequest,
    subject: str,
    opening: str,
    recipients: Iterable[str],
    organisation_id: int | None,
) -> None:
    body = (
        f"{opening}\n\n{request_facts(req)}\n\n"
        f"Sign in to the ISP Portal to see it: {request_link(req)}\n\n"
        "This message contains no personal information. Do not reply with personal information."
    )
    email_queue(
        subject=subject,
        body=body,
        recipients=recipients,
        organisation_id=organisation_id,
        reference=req.reference,
    )


def notify(*, req: InformationRequest, action: str, actor: User) -> None:
    """Tell the people a move concerns (never the person who made it). Called in the move's
    transaction: the email is written with it and sent once it commits."""
    if action not in SUBJECTS:
        return
    people, organisation_id = _recipients(req, action)
    recipients = [email for email in people if email != actor.email]
    if not recipients:
        return
    subject = SUBJECTS[action].format(ref=req.reference)
    if req.is_urgent:
        subject = f"URGENT: {subject}"
    request_email(
        req=req,
        subject=subject,
        opening=f"{SUBJECTS[action].format(ref=req.reference)}.",
        recipients=recipients,
        organisation_id=organisation_id,
    )
