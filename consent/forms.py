"""Input shape of the Consent form and of a withdrawal. The consent rules are in rules.py."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from consent import rules
from consent.models import Inability, SignatureMethod, SignerCapacity, WithdrawalMethod
from requests_app.models import InformationRequest, YesNo
from ui.problems import add_to_form
from ui.widgets import GovUKDateField

# Appendix F, stage 2: "none of these" is an answer, not the absence of one.
ABLE_TO_DO_ALL = "none"

SIGNER_CAPACITY_CHOICES = [
    (SignerCapacity.PARENT.value, "Parent"),
    (SignerCapacity.GUARDIAN.value, "Guardian"),
    (SignerCapacity.CARER.value, "Carer"),
    (SignerCapacity.ATTORNEY.value, SignerCapacity.ATTORNEY.label),
    (SignerCapacity.DEPUTY.value, SignerCapacity.DEPUTY.label),
    (SignerCapacity.OTHER.value, "Other (please describe)"),
]


class ConsentForm(forms.Form):
    """The Consent form of Appendix B, as signed on paper, with the App. G and App. F answers."""

    # Each question shows only when it applies (GOV.UK conditional reveal; every field is in the
    # HTML, so the page works without JavaScript, and consent/rules.py still judges the answers).
    conditional_reveals = {
        "about_signer": {YesNo.NO.value: "signer_capacity"},
        "signer_capacity": {SignerCapacity.OTHER.value: "signer_capacity_other"},
        "child_sufficient_understanding": {YesNo.YES.value: "no_parental_consent_reason"},
        "capacity_in_doubt": {YesNo.YES.value: "capacity_impairment"},
        "capacity_impairment": {YesNo.YES.value: "unable_to"},
    }

    disclosing_officer_ref = forms.CharField(
        label="Disclosing officer's ref (optional)",
        help_text="If the disclosing officer gave you their own reference.",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    about_signer = forms.ChoiceField(
        label="Is the information about the person who signed the form?",
        help_text="The form asks them: 'Is this information about you?'",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the information is about the person who signed the form"
        },
    )
    signer_capacity = forms.ChoiceField(
        label="In what capacity is the signer acting?",
        help_text="For a child, a carer must hold parental responsibility.",
        choices=SIGNER_CAPACITY_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    signer_capacity_other = forms.CharField(
        label="Describe the capacity in which they are acting", max_length=200, required=False
    )
    reasons_explained = forms.ChoiceField(
        label="Have the reasons for requesting consent been explained to the signer?",
        help_text="Why the information is needed, what will be shared, with whom, for what "
        "purpose, and what sharing it means for them (Appendix G 8).",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the reasons for requesting consent have been explained"
        },
    )
    consent_given_to = forms.CharField(
        label="I give (the organisation that may disclose the information)",
        max_length=200,
        error_messages={"required": "Enter the organisation the person gives consent to"},
    )
    disclose_to = forms.CharField(
        label="Consent to disclose to",
        max_length=200,
        error_messages={"required": "Enter who the information may be disclosed to"},
    )
    purposes = forms.CharField(
        label="Personal information and any relevant information, for the purposes of",
        help_text="The information and purposes the consent covers, as written on the form.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the information and purposes the consent covers"},
    )
    signer_name = forms.CharField(
        label="Signer's name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the signer's name"},
    )
    signer_address = forms.CharField(
        label="Signer's address",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        max_length=500,
        error_messages={"required": "Enter the signer's address"},
    )
    signer_dob = GovUKDateField(
        label="Signer's date of birth",
        label_for_errors="the signer's date of birth",
        help_text="For example, 27 3 1990",
    )
    signed_on = GovUKDateField(
        label="Date the form was signed",
        label_for_errors="the date the form was signed",
        help_text="For example, 3 12 2026",
    )
    signature_method = forms.ChoiceField(
        label="How was the signature obtained?",
        help_text="The portal cannot hold a handwritten signature: the signed paper form is kept.",
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the signature was obtained"},
    )
    signed_form_location = forms.CharField(
        label="Where is the signed paper form held?",
        help_text="For example, 'Council ASB case file 2026/0412'.",
        max_length=300,
        error_messages={"required": "Enter where the signed paper form is held"},
    )
    witnessed_on = GovUKDateField(
        label="Date you witnessed the signature",
        label_for_errors="the date you witnessed the signature",
        help_text="For example, 3 12 2026",
    )

    # App. G 1-8: shown only when the subject is a child.
    child_sufficient_understanding = forms.ChoiceField(
        label="Is the child of sufficient age and understanding to consent themselves?",
        help_text="If not, a parent, guardian or carer with parental responsibility must sign "
        "(Appendix G 2).",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    no_parental_consent_reason = forms.CharField(
        label="If the child signed, why are you proceeding without the consent of a parent?",
        help_text="Appendix G 7: the decision to proceed without parental consent must be "
        "recorded. Answer only if the child signed the form.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    # App. F (MCA 2005): shown only when the subject is not a child.
    capacity_in_doubt = forms.ChoiceField(
        label="Is there any doubt about the person's capacity to consent to this sharing?",
        help_text="A person must be assumed to have capacity unless it is established that they "
        "lack it (Mental Capacity Act 2005, section 1).",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    capacity_impairment = forms.ChoiceField(
        label="Stage 1: does the person have an impairment of, or a disturbance in the "
        "functioning of, the mind or brain?",
        help_text="It does not matter whether it is temporary or permanent.",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    unable_to = forms.MultipleChoiceField(
        label="Stage 2: because of it, is the person unable to do any of these for this "
        "decision, at the time it needs to be made?",
        help_text="Select all that apply.",
        choices=[*Inability.choices, (ABLE_TO_DO_ALL, "No, they can do all of these")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, req: InformationRequest, today: datetime.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.req = req
        self.today = today or timezone.localdate()
        self.subject_is_child = rules.is_child(req.subject_dob, self.today)
        hidden = (
            ("capacity_in_doubt", "capacity_impairment", "unable_to")
            if self.subject_is_child
            else ("child_sufficient_understanding", "no_parental_consent_reason")
        )
        for name in hidden:
            del self.fields[name]

    @classmethod
    def initial_for(cls, req: InformationRequest) -> dict[str, Any]:
        """Appendix B: "I give [the disclosing organisation] consent to disclose to [the
        requesting organisation]"."""
        return {
            "consent_given_to": req.receiving_organisation.name,
            "disclose_to": req.requesting_organisation.name,
        }

    def clean_unable_to(self) -> list[str]:
        value = self.cleaned_data.get("unable_to") or []
        if ABLE_TO_DO_ALL in value and len(value) > 1:
            raise forms.ValidationError(
                "Select what the person cannot do, or select 'No, they can do all of these', "
                "not both"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        add_to_form(
            self,
            rules.unmet_for_consent_dates(
                signer_dob=data.get("signer_dob"),
                signed_on=data.get("signed_on"),
                witnessed_on=data.get("witnessed_on"),
                today=self.today,
            ),
        )
        add_to_form(
            self, [p for p in rules.unmet_for_consent(self.answers()) if p.field in self.fields]
        )
        return data

    def answers(self) -> rules.ConsentAnswers:
        return rules.answers_from(self.to_service_data(), subject_is_child=self.subject_is_child)

    def _unable_to(self) -> frozenset[str] | None:
        """Stage 2 as the rules read it: None when unanswered, else what the person cannot do."""
        selected = self.cleaned_data.get("unable_to")
        if not selected:
            return None
        return frozenset(value for value in selected if value != ABLE_TO_DO_ALL)

    def to_service_data(self) -> dict[str, Any]:
        return {**self.cleaned_data, "unable_to": self._unable_to()}


class WithdrawalForm(forms.Form):
    """protocol 5.1: how and when the person withdrew their consent."""

    conditional_reveals = {"method": {WithdrawalMethod.OTHER.value: "method_other"}}

    method = forms.ChoiceField(
        label="How did the person withdraw their consent?",
        choices=WithdrawalMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the person withdrew their consent"},
    )
    method_other = forms.CharField(label="How they withdrew it", max_length=200, required=False)
    withdrawn_on = GovUKDateField(
        label="Date the person withdrew their consent",
        label_for_errors="the date the person withdrew their consent",
        help_text="For example, 3 12 2026",
    )

    def __init__(
        self,
        *args: Any,
        signed_on: datetime.date,
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_on = signed_on
        self.today = today or timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        add_to_form(
            self,
            rules.unmet_for_withdrawal(
                method=data.get("method", ""),
                method_other=data.get("method_other", ""),
                withdrawn_on=data.get("withdrawn_on"),
                signed_on=self.signed_on,
                today=self.today,
            ),
        )
        return data
