"""The signed-in person's passkeys, for the pages that include the passkey partials (the
second-factor pages and the security page), so that those pages need pass nothing."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.settings import app_settings

from governance.accounts import passkeys
from governance.accounts.passkey_forms import PasskeyNameForm

register = template.Library()


@register.simple_tag
def passkeys_of(user: object) -> QuerySet[WebAuthnCredential] | list[WebAuthnCredential]:
    if not getattr(user, "is_authenticated", False):
        return []
    return passkeys.passkey_list_for_user(user=user)


@register.simple_tag
def passkey_name_form() -> PasskeyNameForm:
    return PasskeyNameForm()


@register.filter
def passkey_reference(passkey: WebAuthnCredential) -> str:
    return passkeys.passkey_reference(passkey)


@register.simple_tag
def passkey_rp_id() -> str:
    """The domain passkeys are bound to: the script offers passkeys only on it."""
    return app_settings.OTP_WEBAUTHN_RP_ID
