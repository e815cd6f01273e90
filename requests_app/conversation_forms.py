"""Forms of the conversation on a request and its due date: the requester's reply, giving a
request back, and recording an extension. Input shape only: workflow.py and services.py hold
the rules and refuse on the same problems."""

from __future__ import annotations

from django import forms

from requests_app import rules, workflow
from requests_app.forms import SignatureForm
from ui.widgets import GovUKDateField


class ReplyAndSignatureForm(SignatureForm):
    """The requester answers the question asked (protocol 9.2) and signs Part A again."""

    field_order = ["reply", "signature_name"]

    reply = forms.CharField(
        label="Your reply to the disclosing officer",
        help_text="Answer the question asked. The disclosing officer reads it with your updated "
        "request.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=workflow.REPLY_MAX_LENGTH,
        error_messages={
            "required": workflow.REPLY_REQUIRED,
            "max_length": f"Reply must be {workflow.REPLY_MAX_LENGTH} characters or fewer",
        },
    )


class GiveBackForm(forms.Form):
    reason = forms.CharField(
        label="Why can you not take this request on?",
        help_text="For example, a conflict of interest, or you are away before it is due. Your "
        "SPOC reads this when they reassign it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=workflow.GIVE_BACK_REASON_MAX_LENGTH,
        error_messages={
            "required": workflow.GIVE_BACK_REASON_REQUIRED,
            "max_length": (
                f"Reason must be {workflow.GIVE_BACK_REASON_MAX_LENGTH} characters or fewer"
            ),
        },
    )


class ExtensionForm(forms.Form):
    new_due_date = GovUKDateField(
        label="New due date",
        label_for_errors="the new due date",
        help_text="For example, 27 3 2027. It must be later than the current due date.",
    )
    reason = forms.CharField(
        label="Why is the due date extended?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.EXTENSION_TEXT_MAX_LENGTH,
        error_messages={
            "required": rules.EXTENSION_REASON_REQUIRED,
            "max_length": (f"Reason must be {rules.EXTENSION_TEXT_MAX_LENGTH} characters or fewer"),
        },
    )
    agreed_with = forms.CharField(
        label="Who did you agree it with?",
        help_text="The name of the requesting officer, or the person acting for them.",
        max_length=rules.EXTENSION_NAME_MAX_LENGTH,
        error_messages={
            "required": rules.EXTENSION_AGREED_WITH_REQUIRED,
            "max_length": (f"Name must be {rules.EXTENSION_NAME_MAX_LENGTH} characters or fewer"),
        },
    )
