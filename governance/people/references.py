"""Human references: a prefix, the year and a number from a locked sequence (ISP-2026-000123).

Database ids never appear in URLs (house style); these references do."""

from __future__ import annotations

from governance.people.models import ReferenceSequence


def reference_next(*, prefix: str, year: int, digits: int) -> str:
    """The next reference of this kind for the year, under a row lock: two writers at once get
    two different numbers. Call inside the transaction that saves the object."""
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:0{digits}d}"
