"""Move a request through the workflow as its users would, for tests."""

from __future__ import annotations

from governance.people.models import User
from requests_app import services, workflow
from requests_app.factories import part_a_data
from requests_app.models import InformationRequest, Legislation

GOOD_CHECKS = {
    "check_form_complete": True,
    "check_consent_evidence": False,
    "check_necessary": True,
    "check_accurate": True,
    "check_depersonalised": True,
    "check_need_to_know": True,
    "check_secure": True,
}

WHEN_TO_SHARE_YES = {
    "share_legitimate_purpose": "yes",
    "share_identifiable": "yes",
    "share_confidential": "yes",
    "share_consent": "no",
    "share_other_lawful_reason": "yes",
}


def draft(requester: User, to, **overrides) -> InformationRequest:
    data = part_a_data(receiving_organisation=to, **overrides)
    data["legislation"] = [Legislation.objects.order_by("position").first().pk]
    return services.request_create(requester=requester, data=data)


def submitted(requester: User, to, **overrides) -> InformationRequest:
    req = draft(requester, to, **overrides)
    return workflow.transition(
        reference=req.reference,
        action="submit",
        actor=requester,
        signature_name=requester.full_name,
    )


def under_review(requester: User, to, discloser: User, **overrides) -> InformationRequest:
    req = submitted(requester, to, **overrides)
    return workflow.transition(reference=req.reference, action="take", actor=discloser)


def sent_back(
    requester: User, to, discloser: User, note: str = "Which dates?"
) -> InformationRequest:
    req = under_review(requester, to, discloser)
    return workflow.transition(
        reference=req.reference, action="request_more_information", actor=discloser, note=note
    )


def change_part_a(req: InformationRequest, requester: User, **changes) -> InformationRequest:
    """The requester changes Part A, as the edit page would save it."""
    req = InformationRequest.objects.get(pk=req.pk)
    data = {name: getattr(req, name) for name in services.PART_A_FIELDS}
    data["legislation"] = list(req.legislation.values_list("pk", flat=True))
    data.update(changes)
    return services.request_update(reference=req.reference, editor=requester, data=data)


def resend(
    req: InformationRequest, requester: User, reply: str = "Dates: 2026 only.", **changes
) -> InformationRequest:
    """Answer a request sent back for more information: change Part A, reply in the
    conversation, sign it again, send it. Without changes given, the description gains a
    sentence (an unchanged request is refused)."""
    if not changes:
        changes = {"information_description": f"{req.information_description} Dates: 2026 only."}
    change_part_a(req, requester, **changes)
    return workflow.transition(
        reference=req.reference,
        action="provide_more_information",
        actor=requester,
        signature_name=requester.full_name,
        reply=reply,
    )


def part_b(**overrides) -> dict:
    data = {
        **GOOD_CHECKS,
        **WHEN_TO_SHARE_YES,
        "decline_reason": "",
        "decision_reasons": "Necessary to prevent further ASB; proportionate.",
        "information_disclosed": "Three reports of ASB at the address in 2026.",
        "information_type": "Police incident summaries",
        "delivery_method": "portal",
        "delivery_method_other": "",
        "subject_informed": "no",
        "subject_not_informed_reason": "Informing would prejudice the prevention of crime.",
        "authorised_by": "",
        "signature_name": "",
    }
    data.update(overrides)
    return data


def disclosed(requester: User, to, discloser: User) -> InformationRequest:
    req = under_review(requester, to, discloser)
    return workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=discloser,
        part_b=part_b(signature_name=discloser.full_name),
    )


def open_details_if_spoc(user: User, req: InformationRequest) -> None:
    """The receiving SPOC sees personal details only after giving a reason (ADR 0002)."""
    from requests_app import permissions

    if permissions.can_open_personal_details(user, req):
        services.personal_details_access_open(
            reference=req.reference, user=user, reason="Checking the request before reassigning."
        )
