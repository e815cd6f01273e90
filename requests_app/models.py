"""The Request/Disclosure form (Appendix B), its Part B decision and the App. G 9 decision
record."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from governance.people.models import Organisation, TimeStamped, WriteOnceModel
from requests_app import deadlines


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    MORE_INFORMATION = "more_information", "More information needed"
    DISCLOSED = "disclosed", "Disclosed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


# GOV.UK tag colour for each status (ui.md: a fixed vocabulary, never colour alone). The states
# an officer works through differ in hue, not only in shade: new in the queue (purple), being
# reviewed (blue), waiting for the requester (yellow); red and orange are left to Overdue, Due
# soon and Urgent.
STATUS_TAG_CLASSES = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--purple",
    Status.UNDER_REVIEW: "govuk-tag--blue",
    Status.MORE_INFORMATION: "govuk-tag--yellow",
    Status.DISCLOSED: "govuk-tag--green",
    Status.DECLINED: "govuk-tag--pink",
    Status.WITHDRAWN: "govuk-tag--grey",
    Status.CLOSED: "govuk-tag--turquoise",
}

OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFORMATION)
# The states in which the receiving side owes a reply: the clock runs (it stops while more
# information is awaited, protocol 9.2).
CLOCK_RUNNING_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)


class SubjectRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    INFORMANT = "informant", "Informant"
    WITNESS = "witness", "Witness"
    SUSPECT = "suspect", "Suspect"
    CONVICTED_OFFENDER = "convicted_offender", "Convicted offender"


# Appendix B footnote 1: the consent question applies to a Victim, Informant, Witness or
# Convicted Offender ("VIW or CO").
VIW_OR_CO = frozenset(
    {SubjectRole.VICTIM, SubjectRole.INFORMANT, SubjectRole.WITNESS, SubjectRole.CONVICTED_OFFENDER}
)


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


def overdue_q(today: datetime.date) -> Q:
    """Open, the clock running, and past the due date (protocol 9.2's agreed timescale): the
    rule of InformationRequest.is_overdue, as a condition lists and counts can share."""
    return Q(due_date__lt=today, status__in=CLOCK_RUNNING_STATUSES, clock_stopped_at__isnull=True)


class RequestQuerySet(models.QuerySet["InformationRequest"]):
    def reached_partner(self) -> RequestQuerySet:
        # protocol 10.5.2: the rule of InformationRequest.reached_partner, in the database.
        return self.filter(received_at__isnull=False)

    def overdue(self, today: datetime.date | None = None) -> RequestQuerySet:
        """Open, the clock running, and past the due date (protocol 9.2's agreed timescale)."""
        return self.filter(overdue_q(today or timezone.localdate()))


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
    # A draft is saved one section at a time (the Part A task list): until its section is
    # answered, a draft has no role and no date; a sent request always has both (constraints).
    subject_role = models.CharField(max_length=20, choices=SubjectRole.choices, blank=True)
    required_by = models.DateField("date information is required by", null=True, blank=True)
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
    # protocol 9.2 "within an agreed timescale": set when the request is received
    # (deadlines.due_date_on_receipt), moved on by a restarted clock and by agreed extensions.
    due_date = models.DateField("reply due by", null=True, blank=True)
    # Set while more information is awaited: the clock is stopped (ClockStop keeps each stop).
    clock_stopped_at = models.DateTimeField(null=True, blank=True)
    # The due date the reminder and the escalation were sent for: each is sent once per due
    # date, and again only when the due date moves.
    reminded_for = models.DateField(null=True, blank=True)
    escalated_for = models.DateField(null=True, blank=True)
    # An urgent request nobody took within ISP_URGENT_ESCALATION_HOURS: escalated once.
    urgent_escalated_at = models.DateTimeField(null=True, blank=True)
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
                condition=Q(subject_role__in=SubjectRole.values)
                | Q(status=Status.DRAFT, subject_role=""),
                name="request_subject_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(required_by__isnull=False) | Q(status=Status.DRAFT),
                name="request_required_by_unless_draft",
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
            # /inbox/: the requests sent to my organisation, by state, with every column its
            # tab counts test (overdue, my cases) and its pages sort by, so both read the index
            # only and then just the page's rows (PostgreSQL; SQLite has no covering indexes).
            models.Index(
                fields=["receiving_organisation", "status"],
                include=[
                    "due_date",
                    "clock_stopped_at",
                    "assigned_officer",
                    "is_urgent",
                    "required_by",
                    "reference",
                    "updated_at",
                    "id",
                ],
                condition=Q(received_at__isnull=False),
                name="req_inbox_received",
            ),
            # /requests/: my requests, newest first.
            models.Index(fields=["requester", "-created_at"], name="req_mine"),
            # SPOC highlight: overdue requests from my organisation.
            models.Index(
                fields=["requesting_organisation", "status", "required_by"], name="req_outbox"
            ),
            # chasing._escalate_urgent_untaken(): urgent requests not yet taken nor escalated.
            models.Index(
                fields=["received_at"],
                condition=Q(status="submitted", is_urgent=True, urgent_escalated_at=None),
                name="req_urgent_untaken",
            ),
            # chasing.chase(): open requests with the clock running, by due date.
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=["submitted", "under_review"], clock_stopped_at=None),
                name="req_clock_running_due",
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

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING_STATUSES and self.clock_stopped_at is None

    def deadline(self, today: datetime.date | None = None) -> deadlines.Deadline:
        """Days left and the Due soon / Overdue / Clock stopped tag (requests_app.deadlines)."""
        return deadlines.deadline(
            due=self.due_date,
            clock_running=self.clock_running,
            clock_stopped=self.status == Status.MORE_INFORMATION
            and self.clock_stopped_at is not None,
            today=today or timezone.localdate(),
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.clock_running and self.due_date is not None and self.due_date < today

    @property
    def subject_is_viw_or_co(self) -> bool:
        return self.subject_role in VIW_OR_CO

    def part_a_answers(self) -> dict[str, str]:
        """Part A's answers the requester can change, as the request page shows them, keyed by
        field: what a PartAVersion keeps."""
        dob = date_format(self.subject_dob, "j F Y") if self.subject_dob else ""
        legislation = [str(item) for item in self.legislation.all()]
        if self.legislation_other:
            legislation.append(f"Other: {self.legislation_other}")
        return {
            "requester_department": self.requester_department,
            "requester_address": self.requester_address,
            "requester_phone": self.requester_phone,
            "information_description": self.information_description,
            "subject_name": self.subject_name,
            "subject_address": self.subject_address,
            "subject_dob": dob,
            "subject_role": self.get_subject_role_display(),
            "required_by": date_format(self.required_by, "j F Y"),
            "is_urgent": "Yes" if self.is_urgent else "No",
            "urgency_reason": self.urgency_reason,
            "consent_obtained": self.get_consent_obtained_display(),
            "public_interest": self.get_public_interest_display(),
            "public_interest_reason": self.public_interest_reason,
            "legislation": "\n".join(legislation),
        }


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

    # PROTECT: a reason is never deleted, so the portal's database role has no DELETE on the
    # table (governance.audit 0007); a draft, the only request ever deleted, has none.
    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="details_accesses"
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


class Disclosure(WriteOnceModel, TimeStamped):
    """Part B: the disclosing officer's decision and what was disclosed. Written once, with the
    decision record, and never changed or deleted: App. G 9 and protocol 10.5.2 need the record
    of what was shared to be the one made at the decision."""

    write_once_name = "Part B"

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

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="disclosure_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"Part B of {self.request_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.request.reference}/{timezone.now():%Y%m%d%H%M%S%f}-{filename}"


class Attachment(WriteOnceModel, TimeStamped):
    """A continuation sheet or document disclosed with Part B ("information attached"). Like
    Part B, it is what was shared at the decision: never changed or deleted."""

    write_once_name = "An attachment"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="attachment_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    @property
    def audit_reference(self) -> str:
        return self.request.reference

    @property
    def audit_organisations(self) -> tuple[Organisation, Organisation | None]:
        return self.request.audit_organisations


# Part A's answers, labelled as on the request page, in its order: the "What changed" list.
PART_A_LABELS = {
    "requester_department": "Organisation/department",
    "requester_address": "Address",
    "requester_phone": "Contact phone number",
    "information_description": "Information required and circumstances",
    "subject_name": "Subject's name",
    "subject_address": "Subject's address",
    "subject_dob": "Subject's date of birth",
    "subject_role": "Subject is a",
    "required_by": "Required by",
    "is_urgent": "Urgent",
    "urgency_reason": "Reason it is urgent",
    "consent_obtained": "Consent obtained and included",
    "public_interest": "In the public interest to disclose",
    "public_interest_reason": "Reason for public interest",
    "legislation": "Legislation",
}


@dataclass(frozen=True)
class PartAChange:
    label: str
    before: str
    after: str


class PartAVersion(WriteOnceModel):
    """Part A as it stood when the disclosing officer sent the request back for more information,
    and as the requester signed and sent it again (protocol 9.2). From them the officer sees what
    changed in answer, and a request sent back unchanged is refused."""

    write_once_name = "A version of Part A"

    class Kind(models.TextChoices):
        SENT_BACK = "sent_back", "Sent back for more information"
        RESENT = "resent", "Signed and sent again"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="part_a_versions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    answers = models.JSONField()  # InformationRequest.part_a_answers() at the time
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["sent_back", "resent"]), name="part_a_version_kind_valid"
            ),
        ]
        indexes = [
            # changes_since_sent_back / latest_changes: a request's newest versions.
            models.Index(fields=["request", "-id"], name="part_a_version_latest"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="part_a_version_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"Part A of {self.request_id} ({self.kind})"

    @staticmethod
    def compare(before: dict[str, str], after: dict[str, str]) -> list[PartAChange]:
        return [
            PartAChange(label, before.get(field, ""), after.get(field, ""))
            for field, label in PART_A_LABELS.items()
            if before.get(field, "") != after.get(field, "")
        ]

    @classmethod
    def changes_since_sent_back(cls, req: InformationRequest) -> list[PartAChange] | None:
        """What the requester has changed since the request was last sent back; None when it
        was sent back before versions were kept, so nothing can be compared."""
        sent_back = cls.objects.filter(request=req, kind=cls.Kind.SENT_BACK).order_by("-id").first()
        if sent_back is None:
            return None
        return cls.compare(sent_back.answers, req.part_a_answers())

    @classmethod
    def latest_changes(
        cls, req: InformationRequest
    ) -> tuple[PartAVersion | None, list[PartAChange]]:
        """The changes of the latest round of the more-information loop, for the request page:
        since it was sent back, up to the signed resend or, while being answered, up to now.
        (None, []) when it was never sent back."""
        versions = list(cls.objects.filter(request=req).order_by("-id")[:2])
        if not versions:
            return None, []
        if versions[0].kind == cls.Kind.SENT_BACK:
            return versions[0], cls.compare(versions[0].answers, req.part_a_answers())
        if len(versions) < 2:
            return None, []
        return versions[1], cls.compare(versions[1].answers, versions[0].answers)


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
        # App. G 9: what every decision row holds, whoever writes it (rules.unmet_for_disclosure
        # and unmet_for_decline give the messages; these hold the database to the same).
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["share", "decline"]), name="decision_valid"
            ),
            # (d): every decision, to share or not, gives its reasons.
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
            # (g): who consented or, without consent, who authorised it.
            models.CheckConstraint(
                condition=~Q(consented_or_authorised_by=""),
                name="decision_names_who_consented_or_authorised",
            ),
            # (h), (i): a share says what type of information went and how; a decline shares
            # nothing.
            models.CheckConstraint(
                condition=(Q(decision="share") & ~Q(information_type="") & ~Q(sharing_method=""))
                | Q(decision="decline", information_type="", sharing_method=""),
                name="decision_share_has_type_and_method",
            ),
            # (f): a share without consent says whether the person or family were informed.
            models.CheckConstraint(
                condition=Q(decision="decline")
                | Q(with_consent=True)
                | Q(subject_informed__in=YesNo.values),
                name="decision_without_consent_says_if_informed",
            ),
            # (f): "and if not, why not".
            models.CheckConstraint(
                condition=Q(decision="decline")
                | ~Q(subject_informed=YesNo.NO)
                | ~Q(subject_not_informed_reason=""),
                name="decision_not_informed_has_reason",
            ),
            # (f) applies only without consent.
            models.CheckConstraint(
                condition=Q(with_consent=False)
                | Q(subject_informed="", subject_not_informed_reason=""),
                name="decision_with_consent_has_no_informed_answer",
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


class ClockStop(models.Model):
    """A time the clock stood still: from the question for more information to the requester's
    reply (protocol 9.2). The working days it lasted are added to the due date on restart."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="clock_stops"
    )
    stopped_at = models.DateTimeField()
    restarted_at = models.DateTimeField(null=True, blank=True)
    working_days_added = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stopped_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(restarted_at__isnull=True)
                | Q(restarted_at__gte=models.F("stopped_at")),
                name="clock_stop_restarts_after_it_stops",
            ),
        ]

    def __str__(self) -> str:
        return f"Clock stop on {self.request_id}"


class Extension(WriteOnceModel):
    """An extension of the reply's due date, agreed with the requester, with its reason
    (protocol 9.2 "agreed timescale"). Written once; a later extension is a new row."""

    write_once_name = "An extension"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="extensions"
    )
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.TextField()
    agreed_with = models.CharField("agreed with", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
            models.CheckConstraint(
                condition=Q(new_due_date__gt=models.F("previous_due_date")),
                name="extension_moves_the_date_later",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="extension_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"Extension of {self.request_id} to {self.new_due_date}"


class RequestMessage(WriteOnceModel):
    """One entry of the conversation on a request (protocol 9.2): the disclosing officer's
    question, the requester's reply, or an officer giving the request back with a reason."""

    write_once_name = "A message"

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        REPLY = "reply", "Reply"
        GIVEN_BACK = "given_back", "Given back"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["question", "reply", "given_back"]),
                name="request_message_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="request_message_has_text"),
        ]
        indexes = [
            # The request page's timeline: a request's messages in order.
            models.Index(fields=["request", "created_at"], name="request_message_timeline"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="request_message_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.request_id}"
