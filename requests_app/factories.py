"""factory-boy factories for requests, shared by the tests and the demo data command."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.people.factories import OrganisationFactory, UserFactory
from requests_app.models import InformationRequest, Legislation, SubjectRole, YesNo


def part_a_data(**overrides: object) -> dict[str, object]:
    """A complete, valid Part A with no real person in it."""
    data: dict[str, object] = {
        "requester_department": "Community Safety",
        "requester_address": "River Park House, London N22 8HQ",
        "requester_phone": "020 7946 0100",
        "information_description": "Previous ASB reports at the address over the last 12 months, "
        "to support an application for an injunction.",
        "subject_name": "Sam Example",
        "subject_address": "Flat 1, 2 Example Road, London N17 0ZZ",
        "subject_dob": datetime.date(1990, 3, 27),
        "subject_role": SubjectRole.SUSPECT,
        "required_by": timezone.localdate() + datetime.timedelta(days=14),
        "is_urgent": False,
        "urgency_reason": "",
        "consent_obtained": "",
        "public_interest": YesNo.YES,
        "public_interest_reason": "Preventing further anti-social behaviour affecting neighbours.",
        "legislation_other": "",
    }
    data.update(overrides)
    return data


class InformationRequestFactory(factory.django.DjangoModelFactory):
    """A draft request. Move it on with requests_app.workflow.transition, as a user would."""

    class Meta:
        model = InformationRequest
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"ISP-2000-{n:06d}")
    requester = factory.SubFactory(UserFactory, is_requesting_officer=True)
    requesting_organisation = factory.SelfAttribute("requester.organisation")
    requester_name = factory.SelfAttribute("requester.full_name")
    requester_position = factory.SelfAttribute("requester.job_title")
    requester_email = factory.SelfAttribute("requester.email")
    receiving_organisation = factory.SubFactory(OrganisationFactory)
    requester_department = "Community Safety"
    requester_address = "River Park House, London N22 8HQ"
    requester_phone = "020 7946 0100"
    information_description = "Previous ASB reports at the address over the last 12 months."
    subject_name = "Sam Example"
    subject_address = "Flat 1, 2 Example Road, London N17 0ZZ"
    subject_dob = datetime.date(1990, 3, 27)
    subject_role = SubjectRole.SUSPECT
    required_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    public_interest = YesNo.YES
    public_interest_reason = "Preventing further anti-social behaviour affecting neighbours."

    @factory.post_generation
    def grants(obj: InformationRequest, create: bool, extracted: object, **kwargs: object) -> None:
        """As services.request_create does: the requester sees their own request."""
        if create:
            assign_perm("view_personal_details", obj.requester, obj)
            if obj.assigned_officer is not None:
                assign_perm("view_personal_details", obj.assigned_officer, obj)
                assign_perm("decide_request", obj.assigned_officer, obj)
            first = Legislation.objects.order_by("position").first()
            if first is not None:
                obj.legislation.add(first)
