"""The audit trail's periodic task (isp_portal/schedules.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from governance.audit.anchors import anchor_write


def export_audit_anchor() -> str:
    """App. G 9, DPA 2018 s.62: the chain's head, daily, to AUDIT_ANCHOR_DIR."""
    return str(anchor_write(directory=Path(settings.AUDIT_ANCHOR_DIR)))
