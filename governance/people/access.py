"""The one way a view refuses access: raise AccessRefused; the 403 handler explains and
audits it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

REFUSAL_MESSAGE = (
    "You do not have access to this page. Access to information shared under the protocol is "
    "limited to the people who need it for their role."
)


class AccessRefused(PermissionDenied):
    """A refusal that carries the object refused (for the audit event), never shown to the user."""

    def __init__(self, obj: Any = None, detail: str = "") -> None:
        super().__init__(REFUSAL_MESSAGE)
        self.obj = obj
        self.detail = detail
