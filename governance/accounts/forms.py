"""Input shape of the organisation and account pages. The rules on the values themselves are
called from governance.accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from governance.accounts import services as accounts
from governance.accounts.services import AccountValues
from governance.people.models import Organisation, SpocRole, User

ROLE_CHOICES = [
    ("requesting", "Requesting officer – makes requests for information"),
    ("disclosing", "Disclosing officer – decides requests made to the organisation"),
    ("board", "CSP board member – oversees compliance for the organisation"),
]
# "none", not "": an empty answer means nothing was selected (radios are never pre-selected).
NO_SPOC = "none"
SPOC_CHOICES = [
    (NO_SPOC, "None"),
    (SpocRole.SPOC.value, "SPOC"),
    (SpocRole.BACKUP.value, "Back-up SPOC"),
]
PASSWORDS_DIFFER_MESSAGE = "The passwords do not match"


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_code",
            "department",
            "address",
            "phone",
            "protective_marking",
            "is_active",
        ]
        labels = {
            "name": "Name",
            "short_code": "Code",
            "department": "Department (optional)",
            "address": "Address (optional)",
            "phone": "Phone number (optional)",
            "protective_marking": "Protective marking",
            "is_active": "The organisation is an active partner",
        }
        help_texts = {
            "short_code": "Lower-case letters, numbers and hyphens, for example met",
            "protective_marking": "Shown on the disclosures this organisation makes, for "
            "example OFFICIAL-SENSITIVE (protocol 9.5)",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"class": "govuk-input--width-20"}),
            "short_code": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        }
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "unique": "An organisation with this name already exists",
            },
            "short_code": {
                "required": "Enter a code",
                "unique": "An organisation with this code already exists",
                "invalid": "Code must only include letters, numbers, hyphens and underscores",
            },
            "protective_marking": {"required": "Enter the protective marking"},
        }


class AccountFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="All organisations",
    )
    search = forms.CharField(
        label="Name or email address",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class AccountValuesForm(forms.Form):
    """The organisation and roles proposed for an officer account."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose an organisation",
        error_messages={"required": "Select the organisation the person works for"},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        help_text="Select all that apply",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    spoc_role = forms.ChoiceField(
        label="Single point of contact (protocol 7.4)",
        choices=SPOC_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person is a SPOC"},
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, account: User) -> dict[str, Any]:
        values = AccountValues.of(account)
        return {
            "organisation": values.organisation,
            "roles": [
                code
                for code, held in (
                    ("requesting", values.is_requesting_officer),
                    ("disclosing", values.is_disclosing_officer),
                    ("board", values.is_board_member),
                )
                if held
            ],
            "spoc_role": values.spoc_role or NO_SPOC,
        }

    def values(self, *, is_active: bool = True) -> AccountValues:
        data = self.cleaned_data
        chosen = set(data.get("roles") or [])
        return AccountValues(
            organisation=data.get("organisation"),
            is_requesting_officer="requesting" in chosen,
            is_disclosing_officer="disclosing" in chosen,
            spoc_role="" if data.get("spoc_role") in (None, NO_SPOC) else data["spoc_role"],
            is_board_member="board" in chosen,
            is_active=is_active,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            active = self.account.is_active if self.account is not None else True
            for name, message in accounts.account_change_problems(
                account=self.account, values=self.values(is_active=active)
            ).items():
                self.add_error(None if name == "__all__" else name, message)
        return cleaned


class AccountNewForm(AccountValuesForm):
    """A new officer account. Its roles take effect when a second person confirms them."""

    field_order = ["full_name", "email", "job_title", "department", "phone"]

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    job_title = forms.CharField(label="Position (optional)", max_length=200, required=False)
    department = forms.CharField(label="Department (optional)", max_length=200, required=False)
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(accounts.EMAIL_TAKEN_MESSAGE)
        return email

    def person(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("full_name", "email", "job_title", "department", "phone")
        }


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Why are you rejecting this change?",
        help_text="The administrator who proposed it will see your reason.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": accounts.REJECTION_REASON_MESSAGE,
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )


class ForgottenPasswordForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class PasswordSetForm(forms.Form):
    """The person's own new password; Django's password validators apply (ui.md: paste allowed,
    no maximum below 64 characters, common passwords blocked)."""

    new_password = forms.CharField(
        label="New password",
        help_text="Use at least 12 characters. A few unrelated words together are easy to "
        "remember and hard to guess.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    confirm_password = forms.CharField(
        label="Confirm new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your new password"},
    )

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.account)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", PASSWORDS_DIFFER_MESSAGE)
        return cleaned
