"""URL converters shared by the apps."""

from django.urls import register_converter


class ReferenceConverter:
    """A human reference (ISP-2026-000123, BR-2026-0001): letters, digits and hyphens only, so
    nothing else (a NUL byte, say) ever reaches a query."""

    regex = r"[A-Za-z0-9-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "ref")
