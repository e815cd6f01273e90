"""Organisations and accounts: who may manage them, the lists, and every write.

Two rules shape this module. The portal administrator manages organisations and accounts but
never holds an organisation or an officer role, so never sees personal data (protocol 10.5.1-
10.5.2). A change of an officer's organisation, roles or access is proposed by an administrator
and takes effect only when a second person confirms it: the SPOC or back-up SPOC of the
organisation the person will work for (protocol 7.4: the SPOC oversees who acts for their
organisation), or a different administrator. Removing access needs no second person.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from governance.accounts import lockout
from governance.accounts.sessions import sessions_end_all
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.outbox.services import email_queue
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import (
    ADMIN_HOLDS_NO_ROLE_MESSAGE,
    AccountChange,
    AccountChangeStatus,
    Organisation,
    SpocRole,
    User,
)
from requests_app.services import request_grants_revoke_after_account_change

NOTHING_CHANGES_MESSAGE = "Change at least one of the organisation, the roles or access"
PENDING_EXISTS_MESSAGE = (
    "This account already has a change waiting for confirmation. It must be confirmed or "
    "rejected first"
)
INACTIVE_ORGANISATION_MESSAGE = "Select an active organisation"
SPOC_TAKEN_MESSAGE = "{organisation} already has a {role}. Change that person's role first"
ALREADY_DECIDED_MESSAGE = "This change has already been confirmed or rejected"
STALE_MESSAGE = (
    "The account has changed since this change was proposed. Reject it and propose it again"
)
EMAIL_TAKEN_MESSAGE = "An account with this email address already exists"
ALREADY_INACTIVE_MESSAGE = "This account is already deactivated"
OWN_ACCOUNT_MESSAGE = "You cannot deactivate your own account"
INACTIVE_ACCOUNT_LINK_MESSAGE = (
    "This account is not active. A password-set link is sent when its access is confirmed"
)
REJECTION_REASON_MESSAGE = "Enter the reason for rejecting the change"

PASSWORD_LINK_SUBJECT = "Set your ISP Portal password"  # noqa: S105 - an email subject
CHANGE_WAITING_SUBJECT = "An account change is waiting for your confirmation"
_EMAIL_FOOTER = (
    "This message contains no personal information. Do not reply with personal information."
)


class AccountChangeNotAllowed(Exception):
    """A write refused because of the data, not the person: the message is shown to them."""


@dataclass(frozen=True)
class AccountValues:
    """The values of an account that only a confirmed change may set."""

    organisation: Organisation | None
    is_requesting_officer: bool = False
    is_disclosing_officer: bool = False
    spoc_role: str = SpocRole.NONE
    is_board_member: bool = False
    is_active: bool = True

    @classmethod
    def of(cls, account: User) -> AccountValues:
        return cls(
            organisation=account.organisation,
            is_requesting_officer=account.is_requesting_officer,
            is_disclosing_officer=account.is_disclosing_officer,
            spoc_role=account.spoc_role,
            is_board_member=account.is_board_member,
            is_active=account.is_active,
        )

    @classmethod
    def old_of(cls, change: AccountChange) -> AccountValues:
        return cls._from_change(change, "old")

    @classmethod
    def new_of(cls, change: AccountChange) -> AccountValues:
        return cls._from_change(change, "new")

    @classmethod
    def _from_change(cls, change: AccountChange, side: str) -> AccountValues:
        return cls(
            organisation=getattr(change, f"{side}_organisation"),
            is_requesting_officer=getattr(change, f"{side}_is_requesting_officer"),
            is_disclosing_officer=getattr(change, f"{side}_is_disclosing_officer"),
            spoc_role=getattr(change, f"{side}_spoc_role"),
            is_board_member=getattr(change, f"{side}_is_board_member"),
            is_active=getattr(change, f"{side}_is_active"),
        )

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation else None

    def comparable(self) -> tuple[object, ...]:
        return (
            self.organisation_id,
            self.is_requesting_officer,
            self.is_disclosing_officer,
            self.spoc_role,
            self.is_board_member,
            self.is_active,
        )

    def role_codes(self) -> str:
        codes = [
            code
            for code, held in (
                ("requesting", self.is_requesting_officer),
                ("disclosing", self.is_disclosing_officer),
                (self.spoc_role, bool(self.spoc_role)),
                ("board", self.is_board_member),
            )
            if held
        ]
        return ",".join(codes) or "none"

    def takes_access_from(self, old: AccountValues) -> bool:
        """These values, replacing `old`, deactivate the account, move it to another
        organisation or take a role away (protocol 10.5.2: need to know ends with the role)."""
        return (
            (old.is_active and not self.is_active)
            or old.organisation_id != self.organisation_id
            or (old.is_requesting_officer and not self.is_requesting_officer)
            or (old.is_disclosing_officer and not self.is_disclosing_officer)
            or (bool(old.spoc_role) and old.spoc_role != self.spoc_role)
            or (old.is_board_member and not self.is_board_member)
        )

    def role_labels(self) -> list[str]:
        labels = []
        if self.is_requesting_officer:
            labels.append("Requesting officer")
        if self.is_disclosing_officer:
            labels.append("Disclosing officer")
        if self.spoc_role:
            labels.append(SpocRole(self.spoc_role).label)
        if self.is_board_member:
            labels.append("CSP board member")
        return labels


# Who may do what ------------------------------------------------------------------------------


def can_manage_accounts(user: roles.AnyUser) -> bool:
    """Organisations and accounts are managed by portal administrators only."""
    return roles.is_portal_admin(user)


def can_see_changes(user: roles.AnyUser) -> bool:
    return roles.is_portal_admin(user) or roles.is_spoc(user)


def can_view_change(user: roles.AnyUser, change: AccountChange) -> bool:
    # protocol 7.4: each SPOC sees changes to people joining or leaving their organisation.
    if roles.is_portal_admin(user):
        return True
    return roles.is_spoc(user) and user.organisation_id in (
        change.old_organisation_id,
        change.new_organisation_id,
    )


def can_decide_change(user: roles.AnyUser, change: AccountChange) -> bool:
    """protocol 7.4: the second person is the SPOC or back-up SPOC of the organisation the person
    will work for (it vouches for who acts in its name; the organisation left only loses
    access), or another administrator. Never the proposer, never the person changed."""
    if not user.is_authenticated or user.pk in (change.proposed_by_id, change.account_id):
        return False
    if roles.is_portal_admin(user):
        return True
    return roles.is_spoc(user) and user.organisation_id == change.new_organisation_id


# Lists ----------------------------------------------------------------------------------------


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def account_list_for_admin(
    *, organisation: Organisation | None = None, search: str = ""
) -> QuerySet[User]:
    accounts = User.objects.select_related("organisation").order_by("full_name", "id")
    if organisation is not None:
        accounts = accounts.filter(organisation=organisation)
    if search:
        accounts = accounts.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return accounts


def account_change_list_for_user(*, user: User) -> QuerySet[AccountChange]:
    """The changes waiting for this person: every one for an administrator; those of their own
    organisation (less their own account's) for a SPOC."""
    changes = AccountChange.objects.filter(status=AccountChangeStatus.PENDING).select_related(
        "account", "proposed_by", "old_organisation", "new_organisation"
    )
    if roles.is_portal_admin(user):
        return changes.order_by("proposed_at", "id")
    if roles.is_spoc(user):
        return (
            changes.filter(new_organisation_id=user.organisation_id)
            .exclude(account=user)
            .order_by("proposed_at", "id")
        )
    return changes.none()


def account_change_history(*, account: User) -> QuerySet[AccountChange]:
    return account.account_changes.select_related(
        "proposed_by", "decided_by", "old_organisation", "new_organisation"
    ).order_by("-proposed_at", "-id")


def account_by_public_id(public_id: uuid.UUID) -> User:
    return User.objects.select_related("organisation").get(public_id=public_id)


def account_change_by_public_id(public_id: uuid.UUID) -> AccountChange:
    return AccountChange.objects.select_related(
        "account", "proposed_by", "decided_by", "old_organisation", "new_organisation"
    ).get(public_id=public_id)


# Rules on the data ----------------------------------------------------------------------------


def account_change_problems(*, account: User | None, values: AccountValues) -> dict[str, str]:
    """What stops `values` being proposed for (or applied to) `account`, as {field: message}.
    `account` is None for a new account."""
    problems: dict[str, str] = {}
    if account is not None and account.is_portal_admin:
        problems["organisation"] = ADMIN_HOLDS_NO_ROLE_MESSAGE
        return problems
    if values.organisation is None or not values.organisation.is_active:
        problems["organisation"] = INACTIVE_ORGANISATION_MESSAGE
    elif values.spoc_role:
        # protocol 7.4: one SPOC and one back-up SPOC per organisation (a database constraint).
        holders = User.objects.filter(organisation=values.organisation, spoc_role=values.spoc_role)
        if account is not None:
            holders = holders.exclude(pk=account.pk)
        if holders.exists():
            problems["spoc_role"] = SPOC_TAKEN_MESSAGE.format(
                organisation=values.organisation.name,
                role="back-up SPOC" if values.spoc_role == SpocRole.BACKUP else "SPOC",
            )
    if account is not None and AccountValues.of(account).comparable() == values.comparable():
        problems["__all__"] = NOTHING_CHANGES_MESSAGE
    return problems


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def change_warnings(change: AccountChange) -> list[str]:
    """What the second person should check before confirming (protocol 7.4, 10.5.1): the
    password link goes to the account's email address, so an address outside the organisation's
    usual domains, or a name another account already has, may be someone posing as a colleague."""
    account = change.account
    organisation = change.new_organisation
    warnings = []
    colleagues = User.objects.filter(organisation=organisation, is_active=True).exclude(
        pk=account.pk
    )
    domains = {email_domain(email) for email in colleagues.values_list("email", flat=True)}
    if domains and email_domain(account.email) not in domains:
        warnings.append(
            f"No other account at {organisation.name} uses an email address ending "
            f"@{email_domain(account.email)}. Check the address is the person's work address."
        )
    namesakes = (
        User.objects.filter(full_name__iexact=account.full_name)
        .exclude(pk=account.pk)
        .values_list("email", flat=True)
    )
    for email in namesakes:
        warnings.append(f"Another account has the same name: {email}.")
    return warnings


def describe_change(change: AccountChange) -> str:
    """The audit detail of a change: the account, and the old and new organisation codes, roles
    and access. Never a password."""
    old, new = AccountValues.old_of(change), AccountValues.new_of(change)
    parts = [
        f"organisation {_code(old.organisation)} -> {_code(new.organisation)}",
        f"roles {old.role_codes()} -> {new.role_codes()}",
        f"active {_yes_no(old.is_active)} -> {_yes_no(new.is_active)}",
    ]
    return f"{change.account.email}: " + "; ".join(parts)


def _code(organisation: Organisation | None) -> str:
    return organisation.short_code if organisation else "none"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# Writes ---------------------------------------------------------------------------------------


def _refuse_unless_admin(user: User, detail: str, obj: object = None) -> None:
    if not can_manage_accounts(user):
        raise AccessRefused(obj=obj, detail=detail)


# The only fields an administrator writes on an organisation (the organisation form's).
ORGANISATION_FIELDS = (
    "name",
    "short_code",
    "department",
    "address",
    "phone",
    "protective_marking",
    "is_active",
)
UNKNOWN_ORGANISATION_FIELDS_MESSAGE = "An organisation does not have these fields: {fields}"


def _organisation_values(data: dict[str, object]) -> dict[str, object]:
    """Refuse any key that is not on the organisation form (e.g. id), rather than copy it."""
    unknown = sorted(set(data) - set(ORGANISATION_FIELDS))
    if unknown:
        raise ValueError(UNKNOWN_ORGANISATION_FIELDS_MESSAGE.format(fields=", ".join(unknown)))
    return data


@transaction.atomic
def organisation_create(*, actor: User, data: dict[str, object]) -> Organisation:
    _refuse_unless_admin(actor, "create organisation")
    organisation = Organisation.objects.create(**_organisation_values(data))
    audit.record(
        action=AuditAction.ORGANISATION_CREATED,
        actor=actor,
        receiving_organisation=organisation,
        detail=f"organisation {organisation.short_code}",
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, short_code: str, data: dict[str, object]) -> Organisation:
    _refuse_unless_admin(actor, "change organisation")
    data = _organisation_values(data)
    organisation = Organisation.objects.select_for_update().get(short_code=short_code)
    changed = sorted(name for name, value in data.items() if getattr(organisation, name) != value)
    for name, value in data.items():
        setattr(organisation, name, value)
    organisation.save()
    audit.record(
        action=AuditAction.ORGANISATION_CHANGED,
        actor=actor,
        receiving_organisation=organisation,
        detail=f"organisation {organisation.short_code}: {', '.join(changed) or 'no change'}"[:300],
    )
    return organisation


def _proposal_create(
    *, proposer: User, account: User, values: AccountValues, is_new_account: bool
) -> AccountChange:
    old = AccountValues.of(account)
    change = AccountChange.objects.create(
        account=account,
        is_new_account=is_new_account,
        proposed_by=proposer,
        old_organisation=old.organisation,
        new_organisation=values.organisation,
        old_is_requesting_officer=old.is_requesting_officer,
        new_is_requesting_officer=values.is_requesting_officer,
        old_is_disclosing_officer=old.is_disclosing_officer,
        new_is_disclosing_officer=values.is_disclosing_officer,
        old_spoc_role=old.spoc_role,
        new_spoc_role=values.spoc_role,
        old_is_board_member=old.is_board_member,
        new_is_board_member=values.is_board_member,
        old_is_active=old.is_active,
        new_is_active=values.is_active,
    )
    audit.record(
        action=AuditAction.ACCOUNT_CHANGE_PROPOSED,
        actor=proposer,
        obj=change,
        detail=describe_change(change)[:300],
    )
    _notify_deciders(change)
    return change


@transaction.atomic
def account_create(
    *, proposer: User, person: dict[str, str], values: AccountValues
) -> AccountChange:
    """A new officer account: created inactive, in its organisation, with no roles and no
    usable password, and a pending change that gives it its roles and access once confirmed."""
    _refuse_unless_admin(proposer, "create account")
    problems = account_change_problems(account=None, values=values)
    if User.objects.filter(email__iexact=person["email"]).exists():
        problems["email"] = EMAIL_TAKEN_MESSAGE
    if problems:
        raise AccountChangeNotAllowed("; ".join(problems.values()))
    account = User(
        organisation=values.organisation,
        is_active=False,
        **{**person, "email": person["email"].lower()},
    )
    account.set_unusable_password()
    account.save()
    audit.record(
        action=AuditAction.ACCOUNT_CREATED,
        actor=proposer,
        receiving_organisation=account.organisation,
        detail=f"{account.email}: created inactive, waiting for confirmation",
    )
    return _proposal_create(proposer=proposer, account=account, values=values, is_new_account=True)


@transaction.atomic
def account_change_propose(
    *, proposer: User, public_id: uuid.UUID, values: AccountValues
) -> AccountChange:
    """An administrator proposes new organisation, roles or access for an officer account;
    nothing changes until a second person confirms it."""
    account = User.objects.select_for_update().get(public_id=public_id)
    _refuse_unless_admin(proposer, "propose account change")
    if account.account_changes.filter(status=AccountChangeStatus.PENDING).exists():
        raise AccountChangeNotAllowed(PENDING_EXISTS_MESSAGE)
    if problems := account_change_problems(account=account, values=values):
        raise AccountChangeNotAllowed("; ".join(problems.values()))
    return _proposal_create(proposer=proposer, account=account, values=values, is_new_account=False)


def _locked_pending_change(*, public_id: uuid.UUID, decider: User, detail: str) -> AccountChange:
    change = (
        AccountChange.objects.select_for_update(of=("self",))
        .select_related("account", "old_organisation", "new_organisation")
        .get(public_id=public_id)
    )
    if not can_decide_change(decider, change):
        raise AccessRefused(obj=change, detail=detail)
    if not change.is_pending:
        raise AccountChangeNotAllowed(ALREADY_DECIDED_MESSAGE)
    return change


@transaction.atomic
def account_change_confirm(*, public_id: uuid.UUID, decider: User) -> AccountChange:
    """The second person confirms: the values are applied, need-to-know grants that end with
    the old organisation or role are revoked (10.5.2), and the change is audited, all in one
    transaction. A new account then gets its password-set link."""
    change = _locked_pending_change(
        public_id=public_id, decider=decider, detail="confirm account change"
    )
    account = User.objects.select_for_update().get(pk=change.account_id)
    if AccountValues.of(account).comparable() != AccountValues.old_of(change).comparable():
        raise AccountChangeNotAllowed(STALE_MESSAGE)
    new = AccountValues.new_of(change)
    if problems := account_change_problems(account=account, values=new):
        raise AccountChangeNotAllowed("; ".join(problems.values()))
    before = copy.copy(account)
    account.organisation = new.organisation
    account.is_requesting_officer = new.is_requesting_officer
    account.is_disclosing_officer = new.is_disclosing_officer
    account.spoc_role = new.spoc_role
    account.is_board_member = new.is_board_member
    account.is_active = new.is_active
    account.save(
        update_fields=[
            "organisation",
            "is_requesting_officer",
            "is_disclosing_officer",
            "spoc_role",
            "is_board_member",
            "is_active",
        ]
    )
    request_grants_revoke_after_account_change(before=before, after=account)
    if new.takes_access_from(AccountValues.of(before)):
        # ASVS 3.3.4: the person's sessions end now, not when they next sign in.
        sessions_end_all(account=account)
    change.status = AccountChangeStatus.CONFIRMED
    change.decided_by = decider
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        action=AuditAction.ACCOUNT_CHANGE_CONFIRMED,
        actor=decider,
        obj=change,
        detail=describe_change(change)[:300],
    )
    if change.is_new_account:
        _password_link_send(account=account, actor=decider, why="new account confirmed")
    return change


@transaction.atomic
def account_change_reject(*, public_id: uuid.UUID, decider: User, reason: str) -> AccountChange:
    change = _locked_pending_change(
        public_id=public_id, decider=decider, detail="reject account change"
    )
    if not reason.strip():
        raise AccountChangeNotAllowed(REJECTION_REASON_MESSAGE)
    change.status = AccountChangeStatus.REJECTED
    change.decided_by = decider
    change.decided_at = timezone.now()
    change.rejection_reason = reason.strip()
    change.save(
        update_fields=["status", "decided_by", "decided_at", "rejection_reason", "updated_at"]
    )
    audit.record(
        action=AuditAction.ACCOUNT_CHANGE_REJECTED,
        actor=decider,
        obj=change,
        detail=describe_change(change)[:300],
    )
    return change


@transaction.atomic
def account_deactivate(*, actor: User, public_id: uuid.UUID) -> User:
    """Removing access needs no second person: one administrator may do it at once (10.5.2:
    need-to-know ends with the role). The account's grants on requests go with it."""
    account = User.objects.select_for_update().get(public_id=public_id)
    _refuse_unless_admin(actor, "deactivate account", None)
    if account.pk == actor.pk:
        raise AccountChangeNotAllowed(OWN_ACCOUNT_MESSAGE)
    if not account.is_active:
        raise AccountChangeNotAllowed(ALREADY_INACTIVE_MESSAGE)
    before = copy.copy(account)
    account.is_active = False
    account.save(update_fields=["is_active"])
    request_grants_revoke_after_account_change(before=before, after=account)
    sessions_end_all(account=account)
    audit.record(
        action=AuditAction.ACCOUNT_DEACTIVATED,
        actor=actor,
        receiving_organisation=account.organisation,
        detail=f"{account.email}: roles {AccountValues.of(account).role_codes()}; active yes -> no",
    )
    return account


# Passwords: an administrator never sets one; the person sets their own from a link -------------


def password_set_link(account: User) -> str:
    token = default_token_generator.make_token(account)
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "accounts:password_set", kwargs={"account_ref": str(account.public_id), "token": token}
    )


def _password_link_send(*, account: User, actor: User | None, why: str) -> None:
    audit.record(
        action=AuditAction.PASSWORD_LINK_SENT,
        actor=actor,
        receiving_organisation=account.organisation,
        detail=f"{account.email}: {why}",
    )
    # A task, retried if the mail server fails; not the outbox, which would keep a usable link
    # in the database. The link is made when the email is sent.
    transaction.on_commit(
        lambda: async_task("governance.accounts.tasks.email_password_link", account.pk),
        robust=True,
    )


def email_password_link(account_id: int) -> None:
    """protocol 8.3.2: the email carries only the link, to the person's own address."""
    account = User.objects.get(pk=account_id)
    body = (
        "Use this link to set your password for the ISP Portal:\n\n"
        f"{password_set_link(account)}\n\n"
        "The link works once. If you did not expect this message, tell your organisation's "
        "single point of contact (SPOC).\n\n" + _EMAIL_FOOTER
    )
    send_mail(PASSWORD_LINK_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [account.email])


@transaction.atomic
def password_link_send(*, actor: User, public_id: uuid.UUID) -> User:
    account = User.objects.select_for_update().get(public_id=public_id)
    _refuse_unless_admin(actor, "send password link")
    if not account.is_active:
        raise AccountChangeNotAllowed(INACTIVE_ACCOUNT_LINK_MESSAGE)
    _password_link_send(account=account, actor=actor, why="sent by an administrator")
    return account


@transaction.atomic
def password_link_request(*, email: str) -> None:
    """Forgotten password: the link goes to the address only if an active account has it. The
    person is told the same either way, so the page reveals nothing about who has an account;
    the typed address is not recorded."""
    account = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if lockout.password_link_refused(account=account):
        # Throttled by the sign-in lockout's limits; the page says the same as ever.
        audit.record(
            action=AuditAction.PASSWORD_LINK_REQUESTED,
            receiving_organisation=account.organisation if account else None,
            detail=(f"{account.email}: " if account else "") + "too many requests, no link sent",
        )
        return
    if account is None:
        audit.record(
            action=AuditAction.PASSWORD_LINK_REQUESTED, detail="no active account for the address"
        )
        return
    audit.record(
        action=AuditAction.PASSWORD_LINK_REQUESTED,
        receiving_organisation=account.organisation,
        detail=lockout.forgotten_password_detail(account),
    )
    _password_link_send(account=account, actor=None, why="forgotten password")


def password_link_account(*, account_ref: str, token: str) -> User | None:
    """The active account a link was made for, or None when the link is not (or no longer)
    valid. The page says the same for every invalid link."""
    try:
        public_id = uuid.UUID(account_ref)
    except ValueError:
        return None
    account = User.objects.filter(public_id=public_id, is_active=True).first()
    if account is None or not default_token_generator.check_token(account, token):
        return None
    return account


@transaction.atomic
def password_set(*, account: User, password: str) -> User:
    """The person sets their own password; the link stops working (the token covers the
    password hash) and every session of the account ends (the view keeps the one it was set
    in, if the person is signed in there)."""
    account = User.objects.select_for_update().get(pk=account.pk)
    account.set_password(password)
    account.save(update_fields=["password"])
    sessions_end_all(account=account)
    audit.record(
        action=AuditAction.PASSWORD_SET,
        actor=account,
        receiving_organisation=account.organisation,
        detail=f"{account.email}: password set from a link",
    )
    # A new password from the emailed link also lifts a sign-in lockout (ASVS 2.2.1).
    lockout.account_failures_clear(
        account=account, actor=account, why="failed sign-ins cleared by a new password"
    )
    return account


def _notify_deciders(change: AccountChange) -> None:
    """Tell the new organisation's SPOCs that a change waits for them; only a link."""
    recipients = list(
        User.objects.filter(
            organisation_id=change.new_organisation_id,
            spoc_role__in=[SpocRole.SPOC, SpocRole.BACKUP],
            is_active=True,
        )
        .exclude(pk=change.account_id)
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "accounts:change_detail", kwargs={"public_id": change.public_id}
    )
    body = (
        f"{CHANGE_WAITING_SUBJECT}.\n\n"
        f"Sign in to the ISP Portal to confirm or reject it: {link}\n\n" + _EMAIL_FOOTER
    )
    # Written to the outbox with the proposal; a worker sends it (ADR 0005).
    email_queue(
        subject=CHANGE_WAITING_SUBJECT,
        body=body,
        recipients=recipients,
        organisation_id=change.new_organisation_id,
    )
