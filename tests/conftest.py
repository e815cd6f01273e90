"""Personas and shared fixtures. Each persona's docstring names their role."""

from __future__ import annotations

import os

import pgtrigger
import pytest
from django.core.management import call_command
from django.test import TransactionTestCase

from governance.people.factories import UserFactory
from governance.people.models import Organisation, SpocRole, User
from tests import db_roles
from tests.second_factor_helpers import mark_second_factor_passed, password_only_login

__all__ = ["password_only_login"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which database server and browser the run uses, so a log shows what was tested."""
    import shutil
    import subprocess

    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f" at {db.get('HOST')}:{db.get('PORT')}" if db.get("HOST") else ""
    lines = [f"database: {db['ENGINE'].rsplit('.', 1)[-1]}{where}"]
    chromium = shutil.which("chromium")
    if chromium:
        version = subprocess.run(  # noqa: S603
            [chromium, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        lines.append(f"browser: {version} via Playwright")
    return lines


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """The test database is created and migrated by the schema's owner (tests/db_roles.py)."""
    db_roles.lift()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """From here on every test runs as the portal's database role; the owner drops the database."""
    db_roles.restore()
    yield
    db_roles.lift()


_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_as_owner(self: TransactionTestCase) -> None:
    """Transactional tests are followed by a flush (TRUNCATE of every table): the owner's act,
    with the audit trail's refusal of TRUNCATE set aside for it."""
    with db_roles.as_owner(), pgtrigger.ignore("audit.AuditEvent:audit_no_truncate"):
        _fixture_teardown(self)


TransactionTestCase._fixture_teardown = _fixture_teardown_as_owner


@pytest.fixture
def reference_data(db) -> None:
    """Reference data (the nine signatories, the legislation list) as the fixtures ship it.

    Loaded per test because transactional tests (browser, concurrency) empty the tables.
    """
    if not Organisation.objects.exists():
        # As a deployment loads them: by the owner (loaddata moves the id sequences on).
        with db_roles.as_owner():
            call_command(
                "loaddata", "fixtures/organisations.json", "fixtures/legislation.json", verbosity=0
            )


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing strength is not under test here; the production hasher stays PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(user)` means fully signed in: the session also holds the person's
    authenticator app, as OTPMiddleware reads it. `password_only_login(client, user)` signs in
    with the password alone."""
    from django.test import Client

    from tests.second_factor_helpers import password_only_force_login

    def force_login(self, user, backend=None):
        password_only_force_login(self, user, backend)
        mark_second_factor_passed(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def council(reference_data) -> Organisation:
    return Organisation.objects.get(short_code="council")


@pytest.fixture
def met(reference_data) -> Organisation:
    return Organisation.objects.get(short_code="met")


@pytest.fixture
def lfb(reference_data) -> Organisation:
    return Organisation.objects.get(short_code="lfb")


@pytest.fixture
def alice(council) -> User:
    """Alice: requesting officer of the Council."""
    return UserFactory(
        email="alice@council.example",
        full_name="Alice Able",
        organisation=council,
        is_requesting_officer=True,
        job_title="ASB Case Officer",
    )


@pytest.fixture
def colin(council) -> User:
    """Colin: another requesting officer of the Council (same organisation, not the requester)."""
    return UserFactory(
        email="colin@council.example",
        full_name="Colin Cole",
        organisation=council,
        is_requesting_officer=True,
    )


@pytest.fixture
def bob(met) -> User:
    """Bob: disclosing officer of the Metropolitan Police (the one who takes the request)."""
    return UserFactory(
        email="bob@met.example",
        full_name="Bob Brown",
        organisation=met,
        is_disclosing_officer=True,
        job_title="Disclosure Officer",
    )


@pytest.fixture
def bea(met) -> User:
    """Bea: a second Met disclosing officer, not assigned."""
    return UserFactory(
        email="bea@met.example",
        full_name="Bea Black",
        organisation=met,
        is_disclosing_officer=True,
        job_title="Disclosure Officer",
    )


@pytest.fixture
def sally(met) -> User:
    """Sally: the Metropolitan Police SPOC (the receiving organisation's SPOC)."""
    return UserFactory(
        email="sally@met.example",
        full_name="Sally Stone",
        organisation=met,
        spoc_role=SpocRole.SPOC,
        job_title="Information Governance Lead",
    )


@pytest.fixture
def sid(met) -> User:
    """Sid: the Metropolitan Police back-up SPOC."""
    return UserFactory(
        email="sid@met.example", full_name="Sid Stone", organisation=met, spoc_role=SpocRole.BACKUP
    )


@pytest.fixture
def charlie(lfb) -> User:
    """Charlie: disclosing and requesting officer of a third organisation (London Fire Brigade)."""
    return UserFactory(
        email="charlie@lfb.example",
        full_name="Charlie Clark",
        organisation=lfb,
        is_disclosing_officer=True,
        is_requesting_officer=True,
    )


@pytest.fixture
def cora(council) -> User:
    """Cora: the Council's SPOC (the requesting organisation's SPOC)."""
    return UserFactory(
        email="cora@council.example",
        full_name="Cora Cook",
        organisation=council,
        spoc_role=SpocRole.SPOC,
    )


@pytest.fixture
def brenda(met) -> User:
    """Brenda: a CSP board member for the Metropolitan Police."""
    return UserFactory(
        email="brenda@met.example", full_name="Brenda Board", organisation=met, is_board_member=True
    )


@pytest.fixture
def adam(reference_data) -> User:
    """Adam: the portal administrator (organisations and accounts; no personal data)."""
    from governance.people.permissions_setup import portal_admin_group_sync

    user = UserFactory(
        email="adam@portal.example",
        full_name="Adam Admin",
        organisation=None,
        is_portal_admin=True,
        is_staff=True,
    )
    portal_admin_group_sync()
    return user


@pytest.fixture
def ava(reference_data) -> User:
    """Ava: a second portal administrator (the second person for another's proposals)."""
    return UserFactory(
        email="ava@portal.example",
        full_name="Ava Admin",
        organisation=None,
        is_portal_admin=True,
        is_staff=True,
    )
