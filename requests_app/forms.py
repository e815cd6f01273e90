"""Input shape of Part A and Part B. Rules that are protocol rules are called from rules.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from governance.people.models import Organisation, User
from requests_app import rules
from requests_app.models import (
    DeliveryMethod,
    InformationRequest,
    Legislation,
    SubjectRole,
    YesNo,
)
from requests_app.services import (
    DETAILS_REASON_MIN_LENGTH,
    DETAILS_REASON_REQUIRED,
    DETAILS_REASON_TOO_SHORT,
)
from ui.problems import add_to_form
from ui.widgets import GovUKDateField

OTHER = "other"


class PartAForm(forms.Form):
    """Part A of the Request/Disclosure form (Appendix B)."""

    conditional_reveals = {
        "is_urgent": {"yes": "urgency_reason"},
        "legislation": {OTHER: "legislation_other"},
    }

    requester_department = forms.CharField(
        label="Organisation/department",
        max_length=200,
        error_messages={"required": rules.DEPARTMENT_MISSING},
    )
    requester_address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        max_length=500,
        error_messages={"required": rules.REQUESTER_ADDRESS_MISSING},
    )
    requester_phone = forms.CharField(
        label="Contact phone number",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"required": rules.REQUESTER_PHONE_MISSING},
    )
    receiving_organisation = forms.ModelChoiceField(
        label="Which partner organisation are you asking?",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": rules.RECEIVING_ORGANISATION_MISSING},
    )
    information_description = forms.CharField(
        label="Describe the information required and the circumstances that have led to this "
        "request",
        help_text="Do not include the subject's name here: enter it below.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        error_messages={"required": rules.DESCRIPTION_MISSING},
    )
    subject_name = forms.CharField(
        label="Name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": rules.SUBJECT_NAME_MISSING},
    )
    subject_address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        max_length=500,
        error_messages={"required": rules.SUBJECT_ADDRESS_MISSING},
    )
    subject_dob = GovUKDateField(
        label="Date of birth",
        label_for_errors="the date of birth",
        help_text="For example, 27 3 1990. Leave blank if not known.",
        required=False,
    )
    subject_role = forms.ChoiceField(
        label="Is the person a victim, informant, witness, suspect or convicted offender?",
        choices=SubjectRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.SUBJECT_ROLE_MISSING},
    )
    required_by = GovUKDateField(
        label="Date information is required by",
        label_for_errors="the date the information is required by",
        help_text="For example, 15 1 2027",
    )
    is_urgent = forms.ChoiceField(
        label="Is this request urgent?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the request is urgent"},
    )
    urgency_reason = forms.CharField(
        label="Reason it is urgent",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    consent_obtained = forms.ChoiceField(
        label="If a victim, informant, witness or convicted offender, has consent been obtained "
        "and included?",
        help_text="Only for a victim, informant, witness or convicted offender. Attach the "
        "signed consent form or say where it is recorded.",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    public_interest = forms.ChoiceField(
        label="If not a victim, informant, witness or convicted offender, or no consent has been "
        "obtained, is it in the public interest to disclose?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    public_interest_reason = forms.CharField(
        label="Reason disclosure is in the public interest",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    legislation = forms.MultipleChoiceField(
        label="Under which piece of legislation?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": rules.LEGISLATION_MISSING},
    )
    legislation_other = forms.CharField(
        label="Other legislation (please state)", max_length=300, required=False
    )

    def __init__(
        self,
        *args: Any,
        requester: User,
        fixed_fields: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_organisation"].queryset = Organisation.objects.filter(
            is_active=True
        ).exclude(pk=requester.organisation_id)
        # Answers that can no longer change (rules.fixed_part_a_fields), with the reason.
        for name, reason in (fixed_fields or {}).items():
            self.fields[name].disabled = True
            self.fields[name].help_text = reason
        self.fields["legislation"].choices = [
            (str(item.pk), str(item)) for item in Legislation.objects.filter(is_active=True)
        ] + [(OTHER, "Other (please state)")]

    @classmethod
    def initial_for(cls, req: InformationRequest | None, requester: User) -> dict[str, Any]:
        if req is None:
            org = requester.organisation
            return {
                "requester_department": requester.department or (org.department if org else ""),
                "requester_address": org.address if org else "",
                "requester_phone": requester.phone,
            }
        initial = {name: getattr(req, name) for name in cls.base_fields if hasattr(req, name)}
        initial["receiving_organisation"] = req.receiving_organisation_id
        initial["is_urgent"] = YesNo.YES if req.is_urgent else YesNo.NO
        initial["legislation"] = [str(pk) for pk in req.legislation.values_list("pk", flat=True)]
        if req.legislation_other:
            initial["legislation"].append(OTHER)
        return initial

    def clean_subject_dob(self) -> Any:
        value = self.cleaned_data.get("subject_dob")
        if value and not rules.date_of_birth_is_valid(value, timezone.localdate()):
            raise forms.ValidationError("Date of birth must be a real date in the past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("subject_role")
        if role and not rules.consent_question_applies(role):
            # The consent question is not asked for this role: an answer left from before is
            # not kept.
            data["consent_obtained"] = ""
        add_to_form(
            self,
            rules.unmet_for_part_a(
                self.to_model_data(),
                today=timezone.localdate(),
                other_legislation_selected=OTHER in (data.get("legislation") or []),
            ),
        )
        return data

    def to_model_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        selected = data.pop("legislation", None) or []
        data["legislation"] = [int(pk) for pk in selected if pk != OTHER]
        if OTHER not in selected:
            data["legislation_other"] = ""
        data["is_urgent"] = data.get("is_urgent") == YesNo.YES
        if not data["is_urgent"]:
            data["urgency_reason"] = ""
        return data


def _field(name: str) -> forms.Field:
    """A question of PartAForm, asked on a task list page (the form copies it per instance)."""
    return PartAForm.base_fields[name]


class PartASectionForm(forms.Form):
    """One page of the Part A task list: some of PartAForm's questions, judged by the same rules
    (rules.unmet_for_part_a) on this page's questions, with the answers the draft already holds."""

    def __init__(
        self,
        *args: Any,
        requester: User,
        req: InformationRequest | None = None,
        fixed_fields: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.requester = requester
        self.req = req
        if "receiving_organisation" in self.fields:
            self.fields["receiving_organisation"].queryset = Organisation.objects.filter(
                is_active=True
            ).exclude(pk=requester.organisation_id)
        if "legislation" in self.fields:
            self.fields["legislation"].choices = [
                (str(item.pk), str(item)) for item in Legislation.objects.filter(is_active=True)
            ] + [(OTHER, "Other (please state)")]
        for name, reason in (fixed_fields or {}).items():
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = reason

    @classmethod
    def initial_for(cls, req: InformationRequest | None, requester: User) -> dict[str, Any]:
        initial = PartAForm.initial_for(req, requester)
        if req is not None and not req.subject_role:
            # A draft saved before this question was answered: no radio is pre-selected.
            initial.pop("subject_role", None)
        if req is not None and not req.required_by:
            initial.pop("is_urgent", None)
        return {name: value for name, value in initial.items() if name in cls.base_fields}

    def clean_subject_dob(self) -> Any:
        value = self.cleaned_data.get("subject_dob")
        if value and not rules.date_of_birth_is_valid(value, timezone.localdate()):
            raise forms.ValidationError("Date of birth must be a real date in the past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        saved = rules.part_a_values(self.req) if self.req is not None else {}
        values = saved | self.to_model_data()
        other_selected = OTHER in (data.get("legislation") or [])
        problems = rules.unmet_for_part_a(
            values, today=timezone.localdate(), other_legislation_selected=other_selected
        )
        add_to_form(self, [p for p in problems if p.field in self.fields])
        return data

    def to_model_data(self) -> dict[str, Any]:
        """This page's answers as the model holds them (services.PART_A_FIELDS)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "legislation"}
        for name, field in self.fields.items():
            if field.disabled:
                data.pop(name, None)
        return data


class AboutYouForm(PartASectionForm):
    """Part A, "Information requested by" (prefilled from the profile), and the partner asked."""

    requester_department = _field("requester_department")
    requester_address = _field("requester_address")
    requester_phone = _field("requester_phone")
    receiving_organisation = _field("receiving_organisation")


class AboutThePersonForm(PartASectionForm):
    """Part A, the person the information is about."""

    subject_name = _field("subject_name")
    subject_address = _field("subject_address")
    subject_dob = _field("subject_dob")
    subject_role = _field("subject_role")

    def to_model_data(self) -> dict[str, Any]:
        data = super().to_model_data()
        role = data.get("subject_role")
        if role and not rules.consent_question_applies(role):
            # The consent question is not asked for this role: an answer left from before is
            # not kept.
            data["consent_obtained"] = ""
        return data


class WhatYouNeedForm(PartASectionForm):
    """Part A, the information required, by when and how urgently."""

    conditional_reveals = {"is_urgent": {YesNo.YES.value: "urgency_reason"}}
    information_description = _field("information_description")
    required_by = _field("required_by")
    is_urgent = _field("is_urgent")
    urgency_reason = _field("urgency_reason")

    def to_model_data(self) -> dict[str, Any]:
        data = super().to_model_data()
        if "is_urgent" in data:
            data["is_urgent"] = data["is_urgent"] == YesNo.YES
            if not data["is_urgent"]:
                data["urgency_reason"] = ""
        return data


class ConsentObtainedForm(PartASectionForm):
    """Part A, consent: asked only when rules.consent_question_applies to the person's role."""

    page_heading_field = "consent_obtained"
    consent_obtained = forms.ChoiceField(
        label="Has consent been obtained and included?",
        help_text="Attach the signed consent form or say where it is recorded.",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.CONSENT_ANSWER_MISSING},
    )


class PublicInterestForm(PartASectionForm):
    """Part A, public interest: asked only when rules.public_interest_reason_required."""

    page_heading_field = "public_interest"
    conditional_reveals = {"public_interest": {YesNo.YES.value: "public_interest_reason"}}
    public_interest = forms.ChoiceField(
        label="Is it in the public interest to disclose?",
        help_text="Without consent, information is shared only where disclosure is in the "
        "public interest (protocol 6).",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.PUBLIC_INTEREST_NOT_STATED},
    )
    public_interest_reason = _field("public_interest_reason")

    def to_model_data(self) -> dict[str, Any]:
        data = super().to_model_data()
        if data.get("public_interest") != YesNo.YES:
            data["public_interest_reason"] = ""
        return data


class LegislationForm(PartASectionForm):
    """Part A, "Under which piece of legislation?"."""

    page_heading_field = "legislation"
    conditional_reveals = {"legislation": {OTHER: "legislation_other"}}
    legislation = _field("legislation")
    legislation_other = _field("legislation_other")

    def to_model_data(self) -> dict[str, Any]:
        data = super().to_model_data()
        selected = self.cleaned_data.get("legislation") or []
        data["legislation"] = [int(pk) for pk in selected if pk != OTHER]
        if OTHER not in selected:
            data["legislation_other"] = ""
        return data


class SignatureForm(forms.Form):
    signature_name = forms.CharField(
        label="Type your full name to sign this request",
        help_text="By signing you confirm the information is needed for the purpose stated, "
        "under the legislation ticked, and that you will apply the protocol's provisions.",
        max_length=200,
        error_messages={"required": "Type your full name to sign the request"},
    )

    def __init__(self, *args: Any, signer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signer = signer

    def clean_signature_name(self) -> str:
        return " ".join(self.cleaned_data["signature_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "signature_name" in data:
            add_to_form(self, rules.signature_matches(data["signature_name"], self.signer))
        return data


class MoreInformationForm(forms.Form):
    note = forms.CharField(
        label="What more information do you need?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter what more information you need"},
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="Disclosing officer",
        queryset=User.objects.none(),
        empty_label="Choose an officer",
        error_messages={"required": "Select a disclosing officer"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            organisation=organisation, is_disclosing_officer=True, is_active=True
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


CHECKS = [
    ("check_form_complete", "The request form is complete (9.2)"),
    ("check_consent_evidence", "Consent evidence is present, where consent was obtained (9.2)"),
    ("check_necessary", "The information is necessary for the purpose stated (9.3)"),
    ("check_accurate", "The information is accurate and up to date (9.3)"),
    ("check_depersonalised", "It is depersonalised where that serves the purpose (9.3, 4.8)"),
    ("check_need_to_know", "It goes only to people who need to know it (9.3)"),
    ("check_secure", "It will be transferred securely (9.3, 8.3.2)"),
]

WHEN_TO_SHARE = [
    ("share_legitimate_purpose", "Is there a clear and legitimate purpose for sharing?"),
    ("share_identifiable", "Does the information enable a living person to be identified?"),
    ("share_confidential", "Is the information confidential?"),
    ("share_consent", "Do you have consent to share?"),
    (
        "share_other_lawful_reason",
        "Is there another lawful reason to share, such as a public function or vital interests?",
    ),
]

ALLOWED_ATTACHMENT_TYPES = (".pdf", ".docx", ".doc", ".txt", ".png", ".jpg", ".jpeg", ".odt")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class DecisionForm(forms.Form):
    """Part B of the Request/Disclosure form, with the 9.2/9.3 checks and App. G 9 fields."""

    # Each question shows only when it applies (GOV.UK conditional reveal; every field is in the
    # HTML, so the page works without JavaScript, and the rules still judge what is sent).
    conditional_reveals = {
        "disclosure_agreed": {
            YesNo.YES.value: (
                "decision_reasons",
                "information_disclosed",
                "attachments",
                "information_type",
                "delivery_method",
                "subject_informed",
                "authorised_by",
            ),
            YesNo.NO.value: "decline_reason",
        },
        "delivery_method": {DeliveryMethod.OTHER.value: "delivery_method_other"},
        "subject_informed": {YesNo.NO.value: "subject_not_informed_reason"},
    }

    checks = forms.MultipleChoiceField(
        label="Before deciding, confirm the checks of protocol 9.2 and 9.3",
        choices=CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    disclosure_agreed = forms.ChoiceField(
        label="Disclosure agreed?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if disclosure is agreed"},
    )
    decline_reason = forms.CharField(
        label="Reason for declining request",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    decision_reasons = forms.CharField(
        label="Reasons for the decision to share",
        help_text="Recorded in the decision record (Appendix G 9(d)).",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    information_disclosed = forms.CharField(
        label="Information disclosed",
        help_text="Share only what is necessary. Attach continuation sheets below.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
    )
    attachments = MultipleFileField(
        label="Information attached to this form",
        help_text="PDF, Word, text or image files, up to 10MB each.",
        required=False,
    )
    information_type = forms.CharField(
        label="Type of information shared (not the content)",
        help_text="For example, 'Police National Computer record summary'.",
        max_length=200,
        required=False,
    )
    delivery_method = forms.ChoiceField(
        label="Delivery method",
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    delivery_method_other = forms.CharField(
        label="Other delivery method", max_length=200, required=False
    )
    share_legitimate_purpose = forms.ChoiceField(
        label=WHEN_TO_SHARE[0][1],
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.WHEN_TO_SHARE_UNANSWERED["share_legitimate_purpose"]},
    )
    share_identifiable = forms.ChoiceField(
        label=WHEN_TO_SHARE[1][1],
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.WHEN_TO_SHARE_UNANSWERED["share_identifiable"]},
    )
    share_confidential = forms.ChoiceField(
        label=WHEN_TO_SHARE[2][1],
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.WHEN_TO_SHARE_UNANSWERED["share_confidential"]},
    )
    share_consent = forms.ChoiceField(
        label=WHEN_TO_SHARE[3][1],
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.WHEN_TO_SHARE_UNANSWERED["share_consent"]},
    )
    share_other_lawful_reason = forms.ChoiceField(
        label=WHEN_TO_SHARE[4][1],
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.WHEN_TO_SHARE_UNANSWERED["share_other_lawful_reason"]},
    )
    subject_informed = forms.ChoiceField(
        label="Has the person or their family been informed?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    subject_not_informed_reason = forms.CharField(
        label="Why have they not been informed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    authorised_by = forms.CharField(
        label="Who authorised the sharing",
        help_text="Leave blank if you authorised it yourself.",
        max_length=200,
        required=False,
    )
    signature_name = forms.CharField(
        label="Type your full name to sign Part B",
        max_length=200,
        error_messages={"required": "Type your full name to sign Part B"},
    )

    def __init__(self, *args: Any, req: InformationRequest, signer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.req = req
        self.signer = signer
        if not rules.shared_with_consent(req):
            self.fields["checks"].choices = [c for c in CHECKS if c[0] != "check_consent_evidence"]
        else:
            # App. G 9(f): whether the person was informed is asked only when sharing without
            # consent (rules.subject_informed_answered).
            del self.fields["subject_informed"]
            del self.fields["subject_not_informed_reason"]

    def clean_signature_name(self) -> str:
        return " ".join(self.cleaned_data["signature_name"].split())

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        for upload in files:
            if not upload.name.lower().endswith(ALLOWED_ATTACHMENT_TYPES):
                raise forms.ValidationError(
                    f"{upload.name} must be a PDF, Word, text or image file"
                )
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(f"{upload.name} must be smaller than 10MB")
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agreed = data.get("disclosure_agreed")
        # The same rules transition() refuses on (rules.py): the page shows each on its question.
        if agreed == YesNo.YES:
            problems = rules.unmet_for_disclosure(
                self.req,
                part_b=self.part_b_data(),
                signer=self.signer,
                attached=bool(data.get("attachments")),
            )
        elif agreed == YesNo.NO:
            problems = rules.unmet_for_decline(part_b=self.part_b_data(), signer=self.signer)
        else:
            problems = rules.signature_matches(data.get("signature_name", ""), self.signer)
        add_to_form(self, problems)
        return data

    def part_b_data(self) -> dict[str, Any]:
        """Part B as transition() takes it: each check a real boolean (rules.checks_confirmed),
        shaped for the outcome chosen by the same rule transition() applies."""
        data = self.cleaned_data
        checks = set(data.get("checks", []))
        part_b: dict[str, Any] = {name: name in checks for name, _ in CHECKS}
        part_b.update(
            {name: data.get(name, "") for name, _ in WHEN_TO_SHARE}
            | {
                name: data.get(name, "")
                for name in (
                    "decline_reason",
                    "decision_reasons",
                    "information_disclosed",
                    "information_type",
                    "delivery_method",
                    "delivery_method_other",
                    "subject_informed",
                    "subject_not_informed_reason",
                    "authorised_by",
                    "signature_name",
                )
            }
        )
        return rules.part_b_for_outcome(part_b, agreed=data.get("disclosure_agreed") == YesNo.YES)


MARKING_ERROR = "Marking must be a partner organisation's code, like met"


class BlankFormMarkingForm(forms.Form):
    """``?marking=<organisation short code>`` on a blank paper form."""

    marking = forms.SlugField(
        max_length=20,
        required=False,
        error_messages=dict.fromkeys(
            ("invalid", "max_length", "null_characters_not_allowed"), MARKING_ERROR
        ),
    )


class DetailsReasonForm(forms.Form):
    """The SPOC's reason for opening a request's personal details (DPA 2018 s.62)."""

    reason = forms.CharField(
        label="Why do you need to see the personal details?",
        help_text="For example, to check the request before reassigning it, or to answer a "
        "complaint. Your reason is recorded with your name, and the details stay open to you "
        "for one hour.",
        max_length=1000,
        min_length=DETAILS_REASON_MIN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": DETAILS_REASON_REQUIRED,
            "min_length": DETAILS_REASON_TOO_SHORT,
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )
