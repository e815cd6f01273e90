"""The audit trail's events: what happened, who did it, to what, and the hash chain that proves
nothing was changed afterwards. Written only by governance.audit.trail.record()."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from governance.people.models import Organisation, User, WriteOnceModel


class AuditAction(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "signed_out", "Signed out"
    REQUEST_CREATED = "request_created", "Request created"
    REQUEST_UPDATED = "request_updated", "Request draft saved"
    REQUEST_SUBMITTED = "request_submitted", "Request submitted"
    REQUEST_VIEWED = "request_viewed", "Request viewed"
    REQUEST_ASSIGNED = "request_assigned", "Request assigned"
    REQUEST_REASSIGNED = "request_reassigned", "Request reassigned"
    MORE_INFORMATION_REQUESTED = "more_information_requested", "More information requested"
    MORE_INFORMATION_PROVIDED = "more_information_provided", "More information provided"
    REQUEST_WITHDRAWN = "request_withdrawn", "Request withdrawn"
    REQUEST_DECIDED = "request_decided", "Request decided"
    REQUEST_CLOSED = "request_closed", "Request closed"
    PERSONAL_DETAILS_VIEWED = "personal_details_viewed", "Personal details viewed"
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", "Attachment downloaded"
    PDF_PRINTED = "pdf_printed", "PDF printed"
    CONSENT_RECORDED = "consent_recorded", "Consent recorded"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    BREACH_REPORTED = "breach_reported", "Breach reported"
    BREACH_UPDATED = "breach_updated", "Breach updated"
    REQUEST_DRAFT_DELETED = "request_draft_deleted", "Draft request deleted"
    PERSONAL_DETAILS_JUSTIFIED = (
        "personal_details_justified",
        "Reason given to view personal details",
    )
    PERMISSION_DENIED = "permission_denied", "Permission denied"
    EXPORT_MADE = "export_made", "Export made"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_CHANGED = "account_changed", "Account or role changed"
    ACCOUNT_CHANGE_PROPOSED = "account_change_proposed", "Account change proposed"
    ACCOUNT_CHANGE_CONFIRMED = "account_change_confirmed", "Account change confirmed"
    ACCOUNT_CHANGE_REJECTED = "account_change_rejected", "Account change rejected"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
    PASSWORD_LINK_SENT = "password_link_sent", "Password-set link sent"
    PASSWORD_LINK_REQUESTED = "password_link_requested", "Password-set link requested"
    PASSWORD_SET = "password_set", "Password set"
    ORGANISATION_CREATED = "organisation_created", "Organisation created"
    ORGANISATION_CHANGED = "organisation_changed", "Organisation changed"
    REQUEST_GIVEN_BACK = "request_given_back", "Request given back to the queue"
    DUE_DATE_EXTENDED = "due_date_extended", "Due date extended"
    EMAIL_SENT_AGAIN = "email_sent_again", "Undelivered email sent again"
    # A search of a list: what was searched by and how many results, never the words typed when
    # they may be a person's name (10.5.2).
    SEARCH_MADE = "search_made", "Search made"
    # Sign-in lockout (governance.accounts.lockout): the account or the address, never the
    # address typed when it belongs to no account.
    SIGN_IN_LOCKED = "sign_in_locked", "Sign-in locked after repeated failures"
    SIGN_IN_UNLOCKED = "sign_in_unlocked", "Sign-in unlocked"
    # The second factor (ADR 0006): never a code or a key in the event.
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "Second factor set up"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor not accepted"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "Recovery codes regenerated"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
    # Passkeys (a second factor beside the authenticator app): the audit detail names the passkey
    # by the start of its fingerprint, never by the name the person gave it.
    PASSKEY_ADDED = "passkey_added", "Passkey added"
    PASSKEY_REMOVED = "passkey_removed", "Passkey removed"
    PASSKEY_USED = "passkey_used", "Signed in with a passkey"
    # The export of an organisation's DPA 2018 s.62 log for the ICO (governance.oversight.s62).
    S62_LOG_EXPORTED = "s62_log_exported", "Data protection log (s.62) exported"


class AuditEvent(WriteOnceModel):
    """One entry of the append-only, hash-chained audit trail (App. G 9, golden rule 7, 10.5.2).

    Written only by governance.audit.record(); never updated or deleted.
    """

    write_once_name = "An audit event"

    occurred_at = models.DateTimeField(default=timezone.now)
    # The foreign keys' own indexes are left out: each leads a composite index below.
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40, blank=True)
    # The human reference of the object (e.g. ISP-2026-000123); never a subject's name.
    object_reference = models.CharField(max_length=40, blank=True)
    requesting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # A short, non-personal detail (e.g. the protocol section or the path refused).
    detail = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        # The table keeps the name it had before the audit trail became its own app.
        db_table = "governance_auditevent"
        ordering = ["-occurred_at", "-id"]
        constraints = [
            # A unique constraint, not unique=True: no unused LIKE-pattern index beside it.
            models.UniqueConstraint(fields=["hash"], name="audit_hash_unique"),
        ]
        indexes = [
            # SPOC page: events of my organisation's people, newest first.
            models.Index(
                fields=["actor_organisation", "-occurred_at"], name="audit_actor_org_time"
            ),
            # SPOC page: events about requests from / to my organisation, newest first.
            models.Index(
                fields=["requesting_organisation", "-occurred_at"], name="audit_req_org_time"
            ),
            models.Index(
                fields=["receiving_organisation", "-occurred_at"], name="audit_recv_org_time"
            ),
            # Filter by person; a request's timeline.
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
            models.Index(fields=["object_reference", "-occurred_at"], name="audit_object_time"),
            # SPOC highlights and the action filter: refused accesses, decisions without consent.
            models.Index(fields=["action", "-occurred_at"], name="audit_action_time"),
            # SPOC highlight: personal details viewed out of hours (local hour, protocol 10.5.2).
            models.Index(
                ExtractHour("occurred_at", tzinfo=ZoneInfo("Europe/London")),
                F("occurred_at").desc(),
                condition=Q(action="personal_details_viewed"),
                name="audit_pdv_hour_time",
            ),
        ]
        triggers = [
            # Append-only at the database: no UPDATE or DELETE, whatever the client.
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            # TRUNCATE fires no row trigger: a statement-level one refuses it (the portal's
            # database role has no TRUNCATE privilege either; governance.audit 0005).
            pgtrigger.Trigger(
                name="audit_no_truncate",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate the % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_action_display()}"
