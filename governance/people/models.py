"""Partner organisations, the people who work for them, their roles, and the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WriteOnceModel(models.Model):
    """A record the application writes once and never changes or deletes (on PostgreSQL a
    trigger on the concrete table refuses it too)."""

    write_once_name = "This record"

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self.write_once_name} cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.write_once_name} cannot be deleted.")


class ReferenceSequence(models.Model):
    """The numbers behind human references (ISP-2026-000123, BR-2026-0001): one row per kind of
    reference and year, locked while the next number is handed out (governance.people.references).
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Organisation(TimeStamped):
    """A Partner Organisation that has signed the protocol (Appendix A)."""

    name = models.CharField(max_length=200, unique=True)
    short_code = models.SlugField(max_length=20, unique=True)
    department = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # protocol 9.5: the Metropolitan Police mark disclosures RESTRICTED; each partner's marking is
    # configurable (OFFICIAL-SENSITIVE replaced RESTRICTED in the 2014 classifications).
    protective_marking = models.CharField(max_length=40, default="OFFICIAL-SENSITIVE")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpocRole(models.TextChoices):
    NONE = "", "None"
    SPOC = "spoc", "SPOC"
    BACKUP = "backup", "Back-up SPOC"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        # Superusers bypass every object rule, so they are for break-glass operations only and
        # are never given to case workers.
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        # A superuser belongs to no organisation, so it is an administrator account.
        extra.setdefault("is_portal_admin", True)
        return self.create_user(email, password, **extra)


ADMIN_HOLDS_NO_ROLE_MESSAGE = (
    "A portal administrator cannot belong to an organisation or hold an officer, SPOC or board role"
)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: an officer of a Partner Organisation or a portal administrator."""

    # The account's reference in the portal's URLs: database ids never appear in them.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField("position", max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    department = models.CharField(max_length=200, blank=True)
    # Roles within the organisation. One person may hold several.
    is_requesting_officer = models.BooleanField(default=False)
    is_disclosing_officer = models.BooleanField(default=False)
    # protocol 7.4: one SPOC and one back-up per organisation (database constraint below).
    spoc_role = models.CharField(max_length=10, choices=SpocRole.choices, default="", blank=True)
    # protocol 7.1-7.3: CSP board members own compliance for their organisation.
    is_board_member = models.BooleanField(default=False)
    # Manages organisations and accounts; never sees personal data about subjects.
    is_portal_admin = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of the session auth hash: raising it ends every session of the account at its next
    # request, whatever the session backend (governance.accounts.sessions).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            # protocol 7.4: exactly one SPOC and one back-up SPOC per organisation.
            models.UniqueConstraint(
                fields=["organisation", "spoc_role"],
                condition=~Q(spoc_role=""),
                name="one_spoc_and_one_backup_per_organisation",
                violation_error_message="This organisation already has a person in that SPOC role.",
            ),
            models.CheckConstraint(
                condition=Q(spoc_role__in=["", "spoc", "backup"]),
                name="spoc_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(spoc_role="") | Q(organisation__isnull=False),
                name="spoc_belongs_to_an_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(is_portal_admin=True),
                name="officer_belongs_to_an_organisation",
            ),
            # protocol 10.5.1-10.5.2: the administrator manages accounts and never has a need to
            # know about subjects, so an administrator account can never be an officer too.
            models.CheckConstraint(
                condition=Q(is_portal_admin=False)
                | Q(
                    organisation__isnull=True,
                    is_requesting_officer=False,
                    is_disclosing_officer=False,
                    spoc_role="",
                    is_board_member=False,
                ),
                name="portal_admin_holds_no_organisation_or_role",
                violation_error_message=ADMIN_HOLDS_NO_ROLE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Django signs every session with this hash and ends a session whose hash no longer
    # matches: it covers the password (Django's default) and the session generation.
    def get_session_auth_hash(self) -> str:
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=secret)

    def _session_auth_hash(self, *, secret: str | None) -> str:
        return salted_hmac(
            "governance.people.models.User.get_session_auth_hash",
            f"{self.session_generation}:{self.password}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def holds_organisation_or_role(self) -> bool:
        return bool(
            self.organisation_id
            or self.is_requesting_officer
            or self.is_disclosing_officer
            or self.spoc_role
            or self.is_board_member
        )

    def clean(self) -> None:
        super().clean()
        if self.is_portal_admin and self.holds_organisation_or_role:
            raise ValidationError(ADMIN_HOLDS_NO_ROLE_MESSAGE)

    @property
    def is_spoc_or_backup(self) -> bool:
        return self.spoc_role in (SpocRole.SPOC, SpocRole.BACKUP)

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_requesting_officer:
            labels.append("Requesting officer")
        if self.is_disclosing_officer:
            labels.append("Disclosing officer")
        if self.spoc_role:
            labels.append(self.get_spoc_role_display())
        if self.is_board_member:
            labels.append("CSP board member")
        if self.is_portal_admin:
            labels.append("Portal administrator")
        return labels


def organisations_missing_spoc_roles() -> list[tuple[Organisation, list[str]]]:
    """protocol 7.4: list active organisations that lack a SPOC or a back-up SPOC."""
    filled: dict[int, set[str]] = {}
    for org_id, role in (
        User.objects.filter(is_active=True)
        .exclude(spoc_role="")
        .values_list("organisation_id", "spoc_role")
    ):
        filled.setdefault(org_id, set()).add(role)
    missing = []
    for org in Organisation.objects.filter(is_active=True):
        lacking = [
            label
            for value, label in ((SpocRole.SPOC, "SPOC"), (SpocRole.BACKUP, "back-up SPOC"))
            if value not in filled.get(org.pk, set())
        ]
        if lacking:
            missing.append((org, lacking))
    return missing


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


# The values an account change proposes, each kept as old_<name> and new_<name>.
ACCOUNT_CHANGE_FIELDS = (
    "organisation",
    "is_requesting_officer",
    "is_disclosing_officer",
    "spoc_role",
    "is_board_member",
    "is_active",
)


class AccountChange(TimeStamped):
    """A change of an officer account's organisation, roles or access, proposed by a portal
    administrator and applied only once a second person confirms it (protocol 7.4, 10.5.1).

    Written only by governance.accounts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_changes")
    # A new account: created inactive with no roles, activated when the change is confirmed.
    is_new_account = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    old_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    old_is_requesting_officer = models.BooleanField()
    new_is_requesting_officer = models.BooleanField()
    old_is_disclosing_officer = models.BooleanField()
    new_is_disclosing_officer = models.BooleanField()
    old_spoc_role = models.CharField(max_length=10, choices=SpocRole.choices, blank=True)
    new_spoc_role = models.CharField(max_length=10, choices=SpocRole.choices, blank=True)
    old_is_board_member = models.BooleanField()
    new_is_board_member = models.BooleanField()
    old_is_active = models.BooleanField()
    new_is_active = models.BooleanField()
    status = models.CharField(
        max_length=10, choices=AccountChangeStatus.choices, default=AccountChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            # /manage/changes/: a SPOC's pending changes for their organisation, oldest first.
            models.Index(
                fields=["new_organisation", "status", "proposed_at"], name="account_change_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "rejected"]),
                name="account_change_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="account_change_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="account_change_rejected_has_reason",
            ),
            # protocol 7.4: a second person decides; never the proposer, never the account.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=F("proposed_by")) & ~Q(decided_by=F("account"))),
                name="account_change_decided_by_a_second_person",
            ),
            # One open proposal per account: a second would be decided against stale values.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="pending"),
                name="one_pending_change_per_account",
                violation_error_message="This account already has a change waiting.",
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.account} ({self.get_status_display()})"

    @property
    def audit_reference(self) -> str:
        return str(self.public_id)

    @property
    def audit_organisations(self) -> tuple[Organisation | None, Organisation]:
        """Both sides of a move, so each organisation's SPOC sees it on the audit page (7.4)."""
        moved = self.old_organisation_id != self.new_organisation_id
        return (self.old_organisation if moved else None, self.new_organisation)

    @property
    def is_pending(self) -> bool:
        return self.status == AccountChangeStatus.PENDING
