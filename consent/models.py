"""The Consent form of Appendix B, as recorded in the portal, and its withdrawal (protocol 5.1)."""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from consent import rules
from consent.choices import Inability, SignatureMethod, SignerCapacity, WithdrawalMethod
from governance.people.models import Organisation, TimeStamped
from requests_app.models import InformationRequest, YesNo

YES_NO_VALUES = YesNo.values
# The withdrawal is the only change a consent record may receive once written, and only once.
WITHDRAWAL_FIELDS = (
    "withdrawn_at",
    "withdrawn_by",
    "withdrawn_on",
    "withdrawal_method",
    "withdrawal_method_other",
    "updated_at",
)


class ConsentRecord(TimeStamped):
    """One signed Consent form (Appendix B) for a request. Never deleted: a withdrawn record
    stays, inactive, beside any new one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="consent_records"
    )
    # "Requesting Officer's Ref" is the request's reference; "Disclosing Officer's Ref" is theirs.
    disclosing_officer_ref = models.CharField(
        "disclosing officer's ref", max_length=100, blank=True
    )

    # "Is this information about you?" If not, it is about the request's subject.
    about_signer = models.CharField(max_length=3, choices=YesNo.choices)
    signer_capacity = models.CharField(max_length=10, choices=SignerCapacity.choices, blank=True)
    signer_capacity_other = models.CharField(max_length=200, blank=True)

    # "Have the reasons for requesting consent been explained to you?" (must be yes: 5.1, G 8).
    reasons_explained = models.CharField(max_length=3, choices=YesNo.choices)

    # "I give: [consent_given_to] consent to disclose to: [disclose_to]".
    consent_given_to = models.CharField(max_length=200)
    disclose_to = models.CharField(max_length=200)
    # "Personal information and any relevant information, for the purposes of: ..."
    purposes = models.TextField()

    signer_name = models.CharField(max_length=200)
    signer_address = models.TextField()
    signer_dob = models.DateField()
    signed_on = models.DateField()
    signature_method = models.CharField(max_length=20, choices=SignatureMethod.choices)
    signed_form_location = models.CharField(max_length=300)

    # "Witnessed by requesting officer": the signed-in officer, as they were when recording.
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    witness_name = models.CharField(max_length=200)
    # Copied from the witnessing officer's account, where a position may not be set yet.
    witness_position = models.CharField(max_length=200, blank=True)
    witnessed_on = models.DateField()

    # App. G 1-8: a child consents if of sufficient age and understanding, or a parent does.
    subject_is_child = models.BooleanField()
    child_sufficient_understanding = models.CharField(
        max_length=3, choices=YesNo.choices, blank=True
    )
    no_parental_consent_reason = models.TextField(blank=True)

    # App. F (MCA 2005): capacity is presumed; where in doubt, the two-stage test.
    capacity_in_doubt = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    capacity_impairment = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    unable_to_understand = models.BooleanField(default=False)
    unable_to_retain = models.BooleanField(default=False)
    unable_to_use_or_weigh = models.BooleanField(default=False)
    unable_to_communicate = models.BooleanField(default=False)

    # protocol 5.1: consent lasts until withdrawn.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_method = models.CharField(
        max_length=20, choices=WithdrawalMethod.choices, blank=True
    )
    withdrawal_method_other = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # protocol 5.1, App. G 8: consent is informed, or it is not recorded.
            models.CheckConstraint(
                condition=Q(reasons_explained=YesNo.YES), name="consent_reasons_explained"
            ),
            models.CheckConstraint(
                condition=Q(about_signer__in=YES_NO_VALUES), name="consent_about_signer_valid"
            ),
            # Appendix B: "If 'No' ... are you acting as".
            models.CheckConstraint(
                condition=Q(about_signer=YesNo.YES, signer_capacity="")
                | Q(about_signer=YesNo.NO, signer_capacity__in=SignerCapacity.values),
                name="consent_signer_capacity_when_not_about_signer",
            ),
            # Appendix B: "Other (please describe)".
            models.CheckConstraint(
                condition=~Q(signer_capacity=SignerCapacity.OTHER) | ~Q(signer_capacity_other=""),
                name="consent_other_capacity_described",
            ),
            models.CheckConstraint(
                condition=Q(signature_method__in=SignatureMethod.values),
                name="consent_signature_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(witnessed_on__gte=models.F("signed_on")),
                name="consent_witnessed_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(
                    withdrawn_at__isnull=False,
                    withdrawn_by__isnull=False,
                    withdrawn_on__isnull=False,
                    withdrawal_method__in=WithdrawalMethod.values,
                ),
                name="consent_withdrawal_complete",
            ),
        ]
        triggers = [
            # protocol 5.1: a withdrawn consent is kept, inactive; no record is ever deleted.
            pgtrigger.Protect(name="consent_record_never_deleted", operation=pgtrigger.Delete),
            # What the person signed does not change once recorded; only a withdrawal is added.
            pgtrigger.Protect(
                name="consent_record_signed_fields_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=list(WITHDRAWAL_FIELDS)),
            ),
            pgtrigger.Protect(
                name="consent_record_withdrawn_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__withdrawn_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Consent record {self.public_id}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("A consent record is never deleted; record its withdrawal instead.")

    @property
    def audit_reference(self) -> str:
        return self.request.reference

    @property
    def audit_organisations(self) -> tuple[Organisation, Organisation]:
        return self.request.audit_organisations

    @property
    def requesting_officer_ref(self) -> str:
        return self.request.reference

    @property
    def is_active(self) -> bool:
        """protocol 5.1: "Consent lasts as long as required - unless it is withdrawn"."""
        return self.withdrawn_at is None

    @property
    def inabilities(self) -> frozenset[str]:
        """Appendix F stage 2 answers, as Inability values."""
        return frozenset(
            value
            for value, ticked in (
                (Inability.UNDERSTAND, self.unable_to_understand),
                (Inability.RETAIN, self.unable_to_retain),
                (Inability.USE_OR_WEIGH, self.unable_to_use_or_weigh),
                (Inability.COMMUNICATE, self.unable_to_communicate),
            )
            if ticked
        )

    @property
    def signer_capacity_label(self) -> str:
        if self.signer_capacity == SignerCapacity.OTHER:
            return f"Other: {self.signer_capacity_other}"
        return self.get_signer_capacity_display()

    @property
    def withdrawal_method_label(self) -> str:
        if self.withdrawal_method == WithdrawalMethod.OTHER:
            return f"Other: {self.withdrawal_method_other}"
        return self.get_withdrawal_method_display()

    @property
    def consented_by(self) -> str:
        """App. G 9(g): who consented."""
        if self.about_signer == YesNo.YES:
            return f"{self.signer_name}, the person the information is about"
        return f"{self.signer_name}, {self.signer_capacity_label.lower()}"

    def recorded_answers(self) -> list[tuple[str, str]]:
        """What the portal records beyond the paper form's boxes (how it was signed, App. G and
        App. F answers), as (question, answer) for pages and the PDF."""
        rows = [
            ("How the signature was obtained", self.get_signature_method_display()),
            ("Signed paper form held at", self.signed_form_location),
        ]
        if self.subject_is_child:
            rows.append(
                (
                    "Is the child of sufficient age and understanding to consent themselves?",
                    self.get_child_sufficient_understanding_display(),
                )
            )
            if self.no_parental_consent_reason:
                rows.append(
                    (
                        "Reason for proceeding without the consent of a parent",
                        self.no_parental_consent_reason,
                    )
                )
            return rows
        rows.append(
            (
                "Any doubt about the person's capacity to consent?",
                self.get_capacity_in_doubt_display(),
            )
        )
        if self.capacity_in_doubt != YesNo.YES:
            return rows
        rows.append(
            (
                "Stage 1: an impairment of, or a disturbance in the functioning of, the mind or "
                "brain?",
                self.get_capacity_impairment_display(),
            )
        )
        if self.capacity_impairment == YesNo.YES:
            unable = [label for value, label in Inability.choices if value in self.inabilities]
            rows.append(
                (
                    "Stage 2: unable, for this decision, to",
                    "; ".join(unable) if unable else "None: they can do all of these",
                )
            )
        lacks = rules.lacks_capacity(rules.answers_of(self))
        rows.append(("Lacks capacity to make this decision?", "Yes" if lacks else "No"))
        return rows
