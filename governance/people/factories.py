"""factory-boy factories shared by the tests and the demo data command."""

from __future__ import annotations

import factory

from governance.people.models import Organisation, User

DEMO_PASSWORD = "demo-isp-portal-2026"  # noqa: S105 - documented demo credential, demo mode only


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("short_code",)

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    short_code = factory.Sequence(lambda n: f"org{n}")
    department = "Community Safety"
    address = "1 High Road, London N17 0AA"
    phone = "020 7946 0000"
    protective_marking = "OFFICIAL-SENSITIVE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"officer{n}@partner.example")
    full_name = factory.Sequence(lambda n: f"Officer {n}")
    job_title = "Community Safety Officer"
    phone = "020 7946 0001"
    department = "Community Safety"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
