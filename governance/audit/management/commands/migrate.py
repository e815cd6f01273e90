"""`manage.py migrate` as the schema's owner.

The portal's own database role may not alter tables, drop triggers or rewrite the audit trail
(governance.audit 0005, docs/security.md), so migrations connect as the owner: with
DATABASE_OWNER_URL set, through that URL; without it, as DATABASE_URL's user without switching to
the role its `?assume_role=` names (the test suite's arrangement). Everything else is Django's
migrate, unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import environ
from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections


@contextlib.contextmanager
def as_schema_owner(alias: str) -> Iterator[None]:
    """Connect `alias` as the schema's owner until the block ends, then as before."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    saved = dict(connection.settings_dict)
    saved_options = dict(saved.get("OPTIONS") or {})
    owner: dict[str, Any] = {}
    if settings.DATABASE_OWNER_URL and alias == "default":
        # The owner's credentials; the database stays DATABASE_URL's (or the test copy of it).
        config = environ.Env.db_url_config(settings.DATABASE_OWNER_URL)
        owner = {key: config[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}
    options = {key: value for key, value in saved_options.items() if key != "assume_role"}
    if not owner and options == saved_options:
        yield
        return
    connection.close()
    connection.settings_dict.update(owner, OPTIONS=options)
    try:
        yield
    finally:
        connection.close()
        for key in owner:
            connection.settings_dict[key] = saved[key]
        connection.settings_dict["OPTIONS"] = saved_options


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with as_schema_owner(options["database"]):
            super().handle(*args, **options)
