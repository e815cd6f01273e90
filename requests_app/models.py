"""The Request/Disclosure form (Appendix B), its Part B decision and the App. G 9 decision
record."""

from __future__ import annotations

import datetime
import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from governance.models import Organisation, TimeStamped, WriteOnceModel


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    MORE_INFORMATION = "more_information", "More information needed"
    DISCLOSED = "disclosed", "Disclosed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


# GOV.UK tag colour for each status (ui.md: a fixed vocabulary, never colour alone).
STATUS_TAG_CLASSES = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.UNDER_REVIEW: "govuk-tag--light-blue",
    Status.MORE_INFORMATION: "govuk-tag--yellow",
    Status.DISCLOSED: "govuk-tag--green",
    Status.DECLINED: "govuk-tag--red",
    Status.WITHDRAWN: "govuk-tag--grey",
    Status.CLOSED: "govuk-tag--grey",
}

DECIDED_STATUSES = (Status.DISCLOSED, Status.DECLINED, Status.CLOSED)
OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFORMATION)


class SubjectRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    INFORMANT = "informant", "Informant"
    WITNESS = "witness", "Witness"
    SUSPECT = "suspect", "Suspect"
    CONVICTED_OFFENDER = "convicted_offender", "Convicted offender"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class DeliveryMethod(models.TextChoices):
    PORTAL = "portal", "Through the portal"
    POST = "post", "Post"
    EMAIL = "email", "Secure email"
    FAX = "fax", "Fax"
    OTHER = "other", "Other"


class Legislation(models.Model):
    """A statutory power ticked on Part A (Appendix B's list; administrators may add entries)."""

    act = models.CharField(max_length=200)
    section = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "legislation"

    def __str__(self) -> str:
        return (
            f"{self.act} {self.section}".strip()
            if not self.section
            else f"{self.act}: {self.section}"
        )


class RequestQuerySet(models.QuerySet["InformationRequest"]):
    def reached_partner(self) -> RequestQuerySet:
        # protocol 10.5.2: the rule of InformationRequest.reached_partner, in the database.
        return self.filter(received_at__isnull=False)

    def overdue(self, today: datetime.date | None = None) -> RequestQuerySet:
        today = today or timezone.localdate()
        return self.filter(required_by__lt=today, status__in=OPEN_STATUSES)


class InformationRequest(TimeStamped):
    """Part A of the Request/Disclosure form, and its place in the workflow."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests_made"
    )
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requests_made"
    )
    # "Information requested by" as it stood on the form (prefilled from the profile).
    requester_name = models.CharField("name", max_length=200)
    requester_position = models.CharField("position", max_length=200)
    requester_department = models.CharField("organisation/department", max_length=200)
    requester_address = models.TextField("address")
    requester_phone = models.CharField("contact phone number", max_length=40)
    requester_email = models.EmailField("email address")

    # "Information requested"
    information_description = models.TextField(
        "describe the information required and the circumstances"
    )
    subject_name = models.CharField("name", max_length=200)
    subject_address = models.TextField("address")
    subject_dob = models.DateField("date of birth", null=True, blank=True)
    subject_role = models.CharField(max_length=20, choices=SubjectRole.choices)
    required_by = models.DateField("date information is required by")
    is_urgent = models.BooleanField(default=False)
    urgency_reason = models.TextField(blank=True)

    # Consent and public interest (protocol 5, 6; Appendix B).
    consent_obtained = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    public_interest = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    public_interest_reason = models.TextField(blank=True)

    legislation = models.ManyToManyField(Legislation, blank=True, related_name="+")
    legislation_other = models.CharField("other legislation", max_length=300, blank=True)

    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requests_received"
    )

    # Signature of requesting officer: a typed declaration, plus who was signed in and when.
    signature_name = models.CharField(max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    # Workflow facts, written only by requests_app.workflow.
    received_at = models.DateTimeField("date request received", null=True, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_assigned",
    )
    more_information_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_personal_details", "Can view the subject's personal details"),
            ("decide_request", "Can decide a request"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject_role__in=SubjectRole.values), name="request_subject_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(requesting_organisation=models.F("receiving_organisation")),
                name="request_to_another_organisation",
            ),
        ]
        indexes = [
            # /inbox/: my organisation's queue by state and due date.
            models.Index(
                fields=["receiving_organisation", "status", "required_by"], name="req_inbox"
            ),
            # /requests/: my requests, newest first.
            models.Index(fields=["requester", "-created_at"], name="req_mine"),
            # SPOC highlight: overdue requests from my organisation.
            models.Index(
                fields=["requesting_organisation", "status", "required_by"], name="req_outbox"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_reference(self) -> str:
        return self.reference

    @property
    def reached_partner(self) -> bool:
        """protocol 10.5.2 (need to know): the receiving organisation has any part in a request
        only once it was sent to them, whatever its state now. A draft that never left the
        requester (deleted, or withdrawn before this rule) stays the requesting side's alone.
        RequestQuerySet.reached_partner() is the same rule for lists."""
        return self.received_at is not None

    @property
    def audit_organisations(self) -> tuple[Organisation, Organisation | None]:
        # Before it reaches the partner, its events belong to the requesting side only.
        if not self.reached_partner:
            return self.requesting_organisation, None
        return self.requesting_organisation, self.receiving_organisation

    @property
    def awaiting_more_information(self) -> bool:
        return self.status == Status.MORE_INFORMATION

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES[Status(self.status)]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.required_by < today

    @property
    def subject_is_viw_or_co(self) -> bool:
        from requests_app import rules

        return rules.consent_question_applies(self.subject_role)


class InformationRequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)


class InformationRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)


class PersonalDetailsAccess(WriteOnceModel):
    """A receiving SPOC's recorded reason for opening a request's personal details.

    protocol 7.4 gives the SPOC oversight of the queue, which the summary serves; 10.5.2 limits
    personal details to those who need them. So the SPOC sees them only for a stated reason
    (DPA 2018 s.62: the justification of a consultation), for a limited time."""

    write_once_name = "A reason for viewing personal details"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="details_accesses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            # permissions.spoc_has_open_access: this SPOC's open access to this request.
            models.Index(fields=["request", "user", "-expires_at"], name="details_access_open"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="details_access_has_reason"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")),
                name="details_access_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"Access to {self.request_id} by {self.user_id}"


class ReferenceCounter(models.Model):
    """One row per year; locked to hand out the next human reference (ISP-2026-000123)."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Disclosure(TimeStamped):
    """Part B: the disclosing officer's decision and what was disclosed."""

    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="disclosure"
    )
    disclosure_agreed = models.BooleanField()
    decline_reason = models.TextField("reason for declining request", blank=True)
    # App. G 9(d): the reasons for a decision to share.
    decision_reasons = models.TextField(blank=True)
    information_disclosed = models.TextField(blank=True)

    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    discloser_name = models.CharField("name", max_length=200)
    discloser_position = models.CharField("position", max_length=200)
    discloser_organisation = models.CharField("organisation", max_length=200)
    discloser_department = models.CharField("department", max_length=200, blank=True)
    discloser_address = models.TextField("address", blank=True)
    discloser_phone = models.CharField("contact phone number", max_length=40, blank=True)
    discloser_email = models.EmailField("email address")

    disclosed_to_name = models.CharField("name", max_length=200)
    disclosed_to_organisation = models.CharField("organisation/department", max_length=200)
    disclosed_to_phone = models.CharField("contact phone number", max_length=40, blank=True)

    delivery_method = models.CharField(max_length=10, choices=DeliveryMethod.choices, blank=True)
    delivery_method_other = models.CharField(max_length=200, blank=True)
    signature_name = models.CharField("signature of disclosing officer", max_length=200)
    date_supplied = models.DateField(null=True, blank=True)

    # protocol 9.2 / 9.3 checks, confirmed by the disclosing officer before deciding.
    check_form_complete = models.BooleanField(default=False)
    check_consent_evidence = models.BooleanField(default=False)
    check_necessary = models.BooleanField(default=False)
    check_accurate = models.BooleanField(default=False)
    check_depersonalised = models.BooleanField(default=False)
    check_need_to_know = models.BooleanField(default=False)
    check_secure = models.BooleanField(default=False)

    # HM Government "when to share" questions (Appendix D/H), answered before deciding.
    share_legitimate_purpose = models.CharField(max_length=3, choices=YesNo.choices)
    share_identifiable = models.CharField(max_length=3, choices=YesNo.choices)
    share_confidential = models.CharField(max_length=3, choices=YesNo.choices)
    share_consent = models.CharField(max_length=3, choices=YesNo.choices)
    share_other_lawful_reason = models.CharField(max_length=3, choices=YesNo.choices)

    # App. G 9(f) and (g) when sharing without consent.
    subject_informed = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    subject_not_informed_reason = models.TextField(blank=True)
    authorised_by = models.CharField(max_length=200, blank=True)
    information_type = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Part B of {self.request_id}"

    @property
    def information_attached(self) -> bool:
        return self.request.attachments.exists()


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.request.reference}/{timezone.now():%Y%m%d%H%M%S%f}-{filename}"


class Attachment(TimeStamped):
    """A continuation sheet or document disclosed with Part B ("information attached")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def audit_reference(self) -> str:
        return self.request.reference

    @property
    def audit_organisations(self) -> tuple[Organisation, Organisation | None]:
        return self.request.audit_organisations


class DecisionRecord(WriteOnceModel):
    """App. G 9: the record of every sharing decision, to share or not. Immutable once written."""

    write_once_name = "A decision record"

    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="decision_record"
    )
    # (a) the date and time
    decided_at = models.DateTimeField()
    # (b) a summary of the information
    information_summary = models.TextField()
    # (c) the requester's name, job title, organisation (as they were at decision time)
    requester_name = models.CharField(max_length=200)
    requester_job_title = models.CharField(max_length=200)
    requester_organisation = models.CharField(max_length=200)
    # (d) the decision (whether to share or not) and the reasons
    decision = models.CharField(
        max_length=10, choices=[("share", "Share"), ("decline", "Do not share")]
    )
    reasons = models.TextField()
    # (e) whether sharing with or without consent
    with_consent = models.BooleanField()
    # (f) if without consent, whether the person or family were informed and if not why not
    subject_informed = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    subject_not_informed_reason = models.TextField(blank=True)
    # (g) who consented or authorised the sharing
    consented_or_authorised_by = models.CharField(max_length=200)
    # (h) what type of information was shared (not the content)
    information_type = models.CharField(max_length=200, blank=True)
    # (i) how the information was shared
    sharing_method = models.CharField(max_length=200, blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["share", "decline"]), name="decision_valid"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="decision_record_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"Decision record of {self.request_id}"

    @property
    def decision_label(self) -> str:
        return "Share" if self.decision == "share" else "Do not share"

    def nine_fields(self) -> list[tuple[str, str, str]]:
        """The nine App. G 9 fields as (letter, label, value), for pages and PDFs."""
        from django.utils.formats import date_format

        local = timezone.localtime(self.decided_at)
        if self.with_consent:
            informed = "Not applicable: shared with consent"
        elif self.subject_informed == YesNo.YES:
            informed = "Yes"
        else:
            informed = f"No: {self.subject_not_informed_reason}"
        return [
            (
                "a",
                "Date and time",
                f"{date_format(local, 'j F Y')} at {date_format(local, 'g:iA').lower()}",
            ),
            ("b", "Summary of the information", self.information_summary),
            (
                "c",
                "Requester",
                f"{self.requester_name}, {self.requester_job_title}, {self.requester_organisation}",
            ),
            ("d", "Decision and reasons", f"{self.decision_label}: {self.reasons}"),
            (
                "e",
                "With or without consent",
                "With consent" if self.with_consent else "Without consent",
            ),
            ("f", "If without consent, was the person or family informed", informed),
            ("g", "Who consented or authorised", self.consented_or_authorised_by),
            ("h", "Type of information shared", self.information_type or "None shared"),
            ("i", "How it was shared", self.sharing_method or "Not shared"),
        ]
