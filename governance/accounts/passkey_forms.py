"""Input shape of the passkey pages."""

from __future__ import annotations

from django import forms

from governance.accounts.passkeys import NAME_MAX_LENGTH

NAME_REQUIRED_MESSAGE = "Enter a name for the passkey"
NAME_TOO_LONG_MESSAGE = f"Passkey name must be {NAME_MAX_LENGTH} characters or fewer"


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label="Name this passkey",
        help_text="For example, work laptop or security key, so that you can tell your passkeys "
        "apart",
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": NAME_REQUIRED_MESSAGE, "max_length": NAME_TOO_LONG_MESSAGE},
    )
